/**
 * Jayway JsonPath syntax, compiled once per configured path: `$`, `.name`, `['a','b']`, `[0]`,
 * `[-1]`, `[0,2]`, `[1:3]`, `[*]`, `.*`, `..name`, `[?(<filter>)]` and a trailing function
 * (`length()`, `size()`, `sum()`, `avg()`, `min()`, `max()`, `stddev()`, `keys()`, `first()`,
 * `last()`, `index(n)`). A path not starting with `$` or `@` gets `$.` in front, as Jayway does.
 */
import { javaFullMatch, JavaRegexError } from "../../../src/api/java-regex.ts";
import { InvalidJson, parseJson, type JV } from "./json.ts";

export type Token =
  | { t: "prop"; names: string[] }
  | { t: "index"; indexes: number[] }
  | { t: "slice"; from: number | undefined; to: number | undefined }
  | { t: "wild" }
  | { t: "scan" }
  | { t: "filter"; expr: Expr };

export interface Path {
  root: "$" | "@";
  tokens: Token[];
  /** Jayway's rendering, `$['data'][0]`. */
  text: string;
  /** One result (no wildcard, scan, filter, slice, multi-index or non-leaf multi-property). */
  definite: boolean;
  func?: { name: string; arg?: number };
}

export type Operand = { o: "path"; path: Path } | { o: "lit"; v: JV } | { o: "regex"; re: RegExp };
export type Expr =
  | { e: "or" | "and"; l: Expr; r: Expr }
  | { e: "not"; x: Expr }
  | { e: "exists"; v: Operand }
  | { e: "cmp"; op: string; l: Operand; r: Operand };

/** Jayway's InvalidPathException. */
export class InvalidPath extends Error {}

const NAME_STOP = " \t\n.[]()=!<>~&|,";
const FUNCTIONS = ["length", "size", "sum", "avg", "min", "max", "stddev", "keys", "first", "last", "index"];
const WORD_OPS = ["nin", "in", "subsetof", "anyof", "noneof", "size", "empty", "contains"];
const SYMBOL_OPS = ["==", "!=", "<=", ">=", "=~", "<", ">"];

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get end(): boolean {
    return this.i >= this.s.length;
  }
  peek(k = 0): string {
    return this.s[this.i + k] ?? "";
  }
  ws(): void {
    while (/\s/.test(this.peek())) {
      this.i++;
    }
  }
  fail(what: string): never {
    throw new InvalidPath(`${what} at position ${this.i} in path "${this.s}"`);
  }
  expect(ch: string): void {
    this.ws();
    if (this.peek() !== ch) {
      this.fail(`expected '${ch}'`);
    }
    this.i++;
  }
  name(): string {
    const start = this.i;
    while (!this.end && !NAME_STOP.includes(this.peek())) {
      this.i++;
    }
    if (this.i === start) {
      this.fail("expected a property name");
    }
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    const q = this.peek();
    let out = "";
    for (this.i++; !this.end && this.peek() !== q; this.i++) {
      out += this.peek() === "\\" ? this.s[++this.i] : this.peek();
    }
    if (this.end) {
      this.fail("unterminated string");
    }
    this.i++;
    return out;
  }
}

const renderToken = (t: Token): string => {
  switch (t.t) {
    case "prop":
      return `[${t.names.map((n) => `'${n}'`).join(",")}]`;
    case "index":
      return `[${t.indexes.join(",")}]`;
    case "slice":
      return `[${t.from ?? ""}:${t.to ?? ""}]`;
    case "wild":
      return "[*]";
    case "scan":
      return "..";
    case "filter":
      return "[?]";
  }
};

export const renderPath = (root: string, tokens: readonly Token[]): string => root + tokens.map(renderToken).join("");

function bracket(c: Cursor): Token {
  c.i++;
  c.ws();
  const ch = c.peek();
  if (ch === "*") {
    c.i++;
    c.expect("]");
    return { t: "wild" };
  }
  if (ch === "?") {
    c.i++;
    c.expect("(");
    const expr = orExpr(c);
    c.expect(")");
    c.expect("]");
    return { t: "filter", expr };
  }
  if (ch === "'" || ch === '"') {
    const names = [c.quoted()];
    for (c.ws(); c.peek() === ","; c.ws()) {
      c.i++;
      c.ws();
      if (c.peek() !== "'" && c.peek() !== '"') {
        c.fail("expected a quoted property name");
      }
      names.push(c.quoted());
    }
    c.expect("]");
    return { t: "prop", names };
  }
  const close = c.s.indexOf("]", c.i);
  if (close < 0) {
    c.fail("unclosed '['");
  }
  const body = c.s.slice(c.i, close).replace(/\s/g, "");
  c.i = close + 1;
  const int = (x: string): number | undefined => {
    if (x === "") {
      return undefined;
    }
    if (!/^-?\d+$/.test(x)) {
      c.fail(`"${x}" is not an array index`);
    }
    return Number(x);
  };
  if (body.includes(":")) {
    const [from, to, extra] = body.split(":");
    if (extra !== undefined) {
      c.fail("array slice steps are not supported");
    }
    return { t: "slice", from: int(from!), to: int(to!) };
  }
  const indexes = body.split(",").map((x) => int(x) ?? c.fail("empty array index"));
  return { t: "index", indexes };
}

