/**
 * TableFilter: keeps or drops whole tables by database/schema/table name patterns, as
 * SeaTunnel's TableFilter transform (newer than the pinned commit).
 */
import { defineTransform, opt } from "../../src/api/index.ts";
import { multiTableOptions } from "../../src/api/multi-table.ts";
import { createTableFilter } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

const own = {
  database_pattern: opt.string({ doc: "Java regex the whole database name must match (unset: any)" }),
  schema_pattern: opt.string({ doc: "Java regex the whole schema name must match (unset: any)" }),
  table_pattern: opt.string({ doc: "Java regex the whole table name must match (unset: any)" }),
  pattern_mode: opt.enum({
    values: ["INCLUDE", "EXCLUDE"] as const,
    default: "INCLUDE",
    doc: "INCLUDE keeps the matching tables and drops the rest; EXCLUDE drops the matching tables",
  }),
};

export const tableFilterOptions = { ...own, ...multiTableOptions(own) };

const EXAMPLE = exampleJob({
  output: "transform_a_1",
  source: `
result_table_name = "source1"
tables_configs = [
  {
    row.num = 2
    schema = {
      table = "test.user_1"
      fields {
        id = "int"
      }
    }
  },
  {
    row.num = 2
    schema = {
      table = "test.shop"
      fields {
        id = "int"
      }
    }
  }
]
`,
  transform: `
TableFilter {
  source_table_name = "source1"
  result_table_name = "transform_a_1"
  database_pattern = "test"
  table_pattern = "user_\\\\d+"
}
`,
});

export const tableFilterTransform = defineTransform({
  name: "TableFilter",
  doc: "Keeps (INCLUDE) or drops (EXCLUDE) the tables whose names match database_pattern, schema_pattern and table_pattern",
  options: tableFilterOptions,
  features: { batch: true, streaming: true, multiTable: true },
  examples: [{ title: "Keep only test.user_<n> tables", conf: EXAMPLE }],
  create: createTableFilter,
});
