/**
 * Date, time and timestamp text as SeaTunnel's file formats read and write it: a Java
 * DateTimeFormatter pattern (`yyyy-MM-dd HH:mm:ss`, `yyyy.MM.dd`, `yyyy-MM-dd'T'HH:mm:ss.SSS`)
 * compiled once per column into a parser and a formatter. Parsing is strict to the pattern, as
 * `LocalDateTime.parse(text, pattern)` is; callers fall back to the lenient forms of src/api.
 */
import { LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";

/** DateUtils.Formatter, DateTimeUtils.Formatter and TimeUtils.Formatter values SeaTunnel accepts. */
export const DATE_FORMATS = [
  "yyyy-MM-dd",
  "yyyy.MM.dd",
  "yyyy/MM/dd",
  "yyyy-M-d",
  "yyyy.M.d",
  "yyyy/M/d",
  "yyyyMMdd",
] as const;
export const DATETIME_FORMATS = [
  "yyyy-MM-dd HH:mm:ss",
  "yyyy-MM-dd HH:mm:ss.SSS",
  "yyyy-MM-dd HH:mm:ss.SSSSSS",
  "yyyy.MM.dd HH:mm:ss",
  "yyyy/MM/dd HH:mm:ss",
  "yyyy/M/d HH:mm",
  "yyyy-M-d HH:mm",
  "yyyy/M/d H:mm:ss",
  "yyyy-M-d H:mm:ss",
  "yyyyMMddHHmmss",
  "yyyy-MM-dd'T'HH:mm:ss",
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
  "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS",
] as const;
export const TIME_FORMATS = ["HH:mm:ss", "HH:mm:ss.SSS", "HH:mm", "HH:mm:ss.SSSSSS", "HH:mm:ss.SSSSSSSSS"] as const;

type Field = "y" | "M" | "d" | "H" | "m" | "s" | "S";
type Token = { lit: string } | { field: Field; width: number };

/** Splits a Java pattern into fields and literals (`'T'` quoting, `''` for a quote). */
export function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const text = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out.push({ lit: text === "" ? "'" : text });
      i = end < 0 ? pattern.length : end + 1;
    } else if ("yMdHmsS".includes(c)) {
      let j = i;
      while (pattern[j] === c) {
        j++;
      }
      out.push({ field: c as Field, width: j - i });
      i = j;
    } else if (/[A-Za-z]/.test(c)) {
      throw new Error(`Illegal format [${pattern}]: pattern letter "${c}" is not supported`);
    } else {
      out.push({ lit: c });
      i++;
    }
  }
  return out;
}

interface Parts {
  y: number;
  M: number;
  d: number;
  H: number;
  m: number;
  s: number;
  nano: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A strict parser: fixed-width fields take exactly their width, `M`/`d`/`H` one or two digits. */
function compileParse(tokens: Token[]): (text: string) => Parts | undefined {
  return (text) => {
    const p: Parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, nano: 0 };
    let pos = 0;
    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t]!;
      if ("lit" in tok) {
        if (!text.startsWith(tok.lit, pos)) {
          return undefined;
        }
        pos += tok.lit.length;
        continue;
      }
      const next = tokens[t + 1];
      // Adjacent numeric fields (yyyyMMdd) force fixed widths; a lone M/d/H may take two digits.
      const adjacent = next !== undefined && "field" in next;
      const max =
        tok.field === "y"
          ? adjacent
            ? 4
            : 9
          : tok.field === "S"
            ? tok.width
            : tok.width === 1 && !adjacent
              ? 2
              : tok.width;
      const min = tok.field === "y" ? 4 : tok.width;
      let end = pos;
      while (end < text.length && end - pos < max && isDigit(text.charCodeAt(end))) {
        end++;
      }
      if (end - pos < min) {
        return undefined;
      }
      const digits = text.slice(pos, end);
      if (tok.field === "S") {
        p.nano = Number(digits.padEnd(9, "0").slice(0, 9));
      } else {
        p[tok.field] = Number(digits);
      }
      pos = end;
    }
    return pos === text.length ? p : undefined;
  };
}

const pad = (n: number, w: number) => (w <= 1 ? String(n) : String(n).padStart(w, "0"));

