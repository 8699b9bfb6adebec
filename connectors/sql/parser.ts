/**
 * `SELECT <items> FROM <table> [WHERE <cond>]`, the only statement SeaTunnel's Zeta SQL engine
 * runs. Other clauses are read (so the statement parses as JSqlParser would) and then rejected by
 * `validate` with ZetaSQLEngine.validateSQL's messages, in its order.
 */
import type { Clause, SelectItem, SelectStatement } from "./ast.ts";
import { Cursor } from "./cursor.ts";
import { parseExpr } from "./expr-parser.ts";
import { SqlSyntaxError, tokenize, type Tok } from "./lexer.ts";

/** A statement SeaTunnel parses but refuses (message after `SQL validate failed: ..., cause: `). */
export class SqlValidateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "SqlValidateError";
  }
}

const STATEMENTS = new Set([
  "INSERT",
  "UPDATE",
  "DELETE",
  "CREATE",
  "DROP",
  "ALTER",
  "MERGE",
  "TRUNCATE",
  "UPSERT",
  "REPLACE",
  "SET",
  "SHOW",
  "DESCRIBE",
  "EXPLAIN",
  "USE",
  "GRANT",
  "CALL",
  "EXECUTE",
  "VALUES",
  "COMMENT",
  "WITH",
]);
const CLAUSE_WORDS: Record<string, Clause["kind"]> = {
  WHERE: "where",
  GROUP: "group",
  HAVING: "having",
  ORDER: "order",
  LIMIT: "limit",
  OFFSET: "offset",
  FETCH: "limit",
  UNION: "union",
  INTERSECT: "union",
  EXCEPT: "union",
  MINUS: "union",
};
const JOIN_WORDS = new Set(["JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "NATURAL", "STRAIGHT_JOIN"]);

/** Parses and validates a query; throws SqlSyntaxError or SqlValidateError (both carry an offset). */
export function parseQuery(sql: string): SelectStatement {
  const stmt = parseStatement(sql);
  validate(stmt);
  return stmt;
}

export function parseStatement(sql: string): SelectStatement {
  const c = new Cursor(tokenize(sql));
  const first = c.peek();
  if (first.kind === "ident" && STATEMENTS.has(first.text.toUpperCase())) {
    throw new SqlValidateError("Only supported DQL(select) SQL", first.start);
  }
  if (c.isOp("(")) {
    throw new SqlValidateError("Unsupported SQL syntax", first.start);
  }
  c.expectWord("SELECT");
  c.acceptWord("DISTINCT") ?? c.acceptWord("ALL");
  const stmt: SelectStatement = { items: parseItems(c), clauses: [] };
  if (c.acceptWord("FROM")) {
    parseFrom(c, stmt);
  }
  if (c.acceptWord("WHERE")) {
    stmt.where = parseExpr(c);
  }
  parseTrailingClauses(c, stmt);
  c.acceptOp(";");
  if (c.peek().kind !== "eof") {
    c.fail("expected the end of the query");
  }
  return stmt;
}

function parseItems(c: Cursor): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    const t = c.peek();
    if (c.acceptOp("*")) {
      items.push({ k: "star", start: t.start, end: t.end });
      continue;
    }
    const e = parseExpr(c);
    const alias = parseAlias(c);
    items.push({ k: "expr", e, ...(alias ? { alias: alias.text } : {}), start: e.start, end: alias?.end ?? e.end });
  } while (c.acceptOp(","));
  return items;
}

/** `[AS] name`; a quoted alias loses its quotes (SeaTunnel strips backticks). */
function parseAlias(c: Cursor): Tok | undefined {
  if (c.acceptWord("AS")) {
    const t = c.next();
    if (t.kind !== "ident" && t.kind !== "qident" && t.kind !== "string") {
      c.fail("expected an alias after AS", t);
    }
    return t;
  }
  const t = c.peek();
  if (t.kind === "qident" || (t.kind === "ident" && !c.atReserved())) {
    return c.next();
  }
  return undefined;
}

