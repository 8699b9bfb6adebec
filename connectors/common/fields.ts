/**
 * Shared pieces of the field transforms: looking fields up with a did-you-mean, ordered
 * `key = value` map options, keeping primary and constraint keys whose columns survive, and
 * SeaTunnel's Single/MultipleFieldOutputTransform rule (an output column replaces a same-named
 * input column in place, else it is appended).
 */
import {
  ConfigError,
  didYouMean,
  FIELD_NOT_FOUND,
  sameType,
  type Column,
  type DataType,
  type Opt,
  type TableSchema,
} from "../../src/api/index.ts";
import { describeNode, type Node } from "../../src/api/convert.ts";
import { javaString } from "../../src/api/format.ts";

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(", ");

/**
 * Indexes of `names` in `table`. A name the table lacks is a ConfigError at plan time naming
 * every missing field, the closest existing name and the table's fields.
 */
export function fieldIndexes(label: string, option: string, table: TableSchema, names: readonly string[]): number[] {
  const all = table.columns.map((c) => c.name);
  const missing = names.filter((n) => !all.includes(n));
  if (missing.length > 0) {
    const hints = missing.map((m) => didYouMean(m, all)).filter((h): h is string => h !== undefined);
    const what = missing.length === 1 ? `field ${quoted(missing)}` : `fields ${quoted(missing)}`;
    throw new ConfigError(
      FIELD_NOT_FOUND,
      `${label}: option "${option}" names ${what}, which table "${table.id}" does not have${hints.length ? `; did you mean ${quoted(hints)}?` : ""} (fields: ${all.join(", ") || "none"})`,
    );
  }
  return names.map((n) => all.indexOf(n));
}

/** One field index; see fieldIndexes. */
export function fieldIndex(label: string, option: string, table: TableSchema, name: string): number {
  return fieldIndexes(label, option, table, [name])[0]!;
}

/** Scalar text of a map value; nested objects are flattened by the caller. */
function textOf(n: Node): string | undefined {
  return n.kind === "scalar" && n.type !== "null" ? n.text : undefined;
}

/**
 * An ordered `{ key = value }` option as `[key, value]` pairs (SeaTunnel's map type keeps the
 * written order; a JS record would move integer-like keys first). Nested objects flatten to
 * dotted keys as ReadonlyConfig does.
 */
export function pairsOption(o: { doc: string; required?: boolean; example?: string }): Opt<[string, string][]> {
  return {
    meta: {
      type: "map",
      expects: "an object of key = value pairs",
      doc: o.doc,
      required: o.required ?? false,
      ...(o.example ? { example: o.example } : {}),
    },
    parse(node) {
      if (node.kind !== "object") {
        return { ok: false, pos: node.pos };
      }
      const out: [string, string][] = [];
      const walk = (obj: Node, prefix: string): { ok: false; message: string; pos: Node["pos"] } | undefined => {
        if (obj.kind !== "object") {
          return undefined;
        }
        for (const e of obj.entries) {
          if (e.value.kind === "object") {
            const bad = walk(e.value, `${prefix}${e.key}.`);
            if (bad) {
              return bad;
            }
            continue;
          }
          const t = textOf(e.value);
          if (t === undefined) {
            return {
              ok: false,
              message: `${prefix}${e.key} is ${describeNode(e.value)}, not a string`,
              pos: e.value.pos,
            };
          }
          const key = `${prefix}${e.key}`;
          const at = out.findIndex(([k]) => k === key);
          if (at >= 0) {
            out.splice(at, 1);
          }
          out.push([key, t]);
        }
        return undefined;
      };
      const bad = walk(node, "");
      return bad ?? { ok: true, value: out };
    },
  };
}

/** Primary key and constraint keys that survive when the output keeps only `names` (old keys copied as they are). */
export function keptKeys(
  input: TableSchema,
  names: readonly string[],
): Pick<TableSchema, "primaryKey" | "constraintKeys"> {
  const out: Pick<TableSchema, "primaryKey" | "constraintKeys"> = {};
  const pk = input.primaryKey;
  if (pk?.columnNames.every((c) => names.includes(c))) {
    out.primaryKey = pk;
  }
  if (input.constraintKeys) {
    out.constraintKeys = input.constraintKeys.filter((k) =>
      k.constraintColumns.every((c) => names.includes(c.columnName)),
    );
  }
  return out;
}

/** A table with new columns (and keys), same id and path. */
export function withColumns(
  input: TableSchema,
  columns: Column[],
  keys: Pick<TableSchema, "primaryKey" | "constraintKeys"> = input,
): TableSchema {
  const t: TableSchema = { id: input.id, path: input.path, columns };
  if (keys.primaryKey) {
    t.primaryKey = keys.primaryKey;
  }
  if (keys.constraintKeys) {
    t.constraintKeys = keys.constraintKeys;
  }
  if (input.comment !== undefined) {
    t.comment = input.comment;
  }
  return t;
}

/** Where each computed column lands in the output row, and the output schema. */
export interface FieldOutput {
  output: TableSchema;
  /** Output index of each computed value, in the order the values are produced. */
  indexes: number[];
  /** Output row width. */
  width: number;
}

/**
 * MultipleFieldOutputTransform's schema rule: each new column replaces the same-named column
 * (taking its type) or is appended; keys are kept as the input has them.
 */
export function fieldOutput(input: TableSchema, added: readonly Column[]): FieldOutput {
  const columns = input.columns.slice();
  const indexes: number[] = [];
  for (const col of added) {
    const at = columns.findIndex((c) => c.name === col.name);
    if (at >= 0) {
      if (!sameType(columns[at]!.type, col.type)) {
        columns[at] = { ...columns[at]!, type: col.type };
      }
      indexes.push(at);
    } else {
      columns.push(col);
      indexes.push(columns.length - 1);
    }
  }
  return { output: withColumns(input, columns), indexes, width: columns.length };
}

/** Text of a value as Java's toString gives it. */
export const javaText = (v: unknown, type: DataType): string => (typeof v === "string" ? v : javaString(v, type));
