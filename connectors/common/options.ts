/**
 * Option shapes several connectors share: a list of small `{ key = value }` objects
 * (FieldRename's replacements_with_regex and specific, TableRename's replacements_with_regex), and
 * the sinks' schema_save_mode and data_save_mode (Jdbc, LocalFile).
 */
import { didYouMean, opt, type Opt } from "../../src/api/index.ts";
import { describeNode } from "../../src/api/convert.ts";

/**
 * A list of objects whose values are scalars, kept as text (`true` stays "true"). Every item must
 * have the `required` keys; keys outside `required` + `optional` are errors with a did-you-mean.
 */
export function recordsOption(o: {
  doc: string;
  example: string;
  required: readonly string[];
  optional?: readonly string[];
  /** See OptionMeta.placeholders. */
  placeholders?: RegExp;
}): Opt<Record<string, string>[]> {
  const known = [...o.required, ...(o.optional ?? [])];
  return {
    meta: {
      type: "list<object>",
      expects: `a list of { ${known.join(", ")} } objects`,
      doc: o.doc,
      example: o.example,
      required: false,
      ...(o.placeholders ? { placeholders: o.placeholders } : {}),
    },
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: Record<string, string>[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `item ${i} is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const rec: Record<string, string> = {};
        for (const e of item.entries) {
          if (!known.includes(e.key)) {
            const hint = didYouMean(e.key, known);
            return {
              ok: false,
              message: `item ${i}: "${e.key}" is not one of ${known.join(", ")}${hint ? `; did you mean "${hint}"?` : ""}`,
              pos: e.keyPos,
            };
          }
          if (e.value.kind !== "scalar" || e.value.type === "null") {
            return {
              ok: false,
              message: `item ${i}: ${e.key} is ${describeNode(e.value)}, not a string`,
              pos: e.value.pos,
            };
          }
          rec[e.key] = e.value.text;
        }
        const missing = o.required.find((k) => rec[k] === undefined);
        if (missing !== undefined) {
          return { ok: false, message: `item ${i} needs ${missing}`, pos: item.pos };
        }
        out.push(rec);
      }
      return { ok: true, value: out };
    },
  };
}

/** SeaTunnel's SchemaSaveMode: what a sink does with its target table (or directory) before the job. */
export const SCHEMA_SAVE_MODES = [
  "RECREATE_SCHEMA",
  "CREATE_SCHEMA_WHEN_NOT_EXIST",
  "ERROR_WHEN_SCHEMA_NOT_EXIST",
  "IGNORE",
] as const;

/** SeaTunnel's DataSaveMode: what a sink does with the rows (or files) already in its target. */
export const DATA_SAVE_MODES = ["DROP_DATA", "APPEND_DATA", "CUSTOM_PROCESSING", "ERROR_WHEN_DATA_EXISTS"] as const;

/** schema_save_mode and data_save_mode with SeaTunnel's defaults; the docs say what they do in this sink. */
export function saveModeOptions(doc: { schema: string; data: string }) {
  return {
    schema_save_mode: opt.enum({ values: SCHEMA_SAVE_MODES, default: "CREATE_SCHEMA_WHEN_NOT_EXIST", doc: doc.schema }),
    data_save_mode: opt.enum({ values: DATA_SAVE_MODES, default: "APPEND_DATA", doc: doc.data }),
  };
}
