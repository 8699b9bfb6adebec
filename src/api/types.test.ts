import { describe, expect, test } from "bun:test";
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "./types.ts";

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
