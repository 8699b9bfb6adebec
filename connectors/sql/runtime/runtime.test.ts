import { describe, expect, test } from "bun:test";
import { Decimal, LocalDateTime, T } from "../../../src/api/index.ts";
import { parseQuery } from "../parser.ts";
import { compileQuery } from "../plan.ts";
import { table } from "../test-helpers.ts";
import { makeCast } from "./cast.ts";
import { formatTemporal, parseTemporal } from "./datetime-format.ts";
import { decDiv, decimalOfDouble, decRem, decSetScale, roundDouble } from "./decimal.ts";
import { intValue, JavaError, javaStr, longValue, parseJavaDouble, parseJavaInt } from "./java.ts";
import { javaRegex, javaReplaceAll } from "./regex.ts";
import { atZone, zoneOf } from "./zone.ts";

const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof JavaError ? e.describe() : String(e);
  }
  return "no error";
};

describe("java semantics", () => {
  test("intValue and longValue narrow like Java casts", () => {
    expect(intValue(3.9)).toBe(3);
    expect(intValue(-3.9)).toBe(-3);
    expect(intValue(1e20)).toBe(2147483647);
    expect(intValue(Number.NaN)).toBe(0);
    expect(intValue(4294967297n)).toBe(1);
    expect(longValue(new Decimal(-1999n, 3))).toBe(-1n);
  });

  test("String.valueOf prints doubles and floats as Java does", () => {
    expect(javaStr(1, T.double)).toBe("1.0");
    expect(javaStr(1e-5, T.double)).toBe("1.0E-5");
    expect(javaStr(Math.fround(0.1), T.float)).toBe("0.1");
    expect(javaStr(LocalDateTime.parse("2021-01-01T10:00"), T.timestamp)).toBe("2021-01-01T10:00");
  });

  test("parseInt and parseDouble accept what Java accepts and name the input otherwise", () => {
    expect(parseJavaInt("+12")).toBe(12);
    expect(err(() => parseJavaInt("1.0"))).toBe('java.lang.NumberFormatException: For input string: "1.0"');
    expect(err(() => parseJavaInt("2147483648"))).toBe(
      'java.lang.NumberFormatException: For input string: "2147483648"',
    );
    expect(parseJavaDouble(" 1e3d ")).toBe(1000);
    expect(parseJavaDouble("-Infinity")).toBe(-Infinity);
    expect(err(() => parseJavaDouble(""))).toBe("java.lang.NumberFormatException: empty String");
  });
});

describe("BigDecimal", () => {
  test("valueOf(double) keeps Double.toString's digits", () => {
    expect(String(decimalOfDouble(0.1))).toBe("0.1");
    expect(String(decimalOfDouble(100))).toBe("100.0");
  });

  test("divides with a rounding mode and keeps the remainder's sign", () => {
    expect(String(decDiv(new Decimal(1n, 0), new Decimal(3n, 0), 4, "UP"))).toBe("0.3334");
    expect(String(decDiv(new Decimal(-1n, 0), new Decimal(3n, 0), 2, "HALF_UP"))).toBe("-0.33");
    expect(String(decRem(new Decimal(-130n, 1), new Decimal(54n, 1)))).toBe("-2.2");
    expect(String(decSetScale(new Decimal(-125n, 2), 1, "HALF_EVEN"))).toBe("-1.2");
    expect(err(() => decDiv(new Decimal(1n, 0), new Decimal(0n, 0), 2, "UP"))).toContain("ArithmeticException");
  });

  test("rounds doubles through their decimal digits, exactly like setScale on valueOf", () => {
    expect(roundDouble(1.005, 2, "HALF_UP")).toBe(1.01);
    expect(roundDouble(2.675, 2, "HALF_UP")).toBe(2.68);
    expect(roundDouble(-0.0001, 2, "HALF_UP")).toBe(0);
    expect(roundDouble(123.456, -1, "HALF_UP")).toBe(120);
    expect(roundDouble(1e22, 2, "DOWN")).toBe(1e22);
    for (let i = 0; i < 2000; i++) {
      const d = Math.round((Math.random() - 0.5) * 1e7) / 1000;
      expect(roundDouble(d, 2, "HALF_UP")).toBe(decSetScale(decimalOfDouble(d), 2, "HALF_UP").toNumber());
    }
  });
});

