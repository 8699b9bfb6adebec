/**
 * MySQL/MariaDB ↔ SeaTunnel types as SeaTunnel's MySqlTypeConverter maps them (convert for reads,
 * reconvert for CREATE TABLE), decoders from the text protocol, SQL literals, and raw rows as
 * PostgreSQL COPY lines.
 */
import type { Column, DataType } from "../../src/api/index.ts";
import { Decimal, LocalDateTime, LocalTime, T } from "../../src/api/index.ts";
import {
  dateTimeText,
  decimalOf,
  parseDate,
  parseDateTime,
  parseTimeAt,
  hex,
  numberText,
  plainText,
  timeText,
  type Decoder,
  type NativeColumn,
  type RawRows,
} from "./dialect.ts";
import { escapeCopyText } from "../common/source-text.ts";
import { bytesFit, charsFit, decimalFit, type Fit, finiteFit, fractionFit } from "./fit.ts";

const P8 = 2 ** 8;
const P16 = 2 ** 16;
const P24 = 2 ** 24;
const P32 = 2 ** 32;

/** Types whose SeaTunnel type alone follows from the name. */
const PLAIN_TYPES = new Map<string, DataType>([
  ["TINYINT UNSIGNED", T.smallint],
  ["SMALLINT", T.smallint],
  ["SMALLINT UNSIGNED", T.int],
  ["MEDIUMINT", T.int],
  ["MEDIUMINT UNSIGNED", T.int],
  ["INT", T.int],
  ["INTEGER", T.int],
  ["YEAR", T.int],
  ["YEAR UNSIGNED", T.int],
  ["INT UNSIGNED", T.bigint],
  ["INTEGER UNSIGNED", T.bigint],
  ["BIGINT", T.bigint],
  ["FLOAT", T.float],
  ["FLOAT UNSIGNED", T.float],
  ["DOUBLE", T.double],
  ["DOUBLE UNSIGNED", T.double],
  ["REAL", T.double],
  ["GEOMETRY", T.bytes],
  ["DATE", T.date],
]);

/** Text and blob types: their maximum length in bytes. */
const LOB_TYPES = new Map<string, [DataType, number]>([
  ["TINYTEXT", [T.string, P8 - 1]],
  ["TEXT", [T.string, P16 - 1]],
  ["MEDIUMTEXT", [T.string, P24 - 1]],
  ["LONGTEXT", [T.string, P32 - 1]],
  ["TINYBLOB", [T.bytes, P8 - 1]],
  ["BLOB", [T.bytes, P16 - 1]],
  ["MEDIUMBLOB", [T.bytes, P24 - 1]],
  ["LONGBLOB", [T.bytes, P32 - 1]],
]);

/** The SeaTunnel column for a MySQL column; `type` is upper case with ` UNSIGNED` when unsigned. */
export function myColumn(n: NativeColumn): Column {
  const c: Column = { name: n.name, type: T.string, nullable: n.nullable };
  if (n.comment) {
    c.comment = n.comment;
  }
  const type = n.type.replace(/ ZEROFILL$/, "");
  const plain = PLAIN_TYPES.get(type);
  const lob = LOB_TYPES.get(type);
  if (plain !== undefined) {
    c.type = plain;
  } else if (lob !== undefined) {
    [c.type, c.columnLength] = lob;
  } else {
    sizedColumn(c, n, type);
  }
  return c;
}

/** The types whose mapping depends on the column's length, precision or scale (others stay strings). */
function sizedColumn(c: Column, n: NativeColumn, type: string): void {
  const len = n.length ?? 0;
  // A table's character types take their length in bytes (MySqlCatalog: CHARACTER_OCTET_LENGTH).
  const chars = n.octetLength ?? len;
  switch (type) {
    case "BIT":
    case "BIT UNSIGNED":
      if (len > 1) {
        [c.type, c.columnLength] = [T.bytes, Math.ceil(len / 8)];
      } else {
        c.type = T.boolean;
      }
      break;
    case "TINYINT":
      c.type = len === 1 ? T.boolean : T.tinyint;
      break;
    case "BIGINT UNSIGNED":
      [c.type, c.columnLength, c.columnScale] = [T.decimal(20, 0), 20, 0];
      break;
    case "DECIMAL":
    case "DECIMAL UNSIGNED":
      decimalColumn(c, n);
      break;
    case "CHAR":
    case "VARCHAR":
      c.columnLength = chars > 0 ? chars : 4;
      break;
    case "ENUM":
    case "SET":
      c.columnLength = chars > 0 ? chars : 100;
      break;
    case "BINARY":
    case "VARBINARY":
      [c.type, c.columnLength] = [T.bytes, len > 0 ? len : 1];
      break;
    case "TIME":
      c.type = T.time;
      if (n.scale !== undefined) {
        c.columnScale = n.scale;
      }
      break;
    case "DATETIME":
    case "TIMESTAMP":
      c.type = T.timestamp;
      if (n.scale !== undefined) {
        c.columnScale = n.scale;
      }
      break;
    default:
      break;
  }
}

