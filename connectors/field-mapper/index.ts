/**
 * FieldMapper: keeps, reorders and renames fields (`field_mapper { old = new }`), as SeaTunnel's
 * FieldMapperTransform; with table_match_regex / table_transform for multi-table inputs.
 */
import { defineTransform } from "../../src/api/index.ts";
import { pairsOption } from "../common/fields.ts";
import { multiTableOptions } from "../common/multi-table.ts";
import { createFieldMapper } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

const own = {
  field_mapper: pairsOption({
    required: true,
    doc: "Input field → output field name. Only the listed fields are kept, in this order, renamed; a field the input lacks fails the plan",
    example: "field_mapper = { id = id, card = card, name = new_name }",
  }),
};

export const fieldMapperOptions = { ...own, ...multiTableOptions(own) };

const EXAMPLE = exampleJob({
  output: "fake1",
  source: `
result_table_name = "fake"
row.num = 4
schema = {
  fields {
    id = "int"
    name = "string"
    age = "int"
    card = "int"
  }
}
`,
  transform: `
FieldMapper {
  source_table_name = "fake"
  result_table_name = "fake1"
  field_mapper = {
    id = id
    card = card
    name = new_name
  }
}
`,
});

export const fieldMapperTransform = defineTransform({
  name: "FieldMapper",
  doc: "Keeps only the fields listed in field_mapper, in that order, renamed to the mapped names (row kind and table unchanged)",
  options: fieldMapperOptions,
  features: { batch: true, streaming: true, multiTable: true },
  examples: [{ title: "Drop age, reorder to id, card, name and rename name to new_name", conf: EXAMPLE }],
  create: createFieldMapper,
});
