/**
 * JSON → field value for a JsonPath `dest_type`, as SeaTunnel's JsonToRowConverters does it for
 * a Jackson node: numbers from numeric nodes or from text (Java's parseInt / parseDouble / new
 * BigDecimal rules), booleans by Boolean.parseBoolean, dates and times from their text, strings as
 * text (containers as compact JSON). A value that cannot be converted throws ConversionFailure.
 */
import { Decimal, LocalTime, parseDateText, parseTimestampText, type DataType } from "../../src/api/index.ts";
import { jacksonJson } from "../../src/api/format.ts";
import { asText, isObject, parseJson, toJson, type JV } from "../common/json-path/json.ts";

/** A data conversion failure (NumberFormatException, DateTimeException, bad base64). */
export class ConversionFailure extends Error {}

export type Converter = (v: JV) => unknown;

const INT_RANGE = { tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647] } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const FLOATING = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{0,9}))?$/;

const fail = (what: string, v: JV): never => {
  throw new ConversionFailure(`cannot convert ${typeof v === "string" ? JSON.stringify(v) : toJson(v)} to ${what}`);
};

/** Java Integer.parseInt / Long.parseLong of a node's text, within a range. */
function parseIntText(v: JV, lo: bigint, hi: bigint, what: string): bigint {
  const t = asText(v).trim();
  if (!/^[+-]?\d+$/.test(t)) {
    return fail(what, v);
  }
  const x = BigInt(t);
  return x >= lo && x <= hi ? x : fail(what, v);
}

/** Jackson's canConvertToInt/Long + asInt/asLong for numeric nodes (truncating), else parse the text. */
function integral(v: JV, lo: bigint, hi: bigint, what: string): bigint {
  if (typeof v === "bigint") {
    return v >= lo && v <= hi ? v : parseIntText(v, lo, hi, what);
  }
  if (typeof v === "number" && v >= Number(lo) && v <= Number(hi)) {
    return BigInt(Math.trunc(v));
  }
  if (v instanceof Decimal) {
    const t = v.unscaled / 10n ** BigInt(v.scale);
    if (t >= lo && t <= hi) {
      return t;
    }
  }
  return parseIntText(v, lo, hi, what);
}

function floating(v: JV, what: string): number {
  if (typeof v === "number") {
    return v;
  }
  const t = asText(v).trim();
  if (!FLOATING.test(t)) {
    return fail(what, v);
  }
  return Number(t.replace(/[fFdD]$/, ""));
}

function bytes(v: JV): Uint8Array | null {
  if (typeof v !== "string") {
    return null;
  }
  const b64 = v.replace(/\s/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) {
    return fail("bytes (base64)", v);
  }
  return Uint8Array.from(Buffer.from(b64, "base64"));
}

/** The converter for `type`; JSON null gives null. */
export function converter(type: DataType): Converter {
  const inner = notNull(type);
  return (v) => (v === null ? null : inner(v));
}

function notNull(type: DataType): Converter {
  switch (type.kind) {
    case "null":
      return () => null;
    case "string":
      return (v) => (Array.isArray(v) || isObject(v) ? toJson(v) : asText(v));
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : asText(v).trim().toLowerCase() === "true");
    case "tinyint":
    case "smallint": {
      const [lo, hi] = INT_RANGE[type.kind];
      return (v) => Number(parseIntText(v, BigInt(lo), BigInt(hi), type.kind));
    }
    case "int":
      return (v) => Number(integral(v, -2147483648n, 2147483647n, "int"));
    case "bigint":
      return (v) => integral(v, LONG_MIN, LONG_MAX, "bigint");
    case "float":
      return (v) => Math.fround(floating(v, "float"));
    case "double":
      return (v) => floating(v, "double");
    case "decimal":
      return (v) => {
        if (v instanceof Decimal) {
          return v;
        }
        try {
          return Decimal.parse(asText(v));
        } catch {
          return fail("decimal", v);
        }
      };
    case "date":
      return (v) => (asText(v) === "" ? null : (parseDateText(asText(v)) ?? fail("date", v)));
    case "time":
      return (v) => {
        const t = asText(v);
        if (t === "") {
          return null;
        }
        const m = TIME.exec(t);
        if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 59) {
          return fail("time (HH:mm:ss[.fraction])", v);
        }
        return new LocalTime(Number(m[1]), Number(m[2]), Number(m[3]), Number((m[4] ?? "").padEnd(9, "0")));
      };
    case "timestamp":
      return (v) => (asText(v) === "" ? null : (parseTimestampText(asText(v)) ?? fail("timestamp", v)));
    case "bytes":
      return bytes;
    case "array": {
      const el = converter(type.element);
      return (v) => (Array.isArray(v) ? v.map(el) : isObject(v) ? new Array<unknown>(v.size).fill(null) : []);
    }
    case "map": {
      const key = converter(type.key);
      const val = converter(type.value);
      return (v) => {
        const out = new Map<unknown, unknown>();
        if (isObject(v)) {
          for (const [k, x] of v) {
            out.set(key(k), val(x));
          }
        }
        return out;
      };
    }
    case "row": {
      const fields = type.fields.map((f) => ({ name: f.name, conv: converter(f.type) }));
      return (v) =>
        fields.map((f, i) => {
          const x = Array.isArray(v) ? v[i] : isObject(v) ? v.get(f.name) : undefined;
          return x === undefined ? null : f.conv(x);
        });
    }
  }
}

/** Source field kinds JsonPath reads (JsonPathTransform.doTransform). */
export const SOURCE_KINDS = ["string", "bytes", "array", "map", "row"] as const;

/** A source field's value as the JSON document Jayway reads (text is parsed, structures serialised first). */
export function documentOf(value: unknown, type: DataType): { text: string; doc: () => JV } {
  let text: string;
  if (typeof value === "string") {
    text = value;
  } else if (value instanceof Uint8Array) {
    text = new TextDecoder().decode(value);
  } else {
    text = jacksonJson(value, type);
  }
  let doc: JV | undefined;
  return { text, doc: () => (doc ??= parseJson(text)) };
}
