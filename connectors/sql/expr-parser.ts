/**
 * Expression grammar, lowest precedence first (JSqlParser's order): OR, AND, NOT, predicates
 * (comparison, IS NULL, IN, LIKE, BETWEEN), `||`, `+ -`, `* / %`, unary sign, `x[i]`, primaries.
 */
import type { ArithOp, CmpOp, Expr } from "./ast.ts";
import type { Cursor } from "./cursor.ts";
import { SqlSyntaxError, type Tok } from "./lexer.ts";

type Node<K extends Expr["k"]> = Extract<Expr, { k: K }>;

const span = (start: Tok | Expr, end: Tok | Expr) => ({ start: start.start, end: end.end });
const CMP = new Set(["=", "<>", "!=", ">", ">=", "<", "<="]);
const TIME_KEYS = new Set(["CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"]);

export function parseExpr(c: Cursor): Expr {
  let l = parseAnd(c);
  while (c.acceptWord("OR")) {
    const r = parseAnd(c);
    l = { k: "or", l, r, ...span(l, r) };
  }
  return l;
}

function parseAnd(c: Cursor): Expr {
  let l = parseNot(c);
  while (c.acceptWord("AND")) {
    const r = parseNot(c);
    l = { k: "and", l, r, ...span(l, r) };
  }
  return l;
}

function parseNot(c: Cursor): Expr {
  const not = c.acceptWord("NOT");
  if (not) {
    const e = parseNot(c);
    return { k: "not", e, ...span(not, e) };
  }
  return parsePredicate(c);
}

function parsePredicate(c: Cursor): Expr {
  const e = parseConcat(c);
  const t = c.peek();
  if (t.kind === "op" && CMP.has(t.text)) {
    c.next();
    const r = parseConcat(c);
    return { k: "cmp", op: t.text as CmpOp, l: e, r, ...span(e, r) };
  }
  if (c.acceptWord("IS")) {
    const not = !!c.acceptWord("NOT");
    const end = c.expectWord("NULL");
    return { k: "isnull", e, not, ...span(e, end) };
  }
  const not = c.isWord("NOT") && (c.isWord("IN", 1) || c.isWord("LIKE", 1) || c.isWord("BETWEEN", 1));
  if (not) {
    c.next();
  }
  if (c.acceptWord("IN")) {
    c.expectOp("(");
    if (c.isWord("SELECT")) {
      throw new SqlSyntaxError("a subquery in IN (...) is not supported", c.peek().start);
    }
    const list = parseList(c);
    const end = c.expectOp(")");
    return { k: "in", e, list, not, ...span(e, end) };
  }
  if (c.acceptWord("LIKE")) {
    const pattern = parseConcat(c);
    return { k: "like", e, pattern, not, ...span(e, pattern) };
  }
  if (c.acceptWord("BETWEEN")) {
    const lo = parseConcat(c);
    c.expectWord("AND");
    const hi = parseConcat(c);
    return { k: "between", e, lo, hi, not, ...span(e, hi) };
  }
  if (not) {
    c.fail("expected IN, LIKE or BETWEEN after NOT");
  }
  return e;
}

function parseConcat(c: Cursor): Expr {
  let l = parseAdditive(c);
  while (c.acceptOp("||")) {
    const r = parseAdditive(c);
    l = { k: "concat", l, r, ...span(l, r) };
  }
  return l;
}

function parseAdditive(c: Cursor): Expr {
  let l = parseMultiplicative(c);
  while (c.isOp("+") || c.isOp("-")) {
    const op = c.next().text as ArithOp;
    const r = parseMultiplicative(c);
    l = { k: "arith", op, l, r, ...span(l, r) };
  }
  return l;
}

function parseMultiplicative(c: Cursor): Expr {
  let l = parseUnary(c);
  while (c.isOp("*") || c.isOp("/") || c.isOp("%")) {
    const op = c.next().text as ArithOp;
    const r = parseUnary(c);
    l = { k: "arith", op, l, r, ...span(l, r) };
  }
  return l;
}

