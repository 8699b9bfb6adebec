/**
 * Cell text → SeaTunnel values for the spreadsheet and XML formats (ExcelCellUtils,
 * XmlReadStrategy): maps and arrays are JSON text, nested rows are split on the field
 * delimiter, numbers parse leniently through a double as Java's `(int) Double.parseDouble`,
 * temporal values come from a date cell or from text in the configured pattern.
 */
import { type DataType, Decimal, LocalDateTime } from "../../src/api/index.ts";
import { javaDouble } from "../../src/api/format.ts";
import { jsonConverter, jsonParser } from "./json-values.ts";
import { type Codecs, FieldError, javaSplit } from "./text-values.ts";

/** A cell as the reader found it: text, a number, a boolean, or a date-formatted number. */
export type Cell = string | number | boolean | LocalDateTime | null | undefined;

type Conv = (c: Cell) => unknown;

const fail = (type: string, c: Cell): never => {
  throw new FieldError(`expects ${type}, received ${JSON.stringify(c instanceof LocalDateTime ? c.toString() : c)}`);
};

function numberOf(c: Cell, type: string): number {
  const n = typeof c === "number" ? c : typeof c === "boolean" ? Number.NaN : Number(String(c).trim());
  return Number.isNaN(n) ? fail(type, c) : n;
}

/** Java's narrowing casts after Double.parseDouble: truncation then wrap-around. */
const wrap = (n: number, bits: number): number => {
  const t = Math.trunc(n);
  const m = 2 ** bits;
  const r = ((t % m) + m) % m;
  return r >= m / 2 ? r - m : r;
};

export function cellConverter(type: DataType, c: Codecs, rowDelimiter: string): Conv {
  const inner = scalar(type, c, rowDelimiter);
  return (v) => (v === null || v === undefined || (v === "" && type.kind !== "string") ? null : inner(v));
}

const text = (v: Cell): string =>
  v instanceof LocalDateTime ? v.toString() : typeof v === "number" ? javaDouble(v) : String(v);

function scalar(type: DataType, c: Codecs, delim: string): Conv {
  switch (type.kind) {
    case "string":
      return (v) => {
        const s = text(v);
        return typeof v === "number" && s.endsWith(".0") ? s.slice(0, -2) : s;
      };
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : String(v).toLowerCase() === "true");
    case "double":
      return (v) => numberOf(v, "double");
    case "float":
      return (v) => Math.fround(numberOf(v, "float"));
    case "bigint":
      return (v) => {
        if (typeof v === "string" && /^[+-]?\d+$/.test(v.trim())) {
          return BigInt(v.trim());
        }
        return BigInt(Math.trunc(numberOf(v, "bigint")));
      };
    case "int":
      return (v) => wrap(numberOf(v, "int"), 32);
    case "smallint":
      return (v) => wrap(numberOf(v, "smallint"), 16);
    case "tinyint":
      return (v) => wrap(numberOf(v, "tinyint"), 8);
    case "decimal":
      return (v) => {
        try {
          return Decimal.parse(typeof v === "number" ? javaDouble(v) : String(v).trim());
        } catch {
          return fail(`decimal(${type.precision}, ${type.scale})`, v);
        }
      };
    case "date":
      return (v) =>
        v instanceof LocalDateTime ? v.date : (c.date.parse(String(v).trim()) ?? fail(`date (${c.date.pattern})`, v));
    case "time":
      return (v) =>
        v instanceof LocalDateTime ? v.time : (c.time.parse(String(v).trim()) ?? fail(`time (${c.time.pattern})`, v));
    case "timestamp":
      return (v) =>
        v instanceof LocalDateTime
          ? v
          : (c.datetime.parse(String(v).trim()) ?? fail(`timestamp (${c.datetime.pattern})`, v));
    case "null":
      return () => null;
    case "bytes":
      return (v) => new TextEncoder().encode(text(v));
    case "array":
    case "map": {
      const parse = jsonParser([type]);
      const conv = jsonConverter(type);
      return (v) => {
        try {
          return conv(parse(text(v)));
        } catch (e) {
          if (e instanceof FieldError) {
            throw e;
          }
          return fail(`${type.kind} (JSON text)`, v);
        }
      };
    }
    case "row": {
      const fields = type.fields.map((f) => cellConverter(f.type, c, delim));
      return (v) => {
        const parts = javaSplit(text(v), delim);
        return fields.map((f, i) => (i < parts.length ? f(parts[i]) : null));
      };
    }
  }
}
