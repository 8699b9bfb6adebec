/**
 * A byte-level check that one line of a delimited text file is, but for trailing zeros of
 * numbers that it says where to cut, exactly what SeaTunnel's text and csv writers print for the
 * row it reads as (see LineBlock in connectors/common/source-text.ts), so the line can be copied to the output
 * as bytes without decoding anything. The check is compiled
 * per schema into one straight function (one pass over the bytes, no substrings). It is strict:
 * any doubt (a value whose printed form differs, a quote, a CR) fails it, and the line then
 * takes the ordinary path that decodes and checks every value. An empty field passes (null,
 * printed empty). Timestamps in the ISO shape pass with their offset cut and a 'T' made a space;
 * with cuts (every consumer prints SeaTunnel's text) their fraction is cut too. A CRLF line end
 * loses its CR. Without cuts a line with a timestamp's fraction or a decimal's trailing zeros is
 * not what a writer prints: the line's format then says so (linesOf).
 *
 * What passes, per type: integers in canonical form with fewer digits than could overflow;
 * decimals `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, not a negative zero, whose trailing fraction zeros
 * are cut with cuts (BigDecimal.stripTrailingZeros().toPlainString()) and kept without; doubles with a point, 1e-3 <= |v|
 * < 1e7 and at most 15 significant digits once trailing zeros are cut down to one fraction digit
 * (then Java's Double.toString prints the rest back); `true`/`false`;
 * dates, times and timestamps in the default patterns on real calendar days; strings without
 * quotes or CRs that do not start or end with a space or control character.
 */
import type { DataType } from "../../src/api/index.ts";

/**
 * `scan(b, p, last, starts, st)` checks the lines of `b` from `p` on, the last of which ends at
 * `last` (its `\n`), and stops at the first that fails; it returns that line's start (`last + 1`
 * when all passed). Passing lines are compacted in place: the bytes `[st[1], …)` move to `st[0]`
 * without the trailing zeros they cut, and each passing line's end in the compacted bytes is
 * appended to `starts` at `st[2]` (so `starts[k]` … `starts[k + 1]` is a line once `starts[0]`
 * is where the compacted bytes begin). The caller deals with a failing line (moving `st[0]`, `st[1]`
 * past it) and calls again. `starts` needs room for one entry per `columns` bytes scanned (a line of
 * empty fields is that short) and at least one per two bytes.
 */
/** `st[3]` counts the timestamps with an offset in the lines that passed (offsets are dropped: the reader says how many). */
export interface LineScan {
  scan: (b: Uint8Array, p: number, last: number, starts: Int32Array, st: Int32Array) => number;
  columns: number;
}

/**
 * `cutDecimals`: every consumer prints SeaTunnel's text, so trailing zeros of decimals and the
 * fractions of timestamps may be cut; `csv`: quotes delimit fields (a quoted field may lose them).
 */
export interface ScanOptions {
  cutDecimals: boolean;
  csv?: boolean;
}

/** Up to this many columns every field of a csv line may be quoted in either mode (see fieldWithCuts). */
export const QUOTED_NUMBERS_UP_TO = 16;

export const INT_DIGITS: Record<string, number> = { tinyint: 2, smallint: 4, int: 9, bigint: 18 };

/**
 * Statement text checking one field at `p`, leaving `p` on the byte after it; a failure breaks
 * out to `scan`. Numbers set `[x, y)` to the trailing zeros to cut (empty when none). Conditions
 * are joined with `|` rather than `||` where every operand is cheap: one branch instead of
 * several keeps the generated function small for the optimizing JIT, which compiles it anew in
 * every worker. A byte past the end reads as undefined and fails every test.
 */
