/**
 * JsonPath (JsonPathTransform): for each configured column, parse the source field as JSON (or
 * serialise a structured field), read the path and convert the result to dest_type; the new
 * fields follow the Single/MultipleFieldOutput rule. Errors follow column_error_handle_way, then
 * row_error_handle_way: SKIP on a column writes null, SKIP / SKIP_ROW drop the row, FAIL stops
 * the job with a JobError naming the transform, field, path and value.
 */
import {
  ConfigError,
  JobError,
  typeToString,
  type Column,
  type OptionValues,
  type PluginContext,
  type Row,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { fieldIndex, fieldOutput } from "../common/fields.ts";
import type { ColumnConfig, ErrorWay } from "./columns.ts";
import { ConversionFailure, converter, documentOf, SOURCE_KINDS } from "./convert.ts";
import { PathNotFound, readPath } from "../common/json-path/eval.ts";
import { InvalidJson, type JV } from "../common/json-path/json.ts";
import type { jsonPathOptions } from "./index.ts";

export type JsonPathOptions = OptionValues<typeof jsonPathOptions>;

const abbreviate = (s: string, max = 256): string => (s.length <= max ? s : `${s.slice(0, max - 3)}...`);

/** What an error in one column does to the row. */
type Outcome = { skipColumn: true } | { skipRow: true };

function onError(c: ColumnConfig, rowWay: ErrorWay, error: JobError): Outcome {
  if (c.way === "SKIP") {
    return { skipColumn: true };
  }
  if (c.way === "SKIP_ROW") {
    return { skipRow: true };
  }
  if (c.way === undefined && rowWay !== "FAIL") {
    return { skipRow: true };
  }
  throw error;
}

export function jsonPathStep(ctx: PluginContext, table: TableSchema, o: JsonPathOptions): TableStep {
  const columns = o.columns;
  const rowWay: ErrorWay = o.row_error_handle_way ?? "FAIL";
  const sources = columns.map((c, k) => {
    const at = fieldIndex(ctx.label, `columns[${k}].src_field`, table, c.srcField);
    const type = table.columns[at]!.type;
    if (!(SOURCE_KINDS as readonly string[]).includes(type.kind)) {
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `${ctx.label}: src_field "${c.srcField}" is ${typeToString(type)}; JsonPath reads STRING, BYTES, ARRAY, MAP or ROW fields`,
      );
    }
    return at;
  });
  const added: Column[] = columns.map((c) => ({ name: c.destField, type: c.destType, nullable: true }));
  const { output, indexes, width } = fieldOutput(table, added);
  const convert = columns.map((c) => converter(c.destType));
  const n = columns.length;
  const row = (r: Row): Row | null => {
    const values = new Array<unknown>(n);
    const docs = new Map<number, ReturnType<typeof documentOf>>();
    for (let k = 0; k < n; k++) {
      const c = columns[k]!;
      const at = sources[k]!;
      const v = r.fields[at];
      if (v === null || v === undefined) {
        values[k] = null;
        continue;
      }
      let src = docs.get(at);
      if (src === undefined) {
        docs.set(at, (src = documentOf(v, table.columns[at]!.type)));
      }
      let result: JV;
      try {
        result = readPath(c.path, src.doc());
      } catch (e) {
        if (!(e instanceof PathNotFound || e instanceof InvalidJson)) {
          throw e;
        }
        const err = new JobError(
          "JSON_PATH_FAILED",
          `JsonPath transform error, config: src_field=${c.srcField}, path=${c.pathText}, dest_field=${c.destField}, value: ${abbreviate(src.text)}, error: ${e.message}`,
        );
        if ("skipRow" in onError(c, rowWay, err)) {
          return null;
        }
        values[k] = null;
        continue;
      }
      try {
        values[k] = convert[k]!(result);
      } catch (e) {
        if (!(e instanceof ConversionFailure)) {
          throw e;
        }
        const err = new JobError(
          "JSON_PATH_CONVERSION_FAILED",
          `JsonPath data conversion failure, src_field=${c.srcField}, dest_field=${c.destField}, dest_type=${typeToString(c.destType)}: ${e.message}`,
        );
        if ("skipRow" in onError(c, rowWay, err)) {
          return null;
        }
        values[k] = null;
      }
    }
    const f = r.fields.slice();
    f.length = width;
    for (let k = 0; k < n; k++) {
      f[indexes[k]!] = values[k];
    }
    return { kind: r.kind, table: r.table, fields: f };
  };
  return { output, row };
}
