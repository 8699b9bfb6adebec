import { describe, expect, test } from "bun:test";
import { T, typeToString } from "../../../src/api/index.ts";
import { evaluate, planError, runtimeError, value } from "../test-helpers.ts";
import { desDecrypt, desEncrypt } from "./system.ts";
import { ALL_FUNCTIONS, functionNames, lookupFunction } from "./index.ts";

describe("system functions", () => {
  test("COALESCE returns the first non-NULL value typed as the first argument", () => {
    expect(value("coalesce(a, b, 'z')", { a: "string", b: "string" }, [null, "y"])).toBe("y");
    expect(value("coalesce(a, b)", { a: "string", b: "string" }, [null, null])).toBe(null);
    expect(evaluate("coalesce(s, i)", { s: "string", i: "int" }, [null, 5])).toEqual({ value: "5", type: T.string });
  });

  test("IFNULL takes exactly two arguments", () => {
    expect(value("ifnull(a, 'x')", { a: "string" }, [null])).toBe("x");
    expect(value("ifnull(a, 'x')", { a: "string" }, ["a"])).toBe("a");
    expect(runtimeError("ifnull(a, 'x', 'y')", { a: "string" }, [null])).toContain(
      "Unsupported function IFNULL() arguments",
    );
  });

  test("NULLIF is NULL when both values are equal objects of the same class", () => {
    expect(value("nullif(a, 'x')", { a: "string" }, ["x"])).toBe(null);
    expect(value("nullif(a, 'x')", { a: "string" }, ["y"])).toBe("y");
    expect(value("nullif(i, 1)", { i: "int" }, [1])).toBe(null);
    expect(value("nullif(b, 1)", { b: "bigint" }, [1n])).toBe(1n);
  });

  test("UUID gives a random version-4 UUID string", () => {
    const u = evaluate("uuid()");
    expect(typeToString(u.type)).toBe("STRING");
    expect(u.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("DES_ENCRYPT and DES_DECRYPT round-trip with SeaTunnel's DES/CBC settings", () => {
    expect(value("des_decrypt('1234567890', des_encrypt('1234567890', name))", { name: "string" }, ["Joy Ding"])).toBe(
      "Joy Ding",
    );
    expect(desEncrypt("12345678", "hello")).toBe(desEncrypt("12345678xyz", "hello"));
    expect(desDecrypt("12345678", "not base64 des")).toBe("not base64 des");
    expect(value("des_encrypt('12345678', name)", { name: "string" }, [null])).toBe(null);
    expect(runtimeError("des_encrypt('short', name)", { name: "string" }, ["x"])).toContain(
      "password length must greater than 8",
    );
  });

  test("an unknown function is rejected at plan time, its name as written", () => {
    expect(planError("select NoSuchFn(id) from fake")).toBe("transform Sql: Unsupported function: NoSuchFn ");
  });
});

describe("array and json functions", () => {
  test("ARRAY builds an array, widening numbers and turning mixes into strings", () => {
    expect(evaluate("array(1, 2, 3)")).toEqual({ value: [1, 2, 3], type: T.array(T.int) });
    expect(evaluate("array(1, 2.5)")).toEqual({ value: [1, 2.5], type: T.array(T.double) });
    expect(evaluate("array('a', 2, null)")).toEqual({ value: ["a", "2", null], type: T.array(T.string) });
  });

  test("ARRAY_MAX and ARRAY_MIN return an element of the array's element type", () => {
    expect(evaluate("array_max(a)", { a: T.array(T.int) }, [[3, 9, 1]])).toEqual({ value: 9, type: T.int });
    expect(value("array_min(a)", { a: T.array(T.string) }, [["b", "a", "c"]])).toBe("a");
    expect(value("array_max(a)", { a: T.array(T.int) }, [[]])).toBe(null);
    expect(planError("select array_max(id) from fake")).toBe("transform Sql: ARRAY_MAX expects an array, received id");
  });

  test("SPLIT splits around a regex like Java, dropping trailing empty strings", () => {
    expect(evaluate("split(s, ',')", { s: "string" }, ["a,b,,c,,"])).toEqual({
      value: ["a", "b", "", "c"],
      type: T.array(T.string),
    });
    expect(value("split(s, '\\s+')", { s: "string" }, ["a  b"])).toEqual(["a", "b"]);
    expect(value("split(s, ',')", { s: "string" }, [""])).toBe(null);
  });

  test("GET_JSON_OBJECT reads a JSON path, text for scalars and JSON for objects", () => {
    const doc = '{"a":{"b":[10,{"c":"x"}]},"k.e":true}';
    const j = (p: string) => value(`get_json_object(s, '${p}')`, { s: "string" }, [doc]);
    expect(j("$.a.b[0]")).toBe("10");
    expect(j("$.a.b[1].c")).toBe("x");
    expect(j("$.a.b[1]")).toBe('{"c":"x"}');
    expect(j('$["k.e"]')).toBe("true");
    expect(j("$.missing")).toBe(null);
    expect(value("get_json_object(s, '$.a')", { s: "string" }, ["not json"])).toBe(null);
  });
});

describe("function registry", () => {
  test("every function has a family, signature and doc, and names are unique", () => {
    const names = ALL_FUNCTIONS.flatMap((f) => f.names);
    expect(new Set(names).size).toBe(names.length);
    for (const f of ALL_FUNCTIONS) {
      expect(f.signature.length).toBeGreaterThan(5);
      expect(f.doc.length).toBeGreaterThan(3);
    }
    expect(functionNames().length).toBe(names.length);
  });

  test("looks names up case-insensitively", () => {
    expect(lookupFunction("regexp_like")?.names[0]).toBe("REGEXP_LIKE");
    expect(lookupFunction("Substr")?.names[0]).toBe("SUBSTRING");
  });
});
