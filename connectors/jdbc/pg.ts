/**
 * PostgreSQL through Bun's built-in client: reads stream through `COPY (query) TO STDOUT`, bulk
 * writes go through `COPY … FROM STDIN`, two-phase commit is PREPARE TRANSACTION. Sessions run in
 * UTC so timestamptz values are read as UTC wall time (the IT containers run with TZ=UTC).
 */
import { SQL, type ReservedSQL } from "bun";
import type { Column, TablePath, TableSchema } from "../../src/api/index.ts";
import {
  type CopyIn,
  type Db,
  type Described,
  type Dialect,
  type NativeColumn,
  type Session,
  withSourceTypes,
} from "./dialect.ts";
import { pgFailure } from "./failures.ts";
import { copyFields, pgQuote, pgText } from "./pgtext.ts";
import { pgColumn, pgColumnType, pgDecoder, pgFit } from "./pgtypes.ts";
import { singleTableOf } from "./sqltext.ts";
import { type ConnInfo, connectTimeoutMs } from "./url.ts";

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Bun's pool opens all `max` connections at once, so this pool is ours: each connection is its own
 * one-connection client, opened when a session is asked for and none is idle, kept for the next one.
 * A thread therefore holds exactly as many connections as it ever used at the same time.
 */
function connect(info: ConnInfo, max: number): Db {
  const connection: Record<string, string> = {
    TimeZone: "UTC",
    application_name: info.params.ApplicationName ?? "seatunnel",
  };
  if (info.params.currentSchema) {
    connection.search_path = info.params.currentSchema;
  }
  const idle: SQL[] = [];
  const all = new Set<SQL>();
  let waiting: (() => void)[] = [];
  const take = async (): Promise<SQL> => {
    for (;;) {
      const one = idle.pop();
      if (one) {
        return one;
      }
      if (all.size < max) {
        const c = new SQL({
          adapter: "postgres",
          hostname: info.host,
          port: info.port,
          database: info.database,
          username: info.user,
          password: info.password,
          max: 1,
          connectionTimeout: connectTimeoutMs(info) / 1000,
          connection,
        });
        all.add(c);
        return c;
      }
      await new Promise<void>((go) => waiting.push(go));
    }
  };
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const go of w) {
      go();
    }
  };
  return {
    session: async () => {
      const one = await take();
      const r = await one.reserve().catch((e: unknown) => {
        all.delete(one);
        wake();
        throw e;
      });
      const back = async () => {
        await r.release();
        idle.push(one);
        wake();
      };
      const drop = async () => {
        all.delete(one);
        await r.close().catch(() => {});
        await one.close({ timeout: 0 }).catch(() => {});
        wake();
      };
      return pgSession(r, back, drop);
    },
    close: async () => {
      idle.length = 0;
      await Promise.all([...all].map((c) => c.close({ timeout: 5 })));
      all.clear();
    },
  };
}

function pgSession(r: ReservedSQL, back: () => Promise<void>, drop: () => Promise<void>): Session {
  return {
    query: async (q) => (await r.unsafe(q)) as Record<string, unknown>[],
    exec: async (q) => {
      await r.unsafe(q);
    },
    stream: (q, rows) => copyOut(r, q, rows),
    copyIn: (q) => copyIn(r, q),
    release: back,
    discard: drop,
  };
}

async function* copyOut(r: ReservedSQL, query: string, rows: number): AsyncIterableIterator<string[]> {
  const stream = r.unsafe(`COPY (${query.trim().replace(/;\s*$/, "")}) TO STDOUT`).readable();
  // Lines end in an ASCII newline, so cutting the bytes after the last one never splits a character.
  let carry: Uint8Array | undefined;
  let batch: string[] = [];
  for await (const chunk of stream) {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const last = bytes.lastIndexOf(10);
    if (last < 0) {
      carry = bytes;
      continue;
    }
    carry = last + 1 < bytes.length ? bytes.slice(last + 1) : undefined;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, last + 1).toString("utf8");
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      batch.push(text.slice(start, nl));
      start = nl + 1;
      if (batch.length >= rows) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) {
    yield batch;
  }
}

/**
 * COPY FROM STDIN with one chunk in flight: write() returns once the previous chunk is sent, so the
 * caller reads its next batch while the server takes this one (read and write overlap).
 */
function copyIn(r: ReservedSQL, sql: string): CopyIn {
  const w = r.unsafe(sql).writable().getWriter();
  let inflight: Promise<void> = Promise.resolve();
  return {
    write: async (chunk) => {
      await inflight;
      await w.ready;
      inflight = w.write(chunk);
      // A failure is reported by the next write or by end(); never unhandled.
      inflight.catch(() => {});
    },
    end: async () => {
      await inflight;
      await w.close();
    },
    abort: () => w.abort(),
  };
}

