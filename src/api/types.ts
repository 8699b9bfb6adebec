/**
 * SeaTunnel's data types and the JS values that carry them. Values are exact:
 *
 * | type | JS value |
 * |---|---|
 * | string | string |
 * | boolean | boolean |
 * | tinyint, smallint, int | number (integer) |
 * | bigint | bigint |
 * | float, double | number (float is rounded through Math.fround) |
 * | decimal(p,s) | Decimal (unscaled bigint + scale) |
 * | null | null |
 * | bytes | Uint8Array |
 * | date | LocalDate |
 * | time | LocalTime (nanosecond field, so microseconds are kept) |
 * | timestamp | LocalDateTime |
 * | array<T> | T[] |
 * | map<K,V> | Map<K,V> |
 * | row | unknown[] (field values in field order) |
 *
 * Any field value may also be null.
 */
import { ConfigError, didYouMean } from "./errors.ts";
import type { Pos } from "./tree.ts";

export type DataType =
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "tinyint" }
  | { kind: "smallint" }
  | { kind: "int" }
  | { kind: "bigint" }
  | { kind: "float" }
  | { kind: "double" }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "null" }
  | { kind: "bytes" }
  | { kind: "date" }
  | { kind: "time" }
  | { kind: "timestamp" }
  | { kind: "array"; element: DataType }
  | { kind: "map"; key: DataType; value: DataType }
  | { kind: "row"; fields: { name: string; type: DataType }[] };

const PRIMITIVE = new Set<string>([
  "string",
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "float",
  "double",
  "null",
  "bytes",
  "date",
  "time",
  "timestamp",
]);
/** Type names from other systems that people write for ours. */
const TYPE_HINTS: Record<string, string> = {
  integer: "int",
  bool: "boolean",
  varchar: "string",
  text: "string",
  char: "string",
  datetime: "timestamp",
  binary: "bytes",
  real: "float",
  numeric: "decimal(p, s)",
};
const ARRAY_ELEMENTS = new Set<string>([
  "string",
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "float",
  "double",
]);

export const T = {
  string: { kind: "string" },
  boolean: { kind: "boolean" },
  tinyint: { kind: "tinyint" },
  smallint: { kind: "smallint" },
  int: { kind: "int" },
  bigint: { kind: "bigint" },
  float: { kind: "float" },
  double: { kind: "double" },
  null: { kind: "null" },
  bytes: { kind: "bytes" },
  date: { kind: "date" },
  time: { kind: "time" },
  timestamp: { kind: "timestamp" },
  decimal: (precision: number, scale: number): DataType => ({ kind: "decimal", precision, scale }),
  array: (element: DataType): DataType => ({ kind: "array", element }),
  map: (key: DataType, value: DataType): DataType => ({ kind: "map", key, value }),
} as const satisfies Record<string, DataType | ((...a: never[]) => DataType)>;

/**
 * Parses a type name as written in `schema.fields`, `columns[].type` or Assert `field_type`
 * (SeaTunnelDataTypeConvertorUtil): case-insensitive, `long`/`short`/`byte` aliases,
 * `decimal(p, s)`, `array<T>`, `map<K, V>`. Throws ConfigError(CONFIG_TYPE_INVALID) naming the field.
 */
export function parseType(text: string, field = "", pos?: Pos): DataType {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === "long") {
    return T.bigint;
  }
  if (lower === "short") {
    return T.smallint;
  }
  if (lower === "byte") {
    return T.tinyint;
  }
  if (t.startsWith("{")) {
    return parseRowText(t, field, pos);
  }
  const compact = lower.replace(/\s+/g, "");
  if (PRIMITIVE.has(compact)) {
    return { kind: compact } as DataType;
  }
  const fail = (why = ""): never => {
    const hint = TYPE_HINTS[compact] ?? (why ? undefined : didYouMean(compact, PRIMITIVE));
    throw new ConfigError(
      "CONFIG_TYPE_INVALID",
      `${field ? `field "${field}": ` : ""}expected a data type (string, boolean, tinyint, smallint, int, bigint, float, double, decimal(p, s), null, bytes, date, time, timestamp, array<T>, map<K, V> or a nested row), received "${text}"${why}${hint ? `; did you mean "${hint}"?` : ""}`,
      pos,
    );
  };
  if (compact.startsWith("decimal")) {
    const inner = compact.slice("decimal".length).replace(/^\(|\)$/g, "");
    const parts = inner.split(",");
    if (parts.length < 2) {
      throw new ConfigError(
        "CONFIG_TYPE_INVALID",
        `${field ? `field "${field}": ` : ""}decimal type should assign precision and scale information, such as "decimal(10, 2)", received "${text}"`,
        pos,
      );
    }
    const precision = Number(parts[0]!.replace(/\D/g, ""));
    const scale = Number(parts[1]!.replace(/\D/g, ""));
    if (!Number.isInteger(precision) || !Number.isInteger(scale) || scale > precision) {
      fail();
    }
    return T.decimal(precision, scale);
  }
  if (compact.startsWith("array<") && compact.endsWith(">")) {
    const el = compact.slice(6, -1);
    if (!ARRAY_ELEMENTS.has(el)) {
      fail(" (array elements must be string, boolean, tinyint, smallint, int, bigint, float or double)");
    }
    return T.array(parseType(el, field, pos));
  }
  if (compact.startsWith("map<") && compact.endsWith(">")) {
    // Split at the first comma outside brackets (a decimal key keeps its own): the value may be a row.
    const [key, ...value] = splitOutside(t.slice(t.indexOf("<") + 1, t.lastIndexOf(">")), ",");
    if (key === undefined || value.length === 0) {
      fail();
    }
    return T.map(parseType(key!.trim(), field, pos), parseType(value.join(",").trim(), field, pos));
  }
  return fail();
}

