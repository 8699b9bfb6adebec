/**
 * PostgreSQL ↔ SeaTunnel types, as SeaTunnel's PostgresTypeConverter maps them (convert for reads,
 * reconvert for CREATE TABLE), and the decoders from COPY text to exact row values.
 */
import type { Column, DataType } from "../../src/api/index.ts";
import { Decimal, LocalTime, T } from "../../src/api/index.ts";
import {
  decimalOf,
  parseDate,
  parseDateTime,
  parseTimeAt,
  parseTimestampTz,
  type Decoder,
  type NativeColumn,
} from "./dialect.ts";
import { charsFit, decimalFit, type Fit, fractionFit } from "./fit.ts";
import { type PgArrayItem, parsePgArray } from "./pgtext.ts";

const ARRAYS: Record<string, DataType> = {
  _bool: T.array(T.boolean),
  _int2: T.array(T.smallint),
  _int4: T.array(T.int),
  _int8: T.array(T.bigint),
  _float4: T.array(T.float),
  _float8: T.array(T.double),
  _bpchar: T.array(T.string),
  _varchar: T.array(T.string),
  _text: T.array(T.string),
};

/** The SeaTunnel column for a PostgreSQL column (PostgresTypeConverter.convert). */
export function pgColumn(n: NativeColumn): Column {
  const c: Column = { name: n.name, type: T.string, nullable: n.nullable };
  if (n.comment) {
    c.comment = n.comment;
  }
  const t = n.type.toLowerCase();
  switch (t) {
    case "bool":
      c.type = T.boolean;
      break;
    case "int2":
      c.type = T.smallint;
      break;
    case "int4":
      c.type = T.int;
      break;
    case "int8":
      c.type = T.bigint;
      break;
    case "float4":
      c.type = T.float;
      break;
    case "float8":
      c.type = T.double;
      break;
    case "numeric":
      // A table's numeric without precision is numeric(38,10) in SeaTunnel's catalog (dealingSpecialNumeric).
      c.type = n.narrowed
        ? T.decimal(38, 10)
        : n.precision && n.precision > 0
          ? T.decimal(n.precision, n.scale ?? 0)
          : T.decimal(38, 18);
      break;
    case "money":
      c.type = T.decimal(30, 2);
      c.columnLength = 30;
      c.columnScale = 2;
      break;
    case "bytea":
      c.type = T.bytes;
      break;
    case "date":
      c.type = T.date;
      break;
    case "time":
    case "timetz":
      c.type = T.time;
      if (n.scale !== undefined) {
        c.columnScale = Math.min(n.scale, 6);
      }
      break;
    case "timestamp":
    case "timestamptz":
      c.type = T.timestamp;
      if (n.scale !== undefined) {
        c.columnScale = Math.min(n.scale, 6);
      }
      break;
    case "bpchar":
    case "char":
    case "varchar":
      // SeaTunnel stores character lengths as 4-byte lengths (TypeDefineUtils.charTo4ByteLength).
      if (n.length && n.length > 0) {
        c.columnLength = n.length * 4;
      } else if (t !== "varchar") {
        c.columnLength = 4;
      }
      break;
    case "uuid":
      c.columnLength = 128;
      break;
    default:
      if (ARRAYS[t]) {
        c.type = ARRAYS[t];
      }
  }
  return c;
}

const ident: Decoder = (s) => s;

function scalarDecoder(t: string): Decoder {
  switch (t) {
    case "bool":
      return (s) => s === "t";
    case "int2":
    case "int4":
      return (s) => Number(s);
    case "int8":
      return (s) => BigInt(s as string);
    case "float4":
      return (s) => Math.fround(Number(s));
    case "float8":
      return (s) => Number(s);
    case "numeric":
      return (s) => decimalOf(s as string);
    case "money":
      return (s) => Decimal.parse((s as string).replace(/[^0-9.-]/g, ""));
    case "bytea":
      return (s) => new Uint8Array(Buffer.from((s as string).slice(2), "hex"));
    case "date":
      return (s) => parseDate(s as string);
    case "time":
      return (s) => parseTimeAt(s as string);
    case "timetz":
      return (s) => LocalTime.parse((s as string).replace(/[+-]\d{2}(:?\d{2})*$/, ""));
    case "timestamp":
      return (s) => parseDateTime(s as string);
    case "timestamptz":
      return (s) => parseTimestampTz(s as string);
    default:
      return ident;
  }
}

/** Decoder from COPY text to the value of `c`'s type. */
export function pgDecoder(n: NativeColumn): Decoder {
  const t = n.type.toLowerCase();
  if (ARRAYS[t]) {
    const el = scalarDecoder(t.slice(1));
    const each = (items: PgArrayItem[]): unknown[] =>
      items.map((x) => (x === null ? null : Array.isArray(x) ? each(x) : el(x)));
    return (s) => each(parsePgArray(s as string));
  }
  return scalarDecoder(t);
}

const ARRAY_DDL: Record<string, string> = {
  boolean: "bool[]",
  tinyint: "int2[]",
  smallint: "int2[]",
  int: "int4[]",
  bigint: "int8[]",
  float: "float4[]",
  double: "float8[]",
  string: "text[]",
  bytes: "bytea",
};

/** DDL type for a SeaTunnel column (PostgresTypeConverter.reconvert). */
export function pgColumnType(c: Column): string {
  const t = c.type;
  switch (t.kind) {
    case "boolean":
      return "bool";
    case "tinyint":
    case "smallint":
      return "int2";
    case "int":
      return "int4";
    case "bigint":
      return "int8";
    case "float":
      return "float4";
    case "double":
      return "float8";
    case "decimal": {
      let p = t.precision;
      let s = t.scale;
      if (p <= 0) {
        [p, s] = [38, 18];
      } else if (p > 1000) {
        [s, p] = [Math.max(0, s - (p - 1000)), 1000];
      }
      return `numeric(${p},${Math.max(0, Math.min(s, 999))})`;
    }
    case "bytes":
      return "bytea";
    case "string":
      return c.columnLength && c.columnLength > 0 && c.columnLength <= 10485760 ? `varchar(${c.columnLength})` : "text";
    case "date":
      return "date";
    case "time":
      return c.columnScale && c.columnScale > 0 ? `time(${Math.min(c.columnScale, 6)})` : "time";
    case "timestamp":
      return c.columnScale && c.columnScale > 0 ? `timestamp(${Math.min(c.columnScale, 6)})` : "timestamp";
    case "array":
      return ARRAY_DDL[t.element.kind] ?? "text[]";
    default:
      return "text";
  }
}

/** What a PostgreSQL column changes silently (Dialect.fit): trailing spaces past a length, fraction digits. */
export function pgFit(n: NativeColumn): Fit | undefined {
  const t = n.type.toLowerCase();
  const name = n.declared ?? t;
  if ((t === "varchar" || t === "bpchar") && n.length) {
    return charsFit(n.length, name);
  }
  if (t === "numeric" && n.precision) {
    return decimalFit(n.precision, n.scale ?? 0, name);
  }
  if (/^(time|timetz|timestamp|timestamptz)$/.test(t) && n.scale !== undefined && n.scale < 6) {
    return fractionFit(n.scale, name);
  }
  return undefined;
}
