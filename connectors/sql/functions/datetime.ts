/**
 * Date and time functions (DateTimeFunction.java). Units are strings (`'DAY'`, default DAY); a unit
 * that does not apply to the value's type leaves it unchanged (DATEADD) or gives NULL (EXTRACT).
 * WEEK is ISO week-of-year + 1, as SeaTunnel computes it.
 */
import { LocalDate, LocalDateTime, LocalTime, T, type DataType, type Decimal } from "../../../src/api/index.ts";
import {
  DAY_NAMES,
  dayOfYear,
  formatTemporal,
  isoDayOfWeek,
  MONTH_NAMES,
  parseTemporal,
  type TemporalKind,
} from "../runtime/datetime-format.ts";
import { JavaError, longValue, unsupported } from "../runtime/java.ts";
import {
  dateOf,
  dateTimePlusNanos,
  durationNanos,
  now,
  periodBetween,
  plusDays,
  plusMonths,
  timeOf,
  timePlusNanos,
} from "../runtime/temporal.ts";
import { atZone, zoneOf } from "../runtime/zone.ts";
import { fixed, type FnDef } from "./registry.ts";

type Num = number | bigint | Decimal;
const UNIT_NANOS: Record<string, bigint> = {
  HOUR: 3_600_000_000_000n,
  MINUTE: 60_000_000_000n,
  SECOND: 1_000_000_000n,
  MILLISECOND: 1_000_000n,
};
const unitOf = (v: unknown): string => (typeof v === "string" ? v.toUpperCase() : "DAY");
const npe = (fn: string): JavaError => new JavaError("NullPointerException", `${fn}: the value has no date part`);
const fieldError = (unit: string, fn: string) => unsupported(`Unsupported dateTimeField: ${unit} for function: ${fn}`);

function dateadd(dt: unknown, countV: unknown, unitV: unknown): unknown {
  if (dt === null || dt === undefined) {
    return null;
  }
  if (countV === null || countV === undefined) {
    throw new JavaError("NullPointerException", "DATEADD: the amount is null");
  }
  const count = longValue(countV as Num);
  const unit = unitOf(unitV);
  const date = dt instanceof LocalDate ? dt : undefined;
  const ldt = dt instanceof LocalDateTime ? dt : undefined;
  const months = unit === "YEAR" ? count * 12n : unit === "MONTH" ? count : undefined;
  const days = unit === "WEEK" ? count * 7n : unit === "DAY" ? count : undefined;
  if (months !== undefined || days !== undefined) {
    const shift = (d: LocalDate) => (months !== undefined ? plusMonths(d, months) : plusDays(d, days!));
    if (date) {
      return shift(date);
    }
    if (ldt) {
      return new LocalDateTime(shift(ldt.date), ldt.time);
    }
    return dt;
  }
  const nanos = UNIT_NANOS[unit];
  if (nanos === undefined) {
    throw fieldError(unit, "DATEDIFF");
  }
  if (ldt) {
    return dateTimePlusNanos(ldt, count * nanos);
  }
  if (dt instanceof LocalTime) {
    return timePlusNanos(dt, count * nanos);
  }
  return dt;
}

function datediff(a: unknown, b: unknown, unitV: unknown): bigint | null {
  if (a === null || a === undefined || b === null || b === undefined) {
    return null;
  }
  const unit = unitOf(unitV);
  const d1 = dateOf(a);
  const d2 = dateOf(b);
  const trunc = (n: bigint, per: bigint) => n / per;
  switch (unit) {
    case "YEAR":
      return d1 && d2 ? BigInt(periodBetween(d1, d2).years) : null;
    case "MONTH":
      return d1 && d2 ? BigInt(periodBetween(d1, d2).months) : null;
    case "DAY":
      return d1 && d2 ? BigInt(d2.toEpochDay() - d1.toEpochDay()) : null;
    case "WEEK":
      return trunc(durationNanos(a, b), 86_400_000_000_000n) / 7n;
    case "DAYTIME":
      return trunc(durationNanos(a, b), 86_400_000_000_000n);
    case "HOUR":
    case "MINUTE":
      return trunc(durationNanos(a, b), UNIT_NANOS[unit]!);
    case "SECOND":
      return trunc(durationNanos(a, b), 1_000_000n) / 1000n;
    case "MILLISECOND":
      return trunc(durationNanos(a, b), 1_000_000n);
    default:
      throw fieldError(unit, "DATEDIFF");
  }
}

