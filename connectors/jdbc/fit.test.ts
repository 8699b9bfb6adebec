import { describe, expect, test } from "bun:test";
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";
import { bytesFit, charsFit, decimalFit, doubleFit, fractionFit } from "./fit.ts";

const d = (s: string) => Decimal.parse(s);

describe("value fits", () => {
  test("a decimal fits numeric(p,s) by its digits, trailing zeros of the fraction aside", () => {
    const fit = decimalFit(10, 2, "numeric(10,2)");
    expect(["12.34", "12.340", "-99999999.99", "99999999.990000", "0", "0.000"].map((x) => fit(d(x)))).toEqual(
      Array(6).fill(undefined),
    );
    expect(fit(d("12.345"))).toBe("has 3 fraction digits; numeric(10,2) holds 2");
    expect(fit(d("100000000"))).toBe("has 9 integer digits; numeric(10,2) holds 8");
    expect(fit(d("-100000000.00"))).toBe("has 9 integer digits; numeric(10,2) holds 8");
  });

  test("characters are counted as code points, bytes as UTF-8; BINARY(n) takes exactly n", () => {
    expect(charsFit(2, "varchar(2)")("😀😀")).toBeUndefined();
    expect(charsFit(2, "varchar(2)")("ab ")).toBe("has 3 characters; varchar(2) holds 2");
    expect(bytesFit(4, "TINYTEXT")("😀")).toBeUndefined();
    expect(bytesFit(3, "TINYTEXT")("😀")).toBe("has 4 bytes; TINYTEXT holds 3");
    expect(bytesFit(4, "binary(4)", true)(new Uint8Array(2))).toBe(
      "has 2 bytes; binary(4) pads it with zero bytes to 4",
    );
  });

  test("a time keeps the fraction digits its column has", () => {
    const fit = fractionFit(3, "datetime(3)");
    const at = (nano: number) => new LocalDateTime(new LocalDate(2020, 1, 1), new LocalTime(0, 0, 0, nano));
    expect(fit(at(123_000_000))).toBeUndefined();
    expect(fit(at(123_400_000))).toBe("has 4 fraction digits of a second; datetime(3) keeps 3");
    expect(fit(new LocalTime(0, 0, 0, 1))).toBe("has 9 fraction digits of a second; datetime(3) keeps 3");
  });

  test("an 8-byte float column takes a decimal or an integer only when it is exactly a double", () => {
    const fit = doubleFit("REAL");
    expect([d("12.30"), d("0.1"), d("1e300"), 9007199254740992n].map(fit)).toEqual(Array(4).fill(undefined));
    expect(fit(d("0.12345678901234567890"))).toContain("is not exact as the 8-byte float REAL stores");
    expect(fit(9007199254740993n)).toContain("is not exact as the 8-byte float REAL stores");
  });
});

describe("fits on a field's bytes", () => {
  const enc = new TextEncoder();
  /** The byte check never says a value fits that the value check refuses. */
  const agrees = (fit: ReturnType<typeof decimalFit>, text: string, value: unknown, byBytes: boolean) => {
    const b = enc.encode(`x,${text},y`);
    expect([text, fit.bytes!(b, 2, b.length - 2)]).toEqual([text, byBytes]);
    if (byBytes) {
      expect([text, fit(value)]).toEqual([text, undefined]);
    }
  };

  test("decimal digits: leading and trailing zeros aside; anything but a plain decimal is left to the value", () => {
    const f = decimalFit(4, 2, "numeric(4,2)");
    for (const [t, ok] of [
      ["12.5", true],
      ["-99.99", true],
      ["007.50", true],
      ["0.00", true],
      ["12", true],
      ["123.5", false],
      ["1.234", false],
      ["1.230", true],
      ["1e2", false],
      ["-", false],
      [".5", false],
      ["5.", true],
    ] as const) {
      agrees(f, t, ok ? Decimal.parse(t) : undefined, ok);
    }
  });

  test("characters: bytes within the length fit; more bytes leave the value to tell", () => {
    const f = charsFit(3, "varchar(3)");
    agrees(f, "abc", "abc", true);
    agrees(f, "héé", "héé", false);
    expect(f("héé")).toBeUndefined();
    agrees(f, "abcd", "abcd", false);
  });

  test("fraction digits of a timestamp's text", () => {
    const f = fractionFit(2, "timestamp(2)");
    const ts = (nano: number) => new LocalDateTime(new LocalDate(2024, 1, 1), new LocalTime(1, 2, 3, nano));
    agrees(f, "2024-01-01 01:02:03", ts(0), true);
    agrees(f, "2024-01-01 01:02:03.12", ts(120_000_000), true);
    agrees(f, "2024-01-01 01:02:03.120000", ts(120_000_000), true);
    agrees(f, "2024-01-01 01:02:03.125", ts(125_000_000), false);
  });
});
