/**
 * TableRename: renames tables by case conversion, prefix, suffix and regex replacement rules, as
 * SeaTunnel's TableRenameTransform (newer than the pinned commit); with table_match_regex /
 * table_transform for multi-table inputs. The table name goes through case conversion,
 * replacement rules, prefix and suffix; database and schema names only through case conversion.
 * Rows get the new table id (a new row object; fields shared).
 */
import { ConfigError, defineTableTransform, opt, type TablePath } from "../../src/api/index.ts";
import { JavaRegexError } from "../../src/api/java-regex.ts";
import { recordsOption } from "../common/options.ts";
import { renamer } from "../common/rename.ts";
import { moveStep } from "../common/steps.ts";
import { exampleJob } from "../common/example.ts";

const options = {
  convert_case: opt.enum({
    values: ["UPPER", "LOWER"] as const,
    doc: "Convert the database, schema and table names to UPPER or LOWER case",
  }),
  prefix: opt.string({ doc: "Text added before the table name (trimmed; blank adds nothing)" }),
  suffix: opt.string({ doc: "Text added after the table name (trimmed; blank adds nothing)" }),
  replacements_with_regex: recordsOption({
    // replace_to may name regex groups: ${name}.
    placeholders: /./,
    required: ["replace_from", "replace_to"],
    optional: ["is_regex"],
    doc: "Replacement rules for the table name: replace_from is a Java regex (or, with is_regex = false, a whole name); the last matching rule replaces every match with replace_to (trimmed)",
    example: `replacements_with_regex = [ { replace_from = "user", replace_to = "U" } ]`,
  }),
};

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

export const tableRenameTransform = defineTableTransform({
  name: "TableRename",
  doc: "Renames tables (source.user_shop → SOURCE.CDC_U_SHOP_TABLE) so sinks see new table names; rows are re-tagged, fields unchanged",
  options,
  examples: [{ title: "Upper-case the table, add a prefix and suffix, replace user with U", conf: EXAMPLE }],
  step(table, o, ctx) {
    let rename: (name: string) => string;
    try {
      rename = renamer(o);
    } catch (e) {
      if (e instanceof JavaRegexError) {
        throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "replacements_with_regex": ${e.message}`);
      }
      throw e;
    }
    const convert = (s: string): string =>
      o.convert_case === "UPPER" ? s.toUpperCase() : o.convert_case === "LOWER" ? s.toLowerCase() : s;
    const path: TablePath = { table: rename(table.path.table) };
    if (table.path.database !== undefined) {
      path.database = convert(table.path.database);
    }
    if (table.path.schema !== undefined) {
      path.schema = convert(table.path.schema);
    }
    return moveStep(table, path);
  },
});
