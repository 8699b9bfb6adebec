/**
 * Jayway JsonPath evaluation with its default options: a definite path returns its one value and
 * fails with PathNotFound when nothing is there (a missing leaf, a missing parent, a property on a
 * non-object, an index on a non-array or out of range); an indefinite path returns the list of
 * what it found, skipping what is missing. Filters see `@` (the item) and `$` (the document).
 */
import { Decimal } from "../../../src/api/index.ts";
import { asText, isNumber, isObject, javaClass, toJson, type JObject, type JV } from "./json.ts";
import { renderPath, type Expr, type Operand, type Path, type Token } from "./path.ts";

/** Jayway's PathNotFoundException and the function failures (all JsonPathExceptions). */
export class PathNotFound extends Error {}

const PROVIDER = "com.jayway.jsonpath.spi.json.JsonSmartJsonProvider";

/** Every node of a document, parents before children. */
function preorder(v: JV, out: JV[]): void {
  out.push(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      preorder(x, out);
    }
  } else if (isObject(v)) {
    for (const x of v.values()) {
      preorder(x, out);
    }
  }
}

interface Walk {
  tokens: readonly Token[];
  root: JV;
  out: JV[];
  rootChar: string;
}

function walk(w: Walk, i: number, model: JV, definite: boolean): void {
  if (i === w.tokens.length) {
    w.out.push(model);
    return;
  }
  const tok = w.tokens[i]!;
  const leaf = i === w.tokens.length - 1;
  const here = () => renderPath(w.rootChar, w.tokens.slice(0, i));
  switch (tok.t) {
    case "prop": {
      if (!isObject(model)) {
        if (!definite) {
          return;
        }
        throw new PathNotFound(
          `Expected to find an object with property ${renderPath("", [tok])} in path ${here()} but found '${javaClass(model)}'. This is not a json object according to the JsonProvider: '${PROVIDER}'.`,
        );
      }
      if (tok.names.length > 1 && leaf) {
        const picked: JObject = new Map();
        for (const n of tok.names) {
          if (model.has(n)) {
            picked.set(n, model.get(n)!);
          }
        }
        w.out.push(picked);
        return;
      }
      const one = tok.names.length === 1;
      for (const n of tok.names) {
        if (model.has(n)) {
          walk(w, i + 1, model.get(n)!, definite && one);
        } else if (!leaf && definite && one) {
          throw new PathNotFound(`Missing property in path ${renderPath(w.rootChar, w.tokens.slice(0, i + 1))}`);
        }
      }
      return;
    }
    case "index":
    case "slice": {
      if (!Array.isArray(model)) {
        if (!definite) {
          return;
        }
        if (model === null) {
          throw new PathNotFound(`The path ${here()} is null`);
        }
        throw new PathNotFound(
          `Filter: ${renderPath("", [tok])} can only be applied to arrays. Current context is: ${toJson(model)}`,
        );
      }
      const n = model.length;
      if (tok.t === "index") {
        for (const idx of tok.indexes) {
          const at = idx < 0 ? n + idx : idx;
          if (at >= 0 && at < n) {
            walk(w, i + 1, model[at]!, definite && tok.indexes.length === 1);
          }
        }
        return;
      }
      const clamp = (x: number) => Math.min(n, Math.max(0, x < 0 ? n + x : x));
      const from = tok.from === undefined ? 0 : clamp(tok.from);
      const to = tok.to === undefined ? n : clamp(tok.to);
      for (let k = from; k < to; k++) {
        walk(w, i + 1, model[k]!, false);
      }
      return;
    }
    case "wild":
      if (Array.isArray(model)) {
        for (const x of model) {
          walk(w, i + 1, x, false);
        }
      } else if (isObject(model)) {
        for (const x of model.values()) {
          walk(w, i + 1, x, false);
        }
      }
      return;
    case "scan": {
      const nodes: JV[] = [];
      preorder(model, nodes);
      for (const node of nodes) {
        walk(w, i + 1, node, false);
      }
      return;
    }
    case "filter":
      if (Array.isArray(model)) {
        for (const x of model) {
          if (test(tok.expr, x, w.root)) {
            walk(w, i + 1, x, false);
          }
        }
      } else if (isObject(model) && test(tok.expr, model, w.root)) {
        walk(w, i + 1, model, false);
      }
  }
}

/** All values the path's tokens reach (no function, no definiteness check). */
function collect(path: Path, doc: JV, root: JV, definite: boolean): JV[] {
  const w: Walk = { tokens: path.tokens, root, out: [], rootChar: path.root };
  walk(w, 0, doc, definite);
  return w.out;
}

/** Reads `path` from a document as `JsonPath.read` does; throws PathNotFound. */
export function readPath(path: Path, doc: JV): JV {
  const found = collect(path, doc, doc, true);
  if (path.definite && found.length === 0) {
    throw new PathNotFound(`No results for path: ${path.text}`);
  }
  const value = path.definite ? found[0]! : found;
  return path.func ? applyFunction(path.func, value) : value;
}

const num = (v: JV): number => (v instanceof Decimal ? v.toNumber() : Number(v));

