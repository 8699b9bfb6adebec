import type { DataType } from "./types.ts";

/** One column of a table (SeaTunnel's Column). */
export interface Column {
  name: string;
  type: DataType;
  nullable: boolean;
  /** Default value as written (FakeSource uses it as a constant). */
  defaultValue?: unknown;
  comment?: string;
  columnLength?: number;
  columnScale?: number;
  /**
   * The column's type as its source database declares it (SeaTunnel's Column.sourceType), with the
   * system it belongs to and the type the values were read as. A sink on the same kind of database
   * may create the column with it, as long as the column still has that type.
   */
  sourceType?: SourceType;
}

export interface SourceType {
  /** The database kind the declaration is written for (`postgres`, `mysql`, `sqlite`). */
  system: string;
  /** As the catalog prints it: `character(84)`, `timestamp(3) with time zone`, `decimal(10,2) unsigned`. */
  declared: string;
  /** The type the values were read as; the declaration holds only while the column keeps it. */
  type: DataType;
}

export interface PrimaryKey {
  name: string;
  columnNames: string[];
}

export interface ConstraintKey {
  constraintName: string;
  /** SeaTunnel's ConstraintKey.ConstraintType. */
  constraintType: "INDEX_KEY" | "UNIQUE_KEY" | "FOREIGN_KEY" | "VECTOR_INDEX_KEY";
  constraintColumns: { columnName: string; sortType: "ASC" | "DESC" }[];
}

/** A table path; absent parts are undefined. */
export interface TablePath {
  database?: string;
  schema?: string;
  table: string;
}

/**
 * SeaTunnel's CatalogTable: what a source produces, a transform maps and a sink receives.
 * `id` is the table id rows carry (`Row.table`).
 */
export interface TableSchema {
  id: string;
  path: TablePath;
  columns: Column[];
  primaryKey?: PrimaryKey;
  constraintKeys?: ConstraintKey[];
  comment?: string;
  /**
   * The columns are only known after connecting (a database table under an offline `--check`):
   * `columns` is empty and says nothing. A transform or sink skips its checks of column names for
   * such a table; the engine marks what is computed from it as unknown too.
   */
  unknownColumns?: boolean;
}

/** Table id: the set parts of the path joined with `.` (TablePath.getFullName). */
export function tableId(p: TablePath): string {
  return [p.database, p.schema, p.table].filter((x) => x !== undefined && x !== null && x !== "").join(".");
}

/**
 * Parses `db.table`, `db.schema.table` or `table` (CatalogTableUtil): two parts are database.table
 * unless `schemaFirst`, then schema.table.
 */
export function parseTablePath(text: string, schemaFirst = false): TablePath {
  const parts = text.split(".");
  if (parts.length === 1) {
    return { table: parts[0]! };
  }
  if (parts.length === 2) {
    return schemaFirst ? { schema: parts[0]!, table: parts[1]! } : { database: parts[0]!, table: parts[1]! };
  }
  if (parts.length === 3) {
    return { database: parts[0]!, schema: parts[1]!, table: parts[2]! };
  }
  throw new Error(`Cannot get split '${text}' to get databaseName and tableName`);
}

export const fieldNames = (t: TableSchema): string[] => t.columns.map((c) => c.name);
