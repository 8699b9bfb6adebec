/**
 * TableRename (TableRenameTransform): renames tables. The table name goes through case
 * conversion, replacement rules, prefix and suffix; database and schema names only through case
 * conversion. Rows get the new table id (a new row object; fields shared).
 */
import {
  ConfigError,
  type OptionValues,
  type PluginContext,
  type TablePath,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { JavaRegexError } from "../common/java-regex.ts";
import { perTable, type TableStep } from "../common/multi-table.ts";
import { renamer } from "../common/rename.ts";
import { moveStep } from "../common/steps.ts";
import type { tableRenameOptions } from "./index.ts";

export type TableRenameOptions = OptionValues<typeof tableRenameOptions>;
type Own = Omit<TableRenameOptions, "table_match_regex" | "table_transform">;

function renameStep(ctx: PluginContext, table: TableSchema, o: Own): TableStep {
  let rename: (name: string) => string;
  try {
    rename = renamer(o);
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "replacements_with_regex": ${e.message}`);
    }
    throw e;
  }
  const convert = (s: string): string =>
    o.convert_case === "UPPER" ? s.toUpperCase() : o.convert_case === "LOWER" ? s.toLowerCase() : s;
  const path: TablePath = { table: rename(table.path.table) };
  if (table.path.database !== undefined) {
    path.database = convert(table.path.database);
  }
  if (table.path.schema !== undefined) {
    path.schema = convert(table.path.schema);
  }
  return moveStep(table, path);
}

export function createTableRename(options: TableRenameOptions, inputs: TableSchema[], ctx: PluginContext): Transform {
  return perTable<Own>(ctx, options, inputs, (table, o) => renameStep(ctx, table, o));
}
