import { describe, expect, test } from "bun:test";
import { ConfigError } from "./errors.ts";
import { parseType } from "./type-text.ts";
import { T, typeToString } from "./types.ts";

const str = (text: string) => typeToString(parseType(text, "f"));
const error = (text: string): ConfigError => {
  try {
    parseType(text, "f", { file: "job.conf", line: 3, col: 7 });
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error(`"${text}" was accepted`);
};

describe("parseType: names", () => {
  test("every SqlType name of a plain type, in any case and with spaces, as SeaTunnel reads them", () => {
    const names = ["string", "boolean", "tinyint", "smallint", "int", "bigint", "float", "double"];
    expect(names.map((n) => str(n.toUpperCase()))).toEqual(names.map((n) => n.toUpperCase()));
    expect(["null", "NULL", "bytes", "Date", "TIME", " timestamp "].map(str)).toEqual([
      "NULL",
      "NULL",
      "BYTES",
      "DATE",
      "TIME",
      "TIMESTAMP",
    ]);
    expect(str("big int")).toBe("BIGINT");
  });

  test("long, short and byte stand for bigint, smallint and tinyint", () => {
    expect(["long", "SHORT", " Byte "].map(str)).toEqual(["BIGINT", "SMALLINT", "TINYINT"]);
  });

  test("an unknown name fails at the field's position and suggests the name meant", () => {
    const e = error("integer");
    expect(e.code).toBe("CONFIG_TYPE_INVALID");
    expect(e.pos).toEqual({ file: "job.conf", line: 3, col: 7 });
    expect(e.message).toStartWith('field "f": expected a data type (string, boolean,');
    expect(e.message).toEndWith('received "integer"; did you mean "int"?');
    expect(error("strng").message).toEndWith('did you mean "string"?');
  });

  test("array, map, decimal and row alone are refused: they need their parameters", () => {
    expect(error("decimal").message).toContain("(decimal needs its parameters: decimal(p, s))");
    expect(error("ARRAY").message).toContain("array<T>");
    expect(error("map").message).toContain("map<K, V>");
    expect(error("row").message).toContain("{ name = type, ... }");
  });

  test("SeaTunnel's vector types are named as such and refused", () => {
    expect(error("float_vector").message).toBe(
      'field "f": "float_vector" is one of SeaTunnel\'s vector types, which this engine does not support',
    );
  });
});

describe("parseType: decimal", () => {
  test("any spacing and case; precision and scale are the digits on each side of the comma", () => {
    for (const text of ["decimal(38,18)", "DECIMAL(38, 18)", "Decimal ( 38 , 18 )", "decimal(38,18,4)"]) {
      expect(parseType(text)).toEqual(T.decimal(38, 18));
    }
  });

  test("precision and scale are not checked against each other, as SeaTunnel's DecimalType does not", () => {
    expect(parseType("decimal(2, 5)")).toEqual(T.decimal(2, 5));
  });

  test("without a scale, or with no digits, it fails", () => {
    expect(error("decimal(10)").message).toBe(
      'field "f": decimal type should assign precision and scale information, such as "decimal(10, 2)", received "decimal(10)"',
    );
    expect(error("decimal(p, s)").message).toContain("precision and scale must be whole numbers");
  });
});

describe("parseType: array", () => {
  test("elements of the eight kinds SeaTunnel has array types for, aliases included", () => {
    expect(["array<int>", "ARRAY< string >", "array<long>", "array<BOOLEAN>", "array<double>"].map(str)).toEqual([
      "ARRAY<INT>",
      "ARRAY<STRING>",
      "ARRAY<BIGINT>",
      "ARRAY<BOOLEAN>",
      "ARRAY<DOUBLE>",
    ]);
  });

  test("any other element is refused: decimal, date, bytes, null, arrays, maps and rows", () => {
    for (const el of ["decimal(10, 2)", "date", "bytes", "null", "array<int>", "map<string, int>", "{a = int}"]) {
      expect(error(`array<${el}>`).message).toContain(`unsupported data type "${el}" as array element`);
    }
  });

  test("an array without its closing > fails", () => {
    expect(error("array<int").message).toContain("(expected array<T>)");
  });
});

describe("parseType: map", () => {
  test("keys of MapType's key kinds, values of any type", () => {
    expect(str("map<string, array<int>>")).toBe("Map<STRING, ARRAY<INT>>");
    expect(str("MAP<decimal(10, 2), map<date, timestamp>>")).toBe("Map<Decimal(10, 2), Map<DATE, TIMESTAMP>>");
    expect(str("map<int, null>")).toBe("Map<INT, NULL>");
  });

  test("a value may be a row, in HOCON or JSON style", () => {
    expect(str("map<string, {c_int = int, c_string = string, c_row = {c_int = int}}>")).toBe(
      "Map<STRING, ROW<c_int INT,c_string STRING,c_row ROW<c_int INT>>>",
    );
    expect(str('map<string, {"c_int":"int", "c_row":{"c_int":"int"}}>')).toBe(
      "Map<STRING, ROW<c_int INT,c_row ROW<c_int INT>>>",
    );
  });

  test("a key of another kind is refused, as MapType refuses it", () => {
    expect(error("map<bytes, int>").message).toBe(
      'field "f": unsupported key type BYTES in "map<bytes, int>": map keys must be null, boolean, tinyint, smallint, int, bigint, date, time, timestamp, float, double, string or decimal',
    );
    expect(error("map<array<int>, int>").message).toContain("unsupported key type ARRAY<INT>");
  });

  test("the key ends at the first comma, as SeaTunnel cuts it: a map key is refused", () => {
    expect(error("map<map<string,int>,int>").code).toBe("CONFIG_TYPE_INVALID");
    expect(error("map<string>").message).toContain("(expected map<K, V>)");
  });
});

describe("parseType: rows written as text", () => {
  test("= or :, commas or new lines, quoted names and types, nested rows, names kept as written", () => {
    expect(parseType('{ Name = string, "amount": "decimal(10, 2)"\n inner { x = bigint } }')).toEqual({
      kind: "row",
      fields: [
        { name: "Name", type: T.string },
        { name: "amount", type: T.decimal(10, 2) },
        { name: "inner", type: { kind: "row", fields: [{ name: "x", type: T.bigint }] } },
      ],
    });
  });

  test("an empty row is a row without fields", () => {
    expect(parseType("{}")).toEqual({ kind: "row", fields: [] });
  });

  test("a repeated name keeps its place and takes the later type; two rows of one name merge", () => {
    expect(str("{a = int, b = string, a = bigint}")).toBe("ROW<a BIGINT,b STRING>");
    expect(str("{r {x = int}, r {y = int}}")).toBe("ROW<r ROW<x INT,y INT>>");
  });

  test('quoted "null" is the null type; HOCON\'s bare null, numbers and lists are no type names', () => {
    expect(str('{a = "null", b = NULL}')).toBe("ROW<a NULL,b NULL>");
    expect(error("{a = null}").message).toContain('field "a" is HOCON\'s null; the null type is written "null"');
    expect(error("{a = [int]}").message).toContain('field "a" is a list');
    expect(error("{a = 1}").message).toStartWith('field "a": expected a data type');
  });

  test("an unquoted type with a comma is cut there by HOCON, so it must be quoted", () => {
    expect(error("{a = decimal(10, 2)}").message).toContain(
      'the type of "a" is cut at a comma: quote a type with commas, "decimal(10, …"',
    );
    expect(error("{m = map<string, int>}").message).toContain('the type of "m" is cut at a comma');
    expect(error("{a = decimal(10,2)}").code).toBe("CONFIG_TYPE_INVALID");
    expect(str('{a = "decimal(10,2)", m = "map<string, int>"}')).toBe("ROW<a Decimal(10, 2),m Map<STRING, INT>>");
  });

  test("a malformed row fails with the field named", () => {
    expect(error("{a = int").message).toBe(
      'field "f": a row type is written { name = type, ... }, received "{a = int" (no closing })',
    );
    expect(error("{a}").message).toContain('"a" is not name = type');
    expect(error("{a = intt}").message).toStartWith('field "a": expected a data type');
  });
});
