/**
 * Split (SplitTransform): splits one field's text with a Java regex (String.split with limit =
 * number of outputs) into STRING fields; missing parts and a null input give nulls.
 */
import {
  ConfigError,
  T,
  type Column,
  type OptionValues,
  type PluginContext,
  type Row,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { fieldIndex, fieldOutput } from "../common/fields.ts";
import { javaRegex, JavaRegexError, javaSplit } from "../../src/api/java-regex.ts";
import { javaText } from "../common/fields.ts";
import type { splitOptions } from "./index.ts";

export type SplitOptions = OptionValues<typeof splitOptions>;

export function splitStep(ctx: PluginContext, table: TableSchema, o: SplitOptions): TableStep {
  const at = fieldIndex(ctx.label, "split_field", table, o.split_field);
  const names = o.output_fields;
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: option "output_fields" names "${dup}" twice; output field names must be unique`,
    );
  }
  let re: RegExp;
  try {
    re = javaRegex(o.separator, true);
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "separator": ${e.message}`);
    }
    throw e;
  }
  const added: Column[] = names.map((name) => ({
    name,
    type: T.string,
    nullable: true,
    columnLength: 200,
    comment: "",
  }));
  const { output, indexes, width } = fieldOutput(table, added);
  const n = names.length;
  const type = table.columns[at]!.type;
  const row = (r: Row): Row => {
    const v = r.fields[at];
    const parts = v === null || v === undefined ? [] : javaSplit(javaText(v, type), re, n);
    const f = r.fields.slice();
    f.length = width;
    for (let k = 0; k < n; k++) {
      f[indexes[k]!] = k < parts.length ? parts[k] : null;
    }
    return { kind: r.kind, table: r.table, fields: f };
  };
  return { output, row };
}