function dateTrunc(dt: unknown, unitV: unknown): LocalDateTime | null {
  if (dt === null || dt === undefined) {
    return null;
  }
  const t = dt as LocalDateTime;
  const unit = unitOf(unitV);
  const { year, month, day } = t.date;
  const { hour, minute, second } = t.time;
  const parts: Record<string, [number, number, number, number, number]> = {
    YEAR: [1, 1, 0, 0, 0],
    MONTH: [month, 1, 0, 0, 0],
    DAY: [month, day, 0, 0, 0],
    HOUR: [month, day, hour, 0, 0],
    MINUTE: [month, day, hour, minute, 0],
    SECOND: [month, day, hour, minute, second],
  };
  const p = parts[unit];
  if (!p) {
    throw fieldError(unit, "DATEDIFF");
  }
  return new LocalDateTime(new LocalDate(year, p[0], p[1]), new LocalTime(p[2], p[3], p[4]));
}

function extract(dt: unknown, field: unknown): number | null {
  if (dt === null || dt === undefined) {
    return null;
  }
  const name = String(field).toUpperCase();
  const date = dt instanceof LocalTime ? undefined : dateOf(dt);
  const time = dt instanceof LocalDate ? undefined : timeOf(dt);
  switch (name) {
    case "YEAR":
      return date ? date.year : null;
    case "MONTH":
      return date ? date.month : null;
    case "DAY":
      return date ? date.day : null;
    case "HOUR":
      return time ? time.hour : null;
    case "MINUTE":
      return time ? time.minute : null;
    case "SECOND":
      return time ? time.second : null;
    case "MILLISECOND":
      return time ? Math.floor(time.nano / 1_000_000) : null;
    case "DAYOFWEEK":
      if (!date) {
        throw npe("EXTRACT");
      }
      return isoDayOfWeek(date);
    case "DAYOFYEAR":
      if (!date) {
        throw npe("EXTRACT");
      }
      return dayOfYear(date);
    default:
      throw unsupported(`Unsupported dateTimeField: ${String(field)} for function: EXTRACT`);
  }
}

/** A function of the date part (LocalDate or LocalDateTime); NullPointerException for a time. */
const ofDate = (names: string[], sig: string, doc: string, type: DataType, f: (d: LocalDate) => unknown): FnDef =>
  fixed(
    names,
    "datetime",
    sig,
    doc,
    1,
    type,
    (v) => {
      if (v === null || v === undefined) {
        return null;
      }
      const d = dateOf(v);
      if (!d) {
        throw npe(names[0]!);
      }
      return f(d);
    },
    "t",
  );

const ofTime = (name: string, doc: string, f: (t: LocalTime) => number): FnDef =>
  fixed(
    [name],
    "datetime",
    `${name}(dateAndTime) -> INT`,
    doc,
    1,
    T.int,
    (v) => {
      if (v === null || v === undefined) {
        return null;
      }
      const t = timeOf(v);
      if (!t) {
        throw npe(name);
      }
      return f(t);
    },
    "t",
  );

/** PARSEDATETIME's result type, read from the literal text of its format argument (ZetaSQLType). */
export function parseKind(formatText: string): TemporalKind | undefined {
  const yy = formatText.includes("yy");
  const mm = formatText.includes("mm");
  return yy && mm ? "datetime" : yy ? "date" : mm ? "time" : undefined;
}

const KIND_TYPE: Record<TemporalKind, DataType> = { datetime: T.timestamp, date: T.date, time: T.time };

function parsedatetime(s: unknown, fmt: unknown): unknown {
  if (s === null || s === undefined) {
    return null;
  }
  const format = fmt as string;
  const kind = parseKind(format);
  if (!kind) {
    throw unsupported(`Unknown pattern letter ${format} for function: PARSEDATETIME`);
  }
  return parseTemporal(s as string, format, kind);
}

function isDate(s: unknown, fmt: unknown): boolean {
  if (typeof s !== "string" || s === "" || typeof fmt !== "string") {
    return false;
  }
  try {
    parseTemporal(s, fmt, parseKind(fmt) ?? "datetime");
    return true;
  } catch (e) {
    if (e instanceof JavaError) {
      return false;
    }
    throw e;
  }
}

function fromUnixtime(t: unknown, fmt: unknown, tz: unknown, withZone: boolean): string | null {
  if (t === null || t === undefined) {
    return null;
  }
  const seconds = longValue(t as Num);
  if (withZone && (tz === null || tz === undefined)) {
    throw new JavaError("NullPointerException", "zoneId");
  }
  const zone = withZone ? zoneOf(tz as string) : { system: true as const };
  return formatTemporal(atZone(Number(seconds) * 1000, zone), fmt as string);
}

