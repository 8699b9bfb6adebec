import { describe, expect, test } from "bun:test";
import { LocalDate, LocalDateTime, LocalTime, T, typeToString } from "../../../src/api/index.ts";
import { evaluate, planError, runtimeError, value } from "../test-helpers.ts";

const c1 = LocalDateTime.parse("2021-04-15T13:34:45");
const c2 = LocalDateTime.parse("2022-01-23T12:34:56");
const c3 = LocalDateTime.parse("2021-04-15T13:34:45.235");
const ts = { ts: "timestamp" };
const at = (expr: string, t: unknown = c3): string => String(value(expr, ts, [t]));
const pair = (expr: string): unknown => value(expr, { a: "timestamp", b: "timestamp" }, [c1, c2]);

describe("date and time functions: clock and arithmetic", () => {
  test("CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP and NOW read the local clock", () => {
    expect(evaluate("current_date").type).toEqual(T.date);
    expect(evaluate("current_time()").type).toEqual(T.time);
    expect(evaluate("current_timestamp").value).toBeInstanceOf(LocalDateTime);
    const now = evaluate("now()").value as LocalDateTime;
    expect(now.date.year).toBe(new Date().getFullYear());
  });

  test("DATEADD/TIMESTAMPADD add units (DAY by default) and keep the value's type", () => {
    expect(at("dateadd(ts, 1)", c1)).toBe("2021-04-16T13:34:45");
    expect(at("dateadd(ts, 40, 'DAY')", c1)).toBe("2021-05-25T13:34:45");
    expect(at("dateadd(ts, 2, 'YEAR')", c1)).toBe("2023-04-15T13:34:45");
    expect(at("dateadd(ts, 10, 'MONTH')", c1)).toBe("2022-02-15T13:34:45");
    expect(at("timestampadd(ts, 13, 'HOUR')", c1)).toBe("2021-04-16T02:34:45");
    expect(at("dateadd(ts, 40, 'minute')", c1)).toBe("2021-04-15T14:14:45");
    expect(at("dateadd(ts, 30, 'SECOND')", c1)).toBe("2021-04-15T13:35:15");
    expect(at("dateadd(ts, -1, 'WEEK')", c1)).toBe("2021-04-08T13:34:45");
    expect(String(value("dateadd(d, 1, 'MONTH')", { d: "date" }, [new LocalDate(2024, 1, 31)]))).toBe("2024-02-29");
    expect(String(value("dateadd(d, 5, 'HOUR')", { d: "date" }, [new LocalDate(2024, 1, 31)]))).toBe("2024-01-31");
    expect(String(value("dateadd(t, 2, 'HOUR')", { t: "time" }, [new LocalTime(23, 0)]))).toBe("01:00");
    expect(typeToString(evaluate("dateadd(d, 1)", { d: "date" }, [new LocalDate(2024, 1, 1)]).type)).toBe("DATE");
    expect(runtimeError("dateadd(ts, 1, 'FORTNIGHT')", ts, [c1])).toContain(
      "Unsupported dateTimeField: FORTNIGHT for function: DATEDIFF",
    );
  });

  test("DATEDIFF counts whole units from the first to the second value", () => {
    expect(pair("datediff(a, b)")).toBe(283n);
    expect(pair("datediff(a, b, 'DAY')")).toBe(283n);
    expect(pair("datediff(a, b, 'YEAR')")).toBe(0n);
    expect(pair("datediff(a, b, 'MONTH')")).toBe(9n);
    expect(pair("datediff(a, b, 'HOUR')")).toBe(6791n);
    expect(pair("datediff(a, b, 'MINUTE')")).toBe(407460n);
    expect(pair("datediff(a, b, 'SECOND')")).toBe(24447611n);
    expect(pair("datediff(a, b, 'WEEK')")).toBe(40n);
    expect(pair("datediff(b, a, 'DAY')")).toBe(-283n);
    expect(value("datediff(a, b, 'HOUR')", { a: "date", b: "date" }, [new LocalDate(2021, 1, 1), null])).toBe(null);
    expect(
      runtimeError("datediff(a, b, 'HOUR')", { a: "date", b: "date" }, [
        new LocalDate(2021, 1, 1),
        new LocalDate(2021, 1, 2),
      ]),
    ).toContain("Unsupported unit: Seconds");
  });

  test("DATE_TRUNC truncates a timestamp and drops the fraction", () => {
    expect(at("date_trunc(ts, 'YEAR')")).toBe("2021-01-01T00:00");
    expect(at("date_trunc(ts, 'MONTH')")).toBe("2021-04-01T00:00");
    expect(at("date_trunc(ts, 'DAY')")).toBe("2021-04-15T00:00");
    expect(at("date_trunc(ts, 'HOUR')")).toBe("2021-04-15T13:00");
    expect(at("date_trunc(ts, 'MINUTE')")).toBe("2021-04-15T13:34");
    expect(at("date_trunc(ts, 'SECOND')")).toBe("2021-04-15T13:34:45");
    expect(runtimeError("date_trunc(d, 'DAY')", { d: "date" }, [new LocalDate(2021, 1, 1)])).toContain(
      "ClassCastException",
    );
  });
});