const ATTRS = (rel: string) => `
  SELECT a.attname AS name, CASE WHEN t.typtype = 'd' THEN bt.typname WHEN t.typtype = 'e' THEN 'text' ELSE t.typname END AS type,
         CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod, a.attnotnull AS notnull,
         col_description(a.attrelid, a.attnum) AS comment,
         -- Built-in and extension base types (and arrays of them) as declared; domains and enums
         -- live in their own schema, so another database may not have them.
         CASE WHEN t.typtype = 'b' AND (t.typelem = 0 OR et.typtype = 'b') THEN format_type(a.atttypid, a.atttypmod) END AS declared
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_type et ON et.oid = t.typelem
  WHERE a.attrelid = ${rel} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

function native(r: Record<string, unknown>): NativeColumn {
  const type = String(r.type);
  const mod = Number(r.typmod);
  const n: NativeColumn = { name: String(r.name), type, nullable: !r.notnull };
  if (r.declared) {
    n.declared = String(r.declared);
  }
  if (r.comment) {
    n.comment = String(r.comment);
  }
  if (type === "numeric" && mod >= 4) {
    n.precision = ((mod - 4) >> 16) & 0xffff;
    n.scale = (mod - 4) & 0xffff;
  } else if ((type === "varchar" || type === "bpchar") && mod >= 4) {
    n.length = mod - 4;
  } else if (/^(time|timetz|timestamp|timestamptz)$/.test(type)) {
    // Without a declared precision PostgreSQL keeps microseconds.
    n.scale = mod >= 0 ? mod : 6;
  }
  return n;
}

/**
 * SeaTunnel's catalog reads a table's numeric without precision as numeric(38,10), and a sink
 * creates it so: so do we (no declaration of its own, so the created column is numeric(38,10) on
 * PostgreSQL too). The values stay exact; a sink checks them against its column (fit.ts).
 */
function seaTunnelNumeric(n: NativeColumn): NativeColumn {
  if (n.type !== "numeric" || n.precision !== undefined) {
    return n;
  }
  const { declared: _, ...rest } = n;
  return { ...rest, narrowed: true };
}

const relOf = (p: TablePath) => `${pgQuote(`${quote(p.schema ?? "public")}.${quote(p.table)}`)}::regclass`;

async function describeTable(s: Session, p: TablePath): Promise<Described | undefined> {
  const exists = await s.query(
    `SELECT to_regclass(${pgQuote(`${quote(p.schema ?? "public")}.${quote(p.table)}`)}) IS NOT NULL AS ok`,
  );
  if (!exists[0]?.ok) {
    return undefined;
  }
  const natives = (await s.query(ATTRS(relOf(p)))).map(native).map(seaTunnelNumeric);
  const keys = await s.query(`
    SELECT c.conname AS name, c.contype AS kind, a.attname AS col FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.conrelid = ${relOf(p)} AND c.contype IN ('p', 'u') ORDER BY c.conname, k.ord`);
  const d: Described = {
    path: p,
    columns: withSourceTypes("postgres", natives.map(pgColumn), natives),
    native: natives,
  };
  const pk = keys.filter((k) => k.kind === "p");
  if (pk.length) {
    d.primaryKey = { name: String(pk[0]!.name), columnNames: pk.map((k) => String(k.col)) };
  }
  const uniq = new Map<string, string[]>();
  for (const k of keys) {
    if (k.kind === "u") {
      uniq.set(String(k.name), [...(uniq.get(String(k.name)) ?? []), String(k.col)]);
    }
  }
  if (uniq.size) {
    d.uniqueKeys = [...uniq].map(([name, cols]) => ({
      constraintName: name,
      constraintType: "UNIQUE_KEY",
      constraintColumns: cols.map((columnName) => ({ columnName, sortType: "ASC" })),
    }));
  }
  return d;
}

/** A query's columns: a temporary view gives exact types (typmods of expressions too); rolled back. */
async function describeQuery(s: Session, sql: string, path: TablePath): Promise<Described> {
  const body = sql.trim().replace(/;\s*$/, "");
  await s.exec("BEGIN");
  try {
    await s.exec(`CREATE TEMP VIEW seatunnel_probe AS ${body}`);
    const natives = (await s.query(ATTRS("'seatunnel_probe'::regclass"))).map(native);
    const table = singleTableOf(body);
    const base = table
      ? await describeTable(s, resolvePath(table, { database: path.database ?? "" } as ConnInfo)).catch(() => undefined)
      : undefined;
    for (const n of natives) {
      const b = base?.native.find((x) => x.name === n.name);
      if (b) {
        [n.nullable, n.comment] = [b.nullable, b.comment];
      }
    }
    return { path, columns: natives.map(pgColumn), native: natives };
  } finally {
    await s.exec("ROLLBACK");
  }
}

function resolvePath(text: string, info: ConnInfo): TablePath {
  const parts = text.split(".").map((x) => x.replace(/^"(.*)"$/, "$1"));
  if (parts.length >= 3) {
    return { database: parts[0]!, schema: parts[1]!, table: parts.slice(2).join(".") };
  }
  if (parts.length === 2) {
    return { database: info.database, schema: parts[0]!, table: parts[1]! };
  }
  return { database: info.database, schema: "public", table: parts[0]! };
}

async function approxRows(s: Session, p: TablePath): Promise<number> {
  const r = await s.query(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = ${relOf(p)}`);
  const n = Number(r[0]?.n ?? -1);
  if (n > 0) {
    return n;
  }
  const c = await s.query(`SELECT count(*) AS n FROM ${quote(p.schema ?? "public")}.${quote(p.table)}`);
  return Number(c[0]?.n ?? 0);
}

