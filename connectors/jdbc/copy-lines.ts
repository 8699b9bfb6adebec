/**
 * The COPY text of a batch for PostgreSQL, as bytes. Rows that are still whole lines of a text or
 * csv file (LineBlock) are copied from the file's bytes run by run, their delimiters made tabs and
 * their empty fields \N, with the target's checks (fit.ts) made on each field's bytes where the
 * bytes can tell; a line with a byte COPY would read otherwise (a backslash, a tab, a carriage
 * return, a quote) and every other row go as their COPY line (their source's, or written from
 * their values by CopyBytes), and their values are checked. Building the text this way costs a
 * pass over the bytes instead of a string per row and a decoded value per checked field.
 */
import type { Row } from "../../src/api/index.ts";
import { LazyRow, type LineBlock, rawCopyLine, SOURCE_TEXT } from "../common/source-text.ts";
import type { ByteFit, Fit } from "./fit.ts";
import { CopyBytes, type ValueWriter } from "./copy-bytes.ts";

export interface CopyChunk {
  bytes: Uint8Array;
  /** The indexes of the rows whose values still need the checks. */
  unchecked: number[];
}

/** The line block and line number of a row that still is a whole line, with its one-byte delimiter. */
function lineOf(r: Row): { block: LineBlock; line: number; delimiter: number } | undefined {
  if (!(r instanceof LazyRow)) {
    return undefined;
  }
  const block = r.source.lines;
  const line = r[SOURCE_TEXT];
  if (block === undefined || typeof line !== "number") {
    return undefined;
  }
  // lineFormat: columns, delimiter and row delimiter, separated by NULs.
  const d = block.format.split("\u0000")[1];
  return d?.length === 1 && d.charCodeAt(0) < 128 ? { block, line, delimiter: d.charCodeAt(0) } : undefined;
}

/** Where the run of rows from `k` (line `line` of `block`) that are the block's next lines ends. */
function runEnd(rows: Row[], k: number, block: LineBlock, line: number): number {
  if (block.whole === rows && line === k) {
    return rows.length;
  }
  let next = line + 1;
  for (k++; k < rows.length; k++, next++) {
    const r = rows[k];
    if (!(r instanceof LazyRow) || r.source.lines !== block || r[SOURCE_TEXT] !== next) {
      break;
    }
  }
  return k;
}

/** Lines longer than this are copied field by field with native searches and copies (see copyLongLine). */
const LONG_LINE = 256;
/** Fields longer than this are copied by one native call (a view and a copy cost more for short ones). */
const LONG_FIELD = 48;

/**
 * Where a run's next bytes that COPY reads otherwise (backslash, quote, tab, CR) are, from the
 * line last asked about on: each found once by a native search and kept until a line passes it,
 * so a run of long lines is searched in one pass per byte value.
 */
class Specials {
  private src: Uint8Array | undefined;
  private readonly at = new Float64Array(4);
  private static readonly BYTES = [92, 34, 9, 13];

  /** True when `src[a, e)` holds none of them (lines of one source are asked about in order). */
  none(src: Uint8Array, a: number, e: number): boolean {
    const at = this.at;
    if (src !== this.src) {
      this.src = src;
      at.fill(-1);
    }
    for (let i = 0; i < 4; i++) {
      if (at[i]! < a && at[i] !== Infinity) {
        const x = src.indexOf(Specials.BYTES[i]!, a);
        at[i] = x < 0 ? Infinity : x;
      }
      if (at[i]! < e) {
        return false;
      }
    }
    return true;
  }
}

/**
 * copyLine for a long line (a text field of a kilobyte, say): the delimiters are found and the
 * fields copied by native calls instead of byte by byte.
 */
