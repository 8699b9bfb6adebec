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
  type Row,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { fieldIndexes, keptKeys, withColumns } from "../common/fields.ts";
import { perTable, type TableStep } from "../common/multi-table.ts";
import type { fieldMapperOptions } from "./index.ts";

export type FieldMapperOptions = OptionValues<typeof fieldMapperOptions>;
type Mapping = Pick<FieldMapperOptions, "field_mapper">;

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
