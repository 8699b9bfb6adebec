/**
 * Incremental reads (our option, after Sling's incremental mode; docs/incremental.md): a table with
 * `incremental_column` reads, in each run, only the rows whose column is past the position its job
 * name's last finished run stored, up to the largest value present when the run plans its splits:
 * `col > last AND col <= max`. The upper bound is fixed before any row is read, so the range a run
 * commits is exactly the one it stores, and a restore reads the same range again.
 */
import type { Column, Logger, Opt, Pos } from "../../src/api/index.ts";
import { ConfigError, JobError } from "../../src/api/index.ts";
import type { Dialect, Session } from "./dialect.ts";
import type { SourceTable } from "./discover.ts";
import type { DialectKind } from "./url.ts";

/** The column families an incremental column may have; each compares and prints its own way. */
export type IncrementalKind = "integer" | "decimal" | "date" | "timestamp";

/** Where one table's reads have got to: the largest value of its column that a finished run read. */
export interface TablePosition {
  column: string;
  kind: IncrementalKind;
  /** The value as the database prints it (exact: microseconds, offsets and decimal digits kept). */
  value: string;
}

/** A Jdbc source's position (Source.position): per table id, the tables with an incremental column. */
export interface JdbcPosition {
  tables: Record<string, TablePosition>;
}

/** `incremental_column` as written, with where, for errors about the column. */
export interface IncrementalColumn {
  name: string;
  pos?: Pos;
}

const KINDS: Record<string, IncrementalKind> = {
  tinyint: "integer",
  smallint: "integer",
  int: "integer",
  bigint: "integer",
  decimal: "decimal",
  date: "date",
  timestamp: "timestamp",
};

const VALUE: Record<IncrementalKind, RegExp> = {
  integer: /^-?\d+$/,
  decimal: /^-?\d+(\.\d+)?$/,
  date: /^\d{4,}-\d{2}-\d{2}$/,
  timestamp: /^\d{4,}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?)?$/,
};

/** `incremental_column = "updated_at"`: a column name that keeps where it was written. */
export function incrementalColumnOption(): Opt<IncrementalColumn | undefined> {
  return {
    meta: {
      type: "string",
      expects: "a column name",
      doc: "Read only rows whose value in this column (integer, numeric, date or timestamp, growing with every change) is past the last finished run of the same job name; see the README's Incremental syncs",
      example: 'incremental_column = "updated_at"',
      required: false,
    },
    parse(node) {
      if (node.kind !== "scalar" || node.type === "null" || node.text.trim() === "") {
        return { ok: false, pos: node.pos };
      }
      return { ok: true, value: { name: node.text.trim(), pos: node.pos } };
    },
  };
}

/**
 * table_list's option with the position of each item's incremental_column kept beside its value
 * (as `incremental_pos`), so a column that is not there is reported where it was written.
 */
export function withColumnPositions<T extends { incremental_column?: string | undefined }>(
  inner: Opt<T[] | undefined>,
): Opt<(T & { incremental_pos?: Pos })[] | undefined> {
  return {
    meta: inner.meta,
    parse(node) {
      const res = inner.parse(node);
      if (!res.ok || !res.value || node.kind !== "array") {
        return res;
      }
      const value = res.value.map((item, i) => {
        const n = node.items[i];
        const e = n?.kind === "object" ? n.entries.find((x) => x.key === "incremental_column") : undefined;
        return e ? { ...item, incremental_pos: e.value.pos } : item;
      });
      return { ok: true, value };
    },
  };
}

/** The table's incremental column, checked to exist and to have a type that can be one. */
export function incrementalColumnOf(t: SourceTable, c: IncrementalColumn, label: string): Column {
  const cols = t.schema.columns;
  const col = cols.find((x) => x.name === c.name) ?? cols.find((x) => x.name.toLowerCase() === c.name.toLowerCase());
  if (!col) {
    throw new ConfigError(
      "JDBC_INCREMENTAL_COLUMN",
      `${label}: incremental_column "${c.name}" is not a column of "${t.schema.id}" (${cols.map((x) => x.name).join(", ")})`,
      c.pos,
    );
  }
  if (!KINDS[col.type.kind]) {
    throw new ConfigError(
      "JDBC_INCREMENTAL_COLUMN",
      `${label}: incremental_column "${col.name}" of "${t.schema.id}" is ${col.type.kind}; it must be an integer, numeric, date or timestamp column`,
      c.pos,
    );
  }
  return col;
}

