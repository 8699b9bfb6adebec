/**
 * The tables a Jdbc source reads, from `query`, `table_path` or `table_list` (JdbcSourceTableConfig):
 * the catalog gives exact column types, keys and nullability; `where_condition` narrows every table.
 * Runs on one session, one statement at a time (a 1,000-table job still uses one connection).
 */
import type { Column, TableSchema } from "../../src/api/index.ts";
import { JobError, tableId } from "../../src/api/index.ts";
import type { Described, Dialect, NativeColumn, Session } from "./dialect.ts";
import { rawSourceFor } from "./rawsource.ts";
import { singleTableOf } from "./sqltext.ts";
import type { ConnInfo } from "./url.ts";
import type { RowTextCodec } from "../common/source-text.ts";
import type { IncrementalColumn } from "./incremental.ts";

export interface TableConfig {
  tablePath?: string;
  query?: string;
  partitionColumn?: string;
  partitionNum?: number;
  lowerBound?: string;
  upperBound?: string;
  /** incremental_column (incremental.ts): read only rows past the stored position. */
  incremental?: IncrementalColumn;
}

export interface SourceTable {
  schema: TableSchema;
  /** Decodes raw rows (lazily) and passes their text on to PostgreSQL COPY where it can. */
  raw: RowTextCodec;
  /** Columns a MySQL row stream must deliver as raw bytes (GEOMETRY; the driver gives other binary columns as bytes). */
  binary: Set<string>;
  /** PostgreSQL `time with time zone` columns, read as TIME (the source warns of their offset). */
  zonedTimes: string[];
  /** The query every split narrows. */
  base: string;
  /** Database path for row estimates (absent for free queries). */
  path?: Described["path"];
  key?: Column;
  config: TableConfig;
}

/** The table a config will produce, before the catalog is asked (plan-only runs). */
export function plannedPath(c: TableConfig, d: Dialect, info: ConnInfo): TableSchema {
  const text = c.tablePath ?? (c.query ? singleTableOf(c.query) : undefined);
  const path = text ? d.resolvePath(text, info) : { database: "default", table: "default" };
  return { id: tableId(path), path, columns: [] };
}

export async function discover(
  s: Session,
  d: Dialect,
  info: ConnInfo,
  c: TableConfig,
  where: string | undefined,
): Promise<SourceTable> {
  const planned = plannedPath(c, d, info);
  let desc: Described | undefined;
  let base: string;
  const table = c.tablePath ? await d.describeTable(s, planned.path) : undefined;
  if (c.tablePath && !table) {
    throw new JobError(
      "JDBC_TABLE_NOT_FOUND",
      `table "${c.tablePath}" does not exist in ${d.locationOf(planned.path, info)}`,
    );
  }
  if (c.query) {
    desc = await d.describeQuery(s, c.query, planned.path);
    base = c.query.trim().replace(/;\s*$/, "");
    if (table?.primaryKey) {
      desc.primaryKey = table.primaryKey;
    }
  } else {
    desc = readsOf(d, table!);
    base = `SELECT ${desc.native.map((n, i) => selectItem(d, n, table!.native[i]!)).join(", ")} FROM ${d.qualify(desc.path)}`;
  }
  if (where) {
    base = `SELECT * FROM (${base}) st_where ${where}`;
  }
  const schema: TableSchema = { id: planned.id, path: planned.path, columns: desc.columns };
  if (desc.primaryKey) {
    schema.primaryKey = desc.primaryKey;
  }
  if (desc.uniqueKeys) {
    schema.constraintKeys = desc.uniqueKeys;
  }
  const out: SourceTable = {
    schema,
    raw: rawSourceFor(
      d,
      desc.native,
      desc.columns,
      desc.native.map((n, i) => d.decoder(n, desc.columns[i]!)),
      planned.id,
    ),
    binary: new Set(desc.native.filter((n) => n.type === "GEOMETRY").map((n) => n.name)),
    zonedTimes: desc.native.filter((n) => n.type === "timetz").map((n) => n.name),
    base,
    config: c,
  };
  if (table) {
    out.path = table.path;
  }
  // A plain table read (no query, no filter that could join) keeps its primary key unique.
  if (table?.primaryKey && !c.query) {
    out.raw.unique = table.primaryKey.columnNames;
  }
  const key = splitKey(desc, c);
  if (key) {
    out.key = key;
  }
  return out;
}

/** The table with the native types its columns are read as (Dialect.readAs). */
function readsOf(d: Dialect, t: Described): Described {
  return { ...t, native: t.native.map((n) => ({ ...n, type: d.readAs?.(n)?.type ?? n.type })) };
}

function selectItem(d: Dialect, read: NativeColumn, own: NativeColumn): string {
  const as = read.type === own.type ? undefined : d.readAs?.(own);
  return as ? `${as.sql} AS ${d.quote(own.name)}` : d.quote(own.name);
}

const SPLITTABLE = new Set(["tinyint", "smallint", "int", "bigint", "decimal", "string", "date", "timestamp"]);

/** partition_column when set, else the first usable primary-key column, else a unique key's. */
function splitKey(desc: Described, c: TableConfig): Column | undefined {
  const byName = (n: string) => desc.columns.find((x) => x.name === n || x.name.toLowerCase() === n.toLowerCase());
  if (c.partitionColumn) {
    const col = byName(c.partitionColumn);
    if (!col) {
      throw new JobError(
        "JDBC_PARTITION_COLUMN",
        `partition_column "${c.partitionColumn}" is not a column of ${desc.path.table} (${desc.columns.map((x) => x.name).join(", ")})`,
      );
    }
    return col;
  }
  const candidates = [
    desc.primaryKey?.columnNames ?? [],
    ...(desc.uniqueKeys ?? []).map((k) => k.constraintColumns.map((x) => x.columnName)),
  ];
  for (const cols of candidates) {
    const col = cols.length ? byName(cols[0]!) : undefined;
    if (col && SPLITTABLE.has(col.type.kind)) {
      return col;
    }
  }
  return undefined;
}
