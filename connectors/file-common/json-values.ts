/**
 * JSON ↔ SeaTunnel values as SeaTunnel's json format converts them (JsonToRowConverters,
 * RowToJsonConverters): numbers keep every written digit (bigint and decimal from the source
 * text), bytes are base64, dates and timestamps ISO text, maps JSON objects, rows objects by
 * field name. The writer builds the JSON text directly so decimals and 64-bit integers are exact.
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
import { jacksonString, javaBigDecimal, javaDouble, javaFloat } from "../../src/api/format.ts";
import { FieldError } from "./text-values.ts";

/** A JSON number kept as its source text (beyond 2^53 or fractional). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A number's source text where the double would lose it: beyond 2^53, or written with a point or an exponent (`100.000` keeps its scale). */
const keepDigits = (_k: string, v: unknown, ctx?: { source?: string }): unknown =>
  typeof v === "number" && ctx?.source !== undefined && (!Number.isSafeInteger(v) || /[.eE]/.test(ctx.source))
    ? new RawNumber(ctx.source)
    : v;

function needsExact(t: DataType): boolean {
  switch (t.kind) {
    case "bigint":
    case "decimal":
      return true;
    case "array":
      return needsExact(t.element);
    case "map":
      return needsExact(t.value);
    case "row":
      return t.fields.some((f) => needsExact(f.type));
    default:
      return false;
  }
}

/**
 * Text with a number literal whose double may print other digits than the literal's (SeaTunnel
 * keeps the literal's): an exponent, a run of 16 or more digits (and points), a fraction ending in
 * 0 (its scale), five zeros after a point (printed with an exponent). Anything else (≤ 15
 * significant digits, DBL_DIG) prints back exactly as written. Matches inside strings only make
 * the parse take the slow, exact way.
 */
const INEXACT = /\d[eE]|\d[\d.]{15}|\.\d*0(?!\d)|\.0{5}/;

/**
 * JSON.parse, keeping number source text when some column needs exact digits. The reviver that
 * keeps them costs five times a plain parse, so a text with no number that could change (INEXACT)
 * takes the plain parse: its numbers print back as written.
 */
export function jsonParser(types: DataType[]): (text: string) => unknown {
  if (types.some(needsExact)) {
    const exact = (text: string) => JSON.parse(text, keepDigits as (this: unknown, k: string, v: unknown) => unknown);
    return (text) => (INEXACT.test(text) ? exact(text) : JSON.parse(text));
  }
  return (text) => JSON.parse(text);
}

type Conv = (v: unknown) => unknown;

const fail = (type: string, v: unknown): never => {
  const shown = v instanceof RawNumber ? v.text : JSON.stringify(v);
  throw new FieldError(
    `expects ${type}, received ${shown === undefined ? String(v) : shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}`,
  );
};

/** JSON.rawJSON (ES2025) is not in the TypeScript lib yet. */
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

const textOf = (v: unknown): string =>
  v instanceof RawNumber
    ? v.text
    : typeof v === "string"
      ? v
      : typeof v === "object"
        ? JSON.stringify(v, (_k, x: unknown) => (x instanceof RawNumber ? rawJSON(x.text) : x))
        : String(v);

function integer(lo: number, hi: number, type: string): Conv {
  return (v) => {
    const n =
      typeof v === "number"
        ? Math.trunc(v)
        : typeof v === "string" && /^[+-]?\d+$/.test(v.trim())
          ? Number(v)
          : v instanceof RawNumber
            ? Math.trunc(Number(v.text))
            : Number.NaN;
    return Number.isFinite(n) && n >= lo && n <= hi ? n : fail(type, v);
  };
}

/** A compiled JSON value → SeaTunnel value converter for `type`. */
export function jsonConverter(type: DataType): Conv {
  const inner = scalar(type);
  return (v) => (v === null || v === undefined ? null : inner(v));
}

function scalar(type: DataType): Conv {
  switch (type.kind) {
    case "string":
      return textOf;
    case "boolean":
      return (v) =>
        typeof v === "boolean" ? v : typeof v === "string" ? v.toLowerCase() === "true" : fail("boolean", v);
    case "tinyint":
      return integer(-128, 127, "tinyint");
    case "smallint":
      return integer(-32768, 32767, "smallint");
    case "int":
      return integer(-2147483648, 2147483647, "int");
    case "bigint":
      return (v) => {
        const t = typeof v === "number" ? String(Math.trunc(v)) : textOf(v).trim();
        return /^[+-]?\d+$/.test(t)
          ? BigInt(t)
          : /^[+-]?\d+\.\d*$/.test(t)
            ? BigInt(t.slice(0, t.indexOf(".")))
            : fail("bigint", v);
      };
    case "float":
    case "double": {
      const round = type.kind === "float" ? Math.fround : (x: number) => x;
      return (v) => {
        const n = typeof v === "number" ? v : Number(textOf(v).trim());
        return Number.isNaN(n) && textOf(v).trim() !== "NaN" ? fail(type.kind, v) : round(n);
      };
    }
    case "decimal":
      return (v) => {
        try {
          return Decimal.parse(typeof v === "number" ? String(v) : textOf(v));
        } catch {
          return fail(`decimal(${type.precision}, ${type.scale})`, v);
        }
      };
    case "null":
      return () => null;
    case "bytes":
      return (v) =>
        typeof v === "string" ? Uint8Array.from(Buffer.from(v, "base64")) : fail("bytes (base64 text)", v);
    case "date":
      return (v) => parseDateText(textOf(v)) ?? fail("date", v);
    case "time":
      return (v) => parseTimeText(textOf(v)) ?? fail("time", v);
    case "timestamp":
      return (v) => parseTimestampText(textOf(v)) ?? fail("timestamp", v);
    case "array": {
      const el = jsonConverter(type.element);
      return (v) => (Array.isArray(v) ? v.map(el) : fail(`array`, v));
    }
    case "map": {
      const k = jsonConverter(type.key);
      const val = jsonConverter(type.value);
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof RawNumber) {
          return fail("map (a JSON object)", v);
        }
        const out = new Map<unknown, unknown>();
        for (const [key, x] of Object.entries(v)) {
          out.set(k(key), val(x));
        }
        return out;
      };
    }
    case "row":
      return rowConverter(type.fields);
  }
}