describe("castAs", () => {
  test("turns a value equal to the target's name into NULL and keeps NULL", () => {
    expect(makeCast("STRING", T.string, T.string)("STRING")).toBe(null);
    expect(makeCast("INT", T.int, T.string)(null)).toBe(null);
  });

  test("rounds DECIMAL targets with CEILING", () => {
    expect(String(makeCast("DECIMAL", T.decimal(10, 1), T.double)(-1.25))).toBe("-1.2");
    expect(String(makeCast("DECIMAL", T.decimal(10, 1), T.double)(1.21))).toBe("1.3");
  });
});

describe("java.time patterns", () => {
  const t = LocalDateTime.parse("2021-04-08T09:04:05.007");
  test("formats numbers, text, fractions and quoted literals", () => {
    expect(formatTemporal(t, "yyyy/M/d H:m:s.SSS")).toBe("2021/4/8 9:4:5.007");
    expect(formatTemporal(t, "dd MMMM uuuu, EEEE 'at' hh a")).toBe("08 April 2021, Thursday at 09 AM");
    expect(formatTemporal(t, "yy''MM")).toBe("21'04");
    expect(formatTemporal(t, "D DDD Q")).toBe("98 098 2");
  });

  test("parses adjacent fixed-width fields, optional sections and text, validating ranges", () => {
    expect(String(parseTemporal("2021040809", "yyyyMMddHH", "datetime"))).toBe("2021-04-08T09:00");
    expect(String(parseTemporal("2021-04-08", "yyyy-MM-dd[ HH:mm]", "date"))).toBe("2021-04-08");
    expect(String(parseTemporal("08 Apr 2021 01:02 PM", "dd MMM yyyy hh:mm a", "datetime"))).toBe("2021-04-08T13:02");
    expect(String(parseTemporal("2021-02-31", "yyyy-MM-dd", "date"))).toBe("2021-02-28");
    expect(err(() => parseTemporal("2021-04-08 25:00", "yyyy-MM-dd HH:mm", "datetime"))).toContain(
      "Invalid value for HourOfDay (valid values 0 - 23): 25",
    );
    expect(err(() => parseTemporal("Fri 2021-04-08", "EEE yyyy-MM-dd", "date"))).toContain("Conflict found");
  });
});

describe("regex and zones", () => {
  test("reads Java patterns and replacement strings", () => {
    expect(javaRegex("(?i)abc").test("ABC")).toBe(true);
    expect(javaRegex("\\Qa.b\\E").test("axb")).toBe(false);
    expect(javaRegex("\\p{Upper}+").test("ABC")).toBe(true);
    expect(javaReplaceAll("a1b22", "(\\d+)", "<$1>", "")).toBe("a<1>b<22>");
    expect(javaReplaceAll("a.b", "\\.", "\\$", "")).toBe("a$b");
    expect(err(() => javaReplaceAll("ab", "(a)", "$2", ""))).toContain("No group 2");
  });

  test("resolves offset and region zone ids and rejects unknown ones", () => {
    expect(String(atZone(0, zoneOf("UTC+8")))).toBe("1970-01-01T08:00");
    expect(String(atZone(0, zoneOf("GMT-05:30")))).toBe("1969-12-31T18:30");
    expect(String(atZone(0, zoneOf("Europe/Paris")))).toBe("1970-01-01T01:00");
    expect(err(() => zoneOf("UTC+99"))).toContain("Invalid ID for offset-based ZoneId: UTC+99");
  });
});

describe("generated code", () => {
  test("compiles the whole query into one loop over the batch with no per-row closures", () => {
    const stmt = parseQuery(
      "select id, upper(name) as n, case when id > 1 then 'a' else 'b' end as c from fake where id > 0 and name like 'J%'",
    );
    const q = compileQuery(stmt, table({ id: "int", name: "string" }));
    expect(q.source).toContain("for (i = 0; i < batch.length; i++)");
    expect(q.source).not.toContain("=>");
    expect(q.source).not.toContain("function (");
    expect(
      q.process([
        { kind: 0, table: "fake", fields: [2, "Jo"] },
        { kind: 0, table: "fake", fields: [0, "Jo"] },
      ]),
    ).toEqual([{ kind: 0, table: "fake", fields: [2, "JO", "a"] }]);
  });
});
