/**
 * How a batch of rows for one target table becomes SQL: COPY text (PostgreSQL inserts), multi-row
 * INSERT / upsert / DELETE statements with literals (PostgreSQL, MySQL), prepared statements
 * (SQLite), or the user's `query` template. CDC batches are first reduced to the last change per key,
 * as SeaTunnel's BufferReducedBatchStatementExecutor does.
 */
import type { Column, Row, TablePath } from "../../src/api/index.ts";
import { RowKind } from "../../src/api/index.ts";
import type { Dialect, Session } from "./dialect.ts";
import { CopyBytes, valueWriters } from "./copy-bytes.ts";
import { copyChunk } from "./copy-lines.ts";
import type { UpsertStyle } from "./naming.ts";
import type { QueryTemplate } from "./sqltext.ts";

/** Where and how one input table is written. */
export interface TablePlan {
  input: string;
  target?: TablePath;
  columns: string[];
  /** The input table's columns (types and source declarations), for checking values against the target's. */
  schema: Column[];
  /** Indexes of the key columns in the row. */
  keys: number[];
  mode: "copy" | "insert" | "upsert" | "query";
  template?: QueryTemplate;
  /** UPDATE_BEFORE deletes (is_primary_key_updated) instead of being skipped. */
  deleteBefore: boolean;
  /** How upserts run (compatible_mode = postgresLow: UPDATE, then INSERT of the rows not found). */
  upsertBy?: UpsertStyle;
}

/** Statement text is cut at about this many characters (MySQL's packet limit is 16 MiB by default). */
const MAX_STATEMENT = 4 << 20;

export async function writeRows(s: Session, d: Dialect, p: TablePlan, rows: Row[]): Promise<void> {
  if (p.mode === "query") {
    const stmts = p.template!.render(
      rows.map((r) => r.fields),
      d.literal,
    );
    if (d.multiStatementExec) {
      for (const chunk of chunks(stmts, ";\n")) {
        await s.exec(chunk);
      }
    } else {
      for (const q of stmts) {
        await s.exec(q);
      }
    }
    return;
  }
  if (p.mode === "copy" && s.copyIn) {
    return copyRows(s, d, p, rows);
  }
  const table = d.qualify(p.target!);
  const cols = p.columns.map(d.quote).join(", ");
  if (p.mode !== "upsert") {
    return insertRows(
      s,
      d,
      `INSERT INTO ${table} (${cols}) VALUES `,
      "",
      rows.map((r) => r.fields),
    );
  }
  const { upserts, deletes } = reduce(p, rows);
  if (upserts.length && p.upsertBy === "update") {
    await updateThenInsert(s, d, table, p, upserts);
  } else if (upserts.length) {
    await insertRows(
      s,
      d,
      `INSERT INTO ${table} (${cols}) VALUES `,
      d.upsertClause(
        p.columns,
        p.keys.map((k) => p.columns[k]!),
      ),
      upserts,
    );
  }
  if (deletes.length) {
    await deleteRows(s, d, table, p, deletes);
  }
}

/** The COPY statement of a plan. */
export const copySql = (d: Dialect, p: TablePlan): string =>
  `COPY ${d.qualify(p.target!)} (${p.columns.map(d.quote).join(", ")}) FROM STDIN`;

/** One batch as a COPY of its own (a batch that can be retried alone), 4096 rows a chunk. */
async function copyRows(s: Session, d: Dialect, p: TablePlan, rows: Row[]): Promise<void> {
  const copy = s.copyIn!(copySql(d, p));
  const writers = valueWriters(p.schema.map((c) => c.type));
  try {
    for (let i = 0; i < rows.length; i += 4096) {
      // A buffer per chunk: the chunk before may still be on its way (CopyIn.write).
      await copy.write(copyChunk(rows.slice(i, i + 4096), undefined, new CopyBytes(), writers).bytes);
    }
  } catch (e) {
    await copy.abort().catch(() => {});
    throw e;
  }
  await copy.end();
}

/**
 * Multi-row INSERTs. A value the database cannot take (Dialect.literal throws) fails with its
 * row's field array as `fields` (the row's own: upserts keep them), for the writer to name the row.
 */
