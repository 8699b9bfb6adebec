/**
 * COPY text written straight into bytes: the same text as copyLine (pgtext.ts) gives for a row's
 * values, without building a string per value and a line per row and encoding them after. The
 * common values (null, strings, integers, doubles, decimals, dates, timestamps, booleans) are
 * written here; any other value goes through copyLine's own text.
 */
import { type DataType, Decimal, LocalDate, LocalDateTime } from "../../src/api/index.ts";
import { numberText } from "./dialect.ts";
import { escapeCopy, pgText } from "./pgtext.ts";

const enc = new TextEncoder();
const INT31 = 2 ** 31;
// BigInt bounds as constants: a literal with a minus sign is a negation computed at every use.
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NEG_SAFE = -SAFE;
const INT31N = 2n ** 31n;
const NEG_INT31N = -INT31N;
const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6];

/** Writes one non-null value of a column; CopyBytes.value for a value of another kind than the column's. */
export type ValueWriter = (out: CopyBytes, v: unknown) => void;

const anyValue: ValueWriter = (o, v) => o.value(v);

/**
 * A writer per column of these types: each then sees one kind of value, which the JIT keeps to
 * (one writer for every kind measured four times slower on rows of mixed columns).
 */
export function valueWriters(types: DataType[]): ValueWriter[] {
  return types.map((t): ValueWriter => {
    switch (t.kind) {
      case "string":
        return (o, v) => (typeof v === "string" ? o.string(v) : o.value(v));
      case "tinyint":
      case "smallint":
      case "int":
        return (o, v) => (typeof v === "number" && (v | 0) === v && !Object.is(v, -0) ? o.integer(v) : o.value(v));
      case "bigint":
        return (o, v) => (typeof v === "bigint" && v < INT31N && v > NEG_INT31N ? o.integer(Number(v)) : o.value(v));
      case "float":
      case "double":
        return (o, v) => (typeof v === "number" ? o.double(v) : o.value(v));
      case "decimal":
        return (o, v) => (v instanceof Decimal ? o.decimal(v) : o.value(v));
      case "timestamp":
        return (o, v) => (v instanceof LocalDateTime ? o.dateTime(v) : o.value(v));
      case "date":
        return (o, v) => (v instanceof LocalDate ? o.date(v) : o.value(v));
      case "boolean":
        return (o, v) => (typeof v === "boolean" ? o.bool(v) : o.value(v));
      default:
        return anyValue;
    }
  });
}

export class CopyBytes {
  bytes = new Uint8Array(64 << 10);
  n = 0;

