/**
 * Replace (ReplaceTransform): rewrites one field's text in place. Literal mode replaces every
 * occurrence (String.replace); regex mode is Java's replaceAll / replaceFirst with Java
 * replacement syntax. Null stays null; a row whose value does not change passes on as is.
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
import { fieldIndex, fieldOutput, javaText } from "../common/fields.ts";
import { javaRegex, JavaRegexError, javaReplacement } from "../../src/api/java-regex.ts";
import type { replaceOptions } from "./index.ts";

export type ReplaceOptions = OptionValues<typeof replaceOptions>;

/** The text → text function the options describe (compiled once). */
function replacer(ctx: PluginContext, o: ReplaceOptions): (s: string) => string {
  const replacement = o.replacement;
  if (!o.is_regex) {
    return (s) => s.replaceAll(o.pattern, () => replacement);
  }
  try {
    const re = javaRegex(o.pattern, o.replace_first !== true);
    const fn = javaReplacement(replacement, re);
    return (s) => s.replace(re, fn);
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: options "pattern" / "replacement": ${e.message}`);
    }
    throw e;
  }
}

export function replaceStep(ctx: PluginContext, table: TableSchema, o: ReplaceOptions): TableStep {
  const at = fieldIndex(ctx.label, "replace_field", table, o.replace_field);
  const source = table.columns[at]!;
  // SeaTunnel keeps the column type and puts the replaced text in it; a non-string column
  // becomes STRING here so every value matches its declared type.
  const column: Column = source.type.kind === "string" ? source : { ...source, type: T.string };
  const { output, indexes, width } = fieldOutput(table, [column]);
  const index = indexes[0]!;
  const replace = replacer(ctx, o);
  const type = source.type;
  const row = (r: Row): Row => {
    const v = r.fields[at];
    if (v === null || v === undefined) {
      return r;
    }
    const next = replace(javaText(v, type));
    if (next === v) {
      return r;
    }
    const fields = r.fields.slice();
    fields.length = width;
    fields[index] = next;
    return { kind: r.kind, table: r.table, fields };
  };
  return { output, row };
}
