/**
 * FieldMapper (FieldMapperTransform): keeps only the mapped fields, in the map's order, renamed.
 * On the benchmark hot path: the index map is computed once per table and rows are built by a
 * generated projector (an array literal), so a batch is one tight loop with no per-row closures.
 */
import {
  ConfigError,
  type Column,
  type OptionValues,
  type PluginContext,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { fieldIndexes, keptKeys, withColumns } from "../common/fields.ts";
import { perTable, type TableStep } from "../common/multi-table.ts";
import { projectStep } from "../common/steps.ts";
import type { fieldMapperOptions } from "./index.ts";

export type FieldMapperOptions = OptionValues<typeof fieldMapperOptions>;
type Mapping = Pick<FieldMapperOptions, "field_mapper">;

function mapperStep(ctx: PluginContext, table: TableSchema, o: Mapping): TableStep {
  const pairs = o.field_mapper;
  const indexes = fieldIndexes(
    ctx.label,
    "field_mapper",
    table,
    pairs.map(([from]) => from),
  );
  const twice = pairs.find(([, to], k) => pairs.findIndex(([, other]) => other === to) !== k);
  if (twice) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: option "field_mapper" maps two fields to "${twice[1]}"; output field names must be unique`,
    );
  }
  const columns: Column[] = pairs.map(([, to], k) => ({ ...table.columns[indexes[k]!]!, name: to }));
  // SeaTunnel compares the kept keys' (old) column names with the new names.
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

export function createFieldMapper(options: FieldMapperOptions, inputs: TableSchema[], ctx: PluginContext): Transform {
  return perTable<Mapping>(ctx, options, inputs, (table, o) => mapperStep(ctx, table, o));
}
