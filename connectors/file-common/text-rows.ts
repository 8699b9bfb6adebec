/**
 * Csv and text rows that keep their field text (LazyRow) when every consumer can write it as it
 * is (a PostgreSQL COPY sink). A field is kept as text only when a cheap check proves that the
 * text is exactly what the value would be written as, and that it reads without error: a
 * canonical integer, a plain decimal, a double whose shortest form is the text, a date or
 * timestamp in the default pattern. A row with any other field is decoded at once, as before, so
 * bad values still fail at the reader with file, line and column, and `fields` of a text row never
 * throws. Columns with no such check (float, bytes, nested types, other date patterns) turn text
 * rows off for the table.
 */
import { type DataType, type Row, RowKind } from "../../src/api/index.ts";
import { clockAt, dayAt, isoDateTimeEnd, type ZonedCount } from "./temporal.ts";
import type { Codecs } from "./text-values.ts";
import { escapeCopyText, LazyRow, type RowTextCodec } from "../common/source-text.ts";
import { LineRows } from "./line-rows.ts";

/**
 * How a kept field becomes COPY text: 0 as read; 1 a string value, COPY-escaped; 2 Java's
 * Boolean.parseBoolean ("true" in any case is true, anything else false) as t/f; 3 a timestamp
 * in the ISO shape (isoDateTimeEnd) as its value prints.
 */
const Out = { Text: 0, String: 1, Boolean: 2, Timestamp: 3 } as const;
type Out = (typeof Out)[keyof typeof Out];

type Check = (s: string) => boolean;

const digit = (c: number) => c >= 48 && c <= 57;

/** `0` or `-?[1-9][0-9]*` with at most `max` digits: what String(value) prints back. */
function canonicalInteger(s: string, max: number): boolean {
  const i = s.charCodeAt(0) === 45 ? 1 : 0;
  const n = s.length - i;
  if (n <= 0 || n > max) {
    return false;
  }
  if (s.charCodeAt(i) === 48) {
    return n === 1 && i === 0;
  }
  for (let k = i; k < s.length; k++) {
    if (!digit(s.charCodeAt(k))) {
      return false;
    }
  }
  return true;
}

/** An int-family value in range, canonical. */
function intCheck(lo: number, hi: number): Check {
  const max = String(hi).length;
  return (s) => {
    if (!canonicalInteger(s, max)) {
      return false;
    }
    if (s.length - (s.charCodeAt(0) === 45 ? 1 : 0) < max) {
      return true;
    }
    const v = Number(s);
    return v >= lo && v <= hi;
  };
}

/**
 * `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, not a negative zero: Decimal keeps the written scale, so its
 * text is the input. `sigMax` bounds the significant digits and `zerosMax` the zeros after `0.`
 * (used for doubles, whose shortest text must be the input too: then no trailing fraction zeros).
 */
function plainNumber(s: string, o: { double: boolean }): boolean {
  const neg = s.charCodeAt(0) === 45 ? 1 : 0;
  let i = neg;
  const n = s.length;
  if (i >= n || !digit(s.charCodeAt(i))) {
    return false;
  }
  const lead0 = s.charCodeAt(i) === 48;
  let sig = lead0 ? 0 : 1;
  i++;
  if (lead0) {
    if (i < n && s.charCodeAt(i) !== 46) {
      return false;
    }
  } else {
    for (; i < n && digit(s.charCodeAt(i)); i++) {
      sig++;
    }
  }
  let nonZero = !lead0;
  let zerosAfterPoint = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46 || i === n - 1) {
      return false;
    }
    i++;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (!digit(c)) {
        return false;
      }
      if (c !== 48) {
        nonZero = true;
      }
      if (sig > 0 || c !== 48) {
        sig++;
      } else {
        zerosAfterPoint++;
      }
    }
    if (o.double && s.charCodeAt(n - 1) === 48) {
      return false;
    }
  }
  if (neg && !nonZero) {
    return false;
  }
  // JS prints plain digits for 1e-7 <= |v| < 1e21, and 15 significant digits identify one double.
  if (o.double) {
    return sig <= 15 && (nonZero ? !lead0 || zerosAfterPoint < 6 : true);
  }
  return true;
}

