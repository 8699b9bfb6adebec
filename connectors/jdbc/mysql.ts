/**
 * MySQL and MariaDB through mysql2. Bun's client buffers a whole result (no cursor, no row stream)
 * and refuses LOAD DATA LOCAL INFILE, so a second driver beside it would also mean a second pool per
 * database; mysql2 alone streams reads (text protocol, every value as text or bytes, decoded exactly
 * here), writes multi-row statements and runs XA. Sessions use time_zone '+00:00'.
 */
import mysql from "mysql2";
import type { FieldPacket, PoolConnection, TypeCast } from "mysql2";
import type { TablePath } from "../../src/api/index.ts";
import { type Db, type Described, type Dialect, type NativeColumn, type Session, withSourceTypes } from "./dialect.ts";
import { myFailure } from "./failures.ts";
import { myColumn, myColumnType, myDecoder, myFit, myLiteral, myQuoteString, myRawRows } from "./mytypes.ts";
import { type ConnInfo, connectTimeoutMs } from "./url.ts";

const quote = (s: string) => `\`${s.replace(/`/g, "``")}\``;

const BINARY_CHARSET = 63;
/** Everything as text, binary columns (known from the catalog) as bytes: the decoders make exact values of them. */
const rawCast =
  (binary?: ReadonlySet<string>): TypeCast =>
  (field) =>
    field.type === "BIT" || field.type === "GEOMETRY" || binary?.has(field.name)
      ? field.buffer()
      : field.string("utf8");

function connect(info: ConnInfo, max: number): Db {
  const pool = mysql.createPool({
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    ...(info.database ? { database: info.database } : {}),
    connectionLimit: max,
    connectTimeout: connectTimeoutMs(info),
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    jsonStrings: true,
    decimalNumbers: false,
    timezone: "Z",
  });
  pool.on("connection", (c) => {
    c.query("SET time_zone = '+00:00'");
  });
  return {
    session: () =>
      new Promise<Session>((ok, fail) => pool.getConnection((err, c) => (err ? fail(err) : ok(mySession(c))))),
    close: () => new Promise<void>((ok) => pool.end(() => ok())),
  };
}

function run(c: PoolConnection, sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((ok, fail) =>
    c.query(sql, (err, rows) => (err ? fail(err) : ok(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []))),
  );
}

interface MySession extends Session {
  raw: PoolConnection;
}

function mySession(c: PoolConnection): MySession {
  return {
    raw: c,
    query: (q) => run(c, q),
    exec: async (q) => {
      await run(c, q);
    },
    stream: (q, rows, binary) => streamRows(c, q, rows, binary),
    release: async () => c.release(),
    discard: async () => c.destroy(),
  };
}

/**
 * mysql2's generated text parser with dateStrings, bigNumberStrings and jsonStrings already gives
 * exact text (numbers only where a double is exact); a typeCast is only needed for GEOMETRY bytes.
 */
async function* streamRows(
  c: PoolConnection,
  sql: string,
  rows: number,
  raw?: ReadonlySet<string>,
): AsyncIterableIterator<unknown[]> {
  const st = c
    .query({ sql, rowsAsArray: true, ...(raw?.size ? { typeCast: rawCast(raw) } : {}) })
    .stream({ highWaterMark: rows });
  let batch: unknown[][] = [];
  for await (const row of st as AsyncIterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= rows) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) {
    yield batch;
  }
}

const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

