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

export type TypeKind = DataType["kind"];

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
    const inner = compact.slice(4, -1);
    let cut = inner.indexOf(",");
    if (inner.startsWith("decimal")) {
      cut = inner.indexOf(",", cut + 1);
    }
    if (cut < 0) {
      fail();
    }
    return T.map(parseType(inner.slice(0, cut), field, pos), parseType(inner.slice(cut + 1), field, pos));
  }
  return fail();
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

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** Zero-padded decimal text; the two-digit and four-digit-year cases without building strings. */
export const zeroPad = (n: number, w = 2): string => {
  if (w === 2 && n >= 0 && n < 100) {
    return TWO_DIGITS[n]!;
  }
  if (w === 4 && n >= 1000 && n <= 9999) {
    return String(n);
  }
  return String(n).padStart(w, "0");
};
const pad = zeroPad;

/** A calendar date without zone (Java LocalDate). */
export class LocalDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  /** `yyyy-MM-dd` */
  static parse(text: string): LocalDate {
    const m = /^(-?\d{4,})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
    if (!m) {
      throw new Error(`not a date (yyyy-MM-dd): "${text}"`);
    }
    const d = new LocalDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!d.isValid()) {
      throw new Error(`not a valid date: "${text}"`);
    }
    return d;
  }

  static fromEpochDay(days: number): LocalDate {
    const dt = new Date(days * 86_400_000);
    return new LocalDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  }

  isValid(): boolean {
    if (this.month < 1 || this.month > 12 || this.day < 1) {
      return false;
    }
    return this.day <= daysInMonth(this.year, this.month);
  }

  toEpochDay(): number {
    // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
    const d = new Date(0);
    d.setUTCFullYear(this.year, this.month - 1, this.day);
    return Math.floor(d.getTime() / 86_400_000);
  }

  equals(o: unknown): boolean {
    return o instanceof LocalDate && o.year === this.year && o.month === this.month && o.day === this.day;
  }

  toString(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A time of day without zone (Java LocalTime); nano keeps sub-second digits exactly. */
export class LocalTime {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second = 0,
    readonly nano = 0,
  ) {}

  /** `HH:mm[:ss[.fffffffff]]` */
  static parse(text: string): LocalTime {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
    if (!m) {
      throw new Error(`not a time (HH:mm:ss): "${text}"`);
    }
    const t = new LocalTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? "").padEnd(9, "0")));
    if (t.hour > 23 || t.minute > 59 || t.second > 59) {
      throw new Error(`not a valid time: "${text}"`);
    }
    return t;
  }

  /** Nanoseconds since midnight. */
  toNanoOfDay(): bigint {
    return BigInt((this.hour * 60 + this.minute) * 60 + this.second) * 1_000_000_000n + BigInt(this.nano);
  }

  equals(o: unknown): boolean {
    return o instanceof LocalTime && o.toNanoOfDay() === this.toNanoOfDay();
  }

  /** Java's LocalTime.toString: `10:00`, `10:00:05`, `10:00:05.123`, `10:00:05.123456`. */
  toString(): string {
    let s = `${pad(this.hour)}:${pad(this.minute)}`;
    if (this.second === 0 && this.nano === 0) {
      return s;
    }
    s += `:${pad(this.second)}`;
    if (this.nano === 0) {
      return s;
    }
    if (this.nano % 1_000_000 === 0) {
      return `${s}.${pad(this.nano / 1_000_000, 3)}`;
    }
    if (this.nano % 1000 === 0) {
      return `${s}.${pad(this.nano / 1000, 6)}`;
    }
    return `${s}.${pad(this.nano, 9)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A date-time without zone (Java LocalDateTime). */
export class LocalDateTime {
  constructor(
    readonly date: LocalDate,
    readonly time: LocalTime,
  ) {}

  /** `yyyy-MM-dd[T ]HH:mm[:ss[.f…]]` */
  static parse(text: string): LocalDateTime {
    const m = /^\s*(\S+?)[T ](\S+)\s*$/.exec(text);
    if (!m) {
      throw new Error(`not a timestamp (yyyy-MM-dd HH:mm:ss): "${text}"`);
    }
    return new LocalDateTime(LocalDate.parse(m[1]!), LocalTime.parse(m[2]!));
  }

  /** From epoch microseconds, interpreted in UTC. */
  static fromEpochMicros(us: bigint): LocalDateTime {
    const days = us >= 0n ? us / 86_400_000_000n : -((-us + 86_399_999_999n) / 86_400_000_000n);
    const rest = us - days * 86_400_000_000n;
    const secs = Number(rest / 1_000_000n);
    const nano = Number(rest % 1_000_000n) * 1000;
    return new LocalDateTime(
      LocalDate.fromEpochDay(Number(days)),
      new LocalTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, nano),
    );
  }

  toEpochMicros(): bigint {
    return BigInt(this.date.toEpochDay()) * 86_400_000_000n + this.time.toNanoOfDay() / 1000n;
  }

  equals(o: unknown): boolean {
    return o instanceof LocalDateTime && this.date.equals(o.date) && this.time.equals(o.time);
  }

  /** Java's LocalDateTime.toString: `2024-01-01T10:00`, seconds and fraction only when non-zero. */
  toString(): string {
    return `${this.date}T${this.time}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
