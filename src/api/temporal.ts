/**
 * The java.time value classes (LocalDate, LocalTime, LocalDateTime) that carry date, time and
 * timestamp values, with the zero-padding and month-length helpers they share. Kept apart from
 * types.ts because they stand alone; types.ts re-exports them so importers see one module.
 */
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
