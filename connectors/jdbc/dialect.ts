/**
 * What the Jdbc source and sink need from a database, implemented once per dialect
 * (pg.ts, mysql.ts, sqlite.ts): sessions from a per-thread pool, catalog look-ups, value decoding
 * for reads, SQL literals and DDL for writes. Everything above this file is dialect-free.
 */
import type { Column, ConstraintKey, FailureClass, PrimaryKey, TablePath, TableSchema } from "../../src/api/index.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, sameType, zeroPad as pad } from "../../src/api/index.ts";
import type { Fit } from "./fit.ts";
import type { ConnInfo, DialectKind } from "./url.ts";

/** A column as the database declares it (what decoders and DDL need beyond the SeaTunnel type). */
export interface NativeColumn {
  name: string;
  /** Upper-case MySQL type (`BIGINT UNSIGNED`), PostgreSQL typname (`int8`, `_text`), SQLite declared type. */
  type: string;
  nullable: boolean;
  length?: number;
  /** MySQL's CHARACTER_OCTET_LENGTH: SeaTunnel's catalog gives a CHAR/VARCHAR/ENUM/SET this length (varchar(10) is 40). */
  octetLength?: number;
  precision?: number;
  scale?: number;
  comment?: string;
  /** The type as the catalog declares it, where a table of the same kind of database can use it as it is. */
  declared?: string;
  /**
   * The column is read as a narrower type than its own, as SeaTunnel reads it (PostgreSQL numeric
   * without precision as decimal(38,10)); its values stay as they are, a sink checks them (fit.ts).
   */
  narrowed?: boolean;
}

/** A table or query as read from the catalog. */
export interface Described {
  path: TablePath;
  columns: Column[];
  native: NativeColumn[];
  primaryKey?: PrimaryKey;
  uniqueKeys?: ConstraintKey[];
}

export type Decoder = (raw: unknown) => unknown;

/** One reserved connection. Callers release it; nothing is shared while it is held. */
export interface Session {
  /** Small statements (catalog, DDL): rows as objects with driver values. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
  /**
   * Streams a SELECT in batches of about `rows` raw rows (a COPY text line on PostgreSQL, an array of
   * driver values elsewhere); memory stays bounded. `binary`: columns read as bytes (MySQL).
   */
  stream(sql: string, rows: number, binary?: ReadonlySet<string>): AsyncIterableIterator<unknown[]>;
  /** PostgreSQL COPY FROM STDIN: a writer of text chunks; `end()` resolves when the server stored them. */
  copyIn?(sql: string): CopyIn;
  /** SQLite: runs one prepared statement for many parameter rows; a failure names its row as `failedFields`. */
  runMany?(sql: string, rows: unknown[][]): Promise<void>;
  release(): Promise<void>;
  /** Closes instead of returning to the pool (after an error in a transaction). */
  discard(): Promise<void>;
}

