/**
 * RowKindExtractor (RowKindExtractorTransform): appends the row's kind as a STRING field
 * (`+I`… or `INSERT`…) and turns every row into an INSERT, making a changelog append-only.
 */
import {
  ConfigError,
  ROW_KIND_NAMES,
  ROW_KIND_SHORT,
  RowKind,
  T,
  type Column,
  type OptionValues,
  type PluginContext,
  type Row,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { fieldOutput } from "../common/fields.ts";
import type { rowKindExtractorOptions } from "./index.ts";

export type RowKindExtractorOptions = OptionValues<typeof rowKindExtractorOptions>;

export function extractorStep(ctx: PluginContext, table: TableSchema, o: RowKindExtractorOptions): TableStep {
  const name = o.custom_field_name;
  if (table.columns.some((c) => c.name === name)) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: field name ${name} already exists in table "${table.id}"; choose another custom_field_name`,
    );
  }
  const column: Column = {
    name,
    type: T.string,
    nullable: false,
    columnLength: 13,
    defaultValue: "+I",
    comment: "Output column of RowKind",
  };
  const { output, width } = fieldOutput(table, [column]);
  const labels: readonly string[] = o.transform_type === "FULL" ? ROW_KIND_NAMES : ROW_KIND_SHORT;
  const last = width - 1;
  const row = (r: Row): Row => {
    const f = r.fields.slice();
    f.length = width;
    f[last] = labels[r.kind];
    return { kind: RowKind.INSERT, table: r.table, fields: f };
  };
  return { output, row };
}