/** The position a run of `jobName` was handed, checked to be one this source stored. */
export function checkFrom(from: unknown, jobName: string): JdbcPosition | undefined {
  if (from === undefined || from === null) {
    return undefined;
  }
  const tables = (from as { tables?: unknown }).tables;
  if (typeof from !== "object" || typeof tables !== "object" || tables === null) {
    throw new JobError(
      "JDBC_INCREMENTAL_STATE",
      `reading the stored incremental position of job "${jobName}": it is not a Jdbc source's position; set incremental_reset = true for one run to start over`,
    );
  }
  return from as JdbcPosition;
}

/** SQL giving a value as the database prints it. */
const textOf = (kind: DialectKind, expr: string): string =>
  kind === "postgres" ? `(${expr})::text` : kind === "mysql" ? `CAST(${expr} AS CHAR)` : `CAST(${expr} AS TEXT)`;

/** A stored value as an SQL literal: numbers bare, dates and timestamps quoted (both checked first). */
const literalOf = (p: TablePosition): string =>
  p.kind === "integer" || p.kind === "decimal" ? p.value : `'${p.value}'`;

export interface IncrementalTable {
  table: SourceTable;
  column: Column;
}

/**
 * The query a table's splits narrow in this run, or undefined when no row is past its position;
 * and the position the run reads up to (the largest value now present, else the old position).
 */
export async function incrementalRange(
  s: Session,
  d: Dialect,
  kind: DialectKind,
  it: IncrementalTable,
  prev: TablePosition | undefined,
  jobName: string,
): Promise<{ base?: string; position?: TablePosition }> {
  const { table, column } = it;
  const incKind = KINDS[column.type.kind]!;
  if (prev && (prev.column !== column.name || prev.kind !== incKind || !VALUE[prev.kind]?.test(String(prev.value)))) {
    throw new JobError(
      "JDBC_INCREMENTAL_STATE",
      `reading "${table.schema.id}" incrementally: the position job "${jobName}" stored is ${prev.kind} value "${prev.value}" of column "${prev.column}", but the column to read past is "${column.name}" (${incKind}); set incremental_reset = true for one run to read the table again from the start`,
    );
  }
  const col = d.quote(column.name);
  const after = prev ? `${col} > ${literalOf(prev)}` : undefined;
  const q = `SELECT ${textOf(kind, `MAX(${col})`)} AS hi FROM (${table.base}) st_inc${after ? ` WHERE ${after}` : ""}`;
  const hi = (await s.query(q))[0]?.hi;
  if (hi === null || hi === undefined) {
    return prev ? { position: prev } : {};
  }
  const position: TablePosition = { column: column.name, kind: incKind, value: String(hi).trim() };
  if (!VALUE[incKind].test(position.value)) {
    throw new JobError(
      "JDBC_INCREMENTAL_VALUE",
      `reading "${table.schema.id}" incrementally: the largest ${column.name} is "${position.value}", which cannot be stored as a position (infinite or out of range)`,
    );
  }
  const upTo = `${col} <= ${literalOf(position)}`;
  return { base: `SELECT * FROM (${table.base}) st_inc WHERE ${after ? `${after} AND ` : ""}${upTo}`, position };
}

/**
 * Where a split of an incremental table has got to, so a restore reads on after the last row a
 * checkpoint covers instead of reading the split again: the table's one-column primary key, its
 * field index, and the last key read (an SQL literal). The split is then read in key order.
 */
export interface SplitResume {
  column: string;
  field: number;
  after?: string;
}

/**
 * The resume of a table's splits; undefined without a one-column key that is unique over the rows
 * read (a table's primary key, not a query's, whose joins may repeat it).
 */
export function resumeOf(t: SourceTable, d: Dialect): SplitResume | undefined {
  const pk = t.raw.unique;
  if (!t.key || pk?.length !== 1 || pk[0] !== t.key.name) {
    return undefined;
  }
  const field = t.schema.columns.findIndex((c) => c.name === t.key!.name);
  return field < 0 ? undefined : { column: d.quote(t.key.name), field };
}

/** A split's query read in key order from after its last key read. */
export function resumeSql(sql: string, r: SplitResume): string {
  return `SELECT * FROM (${sql}) st_resume${r.after !== undefined ? ` WHERE ${r.column} > ${r.after}` : ""} ORDER BY ${r.column}`;
}

/** The log line of a reset run. */
export function logReset(log: Logger, label: string, jobName: string): void {
  log.info(
    `${label}: incremental_reset = true: every row is read again and the position of job "${jobName}" starts over; set it back to false for the next runs.`,
  );
}
