/**
 * FilterRowKind (FilterRowKindTransform): drops rows by kind. Kept rows pass on as the same
 * objects; the schema is unchanged.
 */
import {
  ConfigError,
  type OptionValues,
  type PluginContext,
  type Row,
  type RowKind,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import type { filterRowKindOptions } from "./index.ts";

export type FilterRowKindOptions = OptionValues<typeof filterRowKindOptions>;

export function kindStep(ctx: PluginContext, table: TableSchema, o: FilterRowKindOptions): TableStep {
  const include = o.include_kinds ?? [];
  const exclude = o.exclude_kinds ?? [];
  if ((include.length === 0) === (exclude.length === 0)) {
    throw new ConfigError(
      "CONFIG_OPTION_CONFLICT",
      `${ctx.label}: These options(include_kinds,exclude_kinds) are mutually exclusive, allowing only one set of options to be configured (set exactly one of them to a non-empty list)`,
    );
  }
  const keep = [false, false, false, false];
  for (let k = 0; k < 4; k++) {
    keep[k] = include.length > 0 ? include.includes(k as RowKind) : !exclude.includes(k as RowKind);
  }
  const row = (r: Row): Row | null => (keep[r.kind] ? r : null);
  const batch = (rows: Row[]): Row[] => {
    let i = 0;
    while (i < rows.length && keep[rows[i]!.kind]) {
      i++;
    }
    if (i === rows.length) {
      return rows;
    }
    const out = rows.slice(0, i);
    for (; i < rows.length; i++) {
      if (keep[rows[i]!.kind]) {
        out.push(rows[i]!);
      }
    }
    return out;
  };
  return { output: table, row, batch };
}