/** An unsigned decimal takes one more digit; a precision past 38 falls back to DECIMAL(38, 18). */
function decimalColumn(c: Column, n: NativeColumn): void {
  const p = n.precision ?? 10;
  const s = n.scale ?? 0;
  const t = n.type.endsWith("UNSIGNED") ? T.decimal(p + 1, s) : p > 38 ? T.decimal(38, 18) : T.decimal(p, s);
  [c.type, c.columnLength, c.columnScale] = [
    t,
    t.kind === "decimal" ? t.precision : p,
    t.kind === "decimal" ? t.scale : s,
  ];
}

const zeroDate = (s: string) => s.startsWith("0000-00-00");
const bytes = (b: unknown) =>
  b instanceof Uint8Array
    ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    : new Uint8Array(Buffer.from(String(b), "latin1"));

/** SeaTunnel reads TINYINT(1) as boolean: any other value than 0 and 1 would change, so it fails. */
const tinyintBoolean: Decoder = (s) => {
  const x = Number(s);
  if (x === 0 || x === 1) {
    return x === 1;
  }
  throw new Error(
    `${String(s)} is not 0 or 1: SeaTunnel reads TINYINT(1) as boolean; declare the column TINYINT to read it`,
  );
};

/** Decoder from a text-protocol value (string, or Buffer for binary columns) to the column's value. */
export function myDecoder(n: NativeColumn, c: Column): Decoder {
  switch (c.type.kind) {
    case "boolean":
      return n.type.startsWith("BIT") ? (b) => bytes(b).some((x) => x !== 0) : tinyintBoolean;
    case "tinyint":
    case "smallint":
    case "int":
      return (s) => Number(s);
    case "bigint":
      return (s) => BigInt(s as string);
    case "float":
      return (s) => Math.fround(Number(s));
    case "double":
      return (s) => Number(s);
    case "decimal":
      return (s) => decimalOf(s as string);
    case "bytes":
      return bytes;
    case "date":
      return (s) => (zeroDate(s as string) ? null : parseDate(s as string));
    case "time":
      return (s) => parseTimeAt(s as string);
    case "timestamp":
      return (s) => (zeroDate(s as string) ? null : parseDateTime(s as string));
    default:
      return (s) => (s instanceof Uint8Array ? Buffer.from(s).toString("utf8") : s);
  }
}

/** DDL type for a SeaTunnel column (MySqlTypeConverter.reconvert, MySQL ≥ 5.6). */
export function myColumnType(c: Column): string {
  const t = c.type;
  const len = c.columnLength ?? 0;
  switch (t.kind) {
    case "null":
      return "NULL";
    case "boolean":
      return "TINYINT(1)";
    case "tinyint":
      return "TINYINT";
    case "smallint":
      return "SMALLINT";
    case "int":
      return "INT";
    case "bigint":
      return "BIGINT";
    case "float":
      return "FLOAT";
    case "double":
      return "DOUBLE";
    case "decimal": {
      let p = t.precision;
      let s = t.scale;
      if (p <= 0) {
        [p, s] = [38, 18];
      } else if (p > 65) {
        [s, p] = [Math.max(0, s - (p - 65)), 65];
      }
      return `DECIMAL(${p},${Math.max(0, Math.min(s, 30))})`;
    }
    case "bytes":
      if (len <= 0) {
        // No declared bound (PostgreSQL bytea): any length must fit, so no VARBINARY cap.
        return "LONGBLOB";
      }
      if (len < P16 - 4) {
        return `VARBINARY(${len})`;
      }
      return len < P24 ? "MEDIUMBLOB" : "LONGBLOB";
    case "string":
      if (len <= 0) {
        return "LONGTEXT";
      }
      if (len < P8) {
        return `VARCHAR(${len})`;
      }
      if (len < P16) {
        return "TEXT";
      }
      return len < P24 ? "MEDIUMTEXT" : "LONGTEXT";
    case "date":
      return "DATE";
    case "time":
      return c.columnScale && c.columnScale > 0 ? `TIME(${Math.min(c.columnScale, 6)})` : "TIME";
    case "timestamp":
      return c.columnScale && c.columnScale > 0 ? `DATETIME(${Math.min(c.columnScale, 6)})` : "DATETIME";
    default:
      return "LONGTEXT";
  }
}

const ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\n": "\\n",
  "\r": "\\r",
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "\x1a": "\\Z",
};

