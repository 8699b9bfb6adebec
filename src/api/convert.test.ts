import { describe, expect, test } from "bun:test";
import { hoconTree } from "./testing.ts";
import type { Node } from "./tree.ts";
import { getEntry } from "./tree.ts";
import { parseDateText, parseTimestampText, plainToNode, valueFromConfig, valueFromPlain } from "./convert.ts";
import { ConfigError } from "./errors.ts";
import { parseType } from "./type-text.ts";
import { Decimal, LocalDate, type LocalDateTime, LocalTime, T, type DataType } from "./types.ts";

/** The node written as `v = <text>` in a tiny HOCON file. */
function node(text: string): Node {
  const root = hoconTree(`v = ${text}\n`, "t.conf");
  return getEntry(root, "v")!.value;
}

const conv = (text: string, type: string | DataType) =>
  valueFromConfig(node(text), typeof type === "string" ? parseType(type) : type, "f");

function error(text: string, type: string): ConfigError {
  try {
    conv(text, type);
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error(`no error for ${text} as ${type}`);
}

describe("valueFromConfig: numbers, booleans, strings and null", () => {
  test("integers come from numbers or numeric strings and are range-checked", () => {
    expect(conv("42", "int")).toBe(42);
    expect(conv('" 42 "', "int")).toBe(42);
    expect(conv("-128", "tinyint")).toBe(-128);
    expect(conv("32767", "smallint")).toBe(32767);
    expect(error("128", "tinyint").message).toContain("out of range");
    expect(error('"abc"', "int").message).toBe('field "f" expects int, received "abc"');
    expect(error('"1.5"', "int").code).toBe("CONFIG_VALUE_INVALID");
  });

  test("an int written as a fractional number truncates like Jackson", () => {
    expect(conv("3.9", "int")).toBe(3);
    expect(error("3.9", "tinyint").message).toContain("tinyint");
  });

  test("bigint is exact from the written digits", () => {
    expect(conv("9223372036854775807", "bigint")).toBe(9223372036854775807n);
    expect(conv('"-9223372036854775808"', "bigint")).toBe(-9223372036854775808n);
    expect(error("9223372036854775808", "bigint").message).toContain("64-bit");
  });

  test("float rounds to single precision, double keeps the double", () => {
    expect(conv("1.1", "float")).toBe(Math.fround(1.1));
    expect(conv('"2.5f"', "float")).toBe(2.5);
    expect(conv("1.1", "double")).toBe(1.1);
    expect(conv('"1e3"', "double")).toBe(1000);
    expect(Number.isNaN(conv('"NaN"', "double"))).toBe(true);
    expect(error('"x1"', "double").message).toContain("expects double");
  });

  test("decimals are parsed exactly and scaled to the declared scale", () => {
    const d = conv('"12345678901234567890.125"', "decimal(30, 2)") as Decimal;
    expect(d).toBeInstanceOf(Decimal);
    expect(d.toString()).toBe("12345678901234567890.13");
    expect((conv("1.5", "decimal(10, 3)") as Decimal).toString()).toBe("1.500");
    expect(error('"abc"', "decimal(10, 2)").message).toBe('field "f" expects decimal(10, 2), received "abc"');
  });

  test("booleans accept true/false in any case", () => {
    expect(conv("true", "boolean")).toBe(true);
    expect(conv('"FALSE"', "boolean")).toBe(false);
    expect(error('"yes"', "boolean").message).toContain("boolean");
  });

  test("strings take scalars as written and containers as JSON", () => {
    expect(conv("abc", "string")).toBe("abc");
    expect(conv("12", "string")).toBe("12");
    expect(conv("{ a = 1 }", "string")).toBe('{"a":1}');
  });

  test("null is null for every type", () => {
    expect(conv("null", "int")).toBeNull();
    expect(conv("5", "null")).toBeNull();
  });
});

describe("valueFromConfig: dates, times, bytes and containers", () => {
  test("dates, times and timestamps come from ISO-ish strings", () => {
    expect(conv('"2024-01-31"', "date")).toEqual(new LocalDate(2024, 1, 31));
    expect(conv('"2024/1/5"', "date")).toEqual(new LocalDate(2024, 1, 5));
    expect(conv('"10:00:05.123"', "time")).toEqual(new LocalTime(10, 0, 5, 123_000_000));
    const ts = conv('"2024-01-01 10:00:00"', "timestamp") as LocalDateTime;
    expect(ts.toString()).toBe("2024-01-01T10:00");
    expect((conv('"2024-01-01T10:00:00.5"', "timestamp") as LocalDateTime).toString()).toBe("2024-01-01T10:00:00.500");
    expect(error('"2024-02-30"', "date").message).toContain("expects date");
    expect(error('"25:00:00"', "time").message).toContain("expects time");
  });

  test("CURRENT_DATE, CURRENT_TIME and CURRENT_TIMESTAMP are now", () => {
    const clock = () => new Date(2024, 4, 6, 7, 8, 9, 10);
    const o = { now: clock };
    expect(valueFromConfig(node("CURRENT_DATE"), T.date, "d", o)).toEqual(new LocalDate(2024, 5, 6));
    expect(valueFromConfig(node('"current_time"'), T.time, "t", o)).toEqual(new LocalTime(7, 8, 9, 10_000_000));
    expect(String(valueFromConfig(node("CURRENT_TIMESTAMP"), T.timestamp, "ts", o))).toBe("2024-05-06T07:08:09.010");
  });

  test("bytes decode base64 by default and UTF-8 text on request", () => {
    expect(conv('"aGk="', "bytes")).toEqual(new Uint8Array([104, 105]));
    expect(valueFromConfig(node('"hé"'), T.bytes, "b", { bytes: "utf8" })).toEqual(new Uint8Array([104, 0xc3, 0xa9]));
    expect(conv("[1, 255]", "bytes")).toEqual(new Uint8Array([1, 255]));
    expect(error('"not base64!"', "bytes").message).toContain("not base64");
  });

  test("arrays, maps and nested rows convert element by element", () => {
    expect(conv("[1, 2, 3]", "array<int>")).toEqual([1, 2, 3]);
    const m = conv('{ a = 1, "b" = 2 }', "map<string, bigint>") as Map<unknown, unknown>;
    expect([...m]).toEqual([
      ["a", 1n],
      ["b", 2n],
    ]);
    expect([...(conv("{ 1 = x }", "map<int, string>") as Map<unknown, unknown>)]).toEqual([[1, "x"]]);
    const row: DataType = {
      kind: "row",
      fields: [
        { name: "a", type: T.int },
        { name: "b", type: T.string },
      ],
    };
    expect(conv('[1, "x"]', row)).toEqual([1, "x"]);
    expect(conv("{ b = y }", row)).toEqual([null, "y"]);
  });

  test("nested errors name the path and point at the item", () => {
    const n = hoconTree('v = [1,\n  "two"]\n', "t.conf");
    try {
      valueFromConfig(getEntry(n, "v")!.value, parseType("array<int>"), "ids");
      throw new Error("expected an error");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.message).toBe('field "ids[1]" expects int, received "two"');
      expect(err.pos).toMatchObject({ file: "t.conf", line: 2, col: 3 });
    }
  });
});

describe("valueFromPlain", () => {
  test("converts plain JS values through the same rules", () => {
    expect(valueFromPlain("5", T.int)).toBe(5);
    expect(valueFromPlain(1234567890123456789n, T.bigint)).toBe(1234567890123456789n);
    expect(valueFromPlain({ a: [1, 2] }, T.map(T.string, T.array(T.int)))).toEqual(new Map([["a", [1, 2]]]));
    expect(plainToNode(null)).toMatchObject({ kind: "scalar", type: "null" });
  });
});

describe("date text forms", () => {
  test("accept the DateUtils / DateTimeUtils forms and reject others", () => {
    expect(parseDateText("20240102")).toEqual(new LocalDate(2024, 1, 2));
    expect(parseDateText("2024.01.02")).toEqual(new LocalDate(2024, 1, 2));
    expect(parseDateText("01/02/2024")).toBeUndefined();
    expect(parseTimestampText("20240102030405")?.toString()).toBe("2024-01-02T03:04:05");
    expect(parseTimestampText("2024-01-02")).toBeUndefined();
  });
});
