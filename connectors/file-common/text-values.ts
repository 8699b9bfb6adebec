/**
 * Text field ↔ SeaTunnel value, exactly as SeaTunnel's text format converts them
 * (TextDeserializationSchema / TextSerializationSchema): a blank field is null, numbers parse as
 * Java's `Integer.parseInt`/`Float.parseFloat` do, decimals keep their written scale, nested
 * arrays, maps and rows use the separators `\u0002`, `\u0003`… one level deeper each. Converters
 * are compiled once per column so a row is converted without type dispatch.
 */
import {
  type DataType,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  parseDateText,
  parseTimestampText,
  parseTimeText,
} from "../../src/api/index.ts";
import { formatValue, javaBigDecimal, javaDouble, javaFloat } from "../../src/api/format.ts";
import { fastDecimal, parseJavaFloating, parseJavaInt, parseJavaLong } from "./java-numbers.ts";
import { dateCodec, dateTimeCodec, isoDateTime, type TemporalCodec, timeCodec, type ZonedCount } from "./temporal.ts";

/** SeaTunnel's TextFormatConstant.SEPARATOR; index 0 is replaced by the field delimiter. */
export const NESTED_SEPARATORS = ["\u0001", "\u0002", "\u0003", "\u0004", "\u0005", "\u0006", "\u0007"] as const;

export interface TextFormatOptions {
  dateFormat: string;
  datetimeFormat: string;
  timeFormat: string;
  /** A field equal to this text reads as null (SeaTunnel's null_format). */
  nullFormat?: string;
}

export interface Codecs {
  date: TemporalCodec<LocalDate>;
  time: TemporalCodec<LocalTime>;
  datetime: TemporalCodec<LocalDateTime>;
  /** Timestamps read with an offset (dropped: the local time is kept), for the reader to report. */
  zoned: ZonedCount;
}

export function codecs(o: TextFormatOptions): Codecs {
  return {
    date: dateCodec(o.dateFormat),
    time: timeCodec(o.timeFormat),
    datetime: dateTimeCodec(o.datetimeFormat),
    zoned: { count: 0, example: "" },
  };
}

/** Thrown by a field converter; the reader adds file, line and column. */
export class FieldError extends Error {}

const RANGES = { tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647] } as const;

export const isBlank = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 32) {
      return false;
    }
  }
  return true;
};

/** Java's `String.split(regex)` (limit 0: trailing empty strings dropped) for a literal separator. */
export function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  let end = parts.length;
  while (end > 1 && parts[end - 1] === "") {
    end--;
  }
  return end === parts.length ? parts : parts.slice(0, end);
}

type Parse = (s: string) => unknown;

const fail = (type: string, s: string): never => {
  throw new FieldError(`expects ${type}, received "${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`);
};

/** A compiled text → value converter for `type` at nesting `level` (blank text → null). */
export function fieldParser(type: DataType, c: Codecs, level = 0, nullFormat?: string): Parse {
  const inner = scalarParser(type, c, level, nullFormat);
  // Most fields start with a visible character: one comparison instead of a scan for blankness.
  if (nullFormat === undefined) {
    return (s) => (s.charCodeAt(0) > 32 ? inner(s) : isBlank(s) ? null : inner(s));
  }
  return (s) => (s === nullFormat || isBlank(s) ? null : inner(s));
}

function scalarParser(type: DataType, c: Codecs, level: number, nullFormat?: string): Parse {
  switch (type.kind) {
    case "string":
      return (s) => s;
    case "boolean":
      return (s) => s.toLowerCase() === "true";
    case "tinyint":
    case "smallint":
    case "int": {
      const [lo, hi] = RANGES[type.kind];
      return (s) => parseJavaInt(s, lo, hi) ?? fail(type.kind, s);
    }
    case "bigint":
      return (s) => parseJavaLong(s) ?? fail("bigint", s);
    case "float":
      return (s) => {
        const v = parseJavaFloating(s);
        return v === undefined ? fail("float", s) : Math.fround(v);
      };
    case "double":
      return (s) => parseJavaFloating(s) ?? fail("double", s);
    case "decimal":
      return (s) => {
        const fast = fastDecimal(s);
        if (fast) {
          return fast;
        }
        try {
          return Decimal.parse(s);
        } catch {
          return fail(`decimal(${type.precision}, ${type.scale})`, s);
        }
      };
    case "null":
      return () => null;
    case "bytes": {
      const enc = new TextEncoder();
      return (s) => enc.encode(s);
    }
    case "date":
      return (s) => c.date.parse(s) ?? parseDateText(s) ?? fail(`date (${c.date.pattern})`, s);
    case "time":
      return (s) => c.time.parse(s) ?? parseTimeText(s) ?? fail(`time (${c.time.pattern})`, s);
    case "timestamp":
      // The default pattern's texts are one of the ISO shapes, read positionally.
      return c.datetime.pattern === "yyyy-MM-dd HH:mm:ss"
        ? (s) =>
            isoDateTime(s, c.zoned) ??
            c.datetime.parse(s) ??
            parseTimestampText(s) ??
            fail(`timestamp (${c.datetime.pattern})`, s)
        : (s) =>
            c.datetime.parse(s) ??
            isoDateTime(s, c.zoned) ??
            parseTimestampText(s) ??
            fail(`timestamp (${c.datetime.pattern})`, s);
    case "array": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const el = fieldParser(type.element, c, level + 1, nullFormat);
      return (s) => javaSplit(s, sep).map(el);
    }
    case "map": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const kvSep = NESTED_SEPARATORS[level + 2] ?? "\u0007";
      const k = fieldParser(type.key, c, level + 1, nullFormat);
      const v = fieldParser(type.value, c, level + 1, nullFormat);
      return (s) => {
        const out = new Map<unknown, unknown>();
        for (const kv of javaSplit(s, sep)) {
          const parts = javaSplit(kv, kvSep);
          out.set(k(parts[0] ?? ""), parts.length < 2 ? null : v(parts[1]!));
        }
        return out;
      };
    }
    case "row": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const fields = type.fields.map((f) => fieldParser(f.type, c, level + 1, nullFormat));
      return (s) => {
        const parts = s.split(sep);
        return fields.map((f, i) => (i < parts.length ? f(parts[i]!) : null));
      };
    }
  }
}

