/**
 * Filter: keeps (`include_fields`, formerly `fields`) or removes (`exclude_fields`) fields, as
 * SeaTunnel's FilterFieldTransform; with table_match_regex / table_transform for multi-table inputs.
 */
import { defineTransform, opt, type Rule } from "../../src/api/index.ts";
import { multiTableOptions } from "../common/multi-table.ts";
import { createFilter } from "./transform.ts";
import { exampleJob, NAME_AGE_CARD_SOURCE } from "../common/example.ts";

const own = {
  include_fields: opt.list({
    of: "string",
    fallbackKeys: ["fields"],
    doc: "Fields to keep, in this output order; every other field is removed",
    example: "include_fields = [name, card]",
  }),
  exclude_fields: opt.list({
    of: "string",
    doc: "Fields to remove; the others are kept in input order",
    example: "exclude_fields = [age]",
  }),
};
const rules: Rule[] = [{ exclusive: ["include_fields", "exclude_fields"], required: true }];

export const filterOptions = { ...own, ...multiTableOptions(own, rules) };

const job = (option: string) =>
  exampleJob({
    output: "fake1",
    source: NAME_AGE_CARD_SOURCE,
    transform: `
Filter {
  source_table_name = "fake"
  result_table_name = "fake1"
  ${option}
}
`,
  });

export const filterTransform = defineTransform({
  name: "Filter",
  doc: "Keeps the include_fields (in that order) or removes the exclude_fields of every row; exactly one of the two is set",
  options: filterOptions,
  rules,
  features: { batch: true, streaming: true, multiTable: true },
  examples: [
    { title: "Keep name and card", conf: job("include_fields = [name, card]") },
    { title: "Remove age", conf: job("exclude_fields = [age]") },
  ],
  create: createFilter,
});
