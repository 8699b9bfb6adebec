/**
 * copyChunk on rows that are whole lines: the COPY bytes of a run of lines equal copyLine's text
 * of their fields, for short lines (copied byte by byte) and long ones (copied field by field
 * with native searches), with empty fields, lines COPY must escape (which go as their own COPY
 * line) between passing ones, and the byte checks of the target's columns.
 */
import { describe, expect, test } from "bun:test";
import { RowKind } from "../../src/api/index.ts";
import { LazyRow, type LineBlock, lineFormat, type RowTextCodec } from "../common/source-text.ts";
import { copyChunk } from "./copy-lines.ts";
import { charsFit, type Fit } from "./fit.ts";
import { copyLine } from "./pgtext.ts";

/** Rows that are the lines of `text` (delimiter `,`), each field its text and an empty one null. */
function lineRows(lines: string[]): { rows: LazyRow[]; fields: (string | null)[][] } {
  const enc = new TextEncoder();
  const bytes = enc.encode(lines.map((l) => `${l}\n`).join(""));
  const starts = new Int32Array(lines.length + 1);
  for (let k = 0, at = 0; k < lines.length; k++) {
    at += enc.encode(`${lines[k]}\n`).length;
    starts[k + 1] = at;
  }
  const block: LineBlock = { bytes, starts, format: lineFormat(lines[0]!.split(",").length, ",", "\n") };
  const fields = lines.map((l) => l.split(",").map((f) => (f === "" ? null : f)));
  const codec: RowTextCodec = {
    lines: block,
    decode: (k) => [...fields[k as number]!],
    // copyLine ends its line with a newline; a codec's COPY line has none.
    pgLine: (k) => copyLine(fields[k as number]!).slice(0, -1),
  };
  return { rows: lines.map((_, k) => new LazyRow(RowKind.INSERT, "t", k, codec)), fields };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("copyChunk of whole lines", () => {
  test("short and long lines, empty fields and lines COPY escapes give copyLine's text", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
    const words = ["a", "ünï", "𝄞", "word", "x".repeat(60), "y".repeat(700), "back\\slash", "tab\there", 'qu"ote', ""];
    const lines = Array.from({ length: 3000 }, () =>
      Array.from({ length: 5 }, () => (rnd(4) === 0 ? words[rnd(words.length)]! : words[rnd(5)]!)).join(","),
    );
    const { rows, fields } = lineRows(lines);
    const chunk = copyChunk(rows, undefined);
    expect(text(chunk.bytes)).toBe(fields.map((f) => copyLine(f)).join(""));
    // Lines with a byte COPY reads otherwise went as their own COPY line: they are left to the value checks.
    const escaped = lines.flatMap((l, k) => (/[\\\t"]/.test(l) ? [k] : []));
    expect(chunk.unchecked).toEqual(escaped);
    expect(lines.filter((l) => l.length > 256 && !/[\\\t"]/.test(l)).length).toBeGreaterThan(100);
  });

  test("a field's byte check runs on long lines too: a row whose field the bytes cannot pass is left to the value check", () => {
    const long = "z".repeat(400);
    const { rows } = lineRows([`ab,${long}`, `abcd,${long}`, `abc,${long}`, "abcde,short", "ab,"]);
    const fits: (Fit | undefined)[] = [charsFit(3, "varchar(3)"), undefined];
    const chunk = copyChunk(rows, fits);
    expect(text(chunk.bytes)).toBe(`ab\t${long}\nabcd\t${long}\nabc\t${long}\nabcde\tshort\nab\t\\N\n`);
    expect(chunk.unchecked).toEqual([1, 3]);
  });
});