export const datetimeFunctions: FnDef[] = [
  fixed(["NOW"], "datetime", "NOW() -> TIMESTAMP", "The current local date-time.", 0, T.timestamp, now),
  {
    names: ["DATEADD", "TIMESTAMPADD"],
    family: "datetime",
    signature: "DATEADD | TIMESTAMPADD(dateAndTime, amount[, unit]) -> type of dateAndTime",
    doc: "Adds amount units (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND; default DAY).",
    minArgs: 2,
    expects: "tns",
    result: (a) => ({ type: a[0]!.type, rt: a[0]!.rt }),
    bind: () => dateadd,
  },
  fixed(
    ["DATEDIFF"],
    "datetime",
    "DATEDIFF(a, b[, unit]) -> BIGINT",
    "Whole units from a to b (YEAR, MONTH, DAY, WEEK, HOUR, MINUTE, SECOND, MILLISECOND; default DAY).",
    2,
    T.bigint,
    datediff,
    "tts",
  ),
  fixed(
    ["DATE_TRUNC"],
    "datetime",
    "DATE_TRUNC(timestamp[, unit]) -> TIMESTAMP",
    "Truncates to YEAR, MONTH, DAY, HOUR, MINUTE or SECOND (default DAY).",
    1,
    T.timestamp,
    dateTrunc,
    "Ts",
  ),
  ofDate(
    ["DAYNAME"],
    "DAYNAME(date) -> STRING",
    "English name of the day.",
    T.string,
    (d) => DAY_NAMES[isoDayOfWeek(d) - 1],
  ),
  ofDate(
    ["MONTHNAME"],
    "MONTHNAME(date) -> STRING",
    "English name of the month.",
    T.string,
    (d) => MONTH_NAMES[d.month - 1],
  ),
  ofDate(["DAY_OF_MONTH"], "DAY_OF_MONTH(date) -> INT", "Day of the month (1-31).", T.int, (d) => d.day),
  ofDate(
    ["DAY_OF_WEEK"],
    "DAY_OF_WEEK(date) -> INT",
    "Day of the week, 1 = Monday ... 7 = Sunday.",
    T.int,
    isoDayOfWeek,
  ),
  ofDate(["DAY_OF_YEAR"], "DAY_OF_YEAR(date) -> INT", "Day of the year (1-366).", T.int, dayOfYear),
  ofDate(["MONTH"], "MONTH(date) -> INT", "Month (1-12).", T.int, (d) => d.month),
  ofDate(["YEAR"], "YEAR(date) -> INT", "Year.", T.int, (d) => d.year),
  ofDate(["QUARTER"], "QUARTER(date) -> INT", "Quarter (1-4).", T.int, (d) => Math.ceil(d.month / 3)),
  ofDate(["WEEK"], "WEEK(date) -> INT", "ISO week-of-year + 1 (SeaTunnel's WEEK).", T.int, (d) => {
    const jan1 = new LocalDate(d.year, 1, 1);
    const offset = (8 - isoDayOfWeek(jan1)) % 7;
    const firstMonday = offset >= 4 ? offset - 7 : offset;
    return Math.floor((dayOfYear(d) - 1 - firstMonday + 7) / 7) + 1;
  }),
  ofTime("HOUR", "Hour (0-23).", (t) => t.hour),
  ofTime("MINUTE", "Minute (0-59).", (t) => t.minute),
  ofTime("SECOND", "Second (0-59).", (t) => t.second),
  fixed(
    ["EXTRACT"],
    "datetime",
    "EXTRACT(field FROM dateAndTime) -> INT",
    "YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, MILLISECOND, DAYOFWEEK or DAYOFYEAR of a value.",
    2,
    T.int,
    extract,
    "t",
  ),
  fixed(
    ["FORMATDATETIME"],
    "datetime",
    "FORMATDATETIME(dateAndTime, format) -> STRING",
    "Formats with a java.time pattern (yyyy-MM-dd HH:mm:ss.SSS).",
    2,
    T.string,
    (v, f) => (v == null ? null : formatTemporal(v as LocalDate, f as string)),
    "ts",
  ),
  {
    names: ["PARSEDATETIME", "TO_DATE"],
    family: "datetime",
    signature: "PARSEDATETIME | TO_DATE(string, format) -> TIMESTAMP | DATE | TIME",
    doc: "Parses with a java.time pattern: TIMESTAMP when the format has yy and mm, DATE with only yy, TIME with only mm.",
    minArgs: 2,
    expects: "ss",
    result: (a, name) => {
      const kind = parseKind(a[1]!.text);
      if (!kind) {
        throw new Error(`Unknown pattern letter ${a[1]!.text} for function: ${name}`);
      }
      return KIND_TYPE[kind];
    },
    bind: () => parsedatetime,
  },
  fixed(
    ["IS_DATE"],
    "datetime",
    "IS_DATE(string, format) -> BOOLEAN",
    "True when the string parses with the java.time pattern.",
    2,
    T.boolean,
    isDate,
    "ss",
  ),
  {
    names: ["FROM_UNIXTIME"],
    family: "datetime",
    signature: "FROM_UNIXTIME(unixSeconds, format[, timeZone]) -> STRING",
    doc: "Formats epoch seconds in the time zone (default: the system zone; e.g. 'UTC+8', 'Asia/Shanghai').",
    minArgs: 2,
    expects: "nss",
    result: () => T.string,
    bind: (a) => (t, f, tz) => fromUnixtime(t, f, tz, a.length >= 3),
  },
];
