/**
 * Formatting and parsing with java.time patterns (English, ResolverStyle.SMART), for
 * FORMATDATETIME, TO_CHAR, FROM_UNIXTIME, PARSEDATETIME/TO_DATE and IS_DATE.
 */
import { daysInMonth, LocalDate, LocalDateTime, LocalTime } from "../../../src/api/index.ts";
import { JavaError } from "./java.ts";
import { compiledPattern, isNumeric, widths, type FieldPart, type Part } from "./pattern.ts";

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const ORDINALS = ["1st", "2nd", "3rd", "4th"];

const FIELD_NAMES: Record<string, string> = {
  G: "Era",
  y: "YearOfEra",
  u: "Year",
  D: "DayOfYear",
  M: "MonthOfYear",
  L: "MonthOfYear",
  d: "DayOfMonth",
  Q: "QuarterOfYear",
  q: "QuarterOfYear",
  E: "DayOfWeek",
  e: "DayOfWeek",
  c: "DayOfWeek",
  F: "AlignedDayOfWeekInMonth",
  a: "AmPmOfDay",
  H: "HourOfDay",
  h: "ClockHourOfAmPm",
  K: "HourOfAmPm",
  k: "ClockHourOfDay",
  m: "MinuteOfHour",
  s: "SecondOfMinute",
  S: "NanoOfSecond",
  n: "NanoOfSecond",
  N: "NanoOfDay",
  A: "MilliOfDay",
};
const DATE_LETTERS = "GyuDMLdQqEecF";

/** ISO day of week, 1 = Monday. */
export const isoDayOfWeek = (d: LocalDate): number => ((((d.toEpochDay() + 3) % 7) + 7) % 7) + 1;
export const dayOfYear = (d: LocalDate): number => d.toEpochDay() - new LocalDate(d.year, 1, 1).toEpochDay() + 1;

type Temporal = LocalDate | LocalTime | LocalDateTime;
const pad = (n: number, w: number): string => (n < 0 ? `-${String(-n).padStart(w, "0")}` : String(n).padStart(w, "0"));

function numberOf(p: FieldPart, date: LocalDate | undefined, time: LocalTime | undefined): number {
  const unsupported = () =>
    new JavaError("java.time.temporal.UnsupportedTemporalTypeException", `Unsupported field: ${FIELD_NAMES[p.letter]}`);
  if (DATE_LETTERS.includes(p.letter)) {
    if (!date) {
      throw unsupported();
    }
    switch (p.letter) {
      case "y":
      case "u":
        return p.count === 2 ? ((date.year % 100) + 100) % 100 : date.year;
      case "D":
        return dayOfYear(date);
      case "M":
      case "L":
        return date.month;
      case "d":
        return date.day;
      case "Q":
      case "q":
        return Math.ceil(date.month / 3);
      case "e":
      case "c":
        return (isoDayOfWeek(date) % 7) + 1;
      case "F":
        return ((date.day - 1) % 7) + 1;
      default:
        return isoDayOfWeek(date);
    }
  }
  if (!time) {
    throw unsupported();
  }
  const h = time.hour;
  const nanoOfDay = Number(time.toNanoOfDay());
  const values: Record<string, number> = {
    a: h < 12 ? 0 : 1,
    H: h,
    h: h % 12 === 0 ? 12 : h % 12,
    K: h % 12,
    k: h === 0 ? 24 : h,
    m: time.minute,
    s: time.second,
    S: time.nano,
    n: time.nano,
    N: nanoOfDay,
    A: Math.floor(nanoOfDay / 1e6),
  };
  return values[p.letter]!;
}

function formatField(p: FieldPart, date: LocalDate | undefined, time: LocalTime | undefined): string {
  const v = numberOf(p, date, time);
  switch (p.letter) {
    case "G":
      return p.count === 5
        ? date!.year > 0
          ? "A"
          : "B"
        : p.count === 4
          ? date!.year > 0
            ? "Anno Domini"
            : "Before Christ"
          : date!.year > 0
            ? "AD"
            : "BC";
    case "a":
      return v === 0 ? "AM" : "PM";
    case "S":
      return String(v).padStart(9, "0").slice(0, p.count);
    case "E":
      return dayText(v, p.count);
    default:
      break;
  }
  if ((p.letter === "M" || p.letter === "L") && p.count >= 3) {
    return p.count === 3
      ? MONTH_NAMES[v - 1]!.slice(0, 3)
      : p.count === 4
        ? MONTH_NAMES[v - 1]!
        : MONTH_NAMES[v - 1]![0]!;
  }
  if ((p.letter === "e" || p.letter === "c") && p.count >= 3) {
    return dayText(isoDayOfWeek(date!), p.count);
  }
  if ((p.letter === "Q" || p.letter === "q") && p.count >= 3) {
    return p.count === 3 ? `Q${v}` : p.count === 4 ? `${ORDINALS[v - 1]} quarter` : String(v);
  }
  const [min] = widths(p);
  if ((p.letter === "y" || p.letter === "u") && p.count >= 4 && v > 9999) {
    return `+${v}`;
  }
  return pad(v, min);
}

