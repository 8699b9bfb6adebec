/**
 * JsonPath: extracts values from JSON fields with Jayway JsonPath syntax into new typed fields,
 * as SeaTunnel's JsonPathTransform, with row_error_handle_way / column_error_handle_way and
 * table_match_regex / table_transform. The JSONPath engine and the permissive JSON reader are
 * implemented here (json.ts, path.ts, eval.ts) to match Jayway + json-smart exactly.
 */
import { defineTableTransform, opt } from "../../src/api/index.ts";
import { columnsOption, ERROR_WAYS } from "./columns.ts";
import { jsonPathStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

export const jsonPathOptions = {
  columns: columnsOption(),
  row_error_handle_way: opt.enum({
    values: ERROR_WAYS,
    default: "FAIL",
    doc: "What a column error without its own column_error_handle_way does: FAIL stops the job, SKIP (or SKIP_ROW) drops the row",
  }),
};

const EXAMPLE = exampleJob({
  output: "fake1",
  source: `
result_table_name = "fake"
schema = {
  fields {
    id = "bigint"
    data = "string"
  }
}
rows = [
  { kind = INSERT, fields = [1, "{\\"data\\": {\\"c_string\\": \\"a\\", \\"c_integer\\": 42}}"] },
  { kind = INSERT, fields = [2, "{\\"data\\": {\\"c_string\\": \\"b\\"}}"] }
]
`,
  transform: `
JsonPath {
  source_table_name = "fake"
  result_table_name = "fake1"
  row_error_handle_way = FAIL
  columns = [
    {
      src_field = "data"
      path = "$.data.c_string"
      dest_field = "c1_string"
    },
    {
      src_field = "data"
      path = "$.data.c_integer"
      dest_field = "c1_integer"
      dest_type = "int"
      column_error_handle_way = SKIP
    }
  ]
}
`,
});

export const jsonPathTransform = defineTableTransform({
  name: "JsonPath",
  doc: "Reads values out of JSON fields (STRING, BYTES, ARRAY, MAP, ROW) with JsonPath expressions into new typed fields",
  options: jsonPathOptions,
  examples: [{ title: "Extract a string and an int; a missing int becomes null", conf: EXAMPLE }],
  step: (table, o, ctx) => jsonPathStep(ctx, table, o),
});