function compileFormat(tokens: Token[]): (p: Parts) => string {
  return (p) => {
    let out = "";
    for (const tok of tokens) {
      if ("lit" in tok) {
        out += tok.lit;
      } else if (tok.field === "S") {
        out += String(p.nano).padStart(9, "0").slice(0, tok.width).padEnd(tok.width, "0");
      } else {
        out += pad(p[tok.field], tok.field === "y" ? Math.max(tok.width, 4) : tok.width);
      }
    }
    return out;
  };
}

export interface TemporalCodec<T> {
  pattern: string;
  parse(text: string): T | undefined;
  format(value: T): string;
}

const validDate = (p: Parts) => p.M >= 1 && p.M <= 12 && p.d >= 1 && new LocalDate(p.y, p.M, p.d).isValid();
const validTime = (p: Parts) => p.H <= 23 && p.m <= 59 && p.s <= 59;

export function dateCodec(pattern: string): TemporalCodec<LocalDate> {
  const tokens = tokenize(pattern);
  const parse = compileParse(tokens);
  const format = compileFormat(tokens);
  return {
    pattern,
    parse: (text) => {
      const p = parse(text);
      return p && validDate(p) ? new LocalDate(p.y, p.M, p.d) : undefined;
    },
    format:
      pattern === "yyyy-MM-dd"
        ? (v) => `${year4(v.year)}-${TWO[v.month]}-${TWO[v.day]}`
        : (v) => format({ y: v.year, M: v.month, d: v.day, H: 0, m: 0, s: 0, nano: 0 }),
  };
}

export function timeCodec(pattern: string): TemporalCodec<LocalTime> {
  const tokens = tokenize(pattern);
  const parse = compileParse(tokens);
  const format = compileFormat(tokens);
  return {
    pattern,
    parse: (text) => {
      const p = parse(text);
      return p && validTime(p) ? new LocalTime(p.H, p.m, p.s, p.nano) : undefined;
    },
    format: (v) => format({ y: 1970, M: 1, d: 1, H: v.hour, m: v.minute, s: v.second, nano: v.nano }),
  };
}

/** The decimal value of the digits `text[a, b)`, or -1 when one of them is not a digit. */
export function digitsAt(text: string, a: number, b: number): number {
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      return -1;
    }
    v = v * 10 + c;
  }
  return v;
}

/** `yyyy-MM-dd HH:mm:ss` is the default and by far the most common: a positional fast path. */
function fastDefaultDateTime(text: string): LocalDateTime | undefined {
  if (
    text.length !== 19 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const n = (a: number, b: number) => digitsAt(text, a, b);
  const y = n(0, 4);
  const M = n(5, 7);
  const d = n(8, 10);
  const H = n(11, 13);
  const m = n(14, 16);
  const s = n(17, 19);
  if (y < 0 || M < 1 || M > 12 || d < 1 || H < 0 || H > 23 || m < 0 || m > 59 || s < 0 || s > 59) {
    return undefined;
  }
  const date = new LocalDate(y, M, d);
  return date.isValid() ? new LocalDateTime(date, new LocalTime(H, m, s, 0)) : undefined;
}

/**
 * The ISO shape SeaTunnel's DateTimeUtils reads besides the pattern: `yyyy-MM-dd`, a space or
 * `T`, `HH:mm:ss`, an optional fraction of 1 to 9 digits and an optional offset (`Z`, `+02:00`),
 * on a real calendar day. Returns where the offset starts (the text's length when there is
 * none), or -1 when the text has another shape.
 */
export function isoDateTimeEnd(text: string): number {
  const n = text.length;
  if (n < 19) {
    return -1;
  }
  const sep = text.charCodeAt(10);
  if ((sep !== 32 && sep !== 84) || !dayAt(text, 0) || !clockAt(text, 11)) {
    return -1;
  }
  let i = 19;
  if (i < n && text.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
    }
    if (i === from || i - from > 9) {
      return -1;
    }
  }
  if (i === n) {
    return n;
  }
  const c = text.charCodeAt(i);
  if (c === 90) {
    return i + 1 === n ? i : -1;
  }
  if ((c !== 43 && c !== 45) || n !== i + 6 || text.charCodeAt(i + 3) !== 58) {
    return -1;
  }
  const h = digitsAt(text, i + 1, i + 3);
  const m = digitsAt(text, i + 4, i + 6);
  return h >= 0 && h <= 18 && m >= 0 && m <= 59 ? i : -1;
}

