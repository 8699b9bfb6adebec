/**
 * FieldRename: renames fields by case conversion, prefix, suffix, regex replacement rules or
 * explicit pairs, as SeaTunnel's FieldRenameTransform (newer than the pinned commit); with
 * table_match_regex / table_transform for multi-table inputs.
 */
import { defineTableTransform, opt } from "../../src/api/index.ts";
import { recordsOption } from "../common/options.ts";
import { renameStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const fieldRenameOptions = {
  convert_case: opt.enum({ values: ["UPPER", "LOWER"] as const, doc: "Convert field names to UPPER or LOWER case" }),
  prefix: opt.string({ doc: "Text added before every field name (trimmed; blank adds nothing)" }),
  suffix: opt.string({ doc: "Text added after every field name (trimmed; blank adds nothing)" }),
  replacements_with_regex: recordsOption({
    // replace_to may name regex groups: ${name}.
    placeholders: /./,
    required: ["replace_from", "replace_to"],
    optional: ["is_regex"],
    doc: "Replacement rules: replace_from is a Java regex (or, with is_regex = false, a whole name) matched against the original name; the last matching rule replaces every match with replace_to (trimmed)",
    example: `replacements_with_regex = [ { replace_from = "create_time", replace_to = "SOURCE_CREATE_TIME" } ]`,
  }),
  specific: recordsOption({
    required: ["field_name", "target_name"],
    doc: "Exact renames, field_name → target_name; they win over every other rule",
    example: `specific = [ { field_name = "id", target_name = "user_id" } ]`,
  }),
};

const EXAMPLE = exampleJob({
  output: "trans_result",
  source: `
result_table_name = "fake"
row.num = 4
schema = {
  fields {
    id = "int"
    name = "string"
    create_time = "timestamp"
  }
}
`,
  transform: `
FieldRename {
  source_table_name = "fake"
  result_table_name = "trans_result"
  convert_case = "UPPER"
  prefix = "F_"
  suffix = "_S"
  replacements_with_regex = [
    {
      replace_from = "create_time"
      replace_to = "SOURCE_CREATE_TIME"
    }
  ]
}
`,
});

export const fieldRenameTransform = defineTableTransform({
  name: "FieldRename",
  doc: "Renames fields (and their primary/constraint key entries) by case, prefix, suffix, regex rules or explicit pairs; rows are unchanged",
  options: fieldRenameOptions,
  examples: [{ title: "Upper-case every field, add F_ and _S, rename create_time", conf: EXAMPLE }],
  step: (table, o, ctx) => renameStep(ctx, table, o),
});