function parseFrom(c: Cursor, stmt: SelectStatement): void {
  const start = c.peek();
  if (c.acceptOp("(")) {
    skipBalanced(c);
    const alias = parseAlias(c);
    stmt.from = { name: "", subquery: true, start: start.start, end: alias?.end ?? c.prev().end };
  } else {
    const parts: Tok[] = [c.next()];
    if (parts[0]!.kind !== "ident" && parts[0]!.kind !== "qident") {
      c.fail("expected a table name", parts[0]);
    }
    while (c.acceptOp(".")) {
      parts.push(c.next());
    }
    const name = parts[parts.length - 1]!;
    const alias = c.isWord("LATERAL") ? undefined : parseAlias(c);
    stmt.from = {
      name: name.text,
      ...(parts.length > 1
        ? {
            schema: parts
              .slice(0, -1)
              .map((p) => p.text)
              .join("."),
          }
        : {}),
      ...(alias ? { alias: alias.text } : {}),
      start: start.start,
      end: alias?.end ?? name.end,
    };
  }
  if (c.isWord("LATERAL")) {
    throw new SqlSyntaxError("LATERAL VIEW is not supported by the Sql transform", c.peek().start);
  }
  while (c.isOp(",") || (c.peek().kind === "ident" && JOIN_WORDS.has(c.peek().text.toUpperCase()))) {
    const at = c.next();
    skipClause(c);
    stmt.clauses.push({ kind: "join", start: at.start, end: c.prev().end });
  }
}

function parseTrailingClauses(c: Cursor, stmt: SelectStatement): void {
  for (;;) {
    const t = c.peek();
    const kind = t.kind === "ident" ? CLAUSE_WORDS[t.text.toUpperCase()] : undefined;
    if (!kind || kind === "where") {
      return;
    }
    c.next();
    skipClause(c);
    stmt.clauses.push({ kind, start: t.start, end: c.prev().end });
  }
}

/** Skips tokens up to the next clause keyword at parenthesis depth 0. */
function skipClause(c: Cursor): void {
  for (;;) {
    const t = c.peek();
    if (t.kind === "eof" || (t.kind === "op" && (t.text === ")" || t.text === ";"))) {
      return;
    }
    if (t.kind === "ident" && CLAUSE_WORDS[t.text.toUpperCase()] !== undefined) {
      return;
    }
    if (t.kind === "op" && t.text === "(") {
      c.next();
      skipBalanced(c);
      continue;
    }
    c.next();
  }
}

/** Skips past the `)` matching an already consumed `(`. */
function skipBalanced(c: Cursor): void {
  let depth = 1;
  while (depth > 0) {
    const t = c.next();
    if (t.kind === "eof") {
      c.fail('expected ")"', t);
    }
    if (t.kind === "op" && t.text === "(") {
      depth++;
    }
    if (t.kind === "op" && t.text === ")") {
      depth--;
    }
  }
}

/** ZetaSQLEngine.validateSQL, check by check. */
export function validate(stmt: SelectStatement): void {
  const first = (kind: Clause["kind"] | Clause["kind"][]) =>
    stmt.clauses.find((x) => (Array.isArray(kind) ? kind.includes(x.kind) : x.kind === kind));
  const union = first("union");
  if (union) {
    throw new SqlValidateError("Unsupported SQL syntax", union.start);
  }
  const from = stmt.from;
  if (!from || from.subquery) {
    throw new SqlValidateError("Unsupported sub table syntax", from?.start ?? 0);
  }
  if (from.schema !== undefined) {
    throw new SqlValidateError("Unsupported schema syntax", from.start);
  }
  if (from.alias !== undefined) {
    throw new SqlValidateError("Unsupported table alias name syntax", from.start);
  }
  const checks: [Clause["kind"][], string][] = [
    [["join"], "Unsupported table join syntax"],
    [["order"], "Unsupported ORDER BY syntax"],
    [["group", "having"], "Unsupported GROUP BY syntax"],
    [["limit", "offset"], "Unsupported LIMIT,OFFSET syntax"],
  ];
  for (const [kinds, message] of checks) {
    const hit = first(kinds);
    if (hit) {
      throw new SqlValidateError(message, hit.start);
    }
  }
}
