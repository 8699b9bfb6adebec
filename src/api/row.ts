/**
 * A row: its kind, the id of the table it belongs to, and its field values in schema order
 * (values as described in types.ts). Rows move in batches (`Row[]`); operators hand the same
 * objects on unless they change them.
 */
export interface Row {
  kind: RowKind;
  /** Table id (`db.schema.table` parts that are set, joined with `.`), e.g. `fake` or `test.table1`. */
  table: string;
  fields: unknown[];
  /**
   * The row's size as SeaTunnel counts bytes (row-size.ts), for a row whose values are not decoded
   * yet (a row that keeps its source text): measuring it must not decode it. Other rows are
   * measured from their fields.
   */
  byteSize?(): number;
}

/** Row kinds in SeaTunnel's byte order: +I, -U, +U, -D. */
export const enum RowKind {
  INSERT = 0,
  UPDATE_BEFORE = 1,
  UPDATE_AFTER = 2,
  DELETE = 3,
}

export const ROW_KIND_NAMES = ["INSERT", "UPDATE_BEFORE", "UPDATE_AFTER", "DELETE"] as const;
export const ROW_KIND_SHORT = ["+I", "-U", "+U", "-D"] as const;

export const row = (table: string, fields: unknown[], kind: RowKind = RowKind.INSERT): Row => ({ kind, table, fields });
