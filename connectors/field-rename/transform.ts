/**
 * FieldRename (FieldRenameTransform): renames columns (and the key columns that name them) by
 * `specific` pairs or by case, replacement rules, prefix and suffix. Rows are unchanged and pass
 * on as the same objects.
 */
import {
  ConfigError,
  type Column,
  type OptionValues,
  type PluginContext,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { withColumns } from "../common/fields.ts";
import { JavaRegexError } from "../../src/api/java-regex.ts";
import { renamer } from "../common/rename.ts";
import type { fieldRenameOptions } from "./index.ts";

export type FieldRenameOptions = OptionValues<typeof fieldRenameOptions>;

/** The column-name function the options describe. */
export function fieldRenamer(ctx: PluginContext, o: FieldRenameOptions): (name: string) => string {
  let byRules: (name: string) => string;
  try {
    byRules = renamer(o);
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "replacements_with_regex": ${e.message}`);
    }
    throw e;
  }
  const specific = new Map<string, string>();
  for (const s of o.specific ?? []) {
    if (!specific.has(s.field_name!)) {
      specific.set(s.field_name!, s.target_name!);
    }
  }
  return (name) => specific.get(name) ?? byRules(name);
}

export function renameStep(ctx: PluginContext, table: TableSchema, o: FieldRenameOptions): TableStep {
  const rename = fieldRenamer(ctx, o);
  const columns: Column[] = table.columns.map((c) => ({ ...c, name: rename(c.name) }));
  const seen = new Map<string, string>();
  for (const [i, c] of columns.entries()) {
    const before = seen.get(c.name);
    if (before !== undefined) {
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `${ctx.label}: fields "${before}" and "${table.columns[i]!.name}" of table "${table.id}" would both be renamed to "${c.name}"`,
      );
    }
    seen.set(c.name, table.columns[i]!.name);
  }
  const keys: Pick<TableSchema, "primaryKey" | "constraintKeys"> = {};
  if (table.primaryKey) {
    keys.primaryKey = { ...table.primaryKey, columnNames: table.primaryKey.columnNames.map(rename) };
  }
  if (table.constraintKeys) {
    keys.constraintKeys = table.constraintKeys.map((k) => ({
      ...k,
      constraintColumns: k.constraintColumns.map((c) => ({ ...c, columnName: rename(c.columnName) })),
    }));
  }
  return { output: withColumns(table, columns, keys), row: (r) => r, batch: (rows) => rows };
}
