/**
 * SQLite through bun:sqlite (`jdbc:sqlite:path`), the embedded default for demos and CI fixtures.
 * A session is one connection to the file; the file is switched to WAL so a reader and a writer of
 * the same job do not lock each other out. Types follow SeaTunnel's SqliteTypeMapper.
 */
import { Database } from "bun:sqlite";
import type { Column, TablePath } from "../../src/api/index.ts";
import { Decimal, T } from "../../src/api/index.ts";
import {
  hex,
  numberText,
  plainText,
  type Db,
  type Decoder,
  type Described,
  type Dialect,
  type NativeColumn,
  type Session,
  withSourceTypes,
} from "./dialect.ts";
import { liteFailure } from "./failures.ts";
import { allFits, doubleFit, exactAsDouble, type Fit } from "./fit.ts";
import type { ConnInfo } from "./url.ts";

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

function connect(info: ConnInfo): Db {
  const idle: Database[] = [];
  const open = () => {
    const db = new Database(info.database, { create: true, safeIntegers: true });
    db.run("PRAGMA busy_timeout = 30000");
    if (info.database !== ":memory:") {
      db.run("PRAGMA journal_mode = WAL");
    }
    return db;
  };
  return {
    session: async () => {
      const db = idle.pop() ?? open();
      return liteSession(db, () => idle.push(db));
    },
    close: async () => {
      for (const db of idle.splice(0)) {
        db.close();
      }
    },
  };
}

/** Values bun:sqlite binds: temporal and decimal values as text, booleans as 0/1. */
export function liteParam(v: unknown): string | number | bigint | Uint8Array | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "string" || v instanceof Uint8Array) {
    return v;
  }
  if (typeof v === "boolean") {
    return v ? 1 : 0;
  }
  return plainText(v);
}

interface LiteSession extends Session {
  db: Database;
}

function liteSession(db: Database, back: () => void): LiteSession {
  return {
    db,
    query: async (q) => db.query(q).all() as Record<string, unknown>[],
    exec: async (q) => {
      db.run(q);
    },
    stream: (q, rows) => iterate(db, q, rows),
    runMany: async (q, rows) => {
      const st = db.prepare(q);
      let at: unknown[] | undefined;
      try {
        for (const r of rows) {
          at = r;
          st.run(...r.map(liteParam));
        }
      } catch (e) {
        throw Object.assign(e instanceof Error ? e : new Error(String(e)), { failedFields: at });
      } finally {
        // A statement left unfinalized would keep the connection, and its write lock, past close().
        st.finalize();
      }
    },
    release: async () => back(),
    discard: async () => {
      // Rolled back first: the next attempt of a failed job must find the file unlocked.
      try {
        if (db.inTransaction) {
          db.run("ROLLBACK");
        }
      } finally {
        db.close();
      }
    },
  };
}

async function* iterate(db: Database, sql: string, rows: number): AsyncIterableIterator<unknown[]> {
  const st = db.prepare(sql);
  const names = st.columnNames;
  let batch: unknown[][] = [];
  try {
    for (const r of st.iterate() as Iterable<Record<string, unknown>>) {
      batch.push(names.map((n) => r[n]));
      if (batch.length >= rows) {
        yield batch;
        batch = [];
      }
    }
  } finally {
    st.finalize();
  }
  if (batch.length) {
    yield batch;
  }
}

const BOOL = ["BIT", "BOOLEAN"];
const SMALL = ["TINYINT", "TINYINT UNSIGNED", "SMALLINT", "SMALLINT UNSIGNED"];
const INT = ["MEDIUMINT", "MEDIUMINT UNSIGNED", "INT", "INTEGER"];
const LONG = ["INT UNSIGNED", "INTEGER UNSIGNED", "BIGINT", "BIGINT UNSIGNED", "NUMERIC"];
const DOUBLE = ["DECIMAL", "DECIMAL UNSIGNED", "DOUBLE", "DOUBLE PRECISION", "REAL", "DOUBLE UNSIGNED"];
const BLOB = ["TINYBLOB", "MEDIUMBLOB", "BLOB", "LONGBLOB", "VARBINARY", "BINARY", "LONGVARBINARY"];

