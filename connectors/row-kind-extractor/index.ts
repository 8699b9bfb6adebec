/**
 * RowKindExtractor: appends each row's kind as a field and emits every row as an INSERT, as
 * SeaTunnel's RowKindExtractorTransform; with table_match_regex / table_transform.
 */
import { defineTableTransform, opt } from "../../src/api/index.ts";
import { extractorStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const rowKindExtractorOptions = {
  custom_field_name: opt.string({
    default: "row_kind",
    nonEmpty: true,
    doc: "Name of the appended STRING field holding the row kind; must not exist in the input",
  }),
  transform_type: opt.enum({
    values: ["SHORT", "FULL"] as const,
    default: "SHORT",
    doc: "SHORT writes +I, -U, +U, -D; FULL writes INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE",
  }),
};

const EXAMPLE = exampleJob({
  output: "trans_result",
  source: `
result_table_name = "fake"
schema = {
  fields {
    pk_id = bigint
    name = string
  }
}
rows = [
  { kind = INSERT, fields = [1, "A"] },
  { kind = UPDATE_BEFORE, fields = [1, "A"] },
  { kind = UPDATE_AFTER, fields = [1, "F"] },
  { kind = DELETE, fields = [1, "F"] }
]
`,
  transform: `
RowKindExtractor {
  source_table_name = "fake"
  result_table_name = "trans_result"
  custom_field_name = "custom_name"
  transform_type = FULL
}
`,
});

export const rowKindExtractorTransform = defineTableTransform({
  name: "RowKindExtractor",
  doc: "Appends the row kind (+I/-U/+U/-D or INSERT/UPDATE_BEFORE/UPDATE_AFTER/DELETE) as a field and emits every row as INSERT",
  options: rowKindExtractorOptions,
  examples: [{ title: "Turn a changelog into append-only rows with the full kind name", conf: EXAMPLE }],
  step: (table, o, ctx) => extractorStep(ctx, table, o),
});
