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
 * Any field value may also be null. Type names as job files write them are read in type-text.ts.
 */
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