export interface CopyIn {
  /**
   * Resolves once the previous chunk is sent and this one is on its way: bytes given here may be
   * written over once the next write() has resolved.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/** How a dialect's streamed rows give their fields and, where every column allows it, a COPY text line. */
export interface RawRows {
  /** The fields of a raw row, before decoding; absent where a raw row already is the array of driver values. */
  fields?: (raw: unknown) => unknown[];
  /** The raw row as a PostgreSQL COPY text line (without newline); absent where some column must be decoded. */
  pgLine?: (raw: unknown) => string;
}

/** A per-thread pool for one (database, user). */
export interface Db {
  session(): Promise<Session>;
  close(): Promise<void>;
}

export interface Dialect {
  kind: DialectKind;
  quote(name: string): string;
  /** The quoted table name for SQL (`"schema"."table"`, `` `db`.`table` ``). */
  qualify(p: TablePath): string;
  /** A table path as written in options, with the connection's defaults filled in. */
  resolvePath(text: string, info: ConnInfo): TablePath;
  /** A SQL literal for any row value. */
  literal(v: unknown): string;
  connect(info: ConnInfo, max: number): Db;
  describeTable(s: Session, p: TablePath): Promise<Described | undefined>;
  describeQuery(s: Session, sql: string, path: TablePath): Promise<Described>;
  decoder(n: NativeColumn, c: Column): Decoder;
  /**
   * How a table read selects a column whose own text is not exact or not input text (PostgreSQL
   * money prints as currency, MariaDB FLOAT with 6 digits): the select expression and the native
   * type its values then have. Undefined: the column as it is.
   */
  readAs?(n: NativeColumn): { sql: string; type: string } | undefined;
  /**
   * The check of values written into a column of a table (as describeTable gives it): what the
   * database would change silently (fit.ts). Undefined: it stores every value as given or fails.
   */
  fit?(n: NativeColumn): Fit | undefined;
  /** DDL type of a SeaTunnel column (the catalog's reconvert). */
  columnType(c: Column): string;
  /** `ON CONFLICT …` / `ON DUPLICATE KEY …` after a VALUES list; undefined when nothing to update. */
  upsertClause(cols: string[], pk: string[]): string;
  /** Estimated row count (statistics), for split planning. */
  approxRows(s: Session, p: TablePath): Promise<number>;
  /** Where a table lives, as named in messages (`database "db"`, or the SQLite file). */
  locationOf(p: TablePath, info: ConnInfo): string;
  /** How the raw rows a session streams for these columns keep their text (see RawRows). */
  rawRows(natives: NativeColumn[], columns: Column[]): RawRows;
  /** The sink table named by the `table` option, `database` filling in what the name leaves out. */
  sinkPath(table: string, database: string): TablePath;
  /** The statement that removes every row of a table (data_save_mode = DROP_DATA). */
  truncateSql(p: TablePath): string;
  /** The clause a column definition in CREATE TABLE ends with to keep `comment`; absent where not inline. */
  columnCommentSql?(comment: string): string;
  /** Statements after CREATE TABLE that set the table's and columns' comments; absent where not separate. */
  commentSql?(p: TablePath, t: TableSchema): string[];
  /** SQL of a text column's bucket in 0..n-1, for splitting a read by a string key. */
  hashModSql(col: string, n: number): string;
  /** Whether plain inserts (no keys, or use_copy_statement) go through COPY FROM STDIN. */
  copyInserts: boolean;
  /** Whether the sink takes a source row's text as it is (COPY lines) rather than its values. */
  writesSourceText: boolean;
  /** Whether one exec may run several `;`-separated statements (else each runs alone). */
  multiStatementExec: boolean;
  /** Whether a batch runs under a savepoint, so a failed batch is retried row by row to find the bad row. */
  savepointBatches: boolean;
  createDatabase?(s: Session, p: TablePath): Promise<void>;
  /** Two-phase commit: prepare the open transaction under `xid`; commit/rollback a prepared one. */
  prepareXa?(s: Session, xid: string): Promise<void>;
  /**
   * After prepareXa, gives the session up. PostgreSQL detaches a prepared transaction from its
   * connection at once (the session goes back to the pool); MySQL/MariaDB keep it tied to the
   * connection until that closes, and the connection refuses any other statement until then.
   */
  releasePrepared?(s: Session): Promise<void>;
  commitXa?(s: Session, xid: string): Promise<void>;
  rollbackXa?(s: Session, xid: string): Promise<void>;
  /** Prepared transactions whose id starts with `prefix` (left by a run that crashed). */
  recoverXa?(s: Session, prefix: string): Promise<string[]>;
  beginXa?(s: Session, xid: string): Promise<void>;
  /** Whether a retry could get past this driver error (failures.ts); pool.ts marks every session error with it. */
  classify(e: unknown): FailureClass | undefined;
}

/** `HH:MM:SS[.ffffff]` with the fraction only when non-zero (what databases accept and print). */
export function timeText(t: LocalTime): string {
  const base = `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  if (t.nano === 0) {
    return base;
  }
  const f = pad(t.nano, 9);
  let end = 9;
  while (f.charCodeAt(end - 1) === 48) {
    end--;
  }
  return `${base}.${f.slice(0, end)}`;
}

export const dateTimeText = (d: LocalDateTime): string => `${d.date.toString()} ${timeText(d.time)}`;

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Text form of a value for a text column or a COPY/CSV field (arrays and maps as JSON). */
export function plainText(v: unknown): string {
  if (typeof v === "string") {
    return v;
  }
  if (v instanceof LocalDateTime) {
    return dateTimeText(v);
  }
  if (v instanceof LocalTime) {
    return timeText(v);
  }
  if (v instanceof LocalDate || v instanceof Decimal) {
    return v.toString();
  }
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "bigint") {
    return String(v);
  }
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "bigint" ? x.toString() : x instanceof Map ? Object.fromEntries(x) : x,
  );
}

/** A float's text: the shortest that reads back as the same number (`-0` keeps its sign), NaN, ±Infinity. */
export const numberText = (n: number): string =>
  Number.isFinite(n)
    ? Object.is(n, -0)
      ? "-0"
      : String(n)
    : Number.isNaN(n)
      ? "NaN"
      : n > 0
        ? "Infinity"
        : "-Infinity";

/** Parses a timestamp text with an optional offset (`+05:30`, `+00`) into UTC wall time. */
export function parseTimestampTz(text: string): LocalDateTime {
  const m = /^(.*?\d)(?:([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?$/.exec(text.trim());
  const body = m?.[1] ?? text;
  const local = parseDateTime(body);
  if (!m?.[2]) {
    return local;
  }
  const sign = m[2].startsWith("-") ? -1 : 1;
  const offsetUs =
    BigInt(sign * ((Math.abs(Number(m[2])) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0))) * 1_000_000n;
  return LocalDateTime.fromEpochMicros(local.toEpochMicros() - offsetUs);
}

/** A decimal from text with the scale the database sent (JDBC's getBigDecimal keeps it). */
export const decimalOf = (text: string): Decimal => parseDecimal(text);

const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/** `HH:MM:SS[.f…]` from offset `i` (fast path of LocalTime.parse; falls back to it for other shapes). */
export function parseTimeAt(s: string, i = 0): LocalTime {
  if (s.length - i < 8 || s[i + 2] !== ":" || s[i + 5] !== ":") {
    return LocalTime.parse(s.slice(i));
  }
  let nano = 0;
  if (s[i + 8] === ".") {
    let digits = 0;
    for (let j = i + 9; j < s.length && digits < 9; j++, digits++) {
      const c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) {
        break;
      }
      nano = nano * 10 + c;
    }
    for (; digits < 9; digits++) {
      nano *= 10;
    }
  }
  return new LocalTime(d2(s, i), d2(s, i + 3), d2(s, i + 6), nano);
}

/** `YYYY-MM-DD` (fast path of LocalDate.parse). */
export function parseDate(s: string): LocalDate {
  if (s.length < 10 || s[4] !== "-" || s[7] !== "-") {
    return LocalDate.parse(s);
  }
  return new LocalDate(d2(s, 0) * 100 + d2(s, 2), d2(s, 5), d2(s, 8));
}

/** `YYYY-MM-DD[ T]HH:MM:SS[.f…]` (fast path of LocalDateTime.parse). */
export function parseDateTime(s: string): LocalDateTime {
  if (s.length < 19 || s[4] !== "-" || (s[10] !== " " && s[10] !== "T")) {
    return LocalDateTime.parse(s);
  }
  return new LocalDateTime(new LocalDate(d2(s, 0) * 100 + d2(s, 2), d2(s, 5), d2(s, 8)), parseTimeAt(s, 11));
}

/** A decimal from plain text (`-12.340`), exact, keeping the scale; exponents go through Decimal.parse. */
export function parseDecimal(s: string): Decimal {
  const dot = s.indexOf(".");
  if (s.includes("e") || s.includes("E")) {
    return Decimal.parse(s);
  }
  if (dot < 0) {
    return new Decimal(BigInt(s), 0);
  }
  return new Decimal(BigInt(s.slice(0, dot) + s.slice(dot + 1)), s.length - dot - 1);
}

/** Columns with their source declarations (Column.sourceType), from the natives they were mapped from. */
export function withSourceTypes(system: string, columns: Column[], natives: NativeColumn[]): Column[] {
  return columns.map((c, i) => {
    const declared = natives[i]?.declared;
    return declared ? { ...c, sourceType: { system, declared, type: c.type } } : c;
  });
}

/**
 * The column type a CREATE TABLE on `d` writes: the source's own declaration when the source is
 * the same kind of database and the column still has the type it was read as (SeaTunnel keeps the
 * source's column type then), else the dialect's mapping of the column's type.
 */
export function declaredType(d: Dialect, c: Column): string {
  const st = c.sourceType;
  return st && st.system === d.kind && sameType(st.type, c.type) ? st.declared : d.columnType(c);
}