type Format = (v: unknown) => string;

/** `BigDecimal.stripTrailingZeros().toPlainString()`. */
export function plainStripped(d: Decimal): string {
  if (d.unscaled === 0n) {
    return "0";
  }
  const s = d.unscaled <= SAFE && d.unscaled >= -SAFE ? smallDecimalText(Number(d.unscaled), d.scale) : d.toString();
  if (d.scale <= 0) {
    return s;
  }
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) {
    end--;
  }
  if (s.charCodeAt(end - 1) === 46) {
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Plain text of unscaled × 10^-scale for an unscaled value within 2^53 (no BigInt work). */
function smallDecimalText(u: number, scale: number): string {
  const neg = u < 0;
  let digits = String(neg ? -u : u);
  if (scale > 0) {
    if (digits.length <= scale) {
      digits = "0".repeat(scale - digits.length + 1) + digits;
    }
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  } else if (scale < 0) {
    digits += "0".repeat(-scale);
  }
  return neg ? `-${digits}` : digits;
}

/** Java's Double.toString: JS gives the same shortest digits; only the layout differs. */
function fastJavaDouble(v: number): string {
  const a = v < 0 ? -v : v;
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes(".") ? s : `${s}.0`;
  }
  return javaDouble(v);
}

/** A compiled value → text converter (TextSerializationSchema.convert); null → `nullValue`. */
export function fieldFormatter(type: DataType, c: Codecs, level = 0, nullValue = ""): Format {
  const inner = scalarFormatter(type, c, level, nullValue);
  return (v) => (v === null || v === undefined ? nullValue : inner(v));
}

function scalarFormatter(type: DataType, c: Codecs, level: number, nullValue: string): Format {
  switch (type.kind) {
    case "double":
      return (v) => (typeof v === "number" ? fastJavaDouble(v) : String(v));
    case "float":
      return (v) => (typeof v === "number" ? javaFloat(v) : String(v));
    case "decimal":
      return (v) => (v instanceof Decimal ? plainStripped(v) : String(v));
    case "date":
      return (v) => (v instanceof LocalDate ? c.date.format(v) : String(v));
    case "time":
      return (v) => (v instanceof LocalTime ? c.time.format(v) : String(v));
    case "timestamp":
      return (v) => (v instanceof LocalDateTime ? c.datetime.format(v) : String(v));
    case "null":
      return () => "";
    case "bytes": {
      const dec = new TextDecoder();
      return (v) => (v instanceof Uint8Array ? dec.decode(v) : String(v));
    }
    case "array": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const el = fieldFormatter(type.element, c, level + 1, nullValue);
      return (v) => (Array.isArray(v) ? v.map(el).join(sep) : String(v));
    }
    case "map": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const kvSep = NESTED_SEPARATORS[level + 2] ?? "\u0007";
      const k = fieldFormatter(type.key, c, level + 1, nullValue);
      const val = fieldFormatter(type.value, c, level + 1, nullValue);
      return (v) => {
        if (!(v instanceof Map)) {
          return String(v);
        }
        const parts: string[] = [];
        for (const [key, x] of v) {
          parts.push(k(key) + kvSep + val(x));
        }
        return parts.join(sep);
      };
    }
    case "row": {
      const sep = NESTED_SEPARATORS[level + 1] ?? "\u0007";
      const fields = type.fields.map((f) => fieldFormatter(f.type, c, level + 1, nullValue));
      return (v) => (Array.isArray(v) ? fields.map((f, i) => f(v[i])).join(sep) : String(v));
    }
    case "bigint":
    case "int":
    case "smallint":
    case "tinyint":
    case "boolean":
    case "string":
      return (v) => String(v);
  }
}

/** Java's toString of a value, for partition directory names (`c_string=abc`). */
export function javaToString(v: unknown, type: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  if (v instanceof Decimal) {
    return javaBigDecimal(v);
  }
  return formatValue(v, type);
}
