/**
 * A reply's text as rows, as SeaTunnel's HttpSourceReader.collect makes them: `content_field` (a
 * JsonPath) picks the part that holds the rows; `json_field` zips one path per field into rows of
 * text values; then JsonDeserializationSchema reads an array as one row per element and an object
 * as one row. Without a schema each reply (or line) is one row of the string column `content`.
 * A path that finds nothing because the reply has no such structure fails, naming the option
 * (SeaTunnel reads no row and says nothing); an empty list where the path leads is no row.
 */
import { JobError, type TableSchema } from "../../src/api/index.ts";
import { PathNotFound, readPath } from "../common/json-path/eval.ts";
import { asText, InvalidJson, isObject, type JV, parseJson, toJson } from "../common/json-path/json.ts";
import { compilePath, InvalidPath, type Path, renderPath } from "../common/json-path/path.ts";
import { jsonParser, rowConverter } from "../file-common/json-values.ts";
import { FieldError } from "../file-common/text-values.ts";

export interface RowOptions {
  format: "json" | "text";
  /** Without one, each reply (or line) is a row of `content`. */
  schema?: unknown;
  content_field?: string | undefined;
  json_field?: Record<string, string> | undefined;
}

export interface Decoded {
  rows: unknown[][];
  /** SeaTunnel's page size: the rows' array length (an object's field count). */
  size: number;
}

/** A compiled path and the definite part before its first wildcard (which must be in the reply). */
interface Located {
  option: string;
  path: Path;
  stem: Path;
}

function locate(option: string, text: string, label: string): Located {
  let path: Path;
  try {
    path = compilePath(text);
  } catch (e) {
    if (e instanceof InvalidPath) {
      throw new JobError("CONFIG_OPTION_INVALID", `${label}: ${option}: "${text}" is not a JsonPath: ${e.message}`);
    }
    throw e;
  }
  const k = path.tokens.findIndex(
    (t) =>
      t.t === "wild" ||
      t.t === "scan" ||
      t.t === "filter" ||
      t.t === "slice" ||
      (t.t === "index" && t.indexes.length > 1) ||
      (t.t === "prop" && t.names.length > 1),
  );
  const tokens = k < 0 ? path.tokens : path.tokens.slice(0, k);
  return { option, path, stem: { root: "$", tokens, text: renderPath("$", tokens), definite: true } };
}

export type Decode = (text: string, where: string) => Decoded;

/**
 * A path of plain names with at most a trailing `*` (`$.data.*`, `$.store.book[*]`), the usual
 * content_field, read straight from JSON.parse's tree: the names, and whether the end is a wildcard.
 * Undefined for any other path (the JsonPath engine reads it).
 */
function plainPath(path: Path): { names: string[]; wild: boolean } | undefined {
  const names: string[] = [];
  for (let i = 0; i < path.tokens.length; i++) {
    const t = path.tokens[i]!;
    if (t.t === "prop" && t.names.length === 1) {
      names.push(t.names[0]!);
    } else if (t.t === "wild" && i === path.tokens.length - 1) {
      return { names, wild: true };
    } else {
      return undefined;
    }
  }
  return path.func === undefined ? { names, wild: false } : undefined;
}

/** The plain path's value in a parsed document, or undefined where the engine must decide (missing parts). */
function readPlain(p: { names: string[]; wild: boolean }, doc: unknown): unknown {
  let v = doc;
  for (const n of p.names) {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.hasOwn(v, n)) {
      return undefined;
    }
    v = (v as Record<string, unknown>)[n];
  }
  if (!p.wild) {
    return v;
  }
  if (Array.isArray(v)) {
    return v;
  }
  return typeof v === "object" && v !== null ? Object.values(v) : undefined;
}

