/**
 * Filter (SeaTunnel's FilterFieldTransform): keeps the `include_fields` (formerly `fields`) in that
 * order, or removes the `exclude_fields` and keeps the rest in input order. Keys survive only when
 * all their columns do. docs/connector-guide.md walks through this file.
 */
import { defineTableTransform, opt, type Rule } from "../../src/api/index.ts";
import { exampleJob, NAME_AGE_CARD_SOURCE } from "../common/example.ts";
import { fieldIndexes, keptKeys, withColumns } from "../common/fields.ts";
import { projectStep } from "../common/steps.ts";

const options = {
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

const example = (option: string) =>
  exampleJob({
    output: "fake1",
    source: NAME_AGE_CARD_SOURCE,
    transform: `Filter {\n  source_table_name = "fake"\n  result_table_name = "fake1"\n  ${option}\n}`,
  });

export const filterTransform = defineTableTransform({
  name: "Filter",
  doc: "Keeps the include_fields (in that order) or removes the exclude_fields of every row; exactly one of the two is set",
  options,
  rules,
  examples: [
    { title: "Keep name and card", conf: example("include_fields = [name, card]") },
    { title: "Remove age", conf: example("exclude_fields = [age]") },
  ],
  step(table, o, ctx) {
    const drop = new Set(fieldIndexes(ctx.label, "exclude_fields", table, o.exclude_fields ?? []));
    const indexes = o.include_fields
      ? fieldIndexes(ctx.label, "include_fields", table, o.include_fields)
      : table.columns.map((_, i) => i).filter((i) => !drop.has(i));
    const columns = indexes.map((i) => table.columns[i]!);
    const kept = keptKeys(
      table,
      columns.map((c) => c.name),
    );
    return projectStep(withColumns(table, columns, kept), indexes, table.columns.length);
  },
});
