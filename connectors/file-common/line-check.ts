/**
 * A byte-level check that one line of a delimited text file is, but for trailing zeros of
 * numbers that it says where to cut, exactly what SeaTunnel's text and csv writers print for the
 * row it reads as (see LineBlock in src/api/lazy-row.ts), so the line can be copied to the output
 * as bytes without decoding anything. The check is compiled
 * per schema into one straight function (one pass over the bytes, no substrings). It is strict:
 * any doubt (a value whose printed form differs, a quote, an empty field, a CR) fails it, and
 * the line then takes the ordinary path that decodes and checks every value.
 *
 * What passes, per type: integers in canonical form with fewer digits than could overflow;
 * decimals `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, not a negative zero, whose trailing fraction zeros
 * are cut (BigDecimal.stripTrailingZeros().toPlainString()); doubles with a point, 1e-3 <= |v|
 * < 1e7 and at most 15 significant digits once trailing zeros are cut down to one fraction digit
 * (then Java's Double.toString prints the rest back); `true`/`false`;
 * dates, times and timestamps in the default patterns on real calendar days; strings without
 * quotes or CRs that do not start or end with a space or control character.
 */
import type { DataType } from "../../src/api/index.ts";

/**
 * `check(bytes, start)` on the line at `start`: -1 when the line must be decoded, else k: the
 * line ends at `cuts[end]` (its `\n`), and its output is the line without the byte ranges
 * `[cuts[0], cuts[1])` … `[cuts[k - 2], cuts[k - 1])` (trailing zeros of numbers), in order.
 */
export interface LineCheck {
  check: (b: Uint8Array, p: number) => number;
  cuts: Int32Array;
  end: number;
}

const INT_DIGITS: Record<string, number> = { tinyint: 2, smallint: 4, int: 9, bigint: 18 };

/** Statement text checking one field at `p`, leaving `p` on the byte after it. */
function fieldCode(t: DataType, cutDecimals: boolean): string | undefined {
  switch (t.kind) {
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint":
      return `q = p; if (b[p] === 45) p++; n = p;
        if (b[p] === 48) { if (n !== q) return -1; p++; }
        else { while ((c = b[p]) >= 48 && c <= 57) p++; if (p === n || p - n > ${INT_DIGITS[t.kind]} || b[n] === 48) return -1; }`;
    case "decimal":
      // BigDecimal.stripTrailingZeros().toPlainString(): trailing fraction zeros (and a bare point) are cut.
      return `neg = b[p] === 45; if (neg) p++; c = b[p];
        if (c === 48) { p++; nz = false; }
        else if (c >= 49 && c <= 57) { p++; while ((c = b[p]) >= 48 && c <= 57) p++; nz = true; }
        else return -1;
        if (b[p] === 46) {
          n = p++; while ((c = b[p]) >= 48 && c <= 57) { if (c !== 48) nz = true; p++; }
          if (p === n + 1) return -1;
          q = p; while (b[q - 1] === 48) q--; if (q === n + 1) q = n;
          if (q < p) { ${cutDecimals ? "cuts[k++] = q; cuts[k++] = p;" : "return -1;"} }
        }
        if (neg && !nz) return -1;`;
    case "double":
      // Double.toString for 1e-3 <= |v| < 1e7: the shortest digits, at least one after the point.
      return `if (b[p] === 45) p++; c = b[p];
        if (c === 48) {
          if (b[++p] !== 46) return -1;
          n = ++p; while (b[p] === 48) p++; if (p - n > 2) return -1;
          q = p; while ((c = b[p]) >= 48 && c <= 57) p++;
          n = p; while (n > q && b[n - 1] === 48) n--;
          if (n === q || n - q > 15) return -1;
        } else if (c >= 49 && c <= 57) {
          n = p++; while ((c = b[p]) >= 48 && c <= 57) p++; q = p - n; if (q > 7 || b[p] !== 46) return -1;
          m = ++p; while ((c = b[p]) >= 48 && c <= 57) p++;
          if (p === m) return -1;
          n = p; while (n > m + 1 && b[n - 1] === 48) n--;
          if (q + n - m > 15) return -1;
        } else return -1;
        if (n < p) { cuts[k++] = n; cuts[k++] = p; }`;
    case "boolean":
      return `if (b[p] === 116 && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === 101) p += 4;
        else if (b[p] === 102 && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === 101) p += 5;
        else return -1;`;
    case "date":
      return "if (!dateOk(b, p)) return -1; p += 10;";
    case "time":
      return "if (!timeOk(b, p)) return -1; p += 8;";
    case "timestamp":
      return "if (!dateOk(b, p) || b[p + 10] !== 32 || !timeOk(b, p + 11)) return -1; p += 19;";
    case "string":
      return `c = b[p]; if (c <= 32 || c === D || c === 34 || c === 127) return -1;
        while ((c = b[++p]) !== D && c !== 10) if (c === 34 || c === 13) return -1;
        c = b[p - 1]; if (c <= 32 || c === 127) return -1;`;
    default:
      return undefined;
  }
}

const d2 = (b: Uint8Array, i: number): number => {
  const x = b[i]! - 48;
  const y = b[i + 1]! - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
};

/** `yyyy-MM-dd` at `p` on a real day of a year >= 1000. */
function dateOk(b: Uint8Array, p: number): boolean {
  if (b[p + 4] !== 45 || b[p + 7] !== 45) return false;
  const hi = d2(b, p);
  const lo = d2(b, p + 2);
  const m = d2(b, p + 5);
  const d = d2(b, p + 8);
  if (hi < 10 || lo < 0 || m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  const y = hi * 100 + lo;
  const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** `HH:mm:ss` at `p`. */
function timeOk(b: Uint8Array, p: number): boolean {
  if (b[p + 2] !== 58 || b[p + 5] !== 58) return false;
  const h = d2(b, p);
  const m = d2(b, p + 3);
  const s = d2(b, p + 6);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 59;
}

/**
 * The check for lines of `types` split by the one-byte `delimiter` (ASCII, not a quote, digit,
 * letter or sign); undefined when a type has no byte check (float, bytes, nested types). Without
 * `cutDecimals`, a decimal with trailing fraction zeros fails (its value keeps that scale).
 */
export function lineCheck(types: DataType[], delimiter: string, o: { cutDecimals: boolean }): LineCheck | undefined {
  const D = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || D > 127 || D === 10 || D === 13 || D === 34 || /[0-9A-Za-z.+\-:\s]/.test(delimiter) && D !== 9) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < types.length; i++) {
    const code = fieldCode(types[i]!, o.cutDecimals);
    if (code === undefined) return undefined;
    parts.push(code, i < types.length - 1 ? "if (b[p] !== D) return -1; p++;" : `if (b[p] !== 10) return -1; cuts[${2 * types.length}] = p; return k;`);
  }
  if (types.length === 0) return undefined;
  const body = `"use strict"; return function lineCheck(b, p) { let c = 0, n = 0, q = 0, m = 0, k = 0, neg = false, nz = false;\n${parts.join("\n")}\n};`;
  const cuts = new Int32Array(2 * types.length + 1);
  return { check: new Function("D", "cuts", "dateOk", "timeOk", body)(D, cuts, dateOk, timeOk) as LineCheck["check"], cuts, end: 2 * types.length };
}
