/**
 * Copy (CopyFieldTransform): adds copies of fields. `fields { dest = src }` (or the older
 * `src_field` + `dest_field`); a copy named like an existing field replaces it in place, else it
 * is appended. Values are shared, not cloned: rows are never mutated downstream.
 */
import {
  ConfigError,
  type Column,
  type OptionValues,
  type PluginContext,
  type Row,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { fieldIndexes, fieldOutput } from "../common/fields.ts";
import type { copyOptions } from "./index.ts";

export type CopyOptions = OptionValues<typeof copyOptions>;

/** `[dest, src]` pairs: `fields` when written, else src_field → dest_field. */
function copies(ctx: PluginContext, o: CopyOptions): [string, string][] {
  if (o.fields !== undefined && o.fields.length > 0) {
    return o.fields;
  }
  if (o.src_field !== undefined && o.dest_field !== undefined) {
    return [[o.dest_field, o.src_field]];
  }
  throw new ConfigError(
    "CONFIG_OPTION_MISSING",
    `${ctx.label}: set fields { <new field> = <source field> } or both src_field and dest_field`,
  );
}

export function copyStep(ctx: PluginContext, table: TableSchema, o: CopyOptions): TableStep {
  const pairs = copies(ctx, o);
  const option = o.fields !== undefined && o.fields.length > 0 ? "fields" : "src_field";
  const sources = fieldIndexes(
    ctx.label,
    option,
    table,
    pairs.map(([, src]) => src),
  );
  const added: Column[] = pairs.map(([dest], k) => ({ ...table.columns[sources[k]!]!, name: dest }));
  const { output, indexes, width } = fieldOutput(table, added);
  const n = indexes.length;
  const row = (r: Row): Row => {
    const f = r.fields;
    const out = f.slice();
    out.length = width;
    for (let k = 0; k < n; k++) {
      out[indexes[k]!] = f[sources[k]!];
    }
    return { kind: r.kind, table: r.table, fields: out };
  };
  return { output, row };
}
