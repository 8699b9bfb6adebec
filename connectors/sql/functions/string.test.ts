import { describe, expect, test } from "bun:test";
import { LocalDateTime, T, typeToString } from "../../../src/api/index.ts";
import { evaluate, runtimeError, value } from "../test-helpers.ts";

const s = { s: "string" };
const v = (expr: string, str: unknown = null): unknown => value(expr, s, [str]);
const typeOf = (expr: string): string => typeToString(evaluate(expr, s, ["x"]).type);

describe("string functions: codes, lengths, concatenation, case and LEFT/RIGHT", () => {
  test("ASCII gives the first character's code, NULL for NULL", () => {
    expect(v("ascii(s)", "A")).toBe(65);
    expect(v("ascii(s)")).toBe(null);
    expect(typeOf("ascii(s)")).toBe("INT");
    expect(runtimeError("ascii(s)", s, [""])).toContain("StringIndexOutOfBoundsException");
  });

  test("BIT_LENGTH, CHAR_LENGTH/LENGTH and OCTET_LENGTH are BIGINT over UTF-8 bytes or characters", () => {
    expect(v("bit_length(s)", "&^^$wef9")).toBe(64n);
    expect(v("length(s)", "héllo")).toBe(5n);
    expect(v("char_length(s)", "héllo")).toBe(5n);
    expect(v("octet_length(s)", "héllo")).toBe(6n);
    expect(typeOf("length(s)")).toBe("BIGINT");
    expect(v("length(s)")).toBe(null);
  });

  test("CHAR/CHR turn a code into a character", () => {
    expect(value("char(i)", { i: "int" }, [98])).toBe("b");
    expect(value("chr(i)", { i: "int" }, [null])).toBe(null);
  });

  test("CONCAT skips NULLs and prints numbers as Java does; CONCAT_WS puts the separator between non-NULL values", () => {
    expect(value("concat(a, i, '!', d)", { a: "string", i: "int", d: "double" }, ["A", 1, 2])).toBe("A1!2.0");
    expect(value("concat(a, b)", { a: "string", b: "string" }, [null, null])).toBe("");
    expect(value("concat_ws(',', a, b, i)", { a: "string", b: "string", i: "int" }, ["x", null, 3])).toBe("x,3");
    expect(value("concat_ws(null, a, b)", { a: "string", b: "string" }, ["x", "y"])).toBe("xy");
    expect(value("concat_ws('-', arr, a)", { arr: T.array(T.string), a: "string" }, [["p", null, "q"], "z"])).toBe(
      "p-q-z",
    );
  });

  test("HEXTORAW reads 4 hex digits per character and RAWTOHEX writes them", () => {
    expect(v("hextoraw(s)", "0037")).toBe("7");
    expect(v("rawtohex(s)", "7")).toBe("0037");
    expect(value("rawtohex(b)", { b: "bytes" }, [new Uint8Array([1, 255])])).toBe("01ff");
    expect(runtimeError("hextoraw(s)", s, ["123"])).toContain("Unsupported arg for function: HEXTORAW");
  });

  test("INSERT replaces characters at a 1-based position, returning the other string when one is NULL", () => {
    expect(v("insert(s, 2, 2, '**')", "Joy Ding")).toBe("J** Ding");
    expect(v("insert(s, 7, 10, '!')", "Joy Ding")).toBe("Joy Di!");
    expect(v("insert(s, 0, 1, '!')", "abc")).toBe("abc");
    expect(v("insert(s, 1, 1, '!')")).toBe("!");
  });

  test("LOWER/LCASE and UPPER/UCASE change case", () => {
    expect(v("lower(s)", "Joy Ding")).toBe("joy ding");
    expect(v("lcase(s)", "ABC")).toBe("abc");
    expect(v("upper(s)", "Joy Ding")).toBe("JOY DING");
    expect(v("ucase(s)")).toBe(null);
  });

  test("LEFT and RIGHT cut at most the string's length", () => {
    expect(v("left(s, 3)", "Joy Ding")).toBe("Joy");
    expect(v("right(s, 4)", "Joy Ding")).toBe("Ding");
    expect(v("left(s, 30)", "ab")).toBe("ab");
    expect(runtimeError("left(s, -1)", s, ["ab"])).toContain(
      "StringIndexOutOfBoundsException: begin 0, end -1, length 2",
    );
  });
});

