/**
 * Value rendering exactly as SeaTunnel's JVM prints values, so logs and Assert messages match
 * SeaTunnel's byte for byte: Console's `fieldToString` (arrays `[a, b]`, maps as Jackson JSON, rows
 * `[f1, f2]`), Java's `String.valueOf` (Double/Float/BigDecimal/java.time toString) and
 * `SeaTunnelRow.toString()`.
 *
 * Numbers: `Double.toString` / `Float.toString` follow the JDK 19+ specification (shortest digits
 * that round-trip; when one digit suffices, the closer of the one- and two-digit candidates, which
 * is why the smallest double prints `4.9E-324`), plain between 1e-3 and 1e7, else `d.dddEn`.
 */
import { ROW_KIND_SHORT, type Row } from "./row.ts";
import type { TableSchema } from "./table.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, type DataType } from "./types.ts";

// ------------------------------------------------------------------------------------- numbers

/** Significant digits and decimal exponent: the value is `d.ddd × 10^exp`. */
interface Sci {
  digits: string;
  exp: number;
}

function parseExponential(s: string): Sci {
  const e = s.indexOf("e");
  return { digits: s.slice(0, e).replace(".", ""), exp: Number(s.slice(e + 1)) };
}

/** Shortest round-trip digits of a positive finite double (JS already computes them). */
function shortestDouble(a: number): Sci {
  return parseExponential(a.toExponential());
}

/** Shortest digits that read back as the same float32 (`a` is already float-rounded). */
function shortestFloat(a: number): Sci {
  // Round-tripping is monotone in the digit count, so binary search the shortest count (≤ 9).
  const fits = (p: number) => Math.fround(Number(a.toExponential(p - 1))) === a;
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  // Just above a power of two the lower half-gap is narrower, so a shorter decimal on the upper
  // side can fit although the nearest one of that length does not.
  if (lo > 1 && Number.isInteger(Math.log2(a))) {
    const sci = parseExponential(a.toExponential(lo - 2));
    const up = `${BigInt(sci.digits) + 1n}e${sci.exp - (lo - 2)}`;
    if (Math.fround(Number(up)) === a) {
      return trimZeros(parseExponential(Number(up).toExponential(lo - 2)));
    }
  }
  const even = roundHalfEven(a, lo);
  return trimZeros(parseExponential(Math.fround(Number(even)) === a ? even : a.toExponential(lo - 1)));
}

/**
 * `a.toExponential(p - 1)` but with ties to the even last digit, as Java resolves them (JS rounds
 * ties up). A tie needs the exact binary value to end in 5 one digit further, checked with BigInt.
 */
function roundHalfEven(a: number, p: number): string {
  const near = a.toExponential(p - 1);
  const more = a.toExponential(p);
  if (more[more.indexOf("e") - 1] !== "5" || !isExactly(a, more)) {
    return near;
  }
  const sci = parseExponential(near);
  if (Number(sci.digits[sci.digits.length - 1]) % 2 === 0) {
    return near;
  }
  const lower = BigInt(sci.digits) - 1n;
  return Number(`${lower}e${sci.exp - (p - 1)}`).toExponential(p - 1);
}

/** True when the decimal string `s` is exactly the binary value `a` (both positive). */
function isExactly(a: number, s: string): boolean {
  const { digits, exp } = parseExponential(s);
  const k = exp - (digits.length - 1); // s = digits × 10^k
  const [m, q] = binary(a); // a = m × 2^q
  const left = BigInt(digits) * (k >= 0 ? 10n ** BigInt(k) : 1n) * (q < 0 ? 2n ** BigInt(-q) : 1n);
  const right = m * (q >= 0 ? 2n ** BigInt(q) : 1n) * (k < 0 ? 10n ** BigInt(-k) : 1n);
  return left === right;
}

/** Mantissa and exponent of a positive finite double: a = m × 2^q exactly. */
function binary(a: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  return e === 0 ? [frac, -1074] : [frac | 0x10000000000000n, e - 1075];
}

function trimZeros(s: Sci): Sci {
  const digits = s.digits.replace(/0+$/, "");
  return { digits: digits === "" ? "0" : digits, exp: s.exp };
}

/** Java's rule for one-digit results: the closest decimal of length 1 or 2 that rounds back. */
function preferTwoDigits(a: number, s: Sci, roundTrips: (x: number) => boolean): Sci {
  if (s.digits.length !== 1) {
    return s;
  }
  const two = parseExponential(a.toExponential(1));
  if (two.digits[1] !== "0" && roundTrips(Number(a.toExponential(1)))) {
    return two;
  }
  return s;
}

function layoutJava(neg: boolean, a: number, s: Sci): string {
  const sign = neg ? "-" : "";
  const { digits, exp } = s;
  if (a >= 1e-3 && a < 1e7) {
    if (exp < 0) {
      return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    }
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, "0");
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : "0";
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}E${exp}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) {
    return "NaN";
  }
  if (x === Infinity) {
    return "Infinity";
  }
  if (x === -Infinity) {
    return "-Infinity";
  }
  if (x === 0) {
    return Object.is(x, -0) ? "-0.0" : "0.0";
  }
  return undefined;
}