async function describeTable(s: Session, p: TablePath): Promise<Described | undefined> {
  const where = `TABLE_SCHEMA = ${myQuoteString(p.database ?? "")} AND TABLE_NAME = ${myQuoteString(p.table)}`;
  const cols =
    await s.query(`SELECT COLUMN_NAME AS name, DATA_TYPE AS dt, COLUMN_TYPE AS ct, IS_NULLABLE AS nl, CHARACTER_MAXIMUM_LENGTH AS len, CHARACTER_OCTET_LENGTH AS octets,
    NUMERIC_PRECISION AS np, NUMERIC_SCALE AS ns, DATETIME_PRECISION AS dp, COLUMN_COMMENT AS cm FROM information_schema.COLUMNS WHERE ${where} ORDER BY ORDINAL_POSITION`);
  if (!cols.length) {
    return undefined;
  }
  const natives = cols.map((r): NativeColumn => {
    const dt = String(r.dt).toUpperCase();
    const ct = String(r.ct).toLowerCase();
    const n: NativeColumn = {
      name: String(r.name),
      type: ct.includes("unsigned") ? `${dt} UNSIGNED` : dt,
      nullable: r.nl === "YES",
    };
    // SeaTunnel creates a TIMESTAMP(n) as DATETIME(n) even from MySQL (the reconvert of time types).
    if (dt !== "TIMESTAMP") {
      n.declared = String(r.ct);
    }
    const width = /^\w+\((\d+)/.exec(ct)?.[1];
    if (dt === "BIT") {
      n.length = num(r.np);
    } else if (dt === "TINYINT" && width) {
      n.length = Number(width);
    } else if (r.len !== null && r.len !== undefined) {
      n.length = num(r.len);
      n.octetLength = num(r.octets);
    }
    if (dt === "DECIMAL") {
      [n.precision, n.scale] = [num(r.np), num(r.ns)];
    }
    if (/^(TIME|DATETIME|TIMESTAMP)$/.test(dt)) {
      n.scale = num(r.dp);
    }
    if (str(r.cm)) {
      n.comment = str(r.cm);
    }
    return n;
  });
  const keys = await s.query(
    `SELECT INDEX_NAME AS idx, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE ${where} AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
  );
  const d: Described = { path: p, columns: withSourceTypes("mysql", natives.map(myColumn), natives), native: natives };
  const byIdx = new Map<string, string[]>();
  for (const k of keys) {
    byIdx.set(String(k.idx), [...(byIdx.get(String(k.idx)) ?? []), String(k.col)]);
  }
  const pk = byIdx.get("PRIMARY");
  if (pk) {
    d.primaryKey = { name: "PRIMARY", columnNames: pk };
  }
  const uniq = [...byIdx].filter(([k]) => k !== "PRIMARY");
  if (uniq.length) {
    d.uniqueKeys = uniq.map(([name, cs]) => ({
      constraintName: name,
      constraintType: "UNIQUE_KEY",
      constraintColumns: cs.map((columnName) => ({ columnName, sortType: "ASC" })),
    }));
  }
  return d;
}

const CODES: Record<number, string> = {
  0: "DECIMAL",
  1: "TINYINT",
  2: "SMALLINT",
  3: "INT",
  4: "FLOAT",
  5: "DOUBLE",
  6: "NULL",
  7: "TIMESTAMP",
  8: "BIGINT",
  9: "MEDIUMINT",
  10: "DATE",
  11: "TIME",
  12: "DATETIME",
  13: "YEAR",
  14: "DATE",
  15: "VARCHAR",
  16: "BIT",
  245: "JSON",
  246: "DECIMAL",
  247: "ENUM",
  248: "SET",
  255: "GEOMETRY",
};
const UNSIGNED_FLAG = 32;
const NOT_NULL_FLAG = 1;

/** Bytes per character of a collation id (utf8mb4 4, utf8mb3 3, others 1), to turn lengths into characters. */
const maxLen = (cs: number) =>
  cs === 45 || cs === 46 || (cs >= 224 && cs <= 247) || cs >= 255
    ? 4
    : cs === 33 || cs === 83 || (cs >= 192 && cs <= 215)
      ? 3
      : 1;

/** Native type of a result column, as Connector/J's ResultSetMetaData reports it. */
function fieldNative(f: FieldPacket): NativeColumn {
  const code = f.columnType ?? f.type ?? 253;
  const flags = typeof f.flags === "number" ? f.flags : 0;
  const cs = f.characterSet ?? 0;
  const bin = cs === BINARY_CHARSET;
  const len = f.columnLength ?? 0;
  let type = CODES[code];
  if (code >= 249 && code <= 252) {
    const size = len <= 255 ? "TINY" : len <= 65535 ? "" : len <= 16777215 ? "MEDIUM" : "LONG";
    type = `${size}${bin ? "BLOB" : "TEXT"}`;
  } else if (code === 253 || code === 254) {
    type = bin ? (code === 253 ? "VARBINARY" : "BINARY") : code === 253 ? "VARCHAR" : "CHAR";
  }
  const n: NativeColumn = {
    name: f.name,
    type: `${type ?? "VARCHAR"}${flags & UNSIGNED_FLAG && /INT|DECIMAL|FLOAT|DOUBLE/.test(type ?? "") ? " UNSIGNED" : ""}`,
    nullable: !(flags & NOT_NULL_FLAG),
  };
  if (type === "DECIMAL") {
    [n.precision, n.scale] = [len - (flags & UNSIGNED_FLAG ? 0 : 1) - (f.decimals > 0 ? 1 : 0), f.decimals];
  } else if (type === "BIT" || type === "TINYINT" || type === "BINARY" || type === "VARBINARY") {
    n.length = len;
  } else if (type === "VARCHAR" || type === "CHAR" || type === "ENUM" || type === "SET") {
    n.length = Math.floor(len / maxLen(cs));
  } else if (type === "TIME" || type === "DATETIME" || type === "TIMESTAMP") {
    n.scale = f.decimals > 6 ? 0 : f.decimals;
  }
  return n;
}

function fields(c: PoolConnection, sql: string): Promise<FieldPacket[]> {
  return new Promise((ok, fail) =>
    c.query({ sql, typeCast: rawCast() }, (err, _rows, f) =>
      err ? fail(err) : ok((f as FieldPacket[] | undefined) ?? []),
    ),
  );
}

function resolvePath(text: string, info: ConnInfo): TablePath {
  const parts = text.split(".").map((x) => x.replace(/^`(.*)`$/, "$1"));
  if (parts.length >= 2) {
    return { database: parts[0]!, table: parts[parts.length - 1]! };
  }
  return { database: info.database, table: parts[0]! };
}

async function approxRows(s: Session, p: TablePath): Promise<number> {
  const r = await s.query(
    `SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${myQuoteString(p.database ?? "")} AND TABLE_NAME = ${myQuoteString(p.table)}`,
  );
  const n = Number(r[0]?.n ?? 0);
  if (n > 100_000) {
    return n;
  }
  const c = await s.query(`SELECT COUNT(*) AS n FROM ${quote(p.database ?? "")}.${quote(p.table)}`);
  return Number(c[0]?.n ?? 0);
}

/** XAER_NOTA: the XA transaction is unknown to this statement. */
const gone = (e: unknown) => (e as { errno?: number }).errno === 1397;

const preparedXids = async (s: Session): Promise<string[]> =>
  (await s.query("XA RECOVER")).map((r) => String(r.data).slice(0, Number(r.gtrid_length)));

/** How long a prepared transaction may stay tied to the connection that prepared it (it closes at once). */
const DETACH_WAIT_MS = 10_000;

/**
 * XA COMMIT / XA ROLLBACK of a prepared transaction, idempotent. The server answers XAER_NOTA both
 * for an id that is finished and for one still tied to the connection that prepared it, until that
 * connection's close is processed (releasePrepared closes it, but the server may lag): XA RECOVER
 * tells the two apart, and only an id it no longer lists counts as finished.
 */
async function finishXa(s: Session, verb: "COMMIT" | "ROLLBACK", xid: string): Promise<void> {
  const deadline = Date.now() + DETACH_WAIT_MS;
  for (;;) {
    try {
      await s.exec(`XA ${verb} ${myQuoteString(xid)}`);
      return;
    } catch (e) {
      if (!gone(e)) {
        throw e;
      }
    }
    if (!(await preparedXids(s)).includes(xid)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`XA ${verb} ${xid}: the prepared transaction is still held by another connection`);
    }
    await Bun.sleep(5);
  }
}

const qualify = (p: TablePath): string => (p.database ? `${quote(p.database)}.${quote(p.table)}` : quote(p.table));

export const mysqlDialect: Dialect = {
  kind: "mysql",
  classify: myFailure,
  quote,
  qualify,
  resolvePath,
  literal: myLiteral,
  connect,
  describeTable,
  describeQuery: async (s, sql, path) => {
    const c = (s as MySession).raw;
    const body = sql.trim().replace(/;\s*$/, "");
    const natives = (await fields(c, `SELECT * FROM (${body}) seatunnel_q LIMIT 0`)).map(fieldNative);
    return { path, columns: natives.map(myColumn), native: natives };
  },
  decoder: myDecoder,
  fit: myFit,
  // MariaDB prints FLOAT with 6 significant digits (16777217 as 16777200); as a DOUBLE it is exact.
  readAs: (n) => (/^FLOAT/.test(n.type) ? { sql: `(${quote(n.name)} + 0e0)`, type: "DOUBLE" } : undefined),
  columnType: myColumnType,
  upsertClause: (cols, pk) => {
    const set = cols.filter((c) => !pk.includes(c)).map((c) => `${quote(c)}=VALUES(${quote(c)})`);
    return ` ON DUPLICATE KEY UPDATE ${set.length ? set.join(", ") : pk.map((c) => `${quote(c)}=${quote(c)}`).join(", ")}`;
  },
  approxRows,
  locationOf: (p, info) => `database "${p.database ?? info.database}"`,
  rawRows: myRawRows,
  sinkPath: (table, database) => {
    const parts = table.split(".");
    return { database: parts.length >= 2 ? parts[0]! : database, table: parts[parts.length - 1]! };
  },
  truncateSql: (p) => `TRUNCATE TABLE ${qualify(p)}`,
  columnCommentSql: (comment) => ` COMMENT ${myQuoteString(comment)}`,
  hashModSql: (col, n) => `(CRC32(${col}) % ${n})`,
  copyInserts: false,
  writesSourceText: false,
  multiStatementExec: true,
  savepointBatches: false,
  createDatabase: async (s, p) => {
    if (p.database) {
      await s.exec(`CREATE DATABASE IF NOT EXISTS ${quote(p.database)}`);
    }
  },
  beginXa: (s, xid) => s.exec(`XA START ${myQuoteString(xid)}`),
  prepareXa: (s, xid) => s.exec(`XA END ${myQuoteString(xid)}; XA PREPARE ${myQuoteString(xid)}`),
  releasePrepared: (s) => s.discard(),
  commitXa: (s, xid) => finishXa(s, "COMMIT", xid),
  recoverXa: async (s, prefix) => (await preparedXids(s)).filter((xid) => xid.startsWith(prefix)),
  rollbackXa: (s, xid) => finishXa(s, "ROLLBACK", xid),
};
