/**
 * Array and JSON functions from later SeaTunnel releases, offered as additions: ARRAY, ARRAY_MAX,
 * ARRAY_MIN, SPLIT (ArrayFunction / StringFunction.split) and GET_JSON_OBJECT (JsonFunction).
 */
import { T, type DataType, type Decimal } from "../../../src/api/index.ts";
import { doubleValue, isNumeric, stringifier } from "../runtime/java.ts";
import { javaRegex } from "../runtime/regex.ts";
import { fixed, type Arg, type FnDef } from "./registry.ts";

const NUMBER_RANK = ["tinyint", "smallint", "int", "bigint", "float", "double"];

/** ARRAY's element type: the widest number when all are numbers, else STRING. */
function elementType(args: Arg[]): DataType {
  let acc: DataType | undefined;
  for (const a of args) {
    if (a.type.kind === "null") {
      continue;
    }
    if (!acc) {
      acc = a.type;
    } else if (acc.kind !== a.type.kind) {
      const i = NUMBER_RANK.indexOf(acc.kind);
      const j = NUMBER_RANK.indexOf(a.type.kind);
      acc = i >= 0 && j >= 0 ? (i >= j ? acc : a.type) : T.string;
    }
  }
  if (
    !acc ||
    acc.kind === "tinyint" ||
    acc.kind === "decimal" ||
    !["string", ...NUMBER_RANK, "boolean"].includes(acc.kind)
  ) {
    return T.string;
  }
  return acc;
}

function converter(from: DataType, to: DataType): (v: unknown) => unknown {
  if (from.kind === to.kind) {
    return (v) => v;
  }
  if (to.kind === "string") {
    const s = stringifier(from);
    return (v) => s(v);
  }
  if (to.kind === "bigint") {
    return (v) => (typeof v === "number" ? BigInt(Math.trunc(v)) : v);
  }
  if (to.kind === "float") {
    return (v) => Math.fround(doubleValue(v as number));
  }
  return (v) => (isNumeric(v) ? doubleValue(v) : v);
}

const extreme =
  (sign: 1 | -1) =>
  (arr: unknown): unknown => {
    if (!Array.isArray(arr) || arr.length === 0) {
      return null;
    }
    let best: unknown = null;
    for (const v of arr) {
      if (v === null || v === undefined) {
        continue;
      }
      if (best === null) {
        best = v;
      } else if (
        typeof v === "string"
          ? (v > (best as string) ? 1 : v < (best as string) ? -1 : 0) * sign > 0
          : (doubleValue(v as Decimal) - doubleValue(best as Decimal)) * sign > 0
      ) {
        best = v;
      }
    }
    return best;
  };

/** Java String.split(regex): trailing empty strings dropped, no empty leading string for a zero-width match. */
export function javaSplit(s: string, delimiter: string): string[] {
  const parts = /^[^.$|()[\]{}^?*+\\]$/.test(delimiter) ? s.split(delimiter) : s.split(javaRegex(delimiter, "g"));
  if (delimiter === "" && parts[0] === "") {
    parts.shift();
  }
  while (parts.length > 0 && parts[parts.length - 1] === "") {
    parts.pop();
  }
  return parts.length === 0 ? [""] : parts;
}

function jsonPath(root: unknown, path: string): unknown {
  if (!path.startsWith("$")) {
    return undefined;
  }
  let cur: unknown = root;
  let i = 1;
  while (i < path.length && cur !== undefined && cur !== null) {
    if (path[i] === ".") {
      const start = ++i;
      while (i < path.length && path[i] !== "." && path[i] !== "[") {
        i++;
      }
      const field = path.slice(start, i);
      if (field === "" || typeof cur !== "object" || Array.isArray(cur)) {
        return undefined;
      }
      cur = (cur as Record<string, unknown>)[field];
    } else if (path[i] === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) {
        return undefined;
      }
      const inside = path.slice(i + 1, close).trim();
      i = close + 1;
      const q = inside[0];
      if (q === "'" || q === '"') {
        if (typeof cur !== "object" || Array.isArray(cur) || !inside.endsWith(q) || inside.length < 2) {
          return undefined;
        }
        cur = (cur as Record<string, unknown>)[inside.slice(1, -1)];
      } else {
        if (!/^\d+$/.test(inside) || !Array.isArray(cur)) {
          return undefined;
        }
        cur = cur[Number(inside)];
      }
    } else {
      return undefined;
    }
  }
  return cur;
}

function getJsonObject(json: unknown, path: unknown): string | null {
  if (json === null || json === undefined || path === null || path === undefined) {
    return null;
  }
  let root: unknown;
  try {
    root = JSON.parse(String(json));
  } catch {
    return null;
  }
  const v = jsonPath(root, String(path));
  if (v === null || v === undefined) {
    return null;
  }
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export const collectionFunctions: FnDef[] = [
  {
    names: ["ARRAY"],
    family: "array",
    signature: "ARRAY(value, ...) -> ARRAY<T>",
    doc: "An array of the arguments (numbers widen; anything else becomes STRING).",
    minArgs: 0,
    result: (args) => T.array(elementType(args)),
    bind: (args) => {
      const el = elementType(args);
      const convs = args.map((a) => (a.type.kind === "null" ? (v: unknown) => v : converter(a.rt, el)));
      return (...values) => values.map((v, i) => (v === null || v === undefined ? null : convs[i]!(v)));
    },
  },
  {
    names: ["ARRAY_MAX"],
    family: "array",
    signature: "ARRAY_MAX(array) -> element type",
    doc: "The largest element (strings by text, numbers by value).",
    minArgs: 1,
    result: (a) => {
      const t = a[0]!.type;
      if (t.kind !== "array") {
        throw new Error(`ARRAY_MAX expects an array, received ${a[0]!.text}`);
      }
      return t.element;
    },
    bind: () => extreme(1),
  },
  {
    names: ["ARRAY_MIN"],
    family: "array",
    signature: "ARRAY_MIN(array) -> element type",
    doc: "The smallest element.",
    minArgs: 1,
    result: (a) => {
      const t = a[0]!.type;
      if (t.kind !== "array") {
        throw new Error(`ARRAY_MIN expects an array, received ${a[0]!.text}`);
      }
      return t.element;
    },
    bind: () => extreme(-1),
  },
  fixed(
    ["SPLIT"],
    "array",
    "SPLIT(string, delimiterRegex) -> ARRAY<STRING>",
    "Splits a string around a regex (Java String.split); NULL for NULL or empty.",
    1,
    T.array(T.string),
    (s, d) => (typeof s !== "string" || s === "" ? null : javaSplit(s, typeof d === "string" ? d : "")),
    "ss",
  ),
  fixed(
    ["GET_JSON_OBJECT"],
    "json",
    "GET_JSON_OBJECT(json, path) -> STRING",
    "The value at a JSON path ($.a.b, $.a[0], $['k']): text for scalars, JSON for objects and arrays; NULL when absent or invalid.",
    2,
    T.string,
    getJsonObject,
  ),
];