function parseUnary(c: Cursor): Expr {
  const sign = c.isOp("-") || c.isOp("+") ? c.next() : undefined;
  if (!sign) {
    return parsePostfix(c);
  }
  const e = parseUnary(c);
  return sign.text === "-" ? { k: "neg", e, ...span(sign, e) } : e;
}

function parsePostfix(c: Cursor): Expr {
  let e = parsePrimary(c);
  while (c.acceptOp("[")) {
    const index = parseExpr(c);
    const end = c.expectOp("]");
    e = { k: "index", base: e, index, ...span(e, end) };
  }
  return e;
}

/** Comma-separated expressions up to (not including) `)`. */
export function parseList(c: Cursor): Expr[] {
  const out: Expr[] = [];
  if (c.isOp(")")) {
    return out;
  }
  do {
    out.push(parseExpr(c));
  } while (c.acceptOp(","));
  return out;
}

function parsePrimary(c: Cursor): Expr {
  const t = c.peek();
  switch (t.kind) {
    case "int":
      c.next();
      return { k: "int", value: BigInt(t.text), raw: t.raw, start: t.start, end: t.end };
    case "decimal":
      c.next();
      return { k: "double", value: Number(t.text), raw: t.raw, start: t.start, end: t.end };
    case "string":
      c.next();
      return { k: "string", value: t.text, raw: t.raw, start: t.start, end: t.end };
    case "qident":
      return parseColumn(c);
    case "ident":
      return parseWord(c, t);
    case "op":
      if (t.text === "(") {
        return parseParen(c);
      }
      return c.fail("expected an expression");
    default:
      return c.fail("expected an expression");
  }
}

function parseParen(c: Cursor): Expr {
  const open = c.next();
  if (c.isWord("SELECT")) {
    throw new SqlSyntaxError("a subquery is not supported", c.peek().start);
  }
  const e = parseExpr(c);
  const close = c.expectOp(")");
  return { k: "paren", e, ...span(open, close) };
}

function parseWord(c: Cursor, t: Tok): Expr {
  const word = t.text.toUpperCase();
  const next = c.peek(1);
  if (word === "NULL") {
    c.next();
    return { k: "null", start: t.start, end: t.end };
  }
  if (word === "TRUE" || word === "FALSE") {
    c.next();
    return { k: "bool", value: word === "TRUE", raw: t.raw, start: t.start, end: t.end };
  }
  if (word === "CASE") {
    return parseCase(c);
  }
  if ((word === "CAST" || word === "TRY_CAST") && c.isOp("(", 1)) {
    return parseCast(c);
  }
  if (word === "EXTRACT" && c.isOp("(", 1)) {
    return parseExtract(c);
  }
  if ((word === "DATE" || word === "TIME" || word === "TIMESTAMP") && next.kind === "string") {
    c.next();
    c.next();
    return { k: "typed", type: word, value: next.text, raw: `${t.raw} ${next.raw}`, start: t.start, end: next.end };
  }
  if (TIME_KEYS.has(word)) {
    c.next();
    if (c.isOp("(") && c.isOp(")", 1)) {
      c.next();
      const close = c.next();
      return { k: "timekey", name: `${t.raw}()`, start: t.start, end: close.end };
    }
    return { k: "timekey", name: t.raw, start: t.start, end: t.end };
  }
  if (c.isOp("(", 1)) {
    return parseCall(c);
  }
  if (c.atReserved()) {
    c.fail("expected an expression");
  }
  return parseColumn(c);
}

function parseColumn(c: Cursor): Node<"col"> {
  const first = c.next();
  const parts = [first.text];
  const raw = [first.raw];
  let end = first;
  while (c.isOp(".") && (c.peek(1).kind === "ident" || c.peek(1).kind === "qident")) {
    c.next();
    end = c.next();
    parts.push(end.text);
    raw.push(end.raw);
  }
  return { k: "col", parts, raw, ...span(first, end) };
}