function fieldCode(
  type: DataType,
  cutDecimals: boolean,
  x: string,
  y: string,
  t: string,
  quoted?: { open: string; x: string; y: string },
): string | undefined {
  switch (type.kind) {
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint":
      // -?(0|[1-9][0-9]*), fewer digits than could overflow, not -0.
      return `q = p; if (b[p] === 45) p++; n = p;
        while ((b[p] ^ 48) < 10) p++;
        if ((p === n) | (p - n > ${INT_DIGITS[type.kind]}) | ((b[n] === 48) & ((p - n > 1) | (n !== q)))) break scan;`;
    case "decimal":
      // -?(0|[1-9][0-9]*)(\.[0-9]+)?, not a negative zero. BigDecimal.stripTrailingZeros()
      // .toPlainString(): trailing fraction zeros (and a bare point) are cut.
      return `${x} = ${y} = 0; q = p; if (b[p] === 45) p++; n = p;
        while ((b[p] ^ 48) < 10) p++;
        if ((p === n) | ((b[n] === 48) & (p - n > 1))) break scan;
        m = p; c = p;
        if (b[p] === 46) {
          p++; while ((b[p] ^ 48) < 10) p++;
          if (p === m + 1) break scan;
          c = p; while (b[c - 1] === 48) c--; if (c === m + 1) c = m;
          ${cutDecimals ? `${x} = c; ${y} = p;` : ""}
        }
        if ((q !== n) & (b[n] === 48) & (c === m)) break scan;`;
    case "double":
      // Double.toString for 1e-3 <= |v| < 1e7: the shortest digits, at least one after the point.
      return `if (b[p] === 45) p++; c = b[p];
        if (c === 48) {
          if (b[++p] !== 46) break scan;
          n = ++p; while (b[p] === 48) p++; if (p - n > 2) break scan;
          q = p; while ((b[p] ^ 48) < 10) p++;
          n = p; while ((n > q) & (b[n - 1] === 48)) n--;
          if ((n === q) | (n - q > 15)) break scan;
        } else if ((c ^ 48) < 10) {
          n = p++; while ((b[p] ^ 48) < 10) p++; q = p - n; if ((q > 7) | (b[p] !== 46)) break scan;
          m = ++p; while ((b[p] ^ 48) < 10) p++;
          if (p === m) break scan;
          n = p; while ((n > m + 1) & (b[n - 1] === 48)) n--;
          if (q + n - m > 15) break scan;
        } else break scan;
        ${x} = n; ${y} = p;`;
    case "boolean":
      return `if ((b[p] === 116) & (b[p + 1] === 114) & (b[p + 2] === 117) & (b[p + 3] === 101)) p += 4;
        else if ((b[p] === 102) & (b[p + 1] === 97) & (b[p + 2] === 108) & (b[p + 3] === 115) & (b[p + 4] === 101)) p += 5;
        else break scan;`;
    case "date":
      return `${dateCode(0)} p += 10;`;
    case "time":
      return `${timeCode(0)} p += 8;`;
    case "timestamp":
      // The ISO shape (isoDateTimeEnd in temporal.ts): a 'T' becomes a space and the offset is
      // cut (neither changes the value); with cuts the fraction goes too, as the default pattern
      // prints the value.
      return `${dateCode(0)} c = b[p + 10]; if ((c !== 32) & (c !== 84)) break scan; ${timeCode(11)}
        ${t} = c === 84 ? p + 10 : -1; p += 19; ${cutDecimals ? `${x} = p;` : ""}
        if (b[p] === 46) { n = ++p; while ((b[p] ^ 48) < 10) p++; if ((p === n) | (p - n > 9)) break scan; }
        ${cutDecimals ? "" : `${x} = p;`}
        if (b[p] === 90) { p++; zl++; }
        else if ((b[p] === 43) | (b[p] === 45)) {
          n = (b[p + 1] ^ 48) * 10 + (b[p + 2] ^ 48);
          if (((b[p + 1] ^ 48) > 9) | ((b[p + 2] ^ 48) > 9) | (b[p + 3] !== 58) | ((b[p + 4] ^ 48) > 5) | ((b[p + 5] ^ 48) > 9) | (n > 18)) break scan;
          p += 6; zl++;
        }
        ${y} = p;`;
    case "string": {
      // Not empty, no quote or CR, no space, control character or delimiter at either edge.
      const plain = `if (EDGE[b[p]] !== 0) break scan;
        while ((c = STOP[b[++p]]) === 0);
        if ((c === 2) | (EDGE[b[p - 1]] !== 0)) break scan;`;
      if (quoted === undefined) {
        return plain;
      }
      // Quoted: up to a lone quote, without line breaks. The writer quotes what holds the
      // delimiter or a quote (doubled), is empty or has a space or control character at an
      // edge: such a field stays as it is where every consumer prints SeaTunnel's text (else it
      // takes the splitter, which reads it faster than whole lines would be split again), and the
      // others lose their quotes.
      return `if (${quoted.open}) { n = p; m = 0;
          for (;;) {
            c = b[p];
            if (c === 34) { if (b[p + 1] !== 34) break; p += 2; m = 1; continue; }
            if ((c === 10) | (c === 13)) break scan;
            if (c === D) m = 1;
            p++;
          }
          if ((p === n) | (b[n] <= 32) | (b[p - 1] <= 32)) m = 1;
          ${cutDecimals ? `if (m) ${quoted.x} = ${quoted.y} = 0;` : "if (m) break scan;"}
        } else { ${plain} }`;
    }
    default:
      return undefined;
  }
}