  /** The buffer, with room for `more` bytes past n. */
  room(more: number): Uint8Array {
    if (this.n + more > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.n + more));
      grown.set(this.bytes.subarray(0, this.n));
      this.bytes = grown;
    }
    return this.bytes;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.room(s.length * 3);
    this.n += enc.encodeInto(s, this.bytes.subarray(this.n)).written;
  }

  /** A row's values as one COPY line, newline included; `writers` (valueWriters) by column where known. */
  row(fields: unknown[], writers?: ValueWriter[]): void {
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) {
        this.room(1)[this.n++] = 9;
      }
      const v = fields[i];
      const w = writers?.[i];
      if (w === undefined || v === null || v === undefined) {
        this.value(v);
      } else {
        w(this, v);
      }
    }
    this.room(1)[this.n++] = 10;
  }

  value(v: unknown): void {
    if (v === null || v === undefined) {
      const b = this.room(2);
      b[this.n++] = 92;
      b[this.n++] = 78;
    } else if (typeof v === "string") {
      this.string(v);
    } else if (typeof v === "number") {
      this.double(v);
    } else if (typeof v === "boolean") {
      this.bool(v);
    } else if (typeof v === "bigint") {
      if (v < INT31N && v > NEG_INT31N) {
        this.integer(Number(v));
      } else {
        this.ascii(v.toString());
      }
    } else if (v instanceof Decimal) {
      this.decimal(v);
    } else if (v instanceof LocalDateTime) {
      this.dateTime(v);
    } else if (v instanceof LocalDate) {
      this.date(v);
    } else {
      this.text(escapeCopy(pgText(v)));
    }
  }

  bool(v: boolean): void {
    this.room(1)[this.n++] = v ? 116 : 102;
  }

  /**
   * A number as numberText prints it. One with at most six fraction digits (its digits below 2^53)
   * is written from its digits: the fewest fraction digits that read back as the number are its
   * shortest text (tests compare the two on millions of numbers).
   */
  double(v: number): void {
    if ((v | 0) === v && !Object.is(v, -0)) {
      this.integer(v);
      return;
    }
    const a = v < 0 ? -v : v;
    if (a < 1e15 && a >= 1e-6 && !Number.isInteger(a)) {
      for (let k = 1; k <= 6 && a * POW10[k]! < 2 ** 53; k++) {
        const m = Math.round(a * POW10[k]!);
        if (m / POW10[k]! === a) {
          const whole = Math.floor(m / POW10[k]!);
          if (v < 0) {
            this.room(1)[this.n++] = 45;
          }
          if (whole < INT31) {
            this.digits(whole, 1);
          } else {
            this.ascii(String(whole));
          }
          this.room(1)[this.n++] = 46;
          this.digits(m - whole * POW10[k]!, k);
          return;
        }
      }
    }
    this.ascii(numberText(v));
  }

  dateTime(v: LocalDateTime): void {
    this.date(v.date);
    this.room(1)[this.n++] = 32;
    this.time(v.time.hour, v.time.minute, v.time.second, v.time.nano);
  }

  /** A string, COPY-escaped (backslash, newline, carriage return, tab), as UTF-8. */
  string(s: string): void {
    const b = this.room(2 * s.length);
    let o = this.n;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        this.n = o;
        this.text(escapeCopy(s.slice(i)));
        return;
      }
      if (c === 92 || c === 10 || c === 13 || c === 9) {
        b[o++] = 92;
        b[o++] = c === 92 ? 92 : c === 10 ? 110 : c === 13 ? 114 : 116;
      } else {
        b[o++] = c;
      }
    }
    this.n = o;
  }

  /** Text known to be ASCII. */
  private ascii(s: string): void {
    const b = this.room(s.length);
    for (let i = 0; i < s.length; i++) {
      b[this.n + i] = s.charCodeAt(i);
    }
    this.n += s.length;
  }

  /** An integer of at most 31 bits. */
  integer(v: number): void {
    const b = this.room(11);
    if (v < 0) {
      b[this.n++] = 45;
      v = -v;
    }
    this.digits(v, 1);
  }

  /** The digits of a non-negative int32, at least `width` of them (zero-padded). */
  private digits(v: number, width: number): void {
    let len = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) {
      len++;
    }
    if (len < width) {
      len = width;
    }
    const b = this.room(len);
    for (let i = this.n + len - 1; i >= this.n; i--) {
      b[i] = 48 + (v % 10);
      v = (v / 10) | 0;
    }
    this.n += len;
  }

  /** Decimal.toString's text: the unscaled digits with the point `scale` from the end. */
  decimal(d: Decimal): void {
    const u = d.unscaled;
    if (d.scale < 0 || d.scale > 9 || u > SAFE || u < NEG_SAFE) {
      this.ascii(d.toString());
      return;
    }
    let n = Number(u);
    if (n < 0) {
      this.room(1)[this.n++] = 45;
      n = -n;
    }
    if (d.scale === 0) {
      this.ascii(String(n));
      return;
    }
    const unit = 10 ** d.scale;
    const whole = Math.floor(n / unit);
    const frac = n - whole * unit;
    if (whole < INT31) {
      this.digits(whole, 1);
    } else {
      this.ascii(String(whole));
    }
    this.room(1)[this.n++] = 46;
    this.digits(frac, d.scale);
  }

  /** `yyyy-MM-dd` (LocalDate's own text for years past 0–9999). */
  date(d: LocalDate): void {
    if (d.year < 0 || d.year > 9999) {
      this.ascii(d.toString());
      return;
    }
    this.digits(d.year, 4);
    this.room(1)[this.n++] = 45;
    this.digits(d.month, 2);
    this.room(1)[this.n++] = 45;
    this.digits(d.day, 2);
  }

  /** `HH:MM:SS` and the fraction's digits without trailing zeros, when there is one. */
  private time(h: number, m: number, s: number, nano: number): void {
    this.digits(h, 2);
    this.room(1)[this.n++] = 58;
    this.digits(m, 2);
    this.room(1)[this.n++] = 58;
    this.digits(s, 2);
    if (nano === 0) {
      return;
    }
    let f = nano;
    let width = 9;
    while (f % 10 === 0) {
      f /= 10;
      width--;
    }
    this.room(1)[this.n++] = 46;
    this.digits(f, width);
  }
}
