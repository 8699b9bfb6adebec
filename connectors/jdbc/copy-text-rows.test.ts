/**
 * The csv reader's text rows (file-common/text-rows.ts) as the PostgreSQL COPY writer takes them:
 * every text kept as it is must give, as COPY text, exactly what the decoded value gives.
 */
import { describe, expect, test } from "bun:test";
import { type DataType, Decimal, T } from "../../src/api/index.ts";
import { TextRows } from "../file-common/text-rows.ts";
import { codecs, fieldParser } from "../file-common/text-values.ts";
import { copyLine } from "./pgtext.ts";
import { fieldValue, type LazyRow, rawCopyLine } from "../common/source-text.ts";

const c = codecs({ dateFormat: "yyyy-MM-dd", datetimeFormat: "yyyy-MM-dd HH:mm:ss", timeFormat: "HH:mm:ss" });

function rowsFor(types: DataType[]): TextRows {
  const t = TextRows.create(
    types,
    c,
    types.map((x) => fieldParser(x, c)),
  );
  if (!t) {
    throw new Error("no text rows");
  }
  return t;
}

/** Every text the check keeps must give, as COPY text, exactly what the decoded value gives. */
function agree(type: DataType, texts: string[]): { kept: string[]; refused: string[] } {
  const t = rowsFor([type]);
  const parse = fieldParser(type, c);
  const kept: string[] = [];
  const refused: string[] = [];
  for (const s of texts) {
    if (!t.accepts(0, s)) {
      refused.push(s);
      continue;
    }
    kept.push(s);
    const row = t.row("t", [s]);
    const line = rawCopyLine(row);
    expect(`${line}\n`).toBe(copyLine([parse(s)]));
    // Decoding the text row gives the eager value.
    expect((row as LazyRow).fields).toEqual([parse(s)]);
  }
  return { kept, refused };
}

describe("csv text rows", () => {
  test("integers: canonical text is kept, anything String(value) would not print back is decoded", () => {
    const r = agree(T.int, [
      "0",
      "7",
      "-7",
      "2147483647",
      "-2147483648",
      "007",
      "+5",
      "-0",
      "2147483648",
      "1e3",
      "12a",
      " 5",
    ]);
    expect(r.kept).toEqual(["0", "7", "-7", "2147483647", "-2147483648"]);
    expect(r.refused).toEqual(["007", "+5", "-0", "2147483648", "1e3", "12a", " 5"]);
    expect(agree(T.tinyint, ["127", "-128", "128"]).refused).toEqual(["128"]);
    expect(agree(T.bigint, ["123456789012345678", "1234567890123456789"]).refused).toEqual(["1234567890123456789"]);
  });

  test("decimals keep their written scale; doubles only where the shortest form is the text", () => {
    const d = agree(T.decimal(12, 2), ["12.30", "-0.50", "0", "0.00", "100", "-0.00", "01.5", "1.", ".5", "1e3", "-"]);
    expect(d.kept).toEqual(["12.30", "-0.50", "0", "0.00", "100"]);
    const x = agree(T.double, [
      "12.345",
      "0.5",
      "10",
      "0",
      "0.000001",
      "123456789012345",
      "12.50",
      "0.0000001",
      "1234567890123456",
      "-0",
      "1e5",
      "-3.25",
    ]);
    expect(x.kept).toEqual(["12.345", "0.5", "10", "0", "0.000001", "123456789012345", "-3.25"]);
  });

  test("booleans follow Java's parseBoolean; dates and times must be real and in the default pattern", () => {
    expect(agree(T.boolean, ["true", "TRUE", "false", "yes", "1"]).kept).toHaveLength(5);
    expect(agree(T.date, ["2024-02-29", "2023-02-29", "2024-13-01", "2024-1-01", "0999-01-01"]).kept).toEqual([
      "2024-02-29",
    ]);
    expect(agree(T.time, ["23:59:59", "24:00:00", "1:02:03"]).kept).toEqual(["23:59:59"]);
  });

  test("random numeric text agrees with the decoded path wherever it is kept", () => {
    let seed = 42;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const chars = "0123456789-.e+ ";
    const texts = Array.from({ length: 20000 }, () =>
      Array.from({ length: 1 + rnd(12) }, () => chars[rnd(rnd(4) === 0 ? chars.length : 11)]).join(""),
    );
    for (const type of [T.int, T.bigint, T.decimal(20, 4), T.double, T.smallint]) {
      const r = agree(
        type,
        texts.filter((s) => s.trim() !== ""),
      );
      expect(r.kept.length).toBeGreaterThan(100);
    }
  });

  test("strings are COPY-escaped, nulls are \\N, and float or nested columns turn text rows off", () => {
    const t = rowsFor([T.string, T.int, T.boolean]);
    expect(rawCopyLine(t.row("t", ["a\tb\\c\nd", null, "TRUE"]))).toBe("a\\tb\\\\c\\nd\t\\N\tt");
    expect(TextRows.create([T.float], c, [fieldParser(T.float, c)])).toBeUndefined();
    expect(TextRows.create([T.array(T.int)], c, [fieldParser(T.array(T.int), c)])).toBeUndefined();
  });
});

describe("csv text rows: timestamps", () => {
  test("timestamps in every ISO shape are kept, and print as their values do (no 'T', offset or trailing zeros)", () => {
    const stamps = [
      "2024-03-05 01:02:03",
      "2024-03-05T01:02:03",
      "2024-03-05 01:02:03.5",
      "2024-03-05T01:02:03.123456789",
      "2024-03-05 01:02:03.100",
      "2024-03-05T01:02:03.000Z",
      "2024-03-05T01:02:03.976+02:00",
      "2024-03-05 01:02:03-05:30",
    ];
    const bad = [
      "2024-03-05 24:00:00",
      "2024-02-30 01:02:03",
      "2024-03-05 01:02:03.",
      "2024-03-05 01:02:03.1234567890",
    ];
    const more = [
      "2024-03-05 01:02:03+2",
      "2024-03-05 01:02:03+19:00",
      "2024-03-05 01:02:03Zx",
      "2024-03-05  01:02:03",
    ];
    expect(agree(T.timestamp, [...stamps, ...bad, ...more]).kept).toEqual(stamps);
  });
});

describe("csv text rows checked by a sink", () => {
  test("a field's value is read alone and the row keeps its text for the COPY", () => {
    const t = rowsFor([T.string, T.decimal(14, 2)]);
    const row = t.row("t", ["a b", "12.345"]);
    expect(fieldValue(row, 1)).toEqual(Decimal.parse("12.345"));
    expect(fieldValue(row, 0)).toBe("a b");
    expect(rawCopyLine(row)).toBe("a b\t12.345");
  });
});
