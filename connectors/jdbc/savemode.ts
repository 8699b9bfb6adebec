/**
 * schema_save_mode and data_save_mode (SeaTunnel's DefaultSaveModeHandler), run once on the job
 * master before any writer opens: create the target table from the input schema (the catalog's
 * reconvert types, primary key, unique keys, comments), drop it, empty it, run custom SQL, or fail.
 */
import type { Logger, TablePath, TableSchema } from "../../src/api/index.ts";
import { JobError, tableId } from "../../src/api/index.ts";
import { declaredType, type Dialect, type Session } from "./dialect.ts";
import { lossyColumns } from "./lossy.ts";
import type { ColumnType, SinkOptions } from "./options.ts";

export interface SaveTarget {
  input: TableSchema;
  target: TablePath;
  primaryKey: string[];
}

export async function applySaveModes(
  s: Session,
  d: Dialect,
  t: SaveTarget,
  o: SinkOptions,
  log: Logger,
): Promise<void> {
  const name = tableId(t.target);
  log.info(`handle schema savemode with table path: ${name}`);
  let exists = (await d.describeTable(s, t.target)) !== undefined;
  switch (o.schema_save_mode) {
    case "RECREATE_SCHEMA":
      if (exists) {
        await s.exec(`DROP TABLE ${d.qualify(t.target)}`);
      }
      await createTable(s, d, t, o, log);
      exists = true;
      break;
    case "CREATE_SCHEMA_WHEN_NOT_EXIST":
      if (!exists) {
        await createTable(s, d, t, o, log);
      }
      exists = true;
      break;
    case "ERROR_WHEN_SCHEMA_NOT_EXIST":
      if (!exists) {
        throw new JobError(
          "SINK_TABLE_NOT_EXIST",
          `The sink table ${name} does not exist (schema_save_mode = ERROR_WHEN_SCHEMA_NOT_EXIST)`,
        );
      }
      break;
    default:
      break;
  }
  log.info(`handle data savemode with table path: ${name}`);
  switch (o.data_save_mode) {
    case "DROP_DATA":
      if (exists) {
        await s.exec(d.truncateSql(t.target));
      }
      break;
    case "CUSTOM_PROCESSING":
      if (o.custom_sql) {
        await s.exec(o.custom_sql);
      }
      break;
    case "ERROR_WHEN_DATA_EXISTS": {
      const r = exists ? await s.query(`SELECT 1 AS x FROM ${d.qualify(t.target)} LIMIT 1`) : [];
      if (r.length) {
        throw new JobError(
          "SINK_TABLE_NOT_EMPTY",
          `The sink table ${name} has data (data_save_mode = ERROR_WHEN_DATA_EXISTS)`,
        );
      }
      break;
    }
    default:
      break;
  }
}

/** The column types a CREATE TABLE declares: column_types where it names the column, else the mapped type. */
export function columnTypes(d: Dialect, t: SaveTarget, chosen: ColumnType[] = []): string[] {
  return t.input.columns.map((c) => chosen.find((x) => x.column === c.name)?.type ?? declaredType(d, c));
}

/** CREATE TABLE for an input schema in the target dialect (`types`: see columnTypes). */
export function createTableSql(d: Dialect, t: SaveTarget, withIndex: boolean, types = columnTypes(d, t)): string[] {
  const cols = t.input.columns.map((c, i) => {
    let def = `${d.quote(c.name)} ${types[i]}`;
    if (!c.nullable || t.primaryKey.includes(c.name)) {
      def += " NOT NULL";
    }
    if (c.comment && d.columnCommentSql) {
      def += d.columnCommentSql(c.comment);
    }
    return def;
  });
  if (withIndex && t.primaryKey.length) {
    cols.push(`PRIMARY KEY (${t.primaryKey.map(d.quote).join(", ")})`);
  }
  if (withIndex) {
    for (const k of t.input.constraintKeys ?? []) {
      if (
        k.constraintType !== "UNIQUE_KEY" ||
        !k.constraintColumns.every((x) => t.input.columns.some((c) => c.name === x.columnName))
      ) {
        continue;
      }
      cols.push(`UNIQUE (${k.constraintColumns.map((x) => d.quote(x.columnName)).join(", ")})`);
    }
  }
  const out = [`CREATE TABLE ${d.qualify(t.target)} (\n  ${cols.join(",\n  ")}\n)`];
  if (d.commentSql) {
    out.push(...d.commentSql(t.target, t.input));
  }
  return out;
}

async function createTable(s: Session, d: Dialect, t: SaveTarget, o: SinkOptions, log: Logger): Promise<void> {
  if (!t.input.columns.length) {
    throw new JobError(
      "SINK_TABLE_CREATE",
      `cannot create ${tableId(t.target)}: the input table "${t.input.id}" has no known columns`,
    );
  }
  const chosen = o.column_types ?? [];
  const types = columnTypes(d, t, chosen);
  const lossy = lossyColumns(d.kind, t.input.columns, types, new Set(chosen.map((x) => x.column)));
  if (lossy) {
    log.warn(`Creating ${tableId(t.target)}, columns are mapped lossily: ${lossy}`);
  }
  await d.createDatabase?.(s, t.target);
  for (const q of createTableSql(d, t, o.create_index, types)) {
    await s.exec(q);
  }
}
