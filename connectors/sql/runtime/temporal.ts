/** java.time arithmetic on the API's LocalDate / LocalTime / LocalDateTime: plus*, Duration, Period. */
import { daysInMonth, LocalDate, LocalDateTime, LocalTime } from "../../../src/api/index.ts";
import { JavaError } from "./java.ts";

const NANOS_PER_DAY = 86_400_000_000_000n;

export function plusMonths(d: LocalDate, months: bigint): LocalDate {
  if (months === 0n) {
    return d;
  }
  const total = BigInt(d.year) * 12n + BigInt(d.month - 1) + months;
  const year = Number(total >= 0n ? total / 12n : -((-total + 11n) / 12n));
  const month = Number(total - BigInt(year) * 12n) + 1;
  return new LocalDate(year, month, Math.min(d.day, daysInMonth(year, month)));
}

export const plusDays = (d: LocalDate, days: bigint): LocalDate =>
  days === 0n ? d : LocalDate.fromEpochDay(d.toEpochDay() + Number(days));

const timeOfNanos = (n: bigint): LocalTime => {
  const secs = Number(n / 1_000_000_000n);
  return new LocalTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, Number(n % 1_000_000_000n));
};

/** LocalDateTime.plusNanos / plusSeconds / ...: carries into the date. */
export function dateTimePlusNanos(t: LocalDateTime, nanos: bigint): LocalDateTime {
  if (nanos === 0n) {
    return t;
  }
  const total = BigInt(t.date.toEpochDay()) * NANOS_PER_DAY + t.time.toNanoOfDay() + nanos;
  const days = total >= 0n ? total / NANOS_PER_DAY : -((-total + NANOS_PER_DAY - 1n) / NANOS_PER_DAY);
  return new LocalDateTime(LocalDate.fromEpochDay(Number(days)), timeOfNanos(total - days * NANOS_PER_DAY));
}

/** LocalTime.plusNanos: wraps around midnight. */
export function timePlusNanos(t: LocalTime, nanos: bigint): LocalTime {
  const n = (((t.toNanoOfDay() + nanos) % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY;
  return timeOfNanos(n);
}

const className = (v: unknown): string =>
  v instanceof LocalDateTime
    ? "LocalDateTime"
    : v instanceof LocalDate
      ? "LocalDate"
      : v instanceof LocalTime
        ? "LocalTime"
        : typeof v;

/** `Duration.between(a, b)` in nanoseconds; Java's errors for dates and mixed types. */
export function durationNanos(a: unknown, b: unknown): bigint {
  if (a instanceof LocalDate) {
    throw new JavaError("java.time.temporal.UnsupportedTemporalTypeException", "Unsupported unit: Seconds");
  }
  if (a instanceof LocalDateTime) {
    if (!(b instanceof LocalDateTime)) {
      throw new JavaError(
        "DateTimeException",
        `Unable to obtain LocalDateTime from TemporalAccessor: ${String(b)} of type java.time.${className(b)}`,
      );
    }
    return (
      BigInt(b.date.toEpochDay() - a.date.toEpochDay()) * NANOS_PER_DAY + b.time.toNanoOfDay() - a.time.toNanoOfDay()
    );
  }
  if (a instanceof LocalTime) {
    const bt = b instanceof LocalDateTime ? b.time : b;
    if (!(bt instanceof LocalTime)) {
      throw new JavaError(
        "DateTimeException",
        `Unable to obtain LocalTime from TemporalAccessor: ${String(b)} of type java.time.${className(b)}`,
      );
    }
    return bt.toNanoOfDay() - a.toNanoOfDay();
  }
  throw new JavaError(
    "ClassCastException",
    `class ${className(a)} cannot be cast to class java.time.temporal.Temporal`,
  );
}

/** `Period.between(a, b)`: whole years, months (0-11) and days. */
export function periodBetween(a: LocalDate, b: LocalDate): { years: number; months: number; days: number } {
  let totalMonths = b.year * 12 + b.month - 1 - (a.year * 12 + a.month - 1);
  let days = b.day - a.day;
  if (totalMonths > 0 && days < 0) {
    totalMonths--;
    days = b.toEpochDay() - plusMonths(a, BigInt(totalMonths)).toEpochDay();
  } else if (totalMonths < 0 && days > 0) {
    totalMonths++;
    days -= daysInMonth(b.year, b.month);
  }
  return { years: Math.trunc(totalMonths / 12), months: totalMonths % 12, days };
}

/** The local date and time of now (LocalDateTime.now(), millisecond precision). */
export function now(): LocalDateTime {
  const d = new Date();
  return new LocalDateTime(
    new LocalDate(d.getFullYear(), d.getMonth() + 1, d.getDate()),
    new LocalTime(d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds() * 1_000_000),
  );
}

export const dateOf = (v: unknown): LocalDate | undefined =>
  v instanceof LocalDateTime ? v.date : v instanceof LocalDate ? v : undefined;
export const timeOf = (v: unknown): LocalTime | undefined =>
  v instanceof LocalDateTime ? v.time : v instanceof LocalTime ? v : undefined;
