/**
 * Copy: copies fields to new fields (`fields { new = source }`, or `src_field` + `dest_field`),
 * as SeaTunnel's CopyFieldTransform; with table_match_regex / table_transform (items may name
 * their table with `table_path` or the older `tablePath`).
 */
import { defineTableTransform, opt, type Rule } from "../../src/api/index.ts";
import { pairsOption } from "../common/fields.ts";
import { copyStep } from "./transform.ts";
import { exampleJob, NAME_AGE_CARD_SOURCE } from "../common/example.ts";

export const copyOptions = {
  fields: pairsOption({
    doc: "New field → source field; each copy replaces a same-named field or is appended, in this order",
    example: "fields { name1 = name, age1 = age }",
  }),
  src_field: opt.string({ doc: "Source field of a single copy (older form; use fields)" }),
  dest_field: opt.string({ doc: "Name of the single copy (older form; use fields)" }),
};
const rules: Rule[] = [{ bundled: ["src_field", "dest_field"] }];

const EXAMPLE = exampleJob({
  output: "fake1",
  source: NAME_AGE_CARD_SOURCE,
  transform: `
Copy {
  source_table_name = "fake"
  result_table_name = "fake1"
  fields {
    name1 = name
    name2 = name
    age1 = age
  }
}
`,
});

export const copyTransform = defineTableTransform({
  name: "Copy",
  doc: "Adds copies of fields under new names (a copy named like an existing field replaces it)",
  options: copyOptions,
  rules,
  examples: [{ title: "Copy name twice and age once", conf: EXAMPLE }],
  step: (table, o, ctx) => copyStep(ctx, table, o),
});