/** Java `Double.toString(x)`: `1.0`, `0.1`, `100.0`, `1.0E10`, `1.0E-5`, `4.9E-324`. */
export function javaDouble(x: number): string {
  const sp = special(x);
  if (sp !== undefined) {
    return sp;
  }
  const a = Math.abs(x);
  return layoutJava(
    x < 0,
    a,
    preferTwoDigits(a, shortestDouble(a), (y) => y === a),
  );
}

/** Java `Float.toString(x)` for a float32 value (rounded through Math.fround first). */
export function javaFloat(x: number): string {
  const f = Math.fround(x);
  const sp = special(f);
  if (sp !== undefined) {
    return sp;
  }
  const a = Math.abs(f);
  return layoutJava(
    f < 0,
    a,
    preferTwoDigits(a, shortestFloat(a), (y) => Math.fround(y) === a),
  );
}

/** Java `BigDecimal.toString()`: plain unless the scale is negative or the adjusted exponent < -6. */
export function javaBigDecimal(d: Decimal): string {
  const neg = d.unscaled < 0n;
  const coeff = (neg ? -d.unscaled : d.unscaled).toString();
  const sign = neg ? "-" : "";
  const adjusted = -d.scale + (coeff.length - 1);
  if (d.scale === 0) {
    return sign + coeff;
  }
  if (d.scale > 0 && adjusted >= -6) {
    const pad = coeff.padStart(d.scale + 1, "0");
    return `${sign}${pad.slice(0, pad.length - d.scale)}.${pad.slice(pad.length - d.scale)}`;
  }
  const mant = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mant}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
}

// ------------------------------------------------------------------------------------ java.time