async function insertRows(s: Session, d: Dialect, head: string, tail: string, rows: unknown[][]): Promise<void> {
  if (s.runMany) {
    const marks = `(${rows[0]!.map(() => "?").join(", ")})`;
    await s.runMany(`${head}${marks}${tail}`, rows);
    return;
  }
  const tuples = rows.map((f) => {
    let t = "(";
    try {
      for (let i = 0; i < f.length; i++) {
        t += (i ? "," : "") + d.literal(f[i]);
      }
    } catch (e) {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { fields: f });
    }
    return `${t})`;
  });
  for (const chunk of chunks(tuples, ",")) {
    await s.exec(`${head}${chunk}${tail}`);
  }
}

/**
 * Upserts without ON CONFLICT (SeaTunnel's InsertOrUpdateBatchStatementExecutor for a dialect with
 * no upsert statement): an UPDATE per row by its key, then one INSERT of the rows none matched.
 * Only PostgreSQL selects it (compatible_mode = postgresLow), hence `RETURNING` for the match.
 */
async function updateThenInsert(s: Session, d: Dialect, table: string, p: TablePlan, rows: unknown[][]): Promise<void> {
  const keySet = new Set(p.keys);
  const set = p.columns.map((_, i) => i).filter((i) => !keySet.has(i));
  const assigned = set.length ? set : p.keys.slice(0, 1);
  const missing: unknown[][] = [];
  const pairs = (idx: number[], f: unknown[], sep: string) =>
    idx.map((i) => `${d.quote(p.columns[i]!)} = ${d.literal(f[i])}`).join(sep);
  for (const f of rows) {
    let sql: string;
    try {
      sql = `UPDATE ${table} SET ${pairs(assigned, f, ", ")} WHERE ${pairs(p.keys, f, " AND ")} RETURNING 1 AS x`;
    } catch (e) {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { fields: f });
    }
    if (!(await s.query(sql)).length) {
      missing.push(f);
    }
  }
  if (missing.length) {
    await insertRows(s, d, `INSERT INTO ${table} (${p.columns.map(d.quote).join(", ")}) VALUES `, "", missing);
  }
}

async function deleteRows(s: Session, d: Dialect, table: string, p: TablePlan, keys: unknown[][]): Promise<void> {
  const names = p.keys.map((k) => d.quote(p.columns[k]!));
  const lhs = names.length === 1 ? names[0]! : `(${names.join(", ")})`;
  const items = keys.map((k) => (k.length === 1 ? d.literal(k[0]) : `(${k.map(d.literal).join(", ")})`));
  for (const chunk of chunks(items, ", ")) {
    await s.exec(`DELETE FROM ${table} WHERE ${lhs} IN (${chunk})`);
  }
}

function* chunks(items: string[], sep: string): Generator<string> {
  let cur: string[] = [];
  let size = 0;
  for (const it of items) {
    if (cur.length && size + it.length > MAX_STATEMENT) {
      yield cur.join(sep);
      cur = [];
      size = 0;
    }
    cur.push(it);
    size += it.length + sep.length;
  }
  if (cur.length) {
    yield cur.join(sep);
  }
}

/** The last change per key: +I/+U upsert, -D (and -U when keys may change) delete. */
function reduce(p: TablePlan, rows: Row[]): { upserts: unknown[][]; deletes: unknown[][] } {
  const last = new Map<string, Row | null>();
  const keyOf = new Map<string, unknown[]>();
  for (const r of rows) {
    if (r.kind === RowKind.UPDATE_BEFORE && !p.deleteBefore) {
      continue;
    }
    const key = p.keys.map((k) => r.fields[k]);
    const ks = key.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString("hex") : String(x))).join("\u0001");
    last.delete(ks);
    last.set(ks, r.kind === RowKind.INSERT || r.kind === RowKind.UPDATE_AFTER ? r : null);
    keyOf.set(ks, key);
  }
  const upserts: unknown[][] = [];
  const deletes: unknown[][] = [];
  for (const [ks, r] of last) {
    if (r) {
      upserts.push(r.fields);
    } else {
      deletes.push(keyOf.get(ks)!);
    }
  }
  return { upserts, deletes };
}