describe("date and time functions: calendar fields", () => {
  test("DAYNAME, MONTHNAME and the calendar fields", () => {
    expect(at("dayname(ts)")).toBe("Thursday");
    expect(at("monthname(ts)")).toBe("April");
    expect(at("day_of_week(ts)")).toBe("4");
    expect(at("day_of_year(ts)")).toBe("105");
    expect(at("day_of_month(ts)")).toBe("15");
    expect(at("month(ts)")).toBe("4");
    expect(at("year(ts)")).toBe("2021");
    expect(at("quarter(ts)")).toBe("2");
    expect(at("hour(ts)")).toBe("13");
    expect(at("minute(ts)")).toBe("34");
    expect(at("second(ts)")).toBe("45");
    expect(value("hour(t)", { t: "time" }, [new LocalTime(7, 5)])).toBe(7);
    expect(value("year(d)", { d: "date" }, [null])).toBe(null);
    expect(runtimeError("hour(d)", { d: "date" }, [new LocalDate(2021, 1, 1)])).toContain("NullPointerException");
  });

  test("WEEK is the ISO week-of-year plus one, as SeaTunnel computes it", () => {
    expect(at("week(ts)", LocalDateTime.parse("2021-04-08T13:34:45"))).toBe("15");
    expect(at("week(ts)", LocalDateTime.parse("2021-01-01T00:00"))).toBe("1");
    expect(at("week(ts)", LocalDateTime.parse("2024-01-01T00:00"))).toBe("2");
    expect(at("week(ts)", LocalDateTime.parse("2020-12-31T00:00"))).toBe("54");
  });

  test("EXTRACT reads a field, NULL when the value has no such part", () => {
    const fields: [string, number][] = [
      ["YEAR", 2021],
      ["MONTH", 4],
      ["DAY", 15],
      ["HOUR", 13],
      ["MINUTE", 34],
      ["SECOND", 45],
      ["MILLISECOND", 235],
      ["DAYOFWEEK", 4],
      ["DAYOFYEAR", 105],
    ];
    for (const [f, n] of fields) {
      expect(value(`extract(${f} from ts)`, ts, [c3])).toBe(n);
    }
    expect(value("extract(hour from d)", { d: "date" }, [new LocalDate(2021, 1, 1)])).toBe(null);
    expect(runtimeError("extract(epoch from ts)", ts, [c3])).toContain(
      "Unsupported dateTimeField: epoch for function: EXTRACT",
    );
  });
});

