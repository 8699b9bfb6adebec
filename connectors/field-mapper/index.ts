/**
 * FieldMapper: keeps, reorders and renames fields (`field_mapper { old = new }`), as SeaTunnel's
 * FieldMapperTransform; with table_match_regex / table_transform for multi-table inputs.
 * On the benchmark hot path: the index map is computed once per table and rows are built by a
 * generated projector (an array literal), so a batch is one tight loop with no per-row closures.
 */
import { ConfigError, defineTableTransform, type Column } from "../../src/api/index.ts";
import { fieldIndexes, keptKeys, pairsOption, withColumns } from "../common/fields.ts";
import { projectStep } from "../common/steps.ts";
import { exampleJob } from "../common/example.ts";

const options = {
  field_mapper: pairsOption({
    required: true,
    doc: "Input field → output field name. Only the listed fields are kept, in this order, renamed; a field the input lacks fails the plan",
    example: "field_mapper = { id = id, card = card, name = new_name }",
  }),
};

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

export const fieldMapperTransform = defineTableTransform({
  name: "FieldMapper",
  doc: "Keeps only the fields listed in field_mapper, in that order, renamed to the mapped names (row kind and table unchanged)",
  options,
  examples: [{ title: "Drop age, reorder to id, card, name and rename name to new_name", conf: EXAMPLE }],
  step(table, o, ctx) {
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
  },
});