/** The decoder of a source's replies. */
export function decoder(o: RowOptions, table: TableSchema, label: string): Decode {
  const columns = table.columns.map((c) => ({ name: c.name, type: c.type }));
  if (o.schema === undefined) {
    return (text) => ({ rows: text === "" ? [] : [[text]], size: text === "" ? 0 : 1 });
  }
  const parse = jsonParser(columns.map((c) => c.type));
  const convert = rowConverter(columns);
  const content = o.content_field === undefined ? undefined : locate("content_field", o.content_field, label);
  const fields =
    o.json_field === undefined || content !== undefined
      ? undefined
      : Object.entries(o.json_field).map(([name, p]) => ({ name, at: locate(`json_field.${name}`, p, label) }));
  const fast = content === undefined ? undefined : plainPath(content.path);
  const readFast = (text: string): unknown => {
    try {
      return readPlain(fast!, parse(text));
    } catch {
      return undefined;
    }
  };
  const read = (where: string, doc: () => JV, at: Located): JV => {
    const d = doc();
    try {
      const found = readPath(at.path, d);
      if (Array.isArray(found) && found.length === 0) {
        readPath(at.stem, d);
      }
      return found;
    } catch (e) {
      if (e instanceof PathNotFound) {
        throw new JobError(
          "HTTP_PATH_NOT_FOUND",
          `${label}: ${at.option} "${at.path.text}" matched nothing in the reply of ${where} (${e.message})`,
        );
      }
      throw e;
    }
  };
  const rowOf = (v: unknown, where: string, i: number): unknown[] => {
    try {
      return convert(v) as unknown[];
    } catch (e) {
      if (e instanceof FieldError) {
        throw new JobError("HTTP_VALUE_INVALID", `${label}: row ${i + 1} of the reply of ${where}: ${e.message}`);
      }
      throw e;
    }
  };
  return (text, where) => {
    if (text.trim() === "") {
      return { rows: [], size: 0 };
    }
    let cached: JV | undefined;
    const doc = (): JV => {
      try {
        cached ??= parseJson(text);
        return cached;
      } catch (e) {
        throw notJson(e, text, where, label);
      }
    };
    let value: unknown;
    let plain: unknown;
    if (content !== undefined && fast !== undefined && (plain = readFast(text)) !== undefined) {
      value = plain;
    } else if (content !== undefined) {
      value = parse(toJson(read(where, doc, content)));
    } else if (fields !== undefined) {
      value = zip(
        fields.map((f) => ({ name: f.name, path: f.at.path.text, values: asList(read(where, doc, f.at)) })),
        label,
      );
    } else {
      try {
        value = parse(text);
      } catch (e) {
        throw notJson(e, text, where, label);
      }
    }
    if (Array.isArray(value)) {
      const rows: unknown[][] = [];
      value.forEach((v, i) => {
        if (v !== null) {
          rows.push(rowOf(v, where, i));
        }
      });
      return { rows, size: value.length };
    }
    if (value === null) {
      return { rows: [], size: 0 };
    }
    const size = typeof value === "object" ? Object.keys(value as object).length : 1;
    return { rows: [rowOf(value, where, 0)], size };
  };
}

function notJson(e: unknown, text: string, where: string, label: string): JobError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const why = e instanceof InvalidJson || e instanceof SyntaxError ? e.message : String(e);
  return new JobError(
    "HTTP_REPLY_INVALID",
    `${label}: format = json, but the reply of ${where} is not JSON (${why}): ${shown}`,
  );
}

/** Jayway's ALWAYS_RETURN_LIST. */
const asList = (v: JV): JV[] => (Array.isArray(v) ? v : [v]);

/** Values as Java's toString gives them: text, numbers as Java prints them, objects as JSON. */
const javaText = (v: JV): string | null =>
  v === null ? null : Array.isArray(v) || isObject(v) ? toJson(v) : asText(v);

/** The lists of every json_field path zipped into objects of text values (SeaTunnel's dataFlip). */
function zip(lists: { name: string; path: string; values: JV[] }[], label: string): Record<string, string | null>[] {
  const first = lists[0];
  if (first === undefined) {
    return [];
  }
  for (const l of lists.slice(1)) {
    if (l.values.length !== first.values.length) {
      throw new JobError(
        "HTTP_FIELDS_INCONSISTENT",
        `${label}: json_field: [${first.path}](${first.values.length}) and [${l.path}](${l.values.length}) found different numbers of values`,
      );
    }
  }
  return first.values.map((_, i) => {
    const o: Record<string, string | null> = {};
    for (const l of lists) {
      o[l.name] = javaText(l.values[i]!);
    }
    return o;
  });
}