/** \`yyyy-MM-dd\` at p + o on a real day of a year >= 1000 (February 29 checks the year apart). */
function dateCode(o: number): string {
  const d = (i: number) => `(b[p + ${o + i}] ^ 48)`;
  return `m = ${d(5)} * 10 + ${d(6)}; n = ${d(8)} * 10 + ${d(9)};
    if ((${d(0)} < 1) | (${d(0)} > 9) | (${d(1)} > 9) | (${d(2)} > 9) | (${d(3)} > 9) | (b[p + ${o + 4}] !== 45) | (${d(5)} > 9) | (${d(6)} > 9)
      | (b[p + ${o + 7}] !== 45) | (${d(8)} > 9) | (${d(9)} > 9) | (m - 1 > 11) | (m < 1) | (n < 1) | (n > DAYS[m])) break scan;
    if ((m === 2) & (n === 29)) {
      q = ${d(0)} * 1000 + ${d(1)} * 100 + ${d(2)} * 10 + ${d(3)};
      if ((q % 4 !== 0) | ((q % 100 === 0) & (q % 400 !== 0))) break scan;
    }`;
}

/** \`HH:mm:ss\` at p + o. */
function timeCode(o: number): string {
  const d = (i: number) => `(b[p + ${o + i}] ^ 48)`;
  return `if ((${d(0)} > 2) | (${d(1)} > 9) | (${d(0)} * 10 + ${d(1)} > 23) | (b[p + ${o + 2}] !== 58) | (${d(3)} > 5) | (${d(4)} > 9)
      | (b[p + ${o + 5}] !== 58) | (${d(6)} > 5) | (${d(7)} > 9)) break scan;`;
}

/**
 * A field's check with its cuts appended to `cuts` in byte order. An empty field is null, printed
 * empty (but a lone empty field is a blank line, which is skipped). In a csv file a quoted field
 * whose text passes as it would unquoted loses its quotes (two cuts), as the writer prints it
 * without; a quoted string the writer would quote too stays as it is; a line break fails it.
 */
function fieldWithCuts(
  type: DataType,
  o: { cut: boolean; csv: boolean; lone: boolean; columns: number },
  cuts: { t: boolean; open?: boolean }[],
): string | undefined {
  // Without cuts (a PostgreSQL sink, where this JavaScript scan serves every block) only strings
  // may be quoted in a wide schema: the wrappers of its every field made a function too big to
  // compile well (30 columns: 100 MB more peak memory and a quarter slower).
  const csv = o.csv && (o.cut || type.kind === "string" || o.columns <= QUOTED_NUMBERS_UP_TO);
  const open = csv ? cuts.push({ t: false, open: true }) - 1 : -1;
  const quoted = csv ? { open: `o${open}`, x: `x${open}`, y: `y${open}` } : undefined;
  const j = cuts.length;
  const code = fieldCode(type, o.cut, `x${j}`, `y${j}`, `t${j}`, quoted);
  if (code === undefined) {
    return undefined;
  }
  const own = code.includes(`x${j} =`);
  if (own) {
    cuts.push({ t: code.includes(`t${j} =`) });
  }
  let body = code;
  let clear = `${own ? `x${j} = y${j} = 0;` : ""}${code.includes(`t${j} =`) ? ` t${j} = -1;` : ""}`;
  if (csv) {
    const close = cuts.push({ t: false }) - 1;
    // A field that keeps its quotes (see the string check) has an empty opening cut.
    body = `x${open} = y${open} = o${open} = 0; if (b[p] === 34) { o${open} = 1; x${open} = p; p++; y${open} = p; }
      ${code}
      x${close} = y${close} = 0;
      if (o${open}) { if (b[p] !== 34) break scan; if (y${open} > 0) { x${close} = p; y${close} = p + 1; } p++; }`;
    clear += ` x${open} = y${open} = o${open} = x${close} = y${close} = 0;`;
  }
  return o.lone ? body : `if ((b[p] === D) | (b[p] === 10) | (b[p] === 13)) { ${clear} } else { ${body} }`;
}