function applyFunction(f: NonNullable<Path["func"]>, v: JV): JV {
  const list = Array.isArray(v) ? v : undefined;
  switch (f.name) {
    case "length":
    case "size":
      if (list) {
        return BigInt(list.length);
      }
      if (isObject(v)) {
        return BigInt(v.size);
      }
      if (typeof v === "string") {
        return BigInt(v.length);
      }
      throw new PathNotFound(
        `Invalid function: ${f.name}() needs an array, an object or a string, found ${javaClass(v)}`,
      );
    case "keys":
      if (isObject(v)) {
        return [...v.keys()];
      }
      throw new PathNotFound(`Invalid function: keys() needs an object, found ${javaClass(v)}`);
    case "first":
    case "last":
    case "index": {
      if (!list || list.length === 0) {
        throw new PathNotFound(`Invalid function: ${f.name}() needs a non-empty array`);
      }
      const at =
        f.name === "first" ? 0 : f.name === "last" ? list.length - 1 : (f.arg ?? 0) < 0 ? list.length + f.arg! : f.arg!;
      if (at < 0 || at >= list.length) {
        throw new PathNotFound(`Invalid function: index(${f.arg}) is out of range`);
      }
      return list[at]!;
    }
  }
  const nums = (list ?? [v]).filter(isNumber).map(num);
  if (nums.length === 0) {
    throw new PathNotFound("Aggregation function attempted to calculate value using empty array");
  }
  const sum = nums.reduce((a, b) => a + b, 0);
  if (f.name === "sum") {
    return sum;
  }
  if (f.name === "avg") {
    return sum / nums.length;
  }
  if (f.name === "min") {
    return Math.min(...nums);
  }
  if (f.name === "max") {
    return Math.max(...nums);
  }
  const mean = sum / nums.length;
  return Math.sqrt(nums.reduce((a, b) => a + b * b, 0) / nums.length - mean * mean);
}

// ------------------------------------------------------------------------------------- filters

const UNDEFINED = Symbol("undefined");
type Val = JV | RegExp | typeof UNDEFINED;

function value(o: Operand, cur: JV, root: JV): Val {
  if (o.o === "lit") {
    return o.v;
  }
  if (o.o === "regex") {
    return o.re;
  }
  const found = collect(o.path, o.path.root === "@" ? cur : root, root, false);
  if (o.path.definite) {
    return found.length === 0 ? UNDEFINED : o.path.func ? safeFunction(o.path, found[0]!) : found[0]!;
  }
  return o.path.func ? safeFunction(o.path, found) : found;
}

function safeFunction(p: Path, v: JV): Val {
  try {
    return applyFunction(p.func!, v);
  } catch {
    return UNDEFINED;
  }
}

function eq(a: Val, b: Val): boolean {
  if (a === UNDEFINED || b === UNDEFINED || a instanceof RegExp || b instanceof RegExp) {
    return false;
  }
  if (isNumber(a) && isNumber(b)) {
    return num(a) === num(b);
  }
  if (isNumber(a) && typeof b === "string") {
    return b.trim() !== "" && Number(b) === num(a);
  }
  if (typeof a === "string" && isNumber(b)) {
    return a === asText(b);
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return a === b;
  }
  return toJson(a as JV) === toJson(b as JV);
}

function compare(a: Val, b: Val): number | undefined {
  if (isNumber(a as JV) && isNumber(b as JV)) {
    return num(a as JV) - num(b as JV);
  }
  if (typeof a === "string" && typeof b === "string") {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

const sizeOf = (v: Val): number | undefined =>
  Array.isArray(v) ? v.length : typeof v === "string" ? v.length : undefined;

function cmp(op: string, l: Val, r: Val): boolean {
  const arr = Array.isArray(r) ? r : [];
  switch (op) {
    case "==":
      return eq(l, r);
    case "!=":
      return !eq(l, r);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const c = compare(l, r);
      if (c === undefined || Number.isNaN(c)) {
        return false;
      }
      return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
    }
    case "=~":
      return (
        r instanceof RegExp &&
        (typeof l === "string" || isNumber(l as JV)) &&
        r.test(typeof l === "string" ? l : asText(l as JV))
      );
    case "in":
      return arr.some((x) => eq(l, x));
    case "nin":
      return !arr.some((x) => eq(l, x));
    case "subsetof":
      return Array.isArray(l) && l.every((x) => arr.some((y) => eq(x, y)));
    case "anyof":
      return Array.isArray(l) && l.some((x) => arr.some((y) => eq(x, y)));
    case "noneof":
      return Array.isArray(l) && !l.some((x) => arr.some((y) => eq(x, y)));
    case "size":
      return isNumber(r as JV) && sizeOf(l) === num(r as JV);
    case "empty":
      return typeof r === "boolean" && sizeOf(l) !== undefined && (sizeOf(l) === 0) === r;
    case "contains":
      if (typeof l === "string") {
        return typeof r === "string" && l.includes(r);
      }
      return Array.isArray(l) && l.some((x) => eq(x, r));
  }
  return false;
}

function test(e: Expr, cur: JV, root: JV): boolean {
  switch (e.e) {
    case "or":
      return test(e.l, cur, root) || test(e.r, cur, root);
    case "and":
      return test(e.l, cur, root) && test(e.r, cur, root);
    case "not":
      return !test(e.x, cur, root);
    case "exists": {
      const v = value(e.v, cur, root);
      if (e.v.o !== "path") {
        return v === true;
      }
      return v !== UNDEFINED && !(Array.isArray(v) && !e.v.path.definite && v.length === 0);
    }
    case "cmp":
      return cmp(e.op, value(e.l, cur, root), value(e.r, cur, root));
  }
}