function daysIn(y: number, m: number): number {
  if (m === 2) {
    return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  }
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `yyyy-MM-dd` at `at`, a real calendar day of a four-digit year. */
export function dayAt(s: string, at: number): boolean {
  if (s.charCodeAt(at + 4) !== 45 || s.charCodeAt(at + 7) !== 45) {
    return false;
  }
  const y = digitsAt(s, at, at + 4);
  const m = digitsAt(s, at + 5, at + 7);
  const d = digitsAt(s, at + 8, at + 10);
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

/** `HH:mm:ss` at `at`. */
export function clockAt(s: string, at: number): boolean {
  if (s.charCodeAt(at + 2) !== 58 || s.charCodeAt(at + 5) !== 58) {
    return false;
  }
  const h = digitsAt(s, at, at + 2);
  const m = digitsAt(s, at + 3, at + 5);
  const x = digitsAt(s, at + 6, at + 8);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && x >= 0 && x <= 59;
}

/** Counts the timestamps read with an offset, which a timestamp (without time zone) does not keep. */
export interface ZonedCount {
  count: number;
  example: string;
}

/**
 * A timestamp in the ISO shape of isoDateTimeEnd. An offset is dropped and the local date and
 * time kept, as SeaTunnel's DateTimeUtils does (and PostgreSQL for `timestamp`); `zoned` counts it
 * so that the reader can say so.
 */
export function isoDateTime(text: string, zoned?: ZonedCount): LocalDateTime | undefined {
  const end = isoDateTimeEnd(text);
  if (end < 0) {
    return undefined;
  }
  if (end < text.length && zoned) {
    if (zoned.count++ === 0) {
      zoned.example = text;
    }
  }
  const n = (a: number, b: number) => digitsAt(text, a, b);
  let nano = 0;
  if (end > 20) {
    nano = n(20, end) * 10 ** (9 - (end - 20));
  }
  return new LocalDateTime(
    new LocalDate(n(0, 4), n(5, 7), n(8, 10)),
    new LocalTime(n(11, 13), n(14, 16), n(17, 19), nano),
  );
}

const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const year4 = (y: number) => (y >= 1000 && y <= 9999 ? String(y) : String(y).padStart(4, "0"));

/** `yyyy-MM-dd HH:mm:ss` without the token loop (the default and most common pattern). */
function fastFormatDefault(v: LocalDateTime): string {
  const d = v.date;
  const t = v.time;
  return `${year4(d.year)}-${TWO[d.month]}-${TWO[d.day]} ${TWO[t.hour]}:${TWO[t.minute]}:${TWO[t.second]}`;
}

export function dateTimeCodec(pattern: string): TemporalCodec<LocalDateTime> {
  const tokens = tokenize(pattern);
  const parse = compileParse(tokens);
  const format = compileFormat(tokens);
  const slow = (text: string) => {
    const p = parse(text);
    return p && validDate(p) && validTime(p)
      ? new LocalDateTime(new LocalDate(p.y, p.M, p.d), new LocalTime(p.H, p.m, p.s, p.nano))
      : undefined;
  };
  return {
    pattern,
    parse: pattern === "yyyy-MM-dd HH:mm:ss" ? (text) => fastDefaultDateTime(text) ?? slow(text) : slow,
    format:
      pattern === "yyyy-MM-dd HH:mm:ss"
        ? fastFormatDefault
        : (v) =>
            format({
              y: v.date.year,
              M: v.date.month,
              d: v.date.day,
              H: v.time.hour,
              m: v.time.minute,
              s: v.time.second,
              nano: v.time.nano,
            }),
  };
}

/** Throws `Illegal format [x]` (SeaTunnel's message) when `pattern` is not one of `allowed`. */
export function checkFormat(pattern: string, allowed: readonly string[]): string {
  if (!allowed.includes(pattern)) {
    throw new Error(`Illegal format [${pattern}]; expected one of ${allowed.join(", ")}`);
  }
  return pattern;
}

/**
 * Days since 1970-01-01 for any proleptic Gregorian date (days_from_civil). LocalDate.toEpochDay
 * goes through Date.UTC, which maps years 0–99 to 1900–1999.
 */
export function epochDay(d: LocalDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Microseconds since the epoch of a local date-time read as UTC (exact for every year). */
export function epochMicros(v: LocalDateTime): bigint {
  return BigInt(epochDay(v.date)) * 86_400_000_000n + v.time.toNanoOfDay() / 1000n;
}