/**
 * The scan for lines of `types` split by the one-byte `delimiter` (ASCII, not a quote, digit,
 * letter or sign); undefined when a type has no byte check (float, bytes, nested types). Without
 * `cutDecimals`, a decimal keeps its trailing fraction zeros (its value keeps that scale).
 */
export function lineScan(types: DataType[], delimiter: string, o: ScanOptions): LineScan | undefined {
  // One function per shape: the JIT compiles each function object on its own, and a job reads
  // many files (or byte ranges) of one shape.
  const key = `${JSON.stringify(types)}\u0000${delimiter}\u0000${o.cutDecimals}\u0000${o.csv === true}`;
  if (scans.has(key)) {
    return scans.get(key);
  }
  const made = makeScan(types, delimiter, o);
  scans.set(key, made);
  return made;
}

const scans = new Map<string, LineScan | undefined>();

function makeScan(types: DataType[], delimiter: string, o: ScanOptions): LineScan | undefined {
  const D = delimiter.charCodeAt(0);
  if (
    delimiter.length !== 1 ||
    D > 127 ||
    D === 10 ||
    D === 13 ||
    D === 34 ||
    (/[0-9A-Za-z.+\-:\s]/.test(delimiter) && D !== 9)
  ) {
    return undefined;
  }
  if (types.length === 0) {
    return undefined;
  }
  const parts: string[] = [];
  // Per cut j: [xj, yj) leaves the line; tj (a timestamp's 'T', or -1) becomes a space first.
  const cuts: { t: boolean; open?: boolean }[] = [];
  const cut = o.cutDecimals;
  for (let i = 0; i < types.length; i++) {
    const code = fieldWithCuts(
      types[i]!,
      { cut, csv: o.csv === true, lone: types.length === 1, columns: types.length },
      cuts,
    );
    if (code === undefined) {
      return undefined;
    }
    parts.push(code);
    if (i < types.length - 1) {
      parts.push("if (b[p] !== D) break scan; p++;");
    } else {
      // A CRLF line end: the CR is cut (it is no part of a value, and writers end rows with their
      // own row delimiter).
      const k = cuts.push({ t: false }) - 1;
      parts.push(`x${k} = p; if (b[p] === 13) p++; y${k} = p; if (b[p] !== 10) break scan;`);
    }
  }
  const vars = cuts
    .map((c, j) => `x${j} = 0, y${j} = 0${c.t ? `, t${j} = -1` : ""}${c.open ? `, o${j} = 0` : ""}`)
    .join(", ");
  // A passing line: the bytes before each cut move to w, then the line's end is recorded.
  const apply = cuts
    .map(
      (c, j) =>
        `${c.t ? `if (t${j} >= 0) b[t${j}] = 32; ` : ""}if (x${j} < y${j}) { if (w !== r0) b.copyWithin(w, r0, x${j}); w += x${j} - r0; r0 = y${j}; }`,
    )
    .join("\n");
  const body = `"use strict"; return function lineScan(b, p, last, starts, st) {
    let c = 0, n = 0, q = 0, m = 0${vars ? `, ${vars}` : ""};
    let w = st[0], r0 = st[1], k = st[2], s = p, zl = 0, zc = st[3];
    scan: for (;;) {
      s = p;
      zl = 0;
      if (p > last) break;
      ${parts.join("\n")}
      ${apply}
      zc += zl;
      p++;
      starts[k++] = w + p - r0;
    }
    st[0] = w; st[1] = r0; st[2] = k; st[3] = zc;
    return s;
  };`;
  // Byte classes of strings: EDGE may not start or end one (controls, space, DEL, quote, the
  // delimiter); STOP ends one (1: the delimiter or newline, 2: a quote or CR, which fail it).
  const EDGE = new Uint8Array(256);
  const STOP = new Uint8Array(256);
  for (let x = 0; x <= 32; x++) {
    EDGE[x] = 1;
  }
  EDGE[127] = EDGE[34] = EDGE[D] = 1;
  STOP[D] = STOP[10] = 1;
  STOP[34] = 2;
  // A CR ends a string (a CRLF line end is cut; anything but LF after it fails the line).
  STOP[13] = 1;
  // Days per month, February with its 29th (checked against the year apart).
  const DAYS = Uint8Array.of(0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31);
  return {
    scan: new Function("D", "EDGE", "STOP", "DAYS", body)(D, EDGE, STOP, DAYS) as LineScan["scan"],
    columns: types.length,
  };
}
