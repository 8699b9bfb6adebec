/**
 * SystemFunction.castAs at SeaTunnel's corpus commit: numeric targets parse `String.valueOf(v)`
 * (so `CAST(1.5 AS INT)` throws NumberFormatException), DECIMAL rounds with CEILING, DATE/TIME
 * accept an int written as yyyyMMdd / HHmmss, TIMESTAMP a long of epoch milliseconds.
 */
import { daysInMonth, LocalDate, LocalDateTime, LocalTime, type DataType } from "../../../src/api/index.ts";
import { decSetScale } from "./decimal.ts";
import {
  JavaError,
  parseJavaByte,
  parseJavaDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  parseJavaShort,
  stringifier,
  unsupported,
} from "./java.ts";

const MONTHS = [
  "JANUARY",
  "FEBRUARY",
  "MARCH",
  "APRIL",
  "MAY",
  "JUNE",
  "JULY",
  "AUGUST",
  "SEPTEMBER",
  "OCTOBER",
  "NOVEMBER",
  "DECEMBER",
];

function checkRange(field: string, v: number, lo: number, hi: number): void {
  if (v < lo || v > hi) {
    throw new JavaError("DateTimeException", `Invalid value for ${field} (valid values ${lo} - ${hi}): ${v}`);
  }
}

/** `LocalDate.of(y, m, d)` with its exceptions. */
export function localDateOf(y: number, m: number, d: number): LocalDate {
  checkRange("MonthOfYear", m, 1, 12);
  checkRange("DayOfMonth", d, 1, 31);
  if (d > daysInMonth(y, m)) {
    throw new JavaError(
      "DateTimeException",
      d === 29 ? `Invalid date 'February 29' as '${y}' is not a leap year` : `Invalid date '${MONTHS[m - 1]} ${d}'`,
    );
  }
  return new LocalDate(y, m, d);
}

/** `LocalTime.of(h, m, s)` with its exceptions. */
export function localTimeOf(h: number, m: number, s: number, nano = 0): LocalTime {
  checkRange("HourOfDay", h, 0, 23);
  checkRange("MinuteOfHour", m, 0, 59);
  checkRange("SecondOfMinute", s, 0, 59);
  return new LocalTime(h, m, s, nano);
}

/** Epoch milliseconds as a local date-time in the system zone (`LocalDateTime.ofInstant`). */
export function localDateTimeOfMillis(ms: number): LocalDateTime {
  const d = new Date(ms);
  const nano = (((ms % 1000) + 1000) % 1000) * 1_000_000;
  return new LocalDateTime(
    new LocalDate(d.getFullYear(), d.getMonth() + 1, d.getDate()),
    new LocalTime(d.getHours(), d.getMinutes(), d.getSeconds(), nano),
  );
}

const today = (): LocalDate => {
  const d = new Date();
  return new LocalDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
};

type Conv = (v: unknown) => unknown;

/** TIMESTAMP/DATETIME, DATE and TIME targets: from date-time values, epoch millis or yyyyMMdd / HHmmss ints. */
function temporalConverter(target: string, from: DataType): Conv {
  const isInt = from.kind === "int";
  switch (target) {
    case "TIMESTAMP":
    case "DATETIME":
      return (v) => {
        if (v instanceof LocalDateTime) {
          return v;
        }
        if (typeof v === "bigint") {
          return localDateTimeOfMillis(Number(v));
        }
        if (v instanceof LocalDate) {
          return new LocalDateTime(v, new LocalTime(0, 0));
        }
        if (v instanceof LocalTime) {
          return new LocalDateTime(today(), v);
        }
        throw unsupported(`Unsupported CAST AS type: ${target}`);
      };
    case "DATE":
      return (v) => {
        if (v instanceof LocalDateTime) {
          return v.date;
        }
        if (v instanceof LocalDate) {
          return v;
        }
        if (isInt && typeof v === "number") {
          return localDateOf(Math.trunc(v / 10000), Math.trunc(v / 100) % 100, v % 100);
        }
        throw unsupported(`Unsupported CAST AS type: ${target}`);
      };
    case "TIME":
      return (v) => {
        if (v instanceof LocalDateTime) {
          return v.time;
        }
        if (v instanceof LocalTime) {
          return v;
        }
        if (v instanceof LocalDate) {
          return new LocalTime(0, 0);
        }
        if (isInt && typeof v === "number") {
          return localTimeOf(Math.trunc(v / 10000), Math.trunc(v / 100) % 100, v % 100);
        }
        throw unsupported(`Unsupported CAST AS type: ${target}`);
      };
    default:
      return () => {
        throw unsupported(`Unsupported CAST AS type: ${target}`);
      };
  }
}

/** The converter for one target, given the source value's type (both known at plan time). */
function targetConverter(target: string, to: DataType, from: DataType): Conv {
  const str = stringifier(from);
  switch (target) {
    case "VARCHAR":
    case "STRING":
      return str;
    case "TINYINT":
    case "BYTE":
      return (v) => parseJavaByte(str(v));
    case "SMALLINT":
      return (v) => parseJavaShort(str(v));
    case "INT":
    case "INTEGER":
      return (v) => parseJavaInt(str(v));
    case "BIGINT":
    case "LONG":
      return (v) => parseJavaLong(str(v));
    case "BYTES":
    case "BINARY":
      return (v) => new TextEncoder().encode(str(v));
    case "DOUBLE":
      return (v) => parseJavaDouble(str(v));
    case "FLOAT":
      return (v) => Math.fround(parseJavaDouble(str(v)));
    case "BOOLEAN":
      return (v) => {
        if (typeof v === "boolean") {
          return v;
        }
        if (typeof v === "string" && /^(true|false)$/i.test(v)) {
          return v.toLowerCase() === "true";
        }
        if (typeof v === "number" && (v === 0 || v === 1)) {
          return v === 1;
        }
        throw unsupported(`Unsupported CAST AS Boolean: ${str(v)}`);
      };
    case "TIMESTAMP":
    case "DATETIME":
    case "DATE":
    case "TIME":
      return temporalConverter(target, from);
    case "DECIMAL": {
      const scale = to.kind === "decimal" ? to.scale : 0;
      return (v) => decSetScale(parseJavaDecimal(str(v)), scale, "CEILING");
    }
    default:
      return () => {
        throw unsupported(`Unsupported CAST AS type: ${target}`);
      };
  }
}

/**
 * `castAs(v, target)` as one function: null stays null, a string equal to the target's name becomes
 * null (castAs's `v1.equals(v2)` check), otherwise the target's conversion.
 */
export function makeCast(target: string, to: DataType, from: DataType): Conv {
  const conv = targetConverter(target.toUpperCase(), to, from);
  const name = target.toUpperCase();
  return (v) => (v === null || v === undefined || v === name ? null : conv(v));
}
