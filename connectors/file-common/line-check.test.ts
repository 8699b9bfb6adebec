/**
 * The line scan on single fields: which texts pass whole (and what they become once trailing
 * zeros are cut), and which must take the decoding path. The end-to-end check that passing lines
 * print exactly what decoding prints is tests/csv-lines.test.ts; this pins the edges of each type.
 */
import { describe, expect, test } from "bun:test";
import type { DataType } from "../../src/api/index.ts";
import { lineScan } from "./line-check.ts";

/** The field's output when a one-column line of it passes the scan, else undefined. */
function scanned(type: DataType, text: string, cutDecimals = true): string | undefined {
  const scan = lineScan([type, { kind: "int" }], ",", { cutDecimals })!;
  const bytes = new Uint8Array(Buffer.from(`${text},7\n`));
  const st = Int32Array.of(0, 0, 1);
  const starts = new Int32Array(4);
  if (scan.scan(bytes, 0, bytes.length - 1, starts, st) !== bytes.length) return undefined;
  expect(st[2]).toBe(2);
  // The caller moves what is left after the last cut (see lineRows).
  if (st[0] !== st[1]) bytes.copyWithin(st[0]!, st[1]!, bytes.length);
  expect(starts[1]).toBe(st[0]! + bytes.length - st[1]!);
  const line = Buffer.from(bytes.subarray(0, starts[1])).toString("utf8");
  expect(line.endsWith(",7\n")).toBe(true);
  return line.slice(0, -3);
}

const cases: [DataType, [string, string | undefined][]][] = [
  [{ kind: "int" }, [["0", "0"], ["-7", "-7"], ["2147483647", undefined], ["999999999", "999999999"], ["-0", undefined], ["007", undefined], ["", undefined], ["+5", undefined], ["-", undefined], ["1a", undefined]]],
  [{ kind: "tinyint" }, [["99", "99"], ["100", undefined]]],
  [{ kind: "bigint" }, [["123456789012345678", "123456789012345678"], ["1234567890123456789", undefined], ["-01", undefined]]],
  [
    { kind: "decimal", precision: 10, scale: 2 },
    [["12.30", "12.3"], ["0.00", "0"], ["100.00", "100"], ["100", "100"], ["-5.50", "-5.5"], ["0.05", "0.05"], ["-0.5", "-0.5"], ["-0.00", undefined], ["-0", undefined], ["01.5", undefined], ["1.", undefined], [".5", undefined], ["1e5", undefined]],
  ],
  [
    { kind: "double" },
    [["0.5", "0.5"], ["0.50", "0.5"], ["12.00", "12.0"], ["-7.25", "-7.25"], ["0.001", "0.001"], ["0.0001", undefined], ["0.000", undefined], ["-0.0", undefined], ["12", undefined], ["1e5", undefined], ["9999999.5", "9999999.5"], ["10000000.5", undefined], ["1234567.123456789", undefined], ["1234567.12345678", "1234567.12345678"], ["00.5", undefined], ["0.", undefined]],
  ],
  [{ kind: "boolean" }, [["true", "true"], ["false", "false"], ["TRUE", undefined], ["tru", undefined], ["falsey", undefined]]],
  [{ kind: "string" }, [["plain", "plain"], ["ünï ✓", "ünï ✓"], ["a b", "a b"], ["", undefined], [" lead", undefined], ["trail ", undefined], ['a"b', undefined], ["a\rb", undefined], ["x\u007f", undefined]]],
  [
    { kind: "date" },
    [["2024-02-29", "2024-02-29"], ["2000-02-29", "2000-02-29"], ["2023-02-29", undefined], ["1900-02-29", undefined], ["2024-04-30", "2024-04-30"], ["2024-04-31", undefined], ["2024-01-31", "2024-01-31"], ["2024-13-01", undefined], ["2024-00-10", undefined], ["2024-12-00", undefined], ["0999-01-01", undefined], ["1000-01-01", "1000-01-01"], ["2024-3-5", undefined], ["2024/03/05", undefined]],
  ],
  [{ kind: "time" }, [["00:00:00", "00:00:00"], ["23:59:59", "23:59:59"], ["24:00:00", undefined], ["19:60:00", undefined], ["12:00:60", undefined], ["1:00:00", undefined]]],
  [{ kind: "timestamp" }, [["2024-02-29 23:59:59", "2024-02-29 23:59:59"], ["2024-02-29T23:59:59", undefined], ["2023-02-29 00:00:00", undefined], ["2024-01-01 24:00:00", undefined]]],
];

describe("line scan", () => {
  for (const [type, list] of cases) {
    test(`${type.kind}: canonical texts pass (trailing zeros cut), others take the decoding path`, () => {
      for (const [text, want] of list) expect([text, scanned(type, text)]).toEqual([text, want]);
    });
  }

  test("without cutDecimals a decimal with trailing zeros takes the decoding path (it keeps its scale)", () => {
    const t: DataType = { kind: "decimal", precision: 10, scale: 2 };
    expect(scanned(t, "12.30", false)).toBeUndefined();
    expect(scanned(t, "12.3", false)).toBe("12.3");
  });

  test("a block: passing lines are compacted around a failing one, which the caller skips", () => {
    const scan = lineScan([{ kind: "double" }, { kind: "string" }], ",", { cutDecimals: true })!;
    const bytes = new Uint8Array(Buffer.from("1.50,a\n2.0,b c\n3,bad\n4.25,d\n"));
    const st = Int32Array.of(0, 0, 1);
    const starts = new Int32Array(8);
    const last = bytes.length - 1;
    let p = scan.scan(bytes, 0, last, starts, st);
    expect(p).toBe(15);
    // The caller drops the failing line from the compacted bytes and scans on.
    const nl = bytes.indexOf(10, p);
    if (st[0] !== st[1]) bytes.copyWithin(st[0]!, st[1]!, p);
    st[0] = st[0]! + p - st[1]!;
    st[1] = nl + 1;
    p = scan.scan(bytes, nl + 1, last, starts, st);
    expect(p).toBe(last + 1);
    if (st[0] !== st[1]) bytes.copyWithin(st[0]!, st[1]!, last + 1);
    expect(Array.from(starts.subarray(0, st[2]))).toEqual([0, 6, 14, 21]);
    expect(Buffer.from(bytes.subarray(0, 21)).toString()).toBe("1.5,a\n2.0,b c\n4.25,d\n");
  });
});
