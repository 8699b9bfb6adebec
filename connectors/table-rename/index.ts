/**
 * TableRename: renames tables by case conversion, prefix, suffix and regex replacement rules, as
 * SeaTunnel's TableRenameTransform (newer than the pinned commit); with table_match_regex /
 * table_transform for multi-table inputs.
 */
import { defineTransform, opt } from "../../src/api/index.ts";
import { multiTableOptions } from "../common/multi-table.ts";
import { recordsOption } from "../common/options.ts";
import { createTableRename } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

const own = {
  convert_case: opt.enum({
    values: ["UPPER", "LOWER"] as const,
    doc: "Convert the database, schema and table names to UPPER or LOWER case",
  }),
  prefix: opt.string({ doc: "Text added before the table name (trimmed; blank adds nothing)" }),
  suffix: opt.string({ doc: "Text added after the table name (trimmed; blank adds nothing)" }),
  replacements_with_regex: recordsOption({
    required: ["replace_from", "replace_to"],
    optional: ["is_regex"],
    doc: "Replacement rules for the table name: replace_from is a Java regex (or, with is_regex = false, a whole name); the last matching rule replaces every match with replace_to (trimmed)",
    example: `replacements_with_regex = [ { replace_from = "user", replace_to = "U" } ]`,
  }),
};

export const tableRenameOptions = { ...own, ...multiTableOptions(own) };

const EXAMPLE = exampleJob({
  output: "trans_result",
  source: `
result_table_name = "fake"
row.num = 4
schema = {
  table = "source.user_shop"
  fields {
    id = "int"
    name = "string"
  }
}
`,
  transform: `
TableRename {
  source_table_name = "fake"
  result_table_name = "trans_result"
  convert_case = "UPPER"
  prefix = "CDC_"
  suffix = "_TABLE"
  replacements_with_regex = [
    {
      replace_from = "user"
      replace_to = "U"
    }
  ]
}
`,
});

export const tableRenameTransform = defineTransform({
  name: "TableRename",
  doc: "Renames tables (source.user_shop → SOURCE.CDC_U_SHOP_TABLE) so sinks see new table names; rows are re-tagged, fields unchanged",
  options: tableRenameOptions,
  features: { batch: true, streaming: true, multiTable: true },
  examples: [{ title: "Upper-case the table, add a prefix and suffix, replace user with U", conf: EXAMPLE }],
  create: createTableRename,
});
