import { describe, expect, test } from "bun:test";
import { T, type Row } from "../../src/api/index.ts";
import { fieldOutput } from "./fields.ts";
import {
  findAll,
  javaFullMatch,
  javaRegex,
  JavaRegexError,
  javaReplacement,
  javaSplit,
  javaTrim,
} from "../../src/api/java-regex.ts";
import { mapBatch } from "../../src/api/multi-table.ts";
import { renamer } from "./rename.ts";
import { rowOf, table } from "../../src/api/testing.ts";

const split = (s: string, re: string, limit = 0) => javaSplit(s, javaRegex(re, true), limit);
const replaceAll = (s: string, re: string, by: string) => {
  const r = javaRegex(re, true);
  return s.replace(r, javaReplacement(by, r));
};

describe("java-regex", () => {
  test("split keeps Java's rules for leading, trailing and limited parts", () => {
    expect(split("a,b,,", ",")).toEqual(["a", "b"]);
    expect(split("a,b,,", ",", 5)).toEqual(["a", "b", "", ""]);
    expect(split(",a", ",")).toEqual(["", "a"]);
    expect(split("abc", "")).toEqual(["a", "b", "c"]);
    expect(split("a,b,c", ",", 2)).toEqual(["a", "b,c"]);
    expect(split("abc", "x", 3)).toEqual(["abc"]);
    expect(split("", ",", 2)).toEqual([""]);
  });

  test("replacement strings use Java's $n, ${name} and backslash escapes", () => {
    expect(replaceAll("2024-01-02", "(?<y>\\d+)-(\\d+)-(\\d+)", "$3/$2/${y}")).toBe("02/01/2024");
    expect(replaceAll("a", "a", "\\$1 costs \\\\")).toBe("$1 costs \\");
    expect(() => javaReplacement("$", javaRegex("a"))).toThrow(JavaRegexError);
    expect(() => javaReplacement("\\", javaRegex("a"))).toThrow("character to be escaped is missing");
    expect(() => javaReplacement("$x", javaRegex("a"))).toThrow("illegal group reference");
  });

  test("Java-only syntax is translated: inline flags, \\Q..\\E, possessive, POSIX classes, \\A and \\z", () => {
    expect(javaFullMatch("(?i)abc").test("ABC")).toBe(true);
    expect(javaFullMatch("\\Qa.b\\E").test("a.b")).toBe(true);
    expect(javaFullMatch("\\Qa.b\\E").test("axb")).toBe(false);
    expect(javaFullMatch("a++b").test("aab")).toBe(true);
    expect(javaFullMatch("\\p{Alpha}+\\p{Digit}").test("ab1")).toBe(true);
    expect(javaRegex("\\Aab\\z").test("ab")).toBe(true);
    expect(() => javaRegex("(")).toThrow("invalid regular expression");
  });

  test("findAll yields every match, zero-width ones too; trim strips only control characters and spaces", () => {
    expect(findAll(javaRegex("a"), "banana")).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(findAll(javaRegex("x*"), "ab")).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(javaTrim("\t a \u00a0")).toBe("a \u00a0");
  });
});

describe("field output", () => {
  test("a new column replaces a same-named one in place and takes its type, others are appended", () => {
    const t = table("t", [
      ["a", T.int],
      ["b", T.string],
    ]);
    const out = fieldOutput(t, [
      { name: "b", type: T.int, nullable: true },
      { name: "c", type: T.string, nullable: true },
    ]);
    expect(out.output.columns.map((c) => `${c.name}:${c.type.kind}`)).toEqual(["a:int", "b:int", "c:string"]);
    expect(out.indexes).toEqual([1, 2]);
    expect(out.width).toBe(3);
  });
});

describe("multi-table", () => {
  test("mapBatch returns the batch itself when no row changes, else a new array without dropped rows", () => {
    const rows: Row[] = [rowOf("t", [1]), rowOf("t", [2]), rowOf("t", [3])];
    expect(mapBatch(rows, (r) => r)).toBe(rows);
    const out = mapBatch(rows, (r) => (r.fields[0] === 2 ? null : r));
    expect(out).toEqual([rows[0]!, rows[2]!]);
    expect(rows).toHaveLength(3);
  });
});

describe("rename rules", () => {
  test("matches on the original name, converts case, then splices the replacement in", () => {
    expect(
      renamer({ convert_case: "UPPER", replacements_with_regex: [{ replace_from: "user", replace_to: " U " }] })(
        "user_user",
      ),
    ).toBe("U_U");
    expect(renamer({ prefix: "  ", suffix: " _s " })("a")).toBe("a_s");
    expect(
      renamer({ replacements_with_regex: [{ replace_from: "a", replace_to: "b", is_regex: "false" }] })("aa"),
    ).toBe("aa");
  });
});