/** Java `LocalDate.toString()`: 4-digit year, `+` above 9999, `-0001` style below zero. */
export function javaDate(d: LocalDate): string {
  const y = d.year;
  const abs = Math.abs(y);
  const year = abs < 1000 ? `${y < 0 ? "-" : ""}${String(abs).padStart(4, "0")}` : `${y > 9999 ? "+" : ""}${y}`;
  return `${year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** Java `LocalDateTime.toString()`: `2024-01-01T10:00`, seconds/fraction only when non-zero. */
export function javaDateTime(t: LocalDateTime): string {
  return `${javaDate(t.date)}T${t.time.toString()}`;
}

// ------------------------------------------------------------------------------- value → string

type Fmt = (v: unknown) => string;

const bytesList = (v: unknown): string => {
  if (!(v instanceof Uint8Array)) {
    return String(v);
  }
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    out[i] = String((v[i]! << 24) >> 24);
  }
  return `[${out.join(", ")}]`;
};

/** `String.valueOf` of a scalar of the given type (the Console default branch). */
function scalarFormatter(t: DataType): Fmt {
  switch (t.kind) {
    case "float":
      return (v) => (typeof v === "number" ? javaFloat(v) : String(v));
    case "double":
      return (v) => (typeof v === "number" ? javaDouble(v) : String(v));
    case "decimal":
      return (v) => (v instanceof Decimal ? javaBigDecimal(v) : String(v));
    case "date":
      return (v) => (v instanceof LocalDate ? javaDate(v) : String(v));
    case "timestamp":
      return (v) => (v instanceof LocalDateTime ? javaDateTime(v) : String(v));
    case "time":
      return (v) => (v instanceof LocalTime ? v.toString() : String(v));
    case "bytes":
      return bytesList;
    default:
      return (v) => String(v);
  }
}

const withNull =
  (f: Fmt): Fmt =>
  (v) =>
    v === null || v === undefined ? "null" : f(v);

const cache = new WeakMap<DataType, Fmt>();

/**
 * A compiled renderer for one type (Console's `fieldToString`); nulls render as `null`. Console
 * compiles one per column at writer creation so printing a row does no type dispatch.
 */
export function valueFormatter(t: DataType): Fmt {
  const hit = cache.get(t);
  if (hit) {
    return hit;
  }
  let f: Fmt;
  switch (t.kind) {
    case "array": {
      const el = withNull(scalarFormatter(t.element));
      f = (v) => (Array.isArray(v) ? `[${v.map(el).join(", ")}]` : String(v));
      break;
    }
    case "map":
      f = (v) => jacksonJson(v, t);
      break;
    case "row": {
      const fields = t.fields.map((x) => valueFormatter(x.type));
      f = (v) => (Array.isArray(v) ? `[${fields.map((g, i) => g(v[i])).join(", ")}]` : String(v));
      break;
    }
    default:
      f = scalarFormatter(t);
  }
  const out = withNull(f);
  cache.set(t, out);
  return out;
}

/**
 * Renders a value as SeaTunnel's Console sink does (ConsoleSinkWriter.fieldToString): arrays and
 * bytes `[e1, e2]` (bytes as signed numbers), maps as Jackson JSON, rows `[f1, f2]`, everything else
 * Java's toString. A null renders as `null` (Console itself prints a null top-level field as "").
 */
export function formatValue(value: unknown, type: DataType): string {
  return valueFormatter(type)(value);
}

// ------------------------------------------------------------------------------------- Jackson

const HEX = "0123456789ABCDEF";
const NAMED: Record<number, string> = {
  34: '\\"',
  92: "\\\\",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  12: "\\f",
  13: "\\r",
};

/** A JSON string as Jackson writes it: `"` and `\` escaped, control characters as `\n` or `\u00XX`. */
export function jacksonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
      continue;
    }
    out += s.slice(start, i) + (NAMED[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`);
    start = i + 1;
  }
  return `${out + s.slice(start)}"`;
}

const quotedNumber = (s: string): string => (s === "NaN" || s.endsWith("Infinity") ? `"${s}"` : s);

/**
 * Jackson's `writeValueAsString` of a value (used for MAP columns). Numbers use Java's toString,
 * bytes Base64. java.time values, which SeaTunnel's plain ObjectMapper cannot serialise, are written
 * as their ISO strings rather than failing the row.
 */
export function jacksonJson(v: unknown, t: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  switch (t.kind) {
    case "string":
      return jacksonString(String(v));
    case "float":
      return typeof v === "number" ? quotedNumber(javaFloat(v)) : String(v);
    case "double":
      return typeof v === "number" ? quotedNumber(javaDouble(v)) : String(v);
    case "decimal":
      return v instanceof Decimal ? javaBigDecimal(v) : String(v);
    case "bytes":
      return v instanceof Uint8Array ? `"${Buffer.from(v).toString("base64")}"` : jacksonString(String(v));
    case "date":
    case "time":
    case "timestamp":
      return jacksonString(formatValue(v, t));
    case "array":
      return Array.isArray(v) ? `[${v.map((x) => jacksonJson(x, t.element)).join(",")}]` : String(v);
    case "row":
      return Array.isArray(v)
        ? `[${v.map((x, i) => jacksonJson(x, t.fields[i]?.type ?? { kind: "string" })).join(",")}]`
        : String(v);
    case "map": {
      if (!(v instanceof Map)) {
        return String(v);
      }
      const parts: string[] = [];
      for (const [k, x] of v) {
        parts.push(
          `${jacksonString(k === null || k === undefined ? "" : javaString(k, t.key))}:${jacksonJson(x, t.value)}`,
        );
      }
      return `{${parts.join(",")}}`;
    }
    default:
      return String(v);
  }
}

// ------------------------------------------------------------------------ String.valueOf / rows

/**
 * Java's `String.valueOf(value)` for a value of type `t`, as SeaTunnelRow.toString and Assert's
 * MIN_LENGTH/MAX_LENGTH see it. Where Java would print an identity hash (`[B@1b2c`, arrays), the
 * readable `[a, b]` form is used; maps print as `{k=v}`, nested rows as `SeaTunnelRow{...}`.
 */
export function javaString(v: unknown, t: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  switch (t.kind) {
    case "array":
      return Array.isArray(v) ? `[${v.map((x) => javaString(x, t.element)).join(", ")}]` : String(v);
    case "map": {
      if (!(v instanceof Map)) {
        return String(v);
      }
      const parts: string[] = [];
      for (const [k, x] of v) {
        parts.push(`${javaString(k, t.key)}=${javaString(x, t.value)}`);
      }
      return `{${parts.join(", ")}}`;
    }
    case "row":
      return Array.isArray(v)
        ? `SeaTunnelRow{tableId=, kind=+I, fields=[${v.map((x, i) => javaString(x, t.fields[i]?.type ?? { kind: "string" })).join(", ")}]}`
        : String(v);
    default:
      return valueFormatter(t)(v);
  }
}

/**
 * `SeaTunnelRow.toString()`: `SeaTunnelRow{tableId=fake, kind=+I, fields=[3, C, 200]}`, as Assert
 * failure messages print rows. Column types come from `table` (float vs double matters).
 */
export function formatRowJava(row: Row, table?: TableSchema): string {
  const cols = table?.columns;
  const fields = row.fields.map((v, i) => javaString(v, cols?.[i]?.type ?? inferType(v)));
  return `SeaTunnelRow{tableId=${row.table}, kind=${ROW_KIND_SHORT[row.kind]}, fields=[${fields.join(", ")}]}`;
}

/** A best-effort type for a value whose column is unknown (numbers print as doubles only if fractional). */
function inferType(v: unknown): DataType {
  if (typeof v === "number") {
    return Number.isInteger(v) ? { kind: "int" } : { kind: "double" };
  }
  if (v instanceof Decimal) {
    return { kind: "decimal", precision: 38, scale: v.scale };
  }
  if (v instanceof Uint8Array) {
    return { kind: "bytes" };
  }
  // Dates and times print through their Java-form toString under the string branch.
  return { kind: "string" };
}