/** `text` cut at every one of `seps` that is outside (), <>, {} and quotes. */
function splitOutside(text: string, seps: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      quote = c === quote ? "" : quote;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if ("(<{".includes(c)) {
      depth++;
    } else if (")>}".includes(c)) {
      depth--;
    } else if (depth === 0 && seps.includes(c)) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

const unquote = (s: string): string => (/^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s);

/**
 * A row type written as text, as SeaTunnel reads a type string that starts with `{`: HOCON's
 * object syntax, `{ a = int, b = "decimal(10, 2)", c { d = string } }` (`=` or `:`, fields apart
 * by commas or new lines), field names kept as written.
 */
function parseRowText(t: string, field: string, pos?: Pos): DataType {
  const bad = (why: string): never => {
    throw new ConfigError(
      "CONFIG_TYPE_INVALID",
      `${field ? `field "${field}": ` : ""}a row type is written { name = type, ... }, received "${t}" (${why})`,
      pos,
    );
  };
  if (!t.endsWith("}")) {
    bad("no closing }");
  }
  const fields: { name: string; type: DataType }[] = [];
  for (const item of splitOutside(t.slice(1, -1), ",\n")) {
    const text = item.trim();
    if (text === "") {
      continue;
    }
    // `name = type`, `name: type`, or `name { ... }` for a nested row.
    const [head, ...rest] = splitOutside(text, "=:");
    const brace = text.indexOf("{");
    const [name, type] =
      rest.length > 0
        ? [head!, rest.join(":")]
        : brace > 0
          ? [text.slice(0, brace), text.slice(brace)]
          : bad(`"${text}" has no type`);
    const key = unquote(name.trim());
    fields.push({ name: key, type: parseType(unquote(type.trim()), key, pos) });
  }
  if (fields.length === 0) {
    bad("no fields");
  }
  return { kind: "row", fields };
}

/** SeaTunnel's toString of a type, as Console logs it (`STRING`, `Decimal(10, 2)`, `Map<STRING, INT>`, `ROW<a INT,b STRING>`). */
export function typeToString(t: DataType): string {
  switch (t.kind) {
    case "decimal":
      return `Decimal(${t.precision}, ${t.scale})`;
    case "array":
      return `ARRAY<${typeToString(t.element)}>`;
    case "map":
      return `Map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case "row":
      return `ROW<${t.fields.map((f) => `${f.name} ${typeToString(f.type)}`).join(",")}>`;
    default:
      return t.kind.toUpperCase();
  }
}

/** Structural equality of two types. */
export function sameType(a: DataType, b: DataType): boolean {
  return typeToString(a) === typeToString(b);
}

const SAFE_UNSCALED = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact decimal: value = unscaled × 10^-scale. toString matches Java's BigDecimal.toPlainString for scale ≥ 0. */
export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  /** Parses `-12.340`, `1e3`, `.5`; the scale is the number of digits after the point (exponent applied). */
  static parse(text: string): Decimal {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
      throw new Error(`not a decimal number: "${text}"`);
    }
    const frac = m[3] ?? "";
    let scale = frac.length - Number(m[4] ?? 0);
    let unscaled = BigInt((m[2] || "0") + frac);
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(m[1] === "-" ? -unscaled : unscaled, scale);
  }

  static fromNumber(n: number, scale?: number): Decimal {
    const d = Decimal.parse(String(n));
    return scale === undefined ? d : d.setScale(scale);
  }

  /** Rescales with HALF_UP rounding. */
  setScale(scale: number): Decimal {
    if (scale === this.scale) {
      return this;
    }
    if (scale > this.scale) {
      return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    }
    const div = 10n ** BigInt(this.scale - scale);
    const neg = this.unscaled < 0n;
    const abs = neg ? -this.unscaled : this.unscaled;
    let q = abs / div;
    if ((abs % div) * 2n >= div) {
      q += 1n;
    }
    return new Decimal(neg ? -q : q, scale);
  }

  /** Number of significant digits of the unscaled value (BigDecimal.precision). */
  precision(): number {
    const s = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    return s.length;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  compare(o: Decimal): number {
    const s = Math.max(this.scale, o.scale);
    const a = this.setScale(s).unscaled;
    const b = o.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: unknown): boolean {
    return o instanceof Decimal && o.unscaled === this.unscaled && o.scale === this.scale;
  }

  toString(): string {
    const u = this.unscaled;
    if (u <= SAFE_UNSCALED && u >= -SAFE_UNSCALED && this.scale >= 0) {
      // Within 2^53 the digits come from a Number: no BigInt negation or padding.
      const n = Number(u);
      if (this.scale === 0) {
        return String(n);
      }
      const neg = n < 0;
      let digits = String(neg ? -n : n);
      if (digits.length <= this.scale) {
        digits = "0".repeat(this.scale - digits.length + 1) + digits;
      }
      const cut = digits.length - this.scale;
      const text = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
      return neg ? `-${text}` : text;
    }
    const neg = u < 0n;
    let digits = (neg ? -u : u).toString();
    if (this.scale > 0) {
      digits = digits.padStart(this.scale + 1, "0");
      digits = `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
    }
    return neg ? `-${digits}` : digits;
  }

  toJSON(): string {
    return this.toString();
  }
}

// The temporal value classes live in temporal.ts; re-exported so existing imports keep working.
export { daysInMonth, LocalDate, LocalDateTime, LocalTime, zeroPad } from "./temporal.ts";
