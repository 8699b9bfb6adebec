/**
 * TableFilter (TableFilterMultiCatalogTransform): keeps (INCLUDE) or drops (EXCLUDE) whole tables
 * whose database, schema and table names fully match the given Java regexes; with no pattern,
 * INCLUDE keeps and EXCLUDE drops every selected table. Kept rows pass on as the same objects.
 */
import {
  ConfigError,
  type OptionValues,
  type PluginContext,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { javaFullMatch, JavaRegexError } from "../../src/api/java-regex.ts";
import { identityStep, resolveSteps, stepsTransform, type TableStep } from "../../src/api/multi-table.ts";
import type { tableFilterOptions } from "./index.ts";

export type TableFilterOptions = OptionValues<typeof tableFilterOptions>;
type Own = Omit<TableFilterOptions, "table_match_regex" | "table_transform">;

function compile(ctx: PluginContext, key: string, pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) {
    return undefined;
  }
  try {
    return javaFullMatch(pattern);
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "${key}": ${e.message}`);
    }
    throw e;
  }
}

/** Whether the table stays. A name part the table has not is matched as "". */
export function included(ctx: PluginContext, table: TableSchema, o: Own): boolean {
  const db = compile(ctx, "database_pattern", o.database_pattern);
  const schema = compile(ctx, "schema_pattern", o.schema_pattern);
  const name = compile(ctx, "table_pattern", o.table_pattern);
  const include = o.pattern_mode !== "EXCLUDE";
  if (!db && !schema && !name) {
    return include;
  }
  const match =
    (!db || db.test(table.path.database ?? "")) &&
    (!schema || schema.test(table.path.schema ?? "")) &&
    (!name || name.test(table.path.table));
  return include ? match : !match;
}

const dropStep = (table: TableSchema): TableStep => ({ output: table, row: () => null, batch: () => [] });

export function createTableFilter(options: TableFilterOptions, inputs: TableSchema[], ctx: PluginContext): Transform {
  const dropped = new Set<string>();
  const steps = resolveSteps<Own>(ctx, options, inputs, (table, o) => {
    if (included(ctx, table, o)) {
      return identityStep(table);
    }
    ctx.log.debug(`Table ${table.id} is filtered out`);
    dropped.add(table.id);
    return dropStep(table);
  });
  return stepsTransform(
    steps,
    steps.filter((s) => !dropped.has(s.input.id)).map((s) => s.input),
  );
}
