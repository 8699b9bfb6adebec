/**
 * The byte decoder of passed lines (line-decode.ts) against the general path it stands in for:
 * the record splitter and each column's text parser (text-values.ts), on every type's edges and
 * on random lines of random schemas, delimiters, line ends and csv quoting. Only the lines the
 * scan passes (without cuts) are decoded from bytes; the test asserts that many did.
 */
import { describe, expect, test } from "bun:test";
import type { DataType } from "../../src/api/index.ts";
import { lineScan } from "./line-check.ts";
import { lineDecoder } from "./line-decode.ts";
import { RecordSplitter } from "./records.ts";
import { codecs, fieldParser } from "./text-values.ts";

const VALUES: [DataType, string[]][] = [
  [{ kind: "tinyint" }, ["0", "99", "-99", "7", "100", ""]],
  [{ kind: "smallint" }, ["9999", "-9999", "0", "-1"]],
  [{ kind: "int" }, ["0", "-7", "999999999", "-999999999", "2147483647", "007", "+5"]],
  [
    { kind: "bigint" },
    ["0", "-1", "999999999999999", "1000000000000000", "9007199254740993", "-123456789012345678", "123456789012345678"],
  ],
  [
    { kind: "decimal", precision: 38, scale: 10 },
    [
      "0",
      "12.30",
      "0.00",
      "-5.50",
      "-0.5",
      "100",
      "999999999999999",
      "9999999999999999",
      "99999999999999.9",
      "123456789012345678.1234567890",
      "-0.0000000001",
      "-0.00",
      "1e5",
    ],
  ],
  [
    { kind: "double" },
    [
      "0.5",
      "0.50",
      "12.00",
      "-7.25",
      "0.001",
      "0.00123456789012345",
      "9999999.5",
      "1234567.12345678",
      "0.1",
      "0.3",
      "2.675",
      "1.0000000000000002",
      "12",
    ],
  ],
  [{ kind: "boolean" }, ["true", "false", "TRUE"]],
  [
    { kind: "string" },
    ["plain", "ünï ✓", "a b", "tab\tinside", "back\\slash", "4-byte 𝄞", "", " lead", "exactly sixteen!"],
  ],
  [{ kind: "date" }, ["2024-02-29", "1000-01-01", "9999-12-31", "2023-02-29", "2024-3-5"]],
  [{ kind: "time" }, ["00:00:00", "23:59:59", "12:34:56", "24:00:00"]],
  [
    { kind: "timestamp" },
    [
      "2024-02-29 23:59:59",
      "2024-02-29T23:59:59",
      "2024-02-29 23:59:59.5",
      "2024-02-29 23:59:59.05",
      "2024-02-29T23:59:59.123456789",
      "2024-02-29T23:59:59.000000001",
      "2024-02-29T23:59:59.976+02:00",
      "2024-02-29 23:59:59-05:30",
      "2024-02-29T23:59:59Z",
      "1000-01-01 00:00:00",
      "2024-02-29T23:59:59.",
    ],
  ],
];

/** What the general path reads from each line of `text`: the splitter's fields, each through its column's parser. */
function reference(types: DataType[], delimiter: string, text: string, csv: boolean): unknown[][] {
  const sp = new RecordSplitter({
    mode: csv ? "csv" : "text",
    fieldDelimiter: delimiter,
    rowDelimiter: "\n",
    skipLines: 0,
  });
  sp.feed(text, true);
  const c = codecs({ dateFormat: "yyyy-MM-dd", datetimeFormat: "yyyy-MM-dd HH:mm:ss", timeFormat: "HH:mm:ss" });
  const parsers = types.map((t) => fieldParser(t, c));
  const rows: unknown[][] = [];
  for (let rec = sp.next(); rec; rec = sp.next()) {
    rows.push(
      rec.map((f, i) => {
        if (types[i]!.kind === "string" && csv) {
          return f === "" && !(sp.anyQuoted && sp.quoted[i]) ? null : f;
        }
        try {
          return parsers[i]!(f);
        } catch {
          return "(fails)";
        }
      }),
    );
  }
  return rows;
}

/**
 * Scans `text` as the reader does (a failing line leaves the compacted bytes) and decodes the
 * passing lines from their bytes: per line of `text`, its values, or undefined where it failed.
 */
