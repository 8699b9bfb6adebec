/**
 * Values straight from the bytes of lines the line scan passed without cuts (line-check.ts), for
 * readers whose consumers read every row's fields (a transform, Console, a sink that writes
 * values). Such a line is known to be in the shapes the scan checks, so each field is read in one
 * pass over its bytes, with no record splitting and no string per field but for strings: integers
 * and decimals from their digits, doubles as their digits over a power of ten (exact: at most 15
 * digits), dates and times positionally. Every value equals what the record splitter and the
 * column's text parser (text-values.ts) make of the same field; line-decode.test.ts holds the two
 * to that on every type's edges and on random lines. The decoder is generated per schema, as the
 * scan is, so a row costs one straight function call.
 */
import { isAscii } from "node:buffer";
import { type DataType, Decimal, LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";

/** Fields of a passed line at `p` (compacted bytes: a 'T' made a space, offsets and quotes cut, `\n`-ended). */
type DecodeLine = (b: Uint8Array, p: number, text: (a: number, e: number) => string) => unknown[];

export interface LineDecoder {
  /** The fields of lines `from` … `to - 1` of a scanned block (line k is `[starts[k], starts[k + 1])`), each passed to `row`. */
  lines(b: Uint8Array, starts: Int32Array, from: number, to: number, row: (fields: unknown[]) => void): void;
}

/** Integer digits summed in a double stay exact up to this many. */
const EXACT_DIGITS = 15;

/** Statement text reading field `i` at `p`, leaving `p` on the delimiter or newline after it. */
function fieldCode(type: DataType, i: number): string | undefined {
  const digits = "v = 0; while (((c = b[p] - 48) >= 0) & (c <= 9)) { v = v * 10 + c; p++; }";
  const two = (o: number) => `(b[p + ${o}] - 48) * 10 + b[p + ${o + 1}] - 48`;
  const day = `new LocalDate((b[p] - 48) * 1000 + (b[p + 1] - 48) * 100 + ${two(2)}, ${two(5)}, ${two(8)})`;
  switch (type.kind) {
    case "tinyint":
    case "smallint":
    case "int":
      return `g = b[p] === 45; if (g) p++; ${digits} f[${i}] = g ? -v : v;`;
    case "bigint":
      return `a = p; g = b[p] === 45; if (g) p++; n = p; ${digits}
        f[${i}] = p - n <= ${EXACT_DIGITS} ? BigInt(g ? -v : v) : BigInt(text(a, p));`;
    case "decimal":
      // -?(0|[1-9][0-9]*)(\.[0-9]+)?: the digits without the point, the scale as written.
      return `a = p; g = b[p] === 45; if (g) p++; n = p; k = -1; v = 0;
        for (;; p++) { c = b[p]; if (c === 46) { k = 0; continue; } c -= 48; if ((c < 0) | (c > 9)) break; v = v * 10 + c; if (k >= 0) k++; }
        f[${i}] = p - n - (k >= 0) <= ${EXACT_DIGITS} ? new Decimal(BigInt(g ? -v : v), k < 0 ? 0 : k) : Decimal.parse(text(a, p));`;
    case "double":
      // At most 15 significant digits and 17 fraction digits (the scan's shapes): the digits and
      // the power of ten are exact, so their quotient is the correctly rounded value.
      return `g = b[p] === 45; if (g) p++; k = -1; v = 0;
        for (;; p++) { c = b[p]; if (c === 46) { k = 0; continue; } c -= 48; if ((c < 0) | (c > 9)) break; v = v * 10 + c; if (k >= 0) k++; }
        if (k > 0) v /= P10[k]; f[${i}] = g ? -v : v;`;
    case "boolean":
      return `g = b[p] === 116; f[${i}] = g; p += g ? 4 : 5;`;
    case "date":
      return `f[${i}] = ${day}; p += 10;`;
    case "time":
      return `f[${i}] = new LocalTime(${two(0)}, ${two(3)}, ${two(6)}, 0); p += 8;`;
    case "timestamp":
      return `d = ${day}; h = ${two(11)}; m = ${two(14)}; s = ${two(17)}; p += 19; v = 0;
        if (b[p] === 46) { n = ++p; ${digits} v *= P10[9 - (p - n)]; }
        f[${i}] = new LocalDateTime(d, new LocalTime(h, m, s, v));`;
    case "string":
      return `a = p; while (((c = b[p]) !== D) & (c !== 10)) p++; f[${i}] = text(a, p);`;
    default:
      return undefined;
  }
}

/**
 * The decoder for lines of `types` split by `delimiter`, as lineScan(types, delimiter,
 * { cutDecimals: false }) passes them; undefined where the scan has no check for a type.
 */
export function lineDecoder(types: DataType[], delimiter: string): LineDecoder | undefined {
  const key = `${JSON.stringify(types)}\u0000${delimiter}`;
  if (!decoders.has(key)) {
    decoders.set(key, makeDecoder(types, delimiter));
  }
  return decoders.get(key);
}

const decoders = new Map<string, LineDecoder | undefined>();

const P10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

function makeDecoder(types: DataType[], delimiter: string): LineDecoder | undefined {
  const parts: string[] = [];
  for (let i = 0; i < types.length; i++) {
    const code = fieldCode(types[i]!, i);
    if (code === undefined) {
      return undefined;
    }
    // An empty field is null.
    parts.push(`if ((b[p] === D) | (b[p] === 10)) f[${i}] = null; else { ${code} } p++;`);
  }
  const body = `"use strict"; return function decodeLine(b, p, text) {
    const f = new Array(${types.length});
    let a = 0, c = 0, g = false, k = 0, n = 0, v = 0, h = 0, m = 0, s = 0, d = null;
    ${parts.join("\n")}
    return f;
  };`;
  const decode = new Function("D", "P10", "Decimal", "LocalDate", "LocalTime", "LocalDateTime", body)(
    delimiter.charCodeAt(0),
    P10,
    Decimal,
    LocalDate,
    LocalTime,
    LocalDateTime,
  ) as DecodeLine;
  return { lines: (b, starts, from, to, row) => decodeLines(decode, b, starts, from, to, row) };
}

/** Node's Buffer methods behind toString("latin1") and toString("utf8"), without their argument checks. */
type Slices = Buffer & { latin1Slice(a: number, e: number): string; utf8Slice(a: number, e: number): string };

/** Strings of ASCII lines are read as latin1 (a copy of the bytes), others decoded as UTF-8. */
function decodeLines(
  decode: DecodeLine,
  b: Uint8Array,
  starts: Int32Array,
  from: number,
  to: number,
  row: (fields: unknown[]) => void,
): void {
  if (from >= to) {
    return;
  }
  const view = Buffer.from(b.buffer, b.byteOffset, b.length) as Slices;
  const text = isAscii(view.subarray(starts[from]!, starts[to]!))
    ? (a: number, e: number) => view.latin1Slice(a, e)
    : (a: number, e: number) => view.utf8Slice(a, e);
  for (let k = from; k < to; k++) {
    row(decode(b, starts[k]!, text));
  }
}
