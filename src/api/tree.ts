/**
 * The positioned tree every job-file reader (HOCON, TOML, JSON, SQL) produces. Every node knows
 * where it was written, so any later stage (options, plan) can report file:line:col.
 * Scalars keep their source text: numbers are never rounded through a JS double here.
 */

export interface Pos {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based, in characters */
  col: number;
}

export type ScalarType = "string" | "number" | "boolean" | "null";

export interface ScalarNode {
  kind: "scalar";
  type: ScalarType;
  /** The value as text: a string's content, a number's digits exactly as written, "true"/"false", "null". */
  text: string;
  /** True when the value was written as a quoted string. */
  quoted?: boolean;
  pos: Pos;
}

export interface Entry {
  /** The key exactly as written; dotted keys such as `row.num` stay one key. */
  key: string;
  keyPos: Pos;
  value: Node;
}

export interface ObjectNode {
  kind: "object";
  /** Entries in file order. Readers merge duplicate keys per HOCON rules, so keys are unique here. */
  entries: Entry[];
  pos: Pos;
}

export interface ArrayNode {
  kind: "array";
  items: Node[];
  pos: Pos;
}

export type Node = ScalarNode | ObjectNode | ArrayNode;

export const scalar = (type: ScalarType, text: string, pos: Pos, quoted = false): ScalarNode => ({
  kind: "scalar",
  type,
  text,
  pos,
  ...(quoted ? { quoted } : {}),
});

export const objectNode = (entries: Entry[], pos: Pos): ObjectNode => ({ kind: "object", entries, pos });
export const arrayNode = (items: Node[], pos: Pos): ArrayNode => ({ kind: "array", items, pos });

/** The entry for `key` (exact, case-sensitive), or undefined. */
export function getEntry(obj: ObjectNode, key: string): Entry | undefined {
  for (const e of obj.entries) {
    if (e.key === key) {
      return e;
    }
  }
  return undefined;
}

/** A plugin block's output name entry: `plugin_output`, or the older `result_table_name`. */
export function outputEntry(block: ObjectNode): Entry | undefined {
  return getEntry(block, "plugin_output") ?? getEntry(block, "result_table_name");
}

/**
 * Looks a dotted option key up the way SeaTunnel's ReadonlyConfig does: first the flat key
 * (`row.num`), then the key split on `.` walked through nested objects (`row { num = 5 }`).
 */
export function lookup(obj: ObjectNode, key: string): Entry | undefined {
  const flat = getEntry(obj, key);
  if (flat) {
    return flat;
  }
  const parts = key.split(".");
  if (parts.length < 2) {
    return undefined;
  }
  let cur: ObjectNode = obj;
  for (let i = 0; i < parts.length; i++) {
    const e = getEntry(cur, parts.slice(i).join("."));
    if (e && i > 0) {
      return e;
    }
    const step = getEntry(cur, parts[i]!);
    if (!step) {
      return undefined;
    }
    if (i === parts.length - 1) {
      return step;
    }
    if (step.value.kind !== "object") {
      return undefined;
    }
    cur = step.value;
  }
  return undefined;
}

/** Plain JS value of a node: objects become records, numbers stay text-exact via `number` when safe, else string. */
export function toPlain(node: Node): unknown {
  switch (node.kind) {
    case "scalar":
      switch (node.type) {
        case "null":
          return null;
        case "boolean":
          return node.text === "true";
        case "number": {
          const n = Number(node.text);
          return Number.isSafeInteger(n) || !/^-?\d+$/.test(node.text) ? n : node.text;
        }
        default:
          return node.text;
      }
    case "array":
      return node.items.map(toPlain);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) {
        out[e.key] = toPlain(e.value);
      }
      return out;
    }
  }
}

export function describeNode(node: Node): string {
  if (node.kind === "object") {
    return "an object";
  }
  if (node.kind === "array") {
    return "a list";
  }
  if (node.type === "string") {
    return JSON.stringify(node.text);
  }
  return node.text;
}

/** Keys whose object value becomes an ordered list of plugin blocks (at any depth, FACTS §1.3). */
export const PLUGIN_SECTIONS: ReadonlySet<string> = new Set(["source", "transform", "sink"]);

/**
 * `source { FakeSource {...} }` as a list: one item per child block, in order, each with
 * `plugin_name` = the child key (at the key's position) unless the block sets its own. A child that
 * is a list of objects (TOML `[[sink.Console]]`) gives one item per object. Non-object children are
 * returned in `bad` so the caller can report them.
 */
export function pluginListOf(obj: ObjectNode): { list: ArrayNode; bad: Entry[] } {
  const items: Node[] = [];
  const bad: Entry[] = [];
  const named = (e: Entry, block: ObjectNode): ObjectNode =>
    getEntry(block, "plugin_name")
      ? block
      : objectNode(
          [{ key: "plugin_name", keyPos: e.keyPos, value: scalar("string", e.key, e.keyPos) }, ...block.entries],
          block.pos,
        );
  for (const e of obj.entries) {
    if (e.value.kind === "object") {
      items.push(named(e, e.value));
    } else if (
      e.value.kind === "array" &&
      e.value.items.length > 0 &&
      e.value.items.every((i) => i.kind === "object")
    ) {
      for (const i of e.value.items) {
        items.push(named(e, i as ObjectNode));
      }
    } else {
      bad.push(e);
    }
  }
  return { list: arrayNode(items, obj.pos), bad };
}
