/**
 * Per-table steps that several transforms build on: a projection of fields (FieldMapper, Filter)
 * and a move of a table's rows to another table id (TableRename, TableMerge).
 */
import { type Row, type TablePath, type TableSchema, tableId } from "../../src/api/index.ts";
import type { TableStep } from "../../src/api/multi-table.ts";

/** `(f) => [f[2], f[0]]`: building the output array as a literal is the fastest projection. */
export function projector(indexes: readonly number[]): (fields: unknown[]) => unknown[] {
  const body = `return [${indexes.map((i) => `f[${i}]`).join(", ")}];`;
  return new Function("f", body) as (fields: unknown[]) => unknown[];
}

/** A step that projects every row through `indexes` (input positions, output order). */
export function projectStep(output: TableSchema, indexes: readonly number[], inputWidth: number): TableStep {
  const identity = indexes.length === inputWidth && indexes.every((i, k) => i === k);
  if (identity) {
    return { output, row: (r) => r, batch: (rows) => rows };
  }
  const project = projector(indexes);
  const row = (r: Row): Row => ({ kind: r.kind, table: r.table, fields: project(r.fields) });
  const batch = (rows: Row[]): Row[] => {
    const n = rows.length;
    const out = new Array<Row>(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      out[i] = { kind: r.kind, table: r.table, fields: project(r.fields) };
    }
    return out;
  };
  return { output, row, batch };
}

/** A step that moves a table (and its rows) to `path`. */
export function moveStep(
  table: TableSchema,
  path: TablePath,
  output: TableSchema = { ...table, path, id: tableId(path) },
): TableStep {
  const id = output.id;
  if (id === table.id) {
    return { output, row: (r) => r, batch: (rows) => rows };
  }
  const row = (r: Row): Row => ({ kind: r.kind, table: id, fields: r.fields });
  const batch = (rows: Row[]): Row[] => {
    const out = new Array<Row>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      out[i] = row(rows[i]!);
    }
    return out;
  };
  return { output, row, batch };
}