type JavaText = (s: string) => string | undefined;
const same: JavaText = (s) => s;

/** BigDecimal.stripTrailingZeros().toPlainString() of a checked plain decimal. */
const strippedDecimal: JavaText = (s) => {
  if (s.indexOf(".") < 0) {
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
};

/** Java's Double.toString of a checked double, where it prints plain digits (1e-3 <= |v| < 1e7). */
const javaDoubleText: JavaText = (s) => {
  const neg = s.charCodeAt(0) === 45 ? 1 : 0;
  const dot = s.indexOf(".");
  const intDigits = (dot < 0 ? s.length : dot) - neg;
  if (s.charCodeAt(neg) === 48) {
    // 0.xxx: at least 1e-3 when fewer than three zeros follow the point; "0" itself prints "0.0" in Java's own way.
    if (dot < 0 || (s.charCodeAt(dot + 1) === 48 && s.charCodeAt(dot + 2) === 48 && s.charCodeAt(dot + 3) === 48)) {
      return undefined;
    }
    return s;
  }
  if (intDigits > 7) {
    return undefined;
  }
  return dot < 0 ? `${s}.0` : s;
};

/** A timestamp as isoDateTimeEnd reads it; one with an offset is counted in `zoned` (the offset is dropped). */
function timestampCheck(zoned: ZonedCount): Check {
  return (s) => {
    if (s.length === 19 && s.charCodeAt(10) === 32) {
      return dayAt(s, 0) && clockAt(s, 11);
    }
    const end = isoDateTimeEnd(s);
    if (end >= 0 && end < s.length && zoned.count++ === 0) {
      zoned.example = s;
    }
    return end >= 0;
  };
}

/**
 * A checked ISO timestamp as the COPY writer prints its value: a space before the time, the
 * fraction without trailing zeros, no offset (a timestamp keeps the local time).
 */
function copyTimestamp(s: string): string {
  const n = s.length;
  if (n === 19 && s.charCodeAt(10) === 32) {
    return s;
  }
  let end = 19;
  let last = 19;
  if (s.charCodeAt(19) === 46) {
    end = 20;
    for (let c = s.charCodeAt(end); end < n && c >= 48 && c <= 57; c = s.charCodeAt(++end)) {
      if (c !== 48) {
        last = end + 1;
      }
    }
  }
  return `${s.slice(0, 10)} ${s.slice(11, last)}`;
}

/** What the default pattern `yyyy-MM-dd HH:mm:ss` prints of a checked ISO timestamp: no fraction, no offset. */
const defaultDateTimeText: JavaText = (s) =>
  s.length === 19 && s.charCodeAt(10) === 32 ? s : `${s.slice(0, 10)} ${s.slice(11, 19)}`;

/** The check and output of a column type, or undefined where text rows cannot be used. */
function columnText(type: DataType, c: Codecs): { check?: Check; out: Out; java?: JavaText } | undefined {
  switch (type.kind) {
    case "string":
      return { out: Out.String };
    case "boolean":
      return { check: () => true, out: Out.Boolean };
    case "tinyint":
      return { check: intCheck(-128, 127), out: Out.Text };
    case "smallint":
      return { check: intCheck(-32768, 32767), out: Out.Text };
    case "int":
      return { check: intCheck(-2147483648, 2147483647), out: Out.Text };
    case "bigint":
      return { check: (s) => canonicalInteger(s, 18), out: Out.Text };
    case "decimal":
      return { check: (s) => plainNumber(s, { double: false }), out: Out.Text, java: strippedDecimal };
    case "double":
      return { check: (s) => plainNumber(s, { double: true }), out: Out.Text, java: javaDoubleText };
    case "date":
      return c.date.pattern === "yyyy-MM-dd"
        ? { check: (s) => s.length === 10 && dayAt(s, 0), out: Out.Text }
        : undefined;
    case "time":
      return c.time.pattern === "HH:mm:ss"
        ? { check: (s) => s.length === 8 && clockAt(s, 0), out: Out.Text }
        : undefined;
    case "timestamp":
      return c.datetime.pattern === "yyyy-MM-dd HH:mm:ss"
        ? { check: timestampCheck(c.zoned), out: Out.Timestamp, java: defaultDateTimeText }
        : undefined;
    default:
      return undefined;
  }
}

/** Builds the text rows of one table's projected columns; `undefined` when a column has no check. */
export class TextRows {
  private readonly checks: (Check | undefined)[];
  private readonly source: RowTextCodec;

  private constructor(
    types: DataType[],
    specs: { check?: Check; out: Out; java?: JavaText }[],
    parsers: ((s: string) => unknown)[],
  ) {
    this.checks = specs.map((x) => x.check);
    const outs = specs.map((x) => x.out);
    const java = specs.map((x) =>
      x.out === Out.Boolean ? (s: string) => (s.toLowerCase() === "true" ? "true" : "false") : (x.java ?? same),
    );
    const decodeAt = types.map((t, i) => (t.kind === "string" ? -1 : i)).filter((i) => i >= 0);
    this.source = {
      decode(raw) {
        const f = raw as unknown[];
        for (const i of decodeAt) {
          if (f[i] !== null) {
            f[i] = parsers[i]!(f[i] as string);
          }
        }
        return f;
      },
      pgLine(raw) {
        const f = raw as (string | null)[];
        let line = "";
        for (let i = 0; i < f.length; i++) {
          const v = f[i];
          if (i > 0) {
            line += "\t";
          }
          if (v === null || v === undefined) {
            line += "\\N";
          } else {
            const o = outs[i];
            line +=
              o === Out.Text
                ? v
                : o === Out.String
                  ? escapeCopyText(v)
                  : o === Out.Timestamp
                    ? copyTimestamp(v)
                    : v.toLowerCase() === "true"
                      ? "t"
                      : "f";
          }
        }
        return line;
      },
      text(raw, i) {
        const v = (raw as (string | null)[])[i];
        return v === null || v === undefined ? null : java[i]!(v);
      },
      value(raw, i) {
        const v = (raw as (string | null)[])[i];
        return v === null || v === undefined ? null : types[i]!.kind === "string" ? v : parsers[i]!(v);
      },
    };
  }

  /** `parsers[i]` decodes column i's text (blank → null) exactly as the eager path does. */
  static create(types: DataType[], c: Codecs, parsers: ((s: string) => unknown)[]): TextRows | undefined {
    const specs = types.map((t) => columnText(t, c));
    if (specs.some((x) => x === undefined)) {
      return undefined;
    }
    return new TextRows(types, specs as { check?: Check; out: Out; java?: JavaText }[], parsers);
  }

  /** True when `text` (not blank, not the null text) of column i can stay text. */
  accepts(i: number, text: string): boolean {
    const check = this.checks[i];
    return check === undefined || check(text);
  }

  /** A row over `values`: strings and nulls final, every other field checked text. */
  row(table: string, values: (string | null)[]): Row {
    return new LazyRow(RowKind.INSERT, table, values, this.source);
  }

  /**
   * The source of rows that are whole checked lines of `bytes` (see line-check.ts): the row's raw
   * is its line number k, the line `[starts[k], starts[k + 1])` with its `\n`.
   */
  lineSource(bytes: Uint8Array, starts: Int32Array, format: string, delimiter: string): LineRows {
    return new LineRows({ bytes, starts, format }, this.source, delimiter);
  }
}