const dayText = (isoDow: number, count: number): string =>
  count <= 3 ? DAY_NAMES[isoDow - 1]!.slice(0, 3) : count === 4 ? DAY_NAMES[isoDow - 1]! : DAY_NAMES[isoDow - 1]![0]!;

function formatParts(
  parts: Part[],
  date: LocalDate | undefined,
  time: LocalTime | undefined,
  optional: boolean,
): string {
  let out = "";
  for (const p of parts) {
    if (p.k === "lit") {
      out += p.text;
    } else if (p.k === "opt") {
      out += formatParts(p.parts, date, time, true);
    } else {
      try {
        out += formatField(p, date, time);
      } catch (e) {
        if (optional) {
          return "";
        }
        throw e;
      }
    }
  }
  return out;
}

/** `DateTimeFormatter.ofPattern(pattern).format(value)`. */
export function formatTemporal(value: Temporal, pattern: string): string {
  const date = value instanceof LocalDateTime ? value.date : value instanceof LocalDate ? value : undefined;
  const time = value instanceof LocalDateTime ? value.time : value instanceof LocalTime ? value : undefined;
  return formatParts(compiledPattern(pattern), date, time, false);
}

// ----------------------------------------------------------------------------------- parsing

type Parsed = Map<string, number>;

class ParseFail extends Error {
  constructor(readonly index: number) {
    super("parse");
  }
}

function parseSeq(parts: Part[], text: string, pos: number, out: Parsed): number {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.k === "lit") {
      if (!text.startsWith(p.text, pos)) {
        throw new ParseFail(pos);
      }
      pos += p.text.length;
    } else if (p.k === "opt") {
      const saved = new Map(out);
      try {
        pos = parseSeq(p.parts, text, pos, out);
      } catch (e) {
        if (!(e instanceof ParseFail)) {
          throw e;
        }
        out.clear();
        for (const [k, v] of saved) {
          out.set(k, v);
        }
      }
    } else if (isNumeric(p)) {
      pos = parseNumber(p, parts, i, text, pos, out);
    } else {
      pos = parseText(p, text, pos, out);
    }
  }
  return pos;
}

function parseNumber(p: FieldPart, parts: Part[], i: number, text: string, pos: number, out: Parsed): number {
  const [min, max] = widths(p);
  let reserved = 0;
  if (min !== max) {
    for (let j = i + 1; j < parts.length; j++) {
      const q = parts[j]!;
      if (q.k !== "field" || !isNumeric(q)) {
        break;
      }
      const [qmin, qmax] = widths(q);
      if (qmin !== qmax) {
        break;
      }
      reserved += qmin;
    }
  }
  let avail = 0;
  while (pos + avail < text.length && /[0-9]/.test(text[pos + avail]!)) {
    avail++;
  }
  const take = Math.min(max, Math.max(min, avail - reserved));
  if (avail < min || take > avail) {
    throw new ParseFail(pos);
  }
  const digits = text.slice(pos, pos + take);
  let v = Number(digits);
  if (p.letter === "S") {
    v = Number(digits.padEnd(9, "0"));
  }
  if ((p.letter === "y" || p.letter === "u") && p.count === 2) {
    v += 2000;
  }
  out.set(p.letter === "L" ? "M" : p.letter === "n" ? "S" : p.letter === "u" ? "y" : p.letter, v);
  return pos + take;
}

function parseText(p: FieldPart, text: string, pos: number, out: Parsed): number {
  let names: string[];
  if (p.letter === "a") {
    names = ["AM", "PM"];
  } else if (p.letter === "G") {
    names = ["AD", "BC"];
  } else if (p.letter === "M" || p.letter === "L") {
    names = MONTH_NAMES.map((m) => (p.count === 3 ? m.slice(0, 3) : p.count === 4 ? m : m[0]!));
  } else if (p.letter === "Q" || p.letter === "q") {
    names = [1, 2, 3, 4].map((q) => (p.count === 3 ? `Q${q}` : `${ORDINALS[q - 1]} quarter`));
  } else {
    names = DAY_NAMES.map((d) => (p.count <= 3 ? d.slice(0, 3) : p.count === 4 ? d : d[0]!));
  }
  const k = names.findIndex((n) => text.startsWith(n, pos));
  if (k < 0) {
    throw new ParseFail(pos);
  }
  const key = p.letter === "L" ? "M" : p.letter === "e" || p.letter === "c" ? "E" : p.letter;
  out.set(key, p.letter === "a" || p.letter === "G" ? k : k + 1);
  return pos + names[k]!.length;
}