describe("date and time functions: formatting and parsing", () => {
  test("FORMATDATETIME formats with java.time patterns", () => {
    const c4 = LocalDateTime.parse("2021-04-08T13:34:45.235");
    expect(value("formatdatetime(ts, 'yyyy-MM-dd HH:mm:ss.S')", ts, [c4])).toBe("2021-04-08 13:34:45.2");
    expect(value("formatdatetime(ts, 'yyyy-MM-dd')", ts, [c4])).toBe("2021-04-08");
    expect(value("formatdatetime(ts, 'HH:mm:ss.SSS')", ts, [c4])).toBe("13:34:45.235");
    expect(value("formatdatetime(ts, 'EEE, d MMM yy hh:mm a')", ts, [c4])).toBe("Thu, 8 Apr 21 01:34 PM");
    expect(runtimeError("formatdatetime(d, 'HH')", { d: "date" }, [new LocalDate(2021, 1, 1)])).toContain(
      "Unsupported field: HourOfDay",
    );
    expect(runtimeError("formatdatetime(ts, 'yyyy-bb')", ts, [c4])).toContain("Unknown pattern letter: b");
  });

  test("PARSEDATETIME/TO_DATE type their result from the format: yy and mm → TIMESTAMP, yy → DATE, mm → TIME", () => {
    expect(
      evaluate("parsedatetime(s, 'yyyy-MM-dd HH:mm:ss.SSS')", { s: "string" }, ["2021-04-08 13:34:45.235"]),
    ).toEqual({ value: LocalDateTime.parse("2021-04-08T13:34:45.235"), type: T.timestamp });
    expect(evaluate("to_date(s, 'yyyy-MM-dd')", { s: "string" }, ["2021-04-08"])).toEqual({
      value: new LocalDate(2021, 4, 8),
      type: T.date,
    });
    expect(evaluate("to_date(s, 'HH:mm')", { s: "string" }, ["13:05"])).toEqual({
      value: new LocalTime(13, 5),
      type: T.time,
    });
    expect(evaluate("to_date(s, 'yyyyMMddHHmmss')", { s: "string" }, ["20210408133445"]).value).toEqual(
      LocalDateTime.parse("2021-04-08T13:34:45"),
    );
    expect(value("to_date(s, 'yyyy-MM-dd')", { s: "string" }, [null])).toBe(null);
    expect(planError("select to_date(s, 'dd.MM') from fake", { s: "string" })).toBe(
      "transform Sql: Unknown pattern letter 'dd.MM' for function: to_date",
    );
    expect(runtimeError("to_date(s, 'yyyy-MM-dd')", { s: "string" }, ["2021/04/08"])).toContain(
      "DateTimeParseException: Text '2021/04/08' could not be parsed at index 4",
    );
  });

  test("IS_DATE tells whether a string parses", () => {
    expect(value("is_date(s, 'yyyy-MM-dd HH:mm:ss.SSS')", { s: "string" }, ["2021-04-08 13:34:45.235"])).toBe(true);
    expect(value("is_date(s, 'yyyy-MM-dd')", { s: "string" }, ["2021-13-08"])).toBe(false);
    expect(value("is_date(s, 'yyyy-MM-dd')", { s: "string" }, [null])).toBe(false);
    expect(value("is_date(s, 'yyyy-MM-dd')", { s: "string" }, [""])).toBe(false);
  });

  test("FROM_UNIXTIME formats epoch seconds in a zone (the system zone by default)", () => {
    expect(value("from_unixtime(t, 'yyyy-MM-dd HH:mm:ss', 'UTC+8')", { t: "bigint" }, [1672502400n])).toBe(
      "2023-01-01 00:00:00",
    );
    expect(value("from_unixtime(t, 'yyyy-MM-dd HH:mm:ss', 'Asia/Kolkata')", { t: "bigint" }, [0n])).toBe(
      "1970-01-01 05:30:00",
    );
    expect(value("from_unixtime(t, 'yyyy-MM-dd HH:mm', '-03:00')", { t: "int" }, [0])).toBe("1969-12-31 21:00");
    const local = new Date(1672502400 * 1000);
    expect(value("from_unixtime(t, 'HH')", { t: "bigint" }, [1672502400n])).toBe(
      String(local.getHours()).padStart(2, "0"),
    );
    expect(value("from_unixtime(t, 'HH')", { t: "bigint" }, [null])).toBe(null);
    expect(runtimeError("from_unixtime(t, 'HH', 'Mars/Base')", { t: "bigint" }, [0n])).toContain(
      "Unknown time-zone ID: Mars/Base",
    );
  });
});