function parseCall(c: Cursor): Expr {
  const name = c.next();
  c.expectOp("(");
  if (name.text.toUpperCase() === "TRIM") {
    const trim = parseTrimSyntax(c, name);
    if (trim) {
      return trim;
    }
  }
  c.acceptWord("DISTINCT") ?? c.acceptWord("ALL");
  let args: Expr[];
  if (c.isOp("*") && c.isOp(")", 1)) {
    const star = c.next();
    args = [{ k: "col", parts: ["*"], raw: ["*"], start: star.start, end: star.end }];
  } else {
    args = parseList(c);
  }
  const close = c.expectOp(")");
  return { k: "func", name: name.raw, args, ...span(name, close) };
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)` → TRIM/LTRIM/RTRIM(s, chars); undefined for plain `TRIM(s[, chars])`. */
function parseTrimSyntax(c: Cursor, name: Tok): Expr | undefined {
  const mode = c.acceptWord("BOTH") ?? c.acceptWord("LEADING") ?? c.acceptWord("TRAILING");
  if (!mode && c.isOp(")")) {
    return undefined;
  }
  const save = c.i;
  const chars = mode && c.isWord("FROM") ? undefined : parseExpr(c);
  if (!c.acceptWord("FROM")) {
    if (mode) {
      c.fail("expected FROM in TRIM(... FROM ...)");
    }
    c.i = save;
    return undefined;
  }
  const s = parseExpr(c);
  const close = c.expectOp(")");
  const fn =
    mode?.text.toUpperCase() === "LEADING" ? "LTRIM" : mode?.text.toUpperCase() === "TRAILING" ? "RTRIM" : "TRIM";
  return { k: "func", name: fn, args: chars ? [s, chars] : [s], ...span(name, close) };
}

function parseCase(c: Cursor): Expr {
  const start = c.next();
  const operand = c.isWord("WHEN") ? undefined : parseExpr(c);
  const whens: { when: Expr; then: Expr }[] = [];
  while (c.acceptWord("WHEN")) {
    const when = parseExpr(c);
    c.expectWord("THEN");
    // biome-ignore lint/suspicious/noThenProperty: a CASE branch is data, never awaited
    whens.push({ when, then: parseExpr(c) });
  }
  if (whens.length === 0) {
    c.fail("expected WHEN");
  }
  const elseExpr = c.acceptWord("ELSE") ? parseExpr(c) : undefined;
  const end = c.expectWord("END");
  return {
    k: "case",
    ...(operand ? { operand } : {}),
    whens,
    ...(elseExpr ? { else: elseExpr } : {}),
    ...span(start, end),
  };
}

function parseCast(c: Cursor): Expr {
  const start = c.next();
  const isTry = start.text.toUpperCase() === "TRY_CAST";
  c.expectOp("(");
  const e = parseExpr(c);
  c.expectWord("AS");
  const typeTok = c.peek();
  if (typeTok.kind !== "ident" && typeTok.kind !== "qident") {
    c.fail("expected a type name");
  }
  const words = [c.next().raw];
  while (c.peek().kind === "ident" && !c.isOp("(")) {
    words.push(c.next().raw);
  }
  const args: number[] = [];
  let typeEnd = c.prev();
  if (c.acceptOp("(")) {
    do {
      const a = c.next();
      if (a.kind !== "int") {
        c.fail("expected a number", a);
      }
      args.push(Number(a.text));
    } while (c.acceptOp(","));
    typeEnd = c.expectOp(")");
  }
  const end = c.expectOp(")");
  return {
    k: "cast",
    e,
    type: words.join(" "),
    args,
    typeAt: span(typeTok, typeEnd),
    ...(isTry ? { try: true } : {}),
    ...span(start, end),
  };
}

function parseExtract(c: Cursor): Expr {
  const start = c.next();
  c.expectOp("(");
  const field = c.next();
  if (field.kind !== "ident" && field.kind !== "string") {
    c.fail("expected a date-time field such as YEAR", field);
  }
  c.expectWord("FROM");
  const e = parseExpr(c);
  const end = c.expectOp(")");
  return { k: "extract", field: field.text, e, ...span(start, end) };
}
