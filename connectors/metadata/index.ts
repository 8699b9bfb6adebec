/**
 * Metadata: turns row metadata (database, table, row kind, event time, delay, partition) into
 * fields, as SeaTunnel's Metadata transform (newer than the pinned commit).
 */
import { defineTableTransform } from "../../src/api/index.ts";
import { pairsOption } from "../common/fields.ts";
import { metadataStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const metadataOptions = {
  metadata_fields: pairsOption({
    doc: "Metadata key → new field name. Keys (case-sensitive): Database, Table, RowKind (STRING), EventTime, Delay (BIGINT, milliseconds), Partition (STRING); the new names must not exist in the input",
    example: "metadata_fields { Database = source_db, Table = source_table, RowKind = op_type }",
  }),
};

const EXAMPLE = exampleJob({
  output: "metadata_added",
  source: `
result_table_name = "fake"
row.num = 4
schema = {
  table = "mydb.users"
  fields {
    id = "int"
    name = "string"
  }
}
`,
  transform: `
Metadata {
  source_table_name = "fake"
  result_table_name = "metadata_added"
  metadata_fields {
    Database = source_database
    Table = source_table
    RowKind = change_type
  }
}
`,
});

export const metadataTransform = defineTableTransform({
  name: "Metadata",
  doc: "Appends metadata of each row (Database, Table, RowKind, EventTime, Delay, Partition) as new fields",
  options: metadataOptions,
  examples: [{ title: "Record the source database, table and change type of every row", conf: EXAMPLE }],
  step: (table, o, ctx) => metadataStep(ctx, table, o),
});