function readPath(c: Cursor): Path {
  const root = c.peek() as "$" | "@";
  c.i++;
  const tokens: Token[] = [];
  let func: Path["func"];
  while (!c.end && func === undefined) {
    const ch = c.peek();
    if (ch === "[") {
      tokens.push(bracket(c));
      continue;
    }
    if (ch !== ".") {
      break;
    }
    if (c.peek(1) === ".") {
      c.i += 2;
      tokens.push({ t: "scan" });
      if (c.peek() === "[") {
        continue;
      }
    } else {
      c.i++;
    }
    if (c.end) {
      c.fail("Path must not end with a '.' or '..'");
    }
    if (c.peek() === "*") {
      c.i++;
      tokens.push({ t: "wild" });
      continue;
    }
    const name = c.name();
    if (c.peek() !== "(") {
      tokens.push({ t: "prop", names: [name] });
      continue;
    }
    if (!FUNCTIONS.includes(name)) {
      c.fail(`function "${name}" is not supported (supported: ${FUNCTIONS.join(", ")})`);
    }
    const close = c.s.indexOf(")", c.i);
    if (close < 0) {
      c.fail("unclosed '('");
    }
    const arg = c.s.slice(c.i + 1, close).trim();
    c.i = close + 1;
    func =
      arg === ""
        ? { name }
        : /^-?\d+$/.test(arg)
          ? { name, arg: Number(arg) }
          : c.fail(`unsupported argument "${arg}"`);
  }
  // A multi-property leaf merges into one object, so Jayway counts it as definite.
  const definite = tokens.every(
    (t, i) =>
      (t.t === "prop" && (t.names.length === 1 || i === tokens.length - 1)) ||
      (t.t === "index" && t.indexes.length === 1),
  );
  return { root, tokens, text: renderPath(root, tokens), definite, ...(func ? { func } : {}) };
}

/** Compiles a JsonPath; throws InvalidPath. */
export function compilePath(text: string): Path {
  const t = text.trim();
  if (t === "") {
    throw new InvalidPath("path can not be null or empty");
  }
  const c = new Cursor(t.startsWith("$") || t.startsWith("@") ? t : `$.${t}`);
  const p = readPath(c);
  c.ws();
  if (!c.end) {
    c.fail(`unexpected '${c.peek()}'`);
  }
  return p;
}

// ------------------------------------------------------------------------------------- filters

function orExpr(c: Cursor): Expr {
  let l = andExpr(c);
  for (c.ws(); c.s.startsWith("||", c.i); c.ws()) {
    c.i += 2;
    l = { e: "or", l, r: andExpr(c) };
  }
  return l;
}

function andExpr(c: Cursor): Expr {
  let l = unary(c);
  for (c.ws(); c.s.startsWith("&&", c.i); c.ws()) {
    c.i += 2;
    l = { e: "and", l, r: unary(c) };
  }
  return l;
}

function unary(c: Cursor): Expr {
  c.ws();
  if (c.peek() === "!" && c.peek(1) !== "=") {
    c.i++;
    return { e: "not", x: unary(c) };
  }
  if (c.peek() === "(") {
    c.i++;
    const x = orExpr(c);
    c.expect(")");
    return x;
  }
  const l = operand(c);
  c.ws();
  const op =
    SYMBOL_OPS.find((o) => c.s.startsWith(o, c.i)) ??
    WORD_OPS.find((o) => c.s.startsWith(o, c.i) && /[\s[('"\d-]/.test(c.peek(o.length)));
  if (op === undefined) {
    return { e: "exists", v: l };
  }
  c.i += op.length;
  return { e: "cmp", op, l, r: operand(c) };
}

/** The text of a bracketed JSON literal starting at the cursor. */
function literalText(c: Cursor): string {
  const start = c.i;
  let depth = 0;
  for (; !c.end; c.i++) {
    const ch = c.peek();
    if (ch === "'" || ch === '"') {
      c.quoted();
      c.i--;
    } else if (ch === "[" || ch === "{") {
      depth++;
    } else if ((ch === "]" || ch === "}") && --depth === 0) {
      return c.s.slice(start, ++c.i);
    }
  }
  return c.fail("unclosed literal");
}

function operand(c: Cursor): Operand {
  c.ws();
  const ch = c.peek();
  if (ch === "@" || ch === "$") {
    return { o: "path", path: readPath(c) };
  }
  if (ch === "'" || ch === '"') {
    return { o: "lit", v: c.quoted() };
  }
  if (ch === "/") {
    const close = c.s.indexOf("/", c.i + 1);
    if (close < 0) {
      c.fail("unclosed regex");
    }
    const source = c.s.slice(c.i + 1, close);
    c.i = close + 1;
    let flags = "";
    while (/[a-z]/.test(c.peek())) {
      flags += c.s[c.i++];
    }
    try {
      return { o: "regex", re: javaFullMatch(flags.includes("i") ? `(?i)${source}` : source) };
    } catch (e) {
      if (e instanceof JavaRegexError) {
        c.fail(e.message);
      }
      throw e;
    }
  }
  if (ch === "[" || ch === "{") {
    try {
      return { o: "lit", v: parseJson(literalText(c)) };
    } catch (e) {
      if (e instanceof InvalidJson) {
        c.fail(`invalid JSON literal: ${e.message}`);
      }
      throw e;
    }
  }
  const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(c.s.slice(c.i));
  if (!m) {
    c.fail("expected a value, a path or a regex");
  }
  c.i += m[0].length;
  return { o: "lit", v: parseJson(m[0]) };
}
