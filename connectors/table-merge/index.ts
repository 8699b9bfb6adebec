/**
 * TableMerge: merges sharded tables (same fields) into one table, as SeaTunnel's
 * TableMergeTransform (newer than the pinned commit); table_match_regex picks the shards.
 */
import { defineTransform, opt } from "../../src/api/index.ts";
import { multiTableOptions } from "../../src/api/multi-table.ts";
import { createTableMerge } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

const own = {
  database: opt.string({ doc: "Database name of the merged table (none when unset)" }),
  schema: opt.string({ doc: "Schema name of the merged table (none when unset)" }),
  table: opt.string({ required: true, nonEmpty: true, doc: "Table name of the merged table" }),
};

export const tableMergeOptions = { ...own, ...multiTableOptions(own) };

const EXAMPLE = exampleJob({
  output: "trans_result",
  source: `
result_table_name = "fake"
tables_configs = [
  {
    row.num = 2
    schema = {
      table = "source.user_1"
      fields {
        id = "int"
        name = "string"
      }
    }
  },
  {
    row.num = 2
    schema = {
      table = "source.user_2"
      fields {
        id = "int"
        name = "string"
      }
    }
  }
]
`,
  transform: `
TableMerge {
  source_table_name = "fake"
  result_table_name = "trans_result"
  table_match_regex = "source\\\\.user_.*"
  database = "user_db"
  table = "user_all"
}
`,
});

export const tableMergeTransform = defineTransform({
  name: "TableMerge",
  doc: "Merges the tables matched by table_match_regex (all with the same fields) into one table database.schema.table",
  options: tableMergeOptions,
  features: { batch: true, streaming: true, multiTable: true },
  examples: [{ title: "Merge source.user_1 and source.user_2 into user_db.user_all", conf: EXAMPLE }],
  create: createTableMerge,
});
