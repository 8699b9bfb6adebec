/**
 * Replace: replaces a literal string or a Java regular expression in one field, as SeaTunnel's
 * ReplaceTransform; with table_match_regex / table_transform for multi-table inputs.
 */
import { defineTableTransform, opt } from "../../src/api/index.ts";
import { replaceStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const replaceOptions = {
  replace_field: opt.string({ required: true, doc: "The field whose text is replaced (in place)" }),
  pattern: opt.string({
    required: true,
    doc: "The text to find: a literal string, or a Java regular expression when is_regex = true",
  }),
  replacement: opt.string({
    required: true,
    doc: "The new text; with is_regex, $1 / ${name} refer to groups and \\$ is a literal $",
    placeholders: /./,
  }),
  is_regex: opt.bool({ default: false, doc: "Treat pattern as a Java regular expression" }),
  replace_first: opt.bool({ doc: "With is_regex: replace only the first match (default: every match)" }),
};

const EXAMPLE = exampleJob({
  output: "fake1",
  source: `
result_table_name = "fake"
schema = {
  fields {
    id = "int"
    name = "string"
  }
}
rows = [
  { kind = INSERT, fields = [1, "Joy Ding"] },
  { kind = INSERT, fields = [2, "Kin Dom"] }
]
`,
  transform: `
Replace {
  source_table_name = "fake"
  result_table_name = "fake1"
  replace_field = "name"
  pattern = " "
  replacement = "_"
  is_regex = true
}
`,
});

export const replaceTransform = defineTableTransform({
  name: "Replace",
  doc: "Replaces a string or a Java regex match in one field of every row; null values stay null",
  options: replaceOptions,
  examples: [{ title: "Replace spaces in name with underscores", conf: EXAMPLE }],
  step: (table, o, ctx) => replaceStep(ctx, table, o),
});