export const myQuoteString = (s: string): string => `'${s.replace(/[\0\n\r\\'"\x1a]/g, (c) => ESCAPES[c]!)}'`;

/** A MySQL literal for a row value. */
export function myLiteral(v: unknown): string {
  if (v === null || v === undefined) {
    return "NULL";
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) {
      // MySQL and MariaDB have no NaN or infinity: a NULL in its place would lose the value silently.
      throw new Error(`${v} cannot be stored: MySQL and MariaDB floating-point columns hold only finite numbers`);
    }
    // `-0` would be the integer 0; as a float literal it keeps its sign.
    return Object.is(v, -0) ? "-0e0" : numberText(v);
  }
  if (typeof v === "bigint" || v instanceof Decimal) {
    return v.toString();
  }
  if (typeof v === "boolean") {
    return v ? "1" : "0";
  }
  if (v instanceof Uint8Array) {
    return v.length ? `X'${hex(v)}'` : "''";
  }
  if (v instanceof LocalDateTime) {
    return `'${dateTimeText(v)}'`;
  }
  if (v instanceof LocalTime) {
    return `'${timeText(v)}'`;
  }
  return myQuoteString(plainText(v));
}

type Transcode = (raw: unknown) => string;

const asText: Transcode = (s) => (typeof s === "string" ? s : String(s));
const escaped: Transcode = (s) => escapeCopyText(s as string);
const buf = (b: unknown) => (b instanceof Uint8Array ? b : Buffer.from(String(b), "latin1"));

/** MySQL text value → PostgreSQL input text, per MySQL type; undefined where the value must be decoded. */
function myTranscoder(n: NativeColumn, c: Column): Transcode | undefined {
  const t = n.type.replace(/ UNSIGNED$/, "");
  if (t === "TINYINT" && c.type.kind === "boolean") {
    // Decoded, so that a value other than 0 or 1 fails (tinyintBoolean).
    return undefined;
  }
  if (/^(TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT|DECIMAL|YEAR|FLOAT|DOUBLE|REAL)$/.test(t)) {
    return asText;
  }
  if (/^(CHAR|VARCHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|JSON|ENUM|SET)$/.test(t)) {
    return escaped;
  }
  if (t === "DATE" || t === "DATETIME" || t === "TIMESTAMP") {
    return (s) => ((s as string).startsWith("0000-00-00") ? "\\N" : (s as string));
  }
  if (t === "TIME") {
    return asText;
  }
  if (c.type.kind === "boolean") {
    return (b) => (buf(b).some((x) => x !== 0) ? "t" : "f");
  }
  if (c.type.kind === "bytes") {
    return (b) => `\\\\x${hex(buf(b))}`;
  }
  return undefined;
}

/** MySQL rows are arrays of driver values; they become COPY lines when every column transcodes. */
export function myRawRows(natives: NativeColumn[], columns: Column[]): RawRows {
  const tc = natives.map((n, i) => myTranscoder(n, columns[i]!));
  if (!tc.every((t) => t !== undefined)) {
    return {};
  }
  const codes = tc as Transcode[];
  const pgLine = (raw: unknown): string => {
    const f = raw as unknown[];
    let line = "";
    for (let i = 0; i < f.length; i++) {
      const x = f[i];
      line += (i ? "\t" : "") + (x === null || x === undefined ? "\\N" : codes[i]!(x));
    }
    return line;
  };
  return { pgLine };
}

const FINITE = finiteFit("MySQL and MariaDB floating-point columns cannot hold");
const FLOATING: Fit = (v) => FINITE(v) ?? (Object.is(v, -0) ? "is -0, which MariaDB stores as 0" : undefined);

/** What a MySQL/MariaDB column changes silently or refuses (Dialect.fit), by its catalog description. */
export function myFit(n: NativeColumn): Fit | undefined {
  const t = n.type.replace(/ UNSIGNED$/, "");
  const name = n.declared ?? t;
  const lob = LOB_TYPES.get(t);
  if (lob) {
    return bytesFit(lob[1], name);
  }
  switch (t) {
    case "CHAR":
    case "VARCHAR":
      return n.length ? charsFit(n.length, name) : undefined;
    case "BINARY":
    case "VARBINARY":
      return n.length ? bytesFit(n.length, name, t === "BINARY") : undefined;
    case "DECIMAL":
      return n.precision ? decimalFit(n.precision, n.scale ?? 0, name) : undefined;
    case "TIME":
    case "DATETIME":
    case "TIMESTAMP":
      return n.scale !== undefined && n.scale < 6 ? fractionFit(n.scale, name) : undefined;
    case "FLOAT":
    case "DOUBLE":
    case "REAL":
      return FLOATING;
    default:
      return undefined;
  }
}