function copyLongLine(
  src: Uint8Array,
  a: number,
  e: number,
  d: number,
  out: Uint8Array,
  o: number,
  checks: (ByteFit | undefined)[] | undefined,
  state: { checked: boolean; specials: Specials },
): number {
  if (!state.specials.none(src, a, e)) {
    return -1;
  }
  let j = 0;
  for (let fs = a; ; j++) {
    let p = src.indexOf(d, fs);
    if (p < 0 || p > e) {
      p = e;
    }
    if (fs === p) {
      out[o++] = 92;
      out[o++] = 78;
    } else {
      if (checks !== undefined && checks[j] !== undefined && !checks[j]!(src, fs, p)) {
        state.checked = false;
      }
      if (p - fs > LONG_FIELD) {
        out.set(src.subarray(fs, p), o);
        o += p - fs;
      } else {
        for (let i = fs; i < p; i++) {
          out[o++] = src[i]!;
        }
      }
    }
    if (p === e) {
      out[o++] = 10;
      return o;
    }
    out[o++] = 9;
    fs = p + 1;
  }
}

/**
 * Line `[a, e)` of `src` (e: its newline) as COPY text into `out`: the new length, or -1 when the
 * line has a byte COPY reads otherwise. `checks` reports a field whose bytes cannot tell it fits.
 */
function copyLine(
  src: Uint8Array,
  a: number,
  e: number,
  d: number,
  out: Uint8Array,
  o: number,
  checks: (ByteFit | undefined)[] | undefined,
  state: { checked: boolean; specials: Specials },
): number {
  if (e - a > LONG_LINE) {
    return copyLongLine(src, a, e, d, out, o, checks, state);
  }
  let fs = a;
  let j = 0;
  for (let p = a; p < e; p++) {
    const c = src[p]!;
    if (c === d) {
      if (fs === p) {
        out[o++] = 92;
        out[o++] = 78;
      } else if (checks !== undefined && checks[j] !== undefined && !checks[j]!(src, fs, p)) {
        state.checked = false;
      }
      out[o++] = 9;
      fs = p + 1;
      j++;
    } else if (c === 92 || c === 34 || c === 9 || c === 13) {
      return -1;
    } else {
      out[o++] = c;
    }
  }
  if (fs === e) {
    out[o++] = 92;
    out[o++] = 78;
  } else if (checks !== undefined && checks[j] !== undefined && !checks[j]!(src, fs, e)) {
    state.checked = false;
  }
  out[o++] = 10;
  return o;
}

/**
 * The COPY text of `rows` (in `out`'s memory, values by their columns' `writers`) and the rows
 * whose values the checks `fits` must still see.
 */
export function copyChunk(
  rows: Row[],
  fits: (Fit | undefined)[] | undefined,
  out = new CopyBytes(),
  writers?: ValueWriter[],
): CopyChunk {
  out.n = 0;
  const unchecked: number[] = [];
  // A field whose check has no byte form leaves its rows to the value checks.
  const checks = fits?.map((f) => (f ? (f.bytes ?? (() => false)) : undefined));
  const state = { checked: true, specials: new Specials() };
  // COPY lines of rows read from a database: encoded at once before anything else is written.
  let text = "";
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const at = lineOf(r);
    if (at === undefined) {
      unchecked.push(k);
      const raw = rawCopyLine(r);
      if (raw !== undefined) {
        text += `${raw}\n`;
        continue;
      }
    }
    if (text.length) {
      out.text(text);
      text = "";
    }
    if (at === undefined) {
      out.row(r.fields, writers);
      continue;
    }
    const { block, delimiter } = at;
    const stop = runEnd(rows, k, block, at.line);
    const { bytes, starts } = block;
    for (let line = at.line; k < stop; k++, line++) {
      const a = starts[line]!;
      const e = starts[line + 1]! - 1;
      // An empty field grows to \N: at most three bytes per byte of the line.
      const buf = out.room(3 * (e - a) + 4);
      state.checked = true;
      const o = e > a ? copyLine(bytes, a, e, delimiter, buf, out.n, checks, state) : -1;
      if (o < 0) {
        const raw = rawCopyLine(rows[k]!);
        if (raw === undefined) {
          out.row(rows[k]!.fields, writers);
        } else {
          out.text(`${raw}\n`);
        }
        unchecked.push(k);
        continue;
      }
      out.n = o;
      if (!state.checked) {
        unchecked.push(k);
      }
    }
    k--;
  }
  if (text.length) {
    out.text(text);
  }
  return { bytes: out.bytes.subarray(0, out.n), unchecked };
}