describe("string functions: search, padding, trimming and regular expressions", () => {
  test("LOCATE, POSITION and INSTR are 1-based, 0 when absent or the string is NULL, and search backwards from a negative start", () => {
    expect(v("locate('n', s)", "Joy Ding")).toBe(7);
    expect(v("locate('o', s, 3)", "foo boo")).toBe(3);
    expect(v("locate('o', s, -1)", "foo boo")).toBe(7);
    expect(v("position('x', s)", "abc")).toBe(0);
    expect(v("instr(s, 'o')", "foo")).toBe(2);
    expect(v("instr(s, 'o')")).toBe(0);
  });

  test("LPAD and RPAD pad with the first character of the pad string, or truncate", () => {
    expect(v("lpad(s, 10, '*')", "Joy Ding")).toBe("**Joy Ding");
    expect(v("rpad(s, 10, '*')", "Joy Ding")).toBe("Joy Ding**");
    expect(v("lpad(s, 3)", "Joy Ding")).toBe("Joy");
    expect(v("rpad(s, 5)", "ab")).toBe("ab   ");
  });

  test("LTRIM, RTRIM and TRIM remove one character kind (space by default)", () => {
    expect(v("ltrim(s, '*')", "*Joy*")).toBe("Joy*");
    expect(v("rtrim(s, '*')", "*Joy*")).toBe("*Joy");
    expect(v("trim(s, '*')", "**Joy**")).toBe("Joy");
    expect(v("trim(s)", "  a b  ")).toBe("a b");
    expect(v("trim(both 'x' from s)", "xxaxx")).toBe("a");
  });

  test("REGEXP_REPLACE uses Java replacement syntax and flags", () => {
    expect(v("regexp_replace(s, 'w+', 'W', 'i')", "Joy_WWWDing@s.com")).toBe("Joy_WDing@s.com");
    expect(v("regexp_replace(s, '(\\d+)-(\\d+)', '$2-$1')", "12-34")).toBe("34-12");
    expect(v("regexp_replace(s, '.+', 'b')", "anything")).toBe("b");
    expect(v("regexp_replace(s, 'a', 'b')")).toBe(null);
    expect(runtimeError("regexp_replace(s, 'a', 'b', 'g')", s, ["a"])).toContain("Unsupported regexpMode arg");
  });

  test("REGEXP_LIKE finds the pattern anywhere", () => {
    expect(v("regexp_like(s, '[A-Z ]*', 'i')", "Joy Ding")).toBe(true);
    expect(v("regexp_like(s, '^x')", "Joy")).toBe(false);
    expect(v("regexp_like(s, 'x')")).toBe(null);
    expect(typeOf("regexp_like(s, 'x')")).toBe("BOOLEAN");
  });

  test("REGEXP_SUBSTR returns the match or a group, and NULL with 3 to 5 arguments", () => {
    expect(v("regexp_substr(s, '\\d{4}')", "2020-10-01")).toBe("2020");
    expect(v("regexp_substr(s, '(\\d{4})-(\\d{2})-(\\d{2})', 1, 1, null, 2)", "2020-10-01")).toBe("10");
    expect(v("regexp_substr(s, '\\d+', 1, 2, null, 0)", "a1b22c333")).toBe("22");
    expect(v("regexp_substr(s, '\\d+', 1)", "a1")).toBe(null);
    expect(v("regexp_substr(s, 'z')", "abc")).toBe(null);
  });
});

describe("string functions: repeat, replace, substring, TO_CHAR and TRANSLATE", () => {
  test("REPEAT, REPLACE, SPACE and SOUNDEX", () => {
    expect(v("repeat(s || ' ', 3)", "Joy Ding")).toBe("Joy Ding Joy Ding Joy Ding ");
    expect(v("repeat(s, -1)", "a")).toBe("");
    expect(v("replace(s, ' ', '_')", "Joy Ding")).toBe("Joy_Ding");
    expect(v("replace(s, 'o')", "foo")).toBe("f");
    expect(v("s || space(3)", "Joy Ding")).toBe("Joy Ding   ");
    expect(v("soundex(s)", "Joy Ding")).toBe("J352");
    expect(v("soundex(s)", "Robert")).toBe("R163");
  });

  test("SUBSTRING/SUBSTR use H2's rules for 0, negative starts and empty results", () => {
    expect(v("substring(s, 1, 3)", "Joy Ding")).toBe("Joy");
    expect(v("substr(s, 0, 2)", "hour")).toBe("ho");
    expect(v("substring(s, -2)", "hour")).toBe("ur");
    expect(v("substring(s, 3, 2)", "hour")).toBe("ur");
    expect(v("substring(s, 9)", "hour")).toBe(null);
    expect(v("substring(s, 2, 0)", "hour")).toBe(null);
  });

  test("TO_CHAR prints numbers as Java does and formats date-times", () => {
    expect(value("to_char(i)", { i: "int" }, [1])).toBe("1");
    expect(value("to_char(d)", { d: "double" }, [1e10])).toBe("1.0E10");
    expect(value("to_char(ts, 'yyyy-MM-dd')", { ts: "timestamp" }, [LocalDateTime.parse("2022-12-12T23:34:45")])).toBe(
      "2022-12-12",
    );
    expect(value("to_char(b)", { b: "boolean" }, [true])).toBe("true");
  });

  test("TRANSLATE maps characters one to one and keeps those without a replacement", () => {
    expect(v("translate(s, 'ing', 'ING')", "Joy Ding")).toBe("Joy DING");
    expect(v("translate(s, 'abc', 'x')", "abcd")).toBe("xbcd");
  });

  test("a string function given a number fails with ClassCastException for a non-NULL value", () => {
    expect(runtimeError("upper(i)", { i: "int" }, [1])).toContain(
      "java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.String",
    );
    expect(value("upper(i)", { i: "int" }, [null])).toBe(null);
  });
});
