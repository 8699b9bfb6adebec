/**
 * The `columns` option of JsonPath: `[ { src_field, path, dest_field, dest_type = "string",
 * column_error_handle_way } ]`. Paths and types are compiled here, so a bad one is an option
 * error at its line. Several paths in one item are separated by `;` (with as many dest_field and
 * dest_type entries), as newer SeaTunnel versions allow.
 */
import { ConfigError, parseType, type DataType, type Opt } from "../../src/api/index.ts";
import { describeNode, getEntry, type Node, type ObjectNode } from "../../src/api/convert.ts";
import { compilePath, InvalidPath, type Path } from "../common/json-path/path.ts";

export const ERROR_WAYS = ["FAIL", "SKIP", "SKIP_ROW"] as const;
export type ErrorWay = (typeof ERROR_WAYS)[number];

export interface ColumnConfig {
  srcField: string;
  pathText: string;
  path: Path;
  destField: string;
  destType: DataType;
  /** column_error_handle_way; undefined defers to row_error_handle_way. */
  way?: ErrorWay;
}

const KEYS = ["src_field", "path", "dest_field", "dest_type", "column_error_handle_way"];

type Failure = { ok: false; message?: string; pos?: Node["pos"]; error?: ConfigError };

function text(item: ObjectNode, key: string): { value?: string; node?: Node } {
  const node = getEntry(item, key)?.value;
  return node && node.kind === "scalar" && node.type !== "null" ? { value: node.text, node } : node ? { node } : {};
}

function parseItem(item: ObjectNode, i: number): ColumnConfig[] | Failure {
  const at = `columns[${i}]`;
  const unknown = item.entries.find((e) => !KEYS.includes(e.key));
  if (unknown) {
    return { ok: false, message: `${at}: "${unknown.key}" is not one of ${KEYS.join(", ")}`, pos: unknown.keyPos };
  }
  const field = (key: string): string | Failure => {
    const t = text(item, key);
    if (t.value === undefined || t.value.trim() === "") {
      return { ok: false, message: `${at}.${key} must not be empty`, pos: t.node?.pos ?? item.pos };
    }
    return t.value;
  };
  const src = field("src_field");
  const path = field("path");
  const dest = field("dest_field");
  for (const x of [src, path, dest]) {
    if (typeof x !== "string") {
      return x;
    }
  }
  const type = text(item, "dest_type");
  const wayText = text(item, "column_error_handle_way");
  const way =
    wayText.value === undefined ? undefined : ERROR_WAYS.find((w) => w === wayText.value!.trim().toUpperCase());
  if (wayText.value !== undefined && way === undefined) {
    return {
      ok: false,
      message: `${at}.column_error_handle_way must be one of ${ERROR_WAYS.join(", ")}`,
      pos: wayText.node!.pos,
    };
  }
  const paths = (path as string).split(";");
  const dests = (dest as string).split(";");
  const types = type.value === undefined ? undefined : type.value.split(";");
  if (paths.length > 1 && types === undefined) {
    return {
      ok: false,
      message: `${at}: dest_type is required when path holds several paths separated by ";"`,
      pos: item.pos,
    };
  }
  const n = paths.length;
  if (dests.length !== n || (types !== undefined && types.length !== n)) {
    return {
      ok: false,
      message: `${at}: path, dest_field and dest_type must hold as many ";"-separated entries (${n} paths, ${dests.length} dest_field, ${types?.length ?? 1} dest_type)`,
      pos: item.pos,
    };
  }
  const out: ColumnConfig[] = [];
  for (let k = 0; k < n; k++) {
    const pathText = paths[k]!.trim();
    let compiled: Path;
    let destType: DataType;
    try {
      compiled = compilePath(pathText);
      destType = parseType(types?.[k] ?? "string", src as string, type.node?.pos);
    } catch (e) {
      if (e instanceof InvalidPath) {
        return { ok: false, message: `${at}.path: ${e.message}`, pos: getEntry(item, "path")!.value.pos };
      }
      if (e instanceof ConfigError) {
        return { ok: false, error: e };
      }
      throw e;
    }
    out.push({
      srcField: src as string,
      pathText,
      path: compiled,
      destField: dests[k]!.trim(),
      destType,
      ...(way ? { way } : {}),
    });
  }
  return out;
}

export function columnsOption(): Opt<ColumnConfig[]> {
  return {
    meta: {
      type: "list<object>",
      expects: "a list of { src_field, path, dest_field, dest_type, column_error_handle_way } objects",
      doc: "What to extract: from src_field (STRING, BYTES, ARRAY, MAP or ROW) read the JsonPath path into a new field dest_field of dest_type (default string; a same-named field is replaced); column_error_handle_way (FAIL, SKIP: null, SKIP_ROW) overrides row_error_handle_way for this column",
      required: true,
      example: `columns = [ { src_field = "data", path = "$.data.c_string", dest_field = "c1_string" } ]`,
    },
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: ColumnConfig[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `columns[${i}] is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const r = parseItem(item, i);
        if (!Array.isArray(r)) {
          return r;
        }
        out.push(...r);
      }
      return { ok: true, value: out };
    },
  };
}