/** SQLSTATE 42704: the prepared transaction is gone, i.e. an earlier attempt finished it. */
const gone = (e: unknown) => (e as { errno?: string }).errno === "42704";

const qualify = (p: TablePath): string => (p.schema ? `${quote(p.schema)}.${quote(p.table)}` : quote(p.table));

/** COMMENT ON statements for the table's and its columns' comments. */
function commentSql(p: TablePath, t: TableSchema): string[] {
  const out: string[] = [];
  for (const c of t.columns) {
    if (c.comment) {
      out.push(`COMMENT ON COLUMN ${qualify(p)}.${quote(c.name)} IS ${pgQuote(c.comment)}`);
    }
  }
  if (t.comment) {
    out.push(`COMMENT ON TABLE ${qualify(p)} IS ${pgQuote(t.comment)}`);
  }
  return out;
}

/** `schema.table` or `table` (schema public); a longer name keeps its last two parts. */
function sinkPath(table: string, database: string): TablePath {
  const parts = table.split(".");
  return parts.length >= 2
    ? { database, schema: parts[parts.length - 2]!, table: parts[parts.length - 1]! }
    : { database, schema: "public", table };
}

const asText = (s: unknown): string => (typeof s === "string" ? s : String(s));

export const postgres: Dialect = {
  kind: "postgres",
  classify: pgFailure,
  quote,
  qualify,
  resolvePath,
  literal: (v) => (v === null || v === undefined ? "NULL" : pgQuote(pgText(v))),
  connect,
  describeTable,
  describeQuery,
  decoder: (n) => pgDecoder(n),
  fit: pgFit,
  // A table's money column is read as numeric: its text is then input for money and numeric alike.
  readAs: (n) => (n.type === "money" ? { sql: `${quote(n.name)}::numeric`, type: "numeric" } : undefined),
  columnType: (c: Column) => pgColumnType(c),
  upsertClause: (cols, pk) => {
    const set = cols.filter((c) => !pk.includes(c)).map((c) => `${quote(c)}=EXCLUDED.${quote(c)}`);
    return ` ON CONFLICT (${pk.map(quote).join(", ")}) DO ${set.length ? `UPDATE SET ${set.join(", ")}` : "NOTHING"}`;
  },
  approxRows,
  locationOf: (p, info) => `database "${p.database ?? info.database}"`,
  // Rows stream as COPY text lines; money prints as currency text ($1,234.56), not numeric input
  // (a table read selects it as numeric; a query's money column keeps the values path).
  rawRows: (natives) => ({
    fields: (raw) => copyFields(raw as string),
    ...(natives.every((n) => n.type !== "money") ? { pgLine: asText } : {}),
  }),
  sinkPath,
  truncateSql: (p) => `TRUNCATE TABLE ${qualify(p)}`,
  commentSql,
  hashModSql: (col, n) => `(ABS(HASHTEXT(${col}::text)) % ${n})`,
  copyInserts: true,
  writesSourceText: true,
  multiStatementExec: true,
  savepointBatches: true,
  createDatabase: async (s, p) => {
    if (p.schema) {
      await s.exec(`CREATE SCHEMA IF NOT EXISTS ${quote(p.schema)}`);
    }
  },
  beginXa: (s) => s.exec("BEGIN"),
  prepareXa: (s, xid) => s.exec(`PREPARE TRANSACTION ${pgQuote(xid)}`),
  releasePrepared: (s) => s.release(),
  commitXa: (s, xid) =>
    s.exec(`COMMIT PREPARED ${pgQuote(xid)}`).catch((e: unknown) => (gone(e) ? undefined : Promise.reject(e))),
  recoverXa: async (s, prefix) =>
    (
      await s.query(
        `SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND left(gid, ${prefix.length}) = ${pgQuote(prefix)}`,
      )
    ).map((r) => String(r.gid)),
  rollbackXa: (s, xid) =>
    s.exec(`ROLLBACK PREPARED ${pgQuote(xid)}`).catch((e: unknown) => (gone(e) ? undefined : Promise.reject(e))),
};