function liteColumn(n: NativeColumn): Column {
  const t = n.type;
  const type = BOOL.includes(t)
    ? T.boolean
    : SMALL.includes(t)
      ? T.smallint
      : INT.includes(t)
        ? T.int
        : LONG.includes(t)
          ? T.bigint
          : DOUBLE.includes(t)
            ? T.double
            : t.startsWith("FLOAT")
              ? T.float
              : BLOB.includes(t)
                ? T.bytes
                : T.string;
  return { name: n.name, type, nullable: n.nullable };
}

/**
 * An integer of the column's SeaTunnel type (SQLite's INTEGER is read as INT, NUMERIC as BIGINT, as
 * SeaTunnel maps them): SQLite holds any integer or a float there, so one outside the type fails
 * instead of changing.
 */
function integerIn(bits: number, type: string, what: string): Decoder {
  const hi = 2n ** BigInt(bits - 1);
  return (v) => {
    const x = typeof v === "bigint" ? v : Number.isInteger(Number(v)) ? BigInt(Number(v)) : undefined;
    if (x === undefined || x < -hi || x >= hi) {
      throw new Error(
        `${String(v)} is not ${x === undefined ? "an integer" : `within ${what}`}: SQLite's ${type} is read as ${what} (as SeaTunnel maps it); declare the column ${bits < 64 ? "BIGINT" : "DECIMAL or REAL"} to read it`,
      );
    }
    return bits === 64 ? x : Number(x);
  };
}

function liteDecoder(n: NativeColumn, c: Column): Decoder {
  const type = n.type || "(no type)";
  switch (c.type.kind) {
    case "boolean":
      return (v) => {
        if (Number(v) === 0 || Number(v) === 1) {
          return Number(v) === 1;
        }
        throw new Error(`${String(v)} is not 0 or 1: SQLite's ${type} is read as BOOLEAN (as SeaTunnel maps it)`);
      };
    case "smallint":
      return integerIn(16, type, "SMALLINT");
    case "int":
      return integerIn(32, type, "INT");
    case "bigint":
      return integerIn(64, type, "BIGINT");
    case "float":
      return (v) => {
        const x = Number(v);
        if (Math.fround(x) === x || Number.isNaN(x)) {
          return x;
        }
        throw new Error(
          `${String(v)} is not exactly a 4-byte float: SQLite's ${type} is read as FLOAT (as SeaTunnel maps it); declare the column REAL or DOUBLE to read it`,
        );
      };
    case "double":
      return exactDouble(type);
    case "bytes":
      return (v) => (v instanceof Uint8Array ? v : new TextEncoder().encode(String(v)));
    default:
      return (v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v));
  }
}

/**
 * A value of a column SeaTunnel reads as DOUBLE (DECIMAL, REAL, …): SQLite may hold an integer
 * or text there too (dynamic typing); one that is not exactly a double fails instead of changing.
 */
function exactDouble(type: string): Decoder {
  return (v) => {
    const x = Number(v);
    if (typeof v === "number" || (typeof v === "bigint" && BigInt(x) === v)) {
      return x;
    }
    if (
      typeof v === "string" &&
      /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) &&
      exactAsDouble(Decimal.parse(v))
    ) {
      return x;
    }
    throw new Error(`${String(v)} is not exactly a double: SQLite's ${type} is read as DOUBLE (as SeaTunnel maps it)`);
  };
}

/** SQLite's type affinity of a declared type (datatype3.html §3.1). */
function affinity(declared: string): "INTEGER" | "TEXT" | "BLOB" | "REAL" | "NUMERIC" {
  const t = declared.toUpperCase();
  if (t.includes("INT")) {
    return "INTEGER";
  }
  if (/CHAR|CLOB|TEXT/.test(t)) {
    return "TEXT";
  }
  if (t.includes("BLOB") || t === "") {
    return "BLOB";
  }
  return /REAL|FLOA|DOUB/.test(t) ? "REAL" : "NUMERIC";
}

const noNaN: Fit = (v) => (Number.isNaN(v) ? "is NaN, which SQLite stores as NULL" : undefined);

/**
 * What a SQLite column changes silently (Dialect.fit): NaN becomes NULL anywhere; a REAL, NUMERIC or
 * INTEGER column turns a decimal with a point (and REAL any integer) into an 8-byte float, and -0 into 0.
 */
