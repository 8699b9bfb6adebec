/**
 * Filter (FilterFieldTransform): `include_fields` keeps the listed fields in the listed order;
 * `exclude_fields` drops them and keeps the rest in input order. Keys survive only when all
 * their columns do.
 */
import type { OptionValues, PluginContext, TableSchema, Transform } from "../../src/api/index.ts";
import { fieldIndexes, keptKeys, withColumns } from "../common/fields.ts";
import { perTable, type TableStep } from "../common/multi-table.ts";
import { projectStep } from "../common/steps.ts";
import type { filterOptions } from "./index.ts";

export type FilterOptions = OptionValues<typeof filterOptions>;
type Fields = Pick<FilterOptions, "include_fields" | "exclude_fields">;

function filterStep(ctx: PluginContext, table: TableSchema, o: Fields): TableStep {
  let indexes: number[];
  if (o.include_fields !== undefined) {
    indexes = fieldIndexes(ctx.label, "include_fields", table, o.include_fields);
  } else {
    const drop = new Set(fieldIndexes(ctx.label, "exclude_fields", table, o.exclude_fields ?? []));
    indexes = table.columns.map((_, i) => i).filter((i) => !drop.has(i));
  }
  const columns = indexes.map((i) => table.columns[i]!);
  const output = withColumns(
    table,
    columns,
    keptKeys(
      table,
      columns.map((c) => c.name),
    ),
  );
  return projectStep(output, indexes, table.columns.length);
}

export function createFilter(options: FilterOptions, inputs: TableSchema[], ctx: PluginContext): Transform {
  return perTable<Fields>(ctx, options, inputs, (table, o) => filterStep(ctx, table, o));
}