function range(text: string, field: string, v: number, lo: number, hi: number): number {
  if (v < lo || v > hi) {
    throw new JavaError(
      "DateTimeParseException",
      `Text '${text}' could not be parsed: Invalid value for ${field} (valid values ${lo} - ${hi}): ${v}`,
    );
  }
  return v;
}

function resolveDate(text: string, f: Parsed): LocalDate | undefined {
  const y = f.get("y");
  if (y === undefined) {
    return undefined;
  }
  let date: LocalDate;
  if (f.has("M") && f.has("d")) {
    const m = range(text, "MonthOfYear", f.get("M")!, 1, 12);
    const d = range(text, "DayOfMonth", f.get("d")!, 1, 31);
    date = new LocalDate(y, m, Math.min(d, daysInMonth(y, m)));
  } else if (f.has("D")) {
    date = LocalDate.fromEpochDay(
      new LocalDate(y, 1, 1).toEpochDay() + range(text, "DayOfYear", f.get("D")!, 1, 366) - 1,
    );
  } else {
    return undefined;
  }
  const dow = f.get("E");
  if (dow !== undefined && dow !== isoDayOfWeek(date)) {
    throw new JavaError(
      "DateTimeParseException",
      `Text '${text}' could not be parsed: Conflict found: Field DayOfWeek ${isoDayOfWeek(date)} differs from DayOfWeek ${dow} derived from ${date}`,
    );
  }
  return date;
}

function resolveTime(text: string, f: Parsed): LocalTime | undefined {
  let hour = f.get("H");
  const ampm = f.get("a");
  if (hour === undefined && f.has("k")) {
    hour = range(text, "ClockHourOfDay", f.get("k")!, 1, 24) % 24;
  }
  if (hour === undefined && ampm !== undefined && f.has("h")) {
    hour = (range(text, "ClockHourOfAmPm", f.get("h")!, 1, 12) % 12) + ampm * 12;
  }
  if (hour === undefined && ampm !== undefined && f.has("K")) {
    hour = range(text, "HourOfAmPm", f.get("K")!, 0, 11) + ampm * 12;
  }
  if (hour === undefined) {
    return undefined;
  }
  const m = f.get("m");
  const s = f.get("s");
  const nano = f.get("S");
  if (
    (m === undefined && (s !== undefined || nano !== undefined)) ||
    (m !== undefined && s === undefined && nano !== undefined)
  ) {
    return undefined;
  }
  return new LocalTime(
    range(text, "HourOfDay", hour, 0, 23),
    range(text, "MinuteOfHour", m ?? 0, 0, 59),
    range(text, "SecondOfMinute", s ?? 0, 0, 59),
    nano ?? 0,
  );
}

export type TemporalKind = "datetime" | "date" | "time";
const KIND_CLASS: Record<TemporalKind, string> = { datetime: "LocalDateTime", date: "LocalDate", time: "LocalTime" };

/** `LocalDateTime.parse(text, ofPattern(pattern))` (or LocalDate / LocalTime) with Java's errors. */
export function parseTemporal(text: string, pattern: string, kind: TemporalKind): Temporal {
  const parts = compiledPattern(pattern);
  const fields: Parsed = new Map();
  let end: number;
  try {
    end = parseSeq(parts, text, 0, fields);
  } catch (e) {
    if (e instanceof ParseFail) {
      throw new JavaError("DateTimeParseException", `Text '${text}' could not be parsed at index ${e.index}`);
    }
    throw e;
  }
  if (end < text.length) {
    throw new JavaError(
      "DateTimeParseException",
      `Text '${text}' could not be parsed, unparsed text found at index ${end}`,
    );
  }
  const date = kind === "time" ? undefined : resolveDate(text, fields);
  const time = kind === "date" ? undefined : resolveTime(text, fields);
  const missing = (kind !== "time" && !date) || (kind !== "date" && !time);
  if (missing) {
    throw new JavaError(
      "DateTimeParseException",
      `Text '${text}' could not be parsed: Unable to obtain ${KIND_CLASS[kind]} from TemporalAccessor of type java.time.format.Parsed`,
    );
  }
  if (kind === "date") {
    return date!;
  }
  if (kind === "time") {
    return time!;
  }
  return new LocalDateTime(date!, time!);
}