function liteFit(n: NativeColumn): Fit {
  const a = affinity(n.declared ?? "");
  const name = n.declared || "a column without type";
  if (a === "TEXT" || a === "BLOB") {
    return noNaN;
  }
  const dbl = doubleFit(name);
  const negZero: Fit = (v) => (Object.is(v, -0) ? `is -0, which ${name} stores as 0` : undefined);
  const exactInteger = (v: unknown) =>
    v instanceof Decimal && v.scale === 0 && v.unscaled >= -(2n ** 63n) && v.unscaled < 2n ** 63n;
  return allFits(noNaN, negZero, (v) =>
    (a === "REAL" && typeof v === "bigint") || (v instanceof Decimal && (a === "REAL" || !exactInteger(v)))
      ? dbl(v)
      : undefined,
  );
}

/** Declared type without its length: `VARCHAR(10)` → `VARCHAR`. */
const baseType = (t: string | null | undefined) => (t ?? "").replace(/\(.*$/, "").trim().toUpperCase();

async function describeTable(s: Session, p: TablePath): Promise<Described | undefined> {
  const info = await s.query(`PRAGMA table_info(${quote(p.table)})`);
  if (!info.length) {
    return undefined;
  }
  const natives = info.map(
    (r): NativeColumn => ({
      name: String(r.name),
      type: baseType(String(r.type)),
      nullable: Number(r.notnull) === 0 && Number(r.pk) === 0,
      ...(r.type ? { declared: String(r.type) } : {}),
    }),
  );
  const d: Described = {
    path: p,
    columns: withSourceTypes("sqlite", natives.map(liteColumn), natives),
    native: natives,
  };
  const pk = info.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
  if (pk.length) {
    d.primaryKey = { name: `pk_${p.table}`, columnNames: pk.map((r) => String(r.name)) };
  }
  return d;
}

const DDL: Record<string, string> = {
  boolean: "BOOLEAN",
  tinyint: "SMALLINT",
  smallint: "SMALLINT",
  int: "INTEGER",
  bigint: "BIGINT",
  float: "FLOAT",
  double: "DOUBLE",
  bytes: "BLOB",
  date: "DATE",
  time: "TIME",
  timestamp: "DATETIME",
};

export const sqlite: Dialect = {
  kind: "sqlite",
  classify: liteFailure,
  quote,
  qualify: (p) => quote(p.table),
  resolvePath: (text) => ({
    table: text
      .split(".")
      .pop()!
      .replace(/^"(.*)"$/, "$1"),
  }),
  literal: (v) => {
    const x = liteParam(v);
    if (x === null) {
      return "NULL";
    }
    if (typeof x === "number") {
      return numberText(x);
    }
    if (typeof x === "bigint") {
      return String(x);
    }
    if (x instanceof Uint8Array) {
      return `X'${hex(x)}'`;
    }
    return `'${x.replace(/'/g, "''")}'`;
  },
  connect: (info) => connect(info),
  describeTable,
  describeQuery: async (s, sql, path) => {
    const st = (s as LiteSession).db.prepare(sql.trim().replace(/;\s*$/, ""));
    const names = st.columnNames;
    const types = st.declaredTypes;
    st.finalize();
    const natives = names.map((name, i): NativeColumn => ({ name, type: baseType(types[i]), nullable: true }));
    return { path, columns: natives.map(liteColumn), native: natives };
  },
  decoder: liteDecoder,
  fit: liteFit,
  columnType: (c) =>
    c.type.kind === "decimal"
      ? `DECIMAL(${c.type.precision},${c.type.scale})`
      : c.type.kind === "string" && c.columnLength
        ? `VARCHAR(${c.columnLength})`
        : (DDL[c.type.kind] ?? "TEXT"),
  upsertClause: (cols, pk) => {
    const set = cols.filter((c) => !pk.includes(c)).map((c) => `${quote(c)}=excluded.${quote(c)}`);
    return ` ON CONFLICT (${pk.map(quote).join(", ")}) DO ${set.length ? `UPDATE SET ${set.join(", ")}` : "NOTHING"}`;
  },
  approxRows: async (s, p) => Number((await s.query(`SELECT count(*) AS n FROM ${quote(p.table)}`))[0]?.n ?? 0),
  locationOf: (_p, info) => info.database,
  rawRows: () => ({}),
  sinkPath: (table) => ({ table: table.split(".").pop()! }),
  truncateSql: (p) => `DELETE FROM ${quote(p.table)}`,
  hashModSql: (col, n) => `(ABS(unicode(${col}) + length(${col})) % ${n})`,
  copyInserts: false,
  writesSourceText: false,
  multiStatementExec: false,
  savepointBatches: false,
};