/** Object → field array by name; missing fields are null. */
export function rowConverter(fields: { name: string; type: DataType }[]): Conv {
  const convs = fields.map((f) => jsonConverter(f.type));
  const names = fields.map((f) => f.name);
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof RawNumber) {
      return fail("an object", v);
    }
    const o = v as Record<string, unknown>;
    const out = new Array<unknown>(names.length);
    let i = 0;
    try {
      for (; i < names.length; i++) {
        out[i] = convs[i]!(o[names[i]!]);
      }
    } catch (e) {
      if (e instanceof FieldError && !e.message.startsWith("field ")) {
        throw new FieldError(`field "${names[i]}" ${e.message}`);
      }
      throw e;
    }
    return out;
  };
}

type Write = (v: unknown) => string;

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ISO_LOCAL_TIME as Java formats it: seconds always, fraction without trailing zeros. */
export function isoTime(t: LocalTime): string {
  let s = `${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
  if (t.nano) {
    s += `.${String(t.nano).padStart(9, "0").replace(/0+$/, "")}`;
  }
  return s;
}

/** A compiled SeaTunnel value → JSON text writer (Jackson's rendering of each type). */
export function jsonWriter(type: DataType): Write {
  const inner = scalarWriter(type);
  return (v) => (v === null || v === undefined ? "null" : inner(v));
}

function scalarWriter(type: DataType): Write {
  switch (type.kind) {
    case "string":
      return (v) => jacksonString(String(v));
    case "float":
      return (v) => (typeof v === "number" && Number.isFinite(v) ? javaFloat(v) : jacksonString(String(v)));
    case "double":
      return (v) => (typeof v === "number" && Number.isFinite(v) ? javaDouble(v) : jacksonString(String(v)));
    case "decimal":
      return (v) => (v instanceof Decimal ? javaBigDecimal(v) : String(v));
    case "bytes":
      return (v) => (v instanceof Uint8Array ? `"${Buffer.from(v).toString("base64")}"` : jacksonString(String(v)));
    case "date":
      return (v) => (v instanceof LocalDate ? `"${v.toString()}"` : jacksonString(String(v)));
    case "time":
      return (v) => (v instanceof LocalTime ? `"${isoTime(v)}"` : jacksonString(String(v)));
    case "timestamp":
      return (v) =>
        v instanceof LocalDateTime ? `"${v.date.toString()}T${isoTime(v.time)}"` : jacksonString(String(v));
    case "null":
      return () => "null";
    case "array": {
      const el = jsonWriter(type.element);
      return (v) => (Array.isArray(v) ? `[${v.map(el).join(",")}]` : "null");
    }
    case "map": {
      const val = jsonWriter(type.value);
      return (v) => {
        if (!(v instanceof Map)) {
          return "null";
        }
        const parts: string[] = [];
        for (const [k, x] of v) {
          parts.push(`${jacksonString(k instanceof Decimal ? javaBigDecimal(k) : String(k))}:${val(x)}`);
        }
        return `{${parts.join(",")}}`;
      };
    }
    case "row":
      return rowWriter(type.fields);
    default:
      return (v) => String(v);
  }
}

/** A row (field array) → JSON object text. */
export function rowWriter(fields: { name: string; type: DataType }[]): Write {
  const keys = fields.map((f) => `${jacksonString(f.name)}:`);
  const ws = fields.map((f) => jsonWriter(f.type));
  return (v) => {
    if (!Array.isArray(v)) {
      return "null";
    }
    let s = "{";
    for (let i = 0; i < keys.length; i++) {
      s += (i ? "," : "") + keys[i] + ws[i]!(v[i]);
    }
    return `${s}}`;
  };
}

/**
 * A JSON document (a message, a value) as a row of `fields` by field name, as SeaTunnel's
 * JsonDeserializationSchema reads one: undefined for a JSON null (no row); a FieldError saying
 * what is wrong for text that is not JSON or a field that does not fit.
 */
export function jsonRowReader(fields: { name: string; type: DataType }[]): (text: string) => unknown[] | undefined {
  const parse = jsonParser(fields.map((f) => f.type));
  const convert = rowConverter(fields);
  return (text) => {
    let v: unknown;
    try {
      v = parse(text);
    } catch (e) {
      throw new FieldError(`not valid JSON (${(e as Error).message}): ${text.slice(0, 80)}`);
    }
    return v === null ? undefined : (convert(v) as unknown[]);
  };
}