function decoded(types: DataType[], delimiter: string, text: string, csv: boolean): (unknown[] | undefined)[] {
  const scan = lineScan(types, delimiter, { cutDecimals: false, csv })!;
  const decoder = lineDecoder(types, delimiter)!;
  const b = new Uint8Array(Buffer.from(text, "utf8"));
  const st = Int32Array.of(0, 0, 1, 0);
  const starts = new Int32Array(b.length + 2);
  const last = b.lastIndexOf(10);
  const out: (unknown[] | undefined)[] = [];
  for (let p = 0; p <= last; ) {
    p = scan.scan(b, p, last, starts, st);
    // The reader moves the passed lines' bytes into place before it decodes them.
    b.copyWithin(st[0]!, st[1]!, p);
    st[0] = st[0]! + p - st[1]!;
    st[1] = p;
    decoder.lines(b, starts, out.length - out.filter((x) => x === undefined).length, st[2]! - 1, (f) => out.push(f));
    if (p > last) {
      break;
    }
    out.push(undefined);
    p = b.indexOf(10, p) + 1;
    st[1] = p;
  }
  return out;
}

describe("line decode", () => {
  for (const [type, texts] of VALUES) {
    test(`${type.kind}: every passing text decodes to what the general path reads`, () => {
      const types: DataType[] = [type, { kind: "int" }];
      const text = texts.map((t) => `${t},7\n`).join("");
      const want = reference(types, ",", text, true);
      const got = decoded(types, ",", text, true);
      expect(got.length).toBe(want.length);
      const passed = got.flatMap((r, i) => (r === undefined ? [] : [[r, want[i]]]));
      expect(passed.map(([r]) => r)).toEqual(passed.map(([, w]) => w));
      expect(passed.length).toBeGreaterThan(texts.length / 2);
    });
  }

  test("values are exact: 16-digit integers and decimals, doubles rounded once, nanoseconds", () => {
    const types: DataType[] = [
      { kind: "bigint" },
      { kind: "decimal", precision: 38, scale: 10 },
      { kind: "double" },
      { kind: "timestamp" },
    ];
    const [row] = decoded(
      types,
      "|",
      "9007199254740993|123456789012345678.1234567890|0.3|2024-01-01T00:00:00.000000001Z\n",
      false,
    );
    expect(row![0]).toBe(9007199254740993n);
    expect(String(row![1])).toBe("123456789012345678.1234567890");
    expect(row![2]).toBe(0.3);
    expect((row![3] as { time: { nano: number } }).time.nano).toBe(1);
  });

  test("100,000 random doubles of the scan's shapes decode to what Number reads", () => {
    let seed = 99;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
    const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join("");
    const texts = Array.from({ length: 100_000 }, () => {
      const sign = rnd(2) ? "-" : "";
      if (rnd(4) === 0) {
        return `${sign}0.${"0".repeat(rnd(3))}${1 + rnd(9)}${digits(rnd(14))}`;
      }
      const int = `${1 + rnd(9)}${digits(rnd(7))}`;
      return `${sign}${int}.${digits(1 + rnd(15 - int.length))}`;
    });
    const got = decoded([{ kind: "double" }], ",", texts.map((t) => `${t}\n`).join(""), false);
    let compared = 0;
    got.forEach((r, i) => {
      if (r !== undefined) {
        expect([texts[i], r[0]]).toEqual([texts[i], Number(texts[i])]);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(80_000);
  });

  test("random lines of random schemas, delimiters, line ends and quoting decode as the general path reads them", () => {
    let seed = 4242;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
    let passed = 0;
    let lines = 0;
    for (let s = 0; s < 80; s++) {
      const types = Array.from({ length: 1 + rnd(12) }, () => VALUES[rnd(VALUES.length)]![0]);
      const delimiter = [",", "|", "\t", ";"][rnd(4)]!;
      const csv = rnd(2) === 0;
      const eol = rnd(3) === 0 ? "\r\n" : "\n";
      const texts = Array.from({ length: 60 }, () =>
        types
          .map((t) => {
            const list = VALUES.find(([x]) => x === t)![1];
            const v = list[rnd(list.length)]!;
            // A delimiter inside a value would split it: such values stay out of this schema.
            const plain = v.includes(delimiter) ? "x" : v;
            return csv && plain !== "" && rnd(4) === 0 ? `"${plain}"` : plain;
          })
          .join(delimiter),
      );
      const text = texts.map((t) => t + eol).join("");
      const want = reference(types, delimiter, text, csv);
      const got = decoded(types, delimiter, text, csv);
      // A line of one empty field is blank: the splitter skips it, the scan fails it.
      if (want.length !== got.length) {
        continue;
      }
      got.forEach((r, i) => {
        if (r !== undefined) {
          expect([i, r]).toEqual([i, want[i]!]);
          passed++;
        }
      });
      lines += got.length;
    }
    expect(lines).toBeGreaterThan(3000);
    expect(passed).toBeGreaterThan(lines / 8);
  });
});
