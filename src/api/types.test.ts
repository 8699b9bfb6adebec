import { describe, expect, test } from "bun:test";
import { Decimal, LocalDate, LocalDateTime, LocalTime, parseType, T, typeToString } from "./types.ts";

describe("LocalDate", () => {
  test("epoch days round-trip for years before 100, around 1970 and on leap days", () => {
    for (const d of [
      new LocalDate(1, 1, 1),
      new LocalDate(99, 12, 31),
      new LocalDate(1969, 12, 31),
      new LocalDate(1970, 1, 1),
      new LocalDate(2024, 2, 29),
    ]) {
      expect(LocalDate.fromEpochDay(d.toEpochDay()).toString()).toBe(d.toString());
    }
    expect(new LocalDate(1970, 1, 2).toEpochDay()).toBe(1);
  });
});

describe("LocalDateTime", () => {
  test("keeps microseconds through epoch micros and prints like Java", () => {
    const ts = LocalDateTime.parse("2024-01-02 03:04:05.123456");
    expect(LocalDateTime.fromEpochMicros(ts.toEpochMicros()).toString()).toBe("2024-01-02T03:04:05.123456");
    expect(new LocalDateTime(new LocalDate(2024, 1, 1), new LocalTime(10, 0)).toString()).toBe("2024-01-01T10:00");
  });
});

describe("Decimal", () => {
  test("keeps scale and rounds half up", () => {
    expect(Decimal.parse("1.50").toString()).toBe("1.50");
    expect(Decimal.parse("2.345").setScale(2).toString()).toBe("2.35");
    expect(Decimal.parse("-2.345").setScale(2).toString()).toBe("-2.35");
    expect(Decimal.parse("12345678901234567890.12").precision()).toBe(22);
  });
});

describe("parseType", () => {
  test("reads SeaTunnel's type names and aliases and prints SeaTunnel's toString", () => {
    expect(typeToString(parseType("decimal(10, 2)"))).toBe("Decimal(10, 2)");
    expect(typeToString(parseType("map<string, array<int>>"))).toBe("Map<STRING, ARRAY<INT>>");
    expect(typeToString(parseType("long"))).toBe("BIGINT");
    expect(() => parseType("decimal")).toThrow(/precision and scale/);
  });
});

describe("parseType: rows written as text", () => {
  test("a map's value may be a row, as SeaTunnel job files write it", () => {
    expect(typeToString(parseType("map<string, {c_int = int, c_string = string}>"))).toBe(
      "Map<STRING, ROW<c_int INT,c_string STRING>>",
    );
    expect(typeToString(parseType("map<decimal(10, 2), {a = int}>"))).toBe("Map<Decimal(10, 2), ROW<a INT>>");
  });

  test("a type string starting with { is a row: = or :, commas or new lines, quoted types, nested rows", () => {
    expect(parseType('{ Name = string, "amount": "decimal(10, 2)"\n inner { x = bigint } }')).toEqual({
      kind: "row",
      fields: [
        { name: "Name", type: T.string },
        { name: "amount", type: T.decimal(10, 2) },
        { name: "inner", type: { kind: "row", fields: [{ name: "x", type: T.bigint }] } },
      ],
    });
  });

  test("a malformed row or a row inside an array fails with the field named", () => {
    expect(() => parseType("{a = int", "r")).toThrow('field "r": a row type is written { name = type, ... }');
    expect(() => parseType("{a}", "r")).toThrow('"a" has no type');
    expect(() => parseType("{a = intt}", "r")).toThrow('field "a": expected a data type');
    expect(() => parseType("array<{a = int}>", "r")).toThrow("array elements must be string, boolean");
  });
});
