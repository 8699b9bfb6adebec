/**
 * TableMerge (TableMergeTransform): the selected tables become one table `database.schema.table`
 * (rows re-tagged, fields unchanged). Tables it merges must have the same fields and types;
 * tables it does not select pass through and are listed first, the merged table last.
 */
import {
  ConfigError,
  tableId,
  typeToString,
  type OptionValues,
  type PluginContext,
  type TablePath,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { resolveSteps, stepsTransform } from "../../src/api/multi-table.ts";
import { moveStep } from "../common/steps.ts";
import type { tableMergeOptions } from "./index.ts";

export type TableMergeOptions = OptionValues<typeof tableMergeOptions>;
type Own = Omit<TableMergeOptions, "table_match_regex" | "table_transform">;

const rowType = (t: TableSchema): string => t.columns.map((c) => `${c.name} ${typeToString(c.type)}`).join(", ");

export function createTableMerge(options: TableMergeOptions, inputs: TableSchema[], ctx: PluginContext): Transform {
  const merged = new Map<string, { first: TableSchema; output: TableSchema }>();
  const steps = resolveSteps<Own>(ctx, options, inputs, (table, o) => {
    const path: TablePath = { table: o.table };
    if (o.database !== undefined) {
      path.database = o.database;
    }
    if (o.schema !== undefined) {
      path.schema = o.schema;
    }
    const id = tableId(path);
    const hit = merged.get(id);
    if (hit && rowType(hit.first) !== rowType(table)) {
      throw new ConfigError(
        "CONFIG_SCHEMA_MISMATCH",
        `${ctx.label}: The schema of the tables to be merged must be the same. The schema of the table ${hit.first.id} (${rowType(hit.first)}) is different from the schema of the table ${table.id} (${rowType(table)})`,
      );
    }
    if (!hit) {
      merged.set(id, { first: table, output: { ...table, id, path } });
    }
    return moveStep(table, path, merged.get(id)!.output);
  });
  const outputs = steps.filter((s) => !s.selected).map((s) => s.input);
  for (const m of merged.values()) {
    outputs.push(m.output);
  }
  return stepsTransform(steps, outputs);
}
