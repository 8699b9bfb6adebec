/**
 * Split: splits a field into several STRING fields with a Java regex separator, as SeaTunnel's
 * SplitTransform; with table_match_regex / table_transform for multi-table inputs.
 */
import { defineTableTransform, opt } from "../../src/api/index.ts";
import { splitStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const splitOptions = {
  separator: opt.string({ required: true, doc: 'Java regular expression to split on (e.g. " ", ",", "\\\\|")' }),
  split_field: opt.string({ required: true, doc: "The field to split (its text, as Java's toString gives it)" }),
  output_fields: opt.list({
    of: "string",
    required: true,
    minItems: 1,
    doc: "Names of the STRING fields that receive the parts, in order; the last one receives the rest of the text",
    example: "output_fields = [first_name, second_name]",
  }),
};

const EXAMPLE = exampleJob({
  output: "fake1",
  source: `
result_table_name = "fake"
schema = {
  fields {
    name = "string"
    age = "int"
  }
}
rows = [
  { kind = INSERT, fields = ["Joy Ding", 20] },
  { kind = INSERT, fields = ["May", 21] }
]
`,
  transform: `
Split {
  source_table_name = "fake"
  result_table_name = "fake1"
  separator = " "
  split_field = "name"
  output_fields = [first_name, second_name]
}
`,
});

export const splitTransform = defineTableTransform({
  name: "Split",
  doc: "Splits one field with a regex into new STRING fields (appended, or replacing same-named fields)",
  options: splitOptions,
  examples: [{ title: "Split name into first_name and second_name", conf: EXAMPLE }],
  step: (table, o, ctx) => splitStep(ctx, table, o),
});
