/**
 * Tokens of a Sql transform query, with their offsets in the query text (errors map an offset
 * back to a file position). String literals keep backslashes and doubled quotes (`''`) as written,
 * as JSqlParser's StringValue.getValue() does; identifiers may be quoted with backticks or double
 * quotes.
 */

export type TokKind = "ident" | "qident" | "string" | "int" | "decimal" | "op" | "eof";

export interface Tok {
  kind: TokKind;
  /** Identifier name (unquoted), string content, number digits, or the operator. */
  text: string;
  /** As written, quotes included. */
  raw: string;
  start: number;
  end: number;
}

/** A problem in the query text at `offset`; the transform turns it into a positioned ConfigError. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "SqlSyntaxError";
  }
}

const OPS2 = new Set(["<>", "!=", ">=", "<=", "||", "=="]);
const OPS1 = new Set(["(", ")", ",", ".", "*", "+", "-", "/", "%", "=", ">", "<", "[", "]", ";"]);

const isIdentStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff$]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_\u0080-\uffff$]/.test(c);

/** Splits the query into tokens; throws SqlSyntaxError on an unterminated literal or a stray character. */
export function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      while (i < n && sql[i] !== "\n") {
        i++;
      }
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) {
        throw new SqlSyntaxError("unterminated comment", i);
      }
      i = close + 2;
      continue;
    }
    const start = i;
    if (c === "'") {
      i = readQuoted(sql, i, "'");
      // JSqlParser's StringValue.getValue() keeps a doubled quote doubled, and SeaTunnel uses that value.
      out.push({ kind: "string", text: sql.slice(start + 1, i - 1), raw: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === "`" || c === '"') {
      i = readQuoted(sql, i, c);
      const inner = sql.slice(start + 1, i - 1).replaceAll(c + c, c);
      out.push({ kind: "qident", text: inner, raw: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      i = readNumber(sql, i);
      const raw = sql.slice(start, i);
      out.push({ kind: /[.eE]/.test(raw) ? "decimal" : "int", text: raw, raw, start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(sql[i]!)) {
        i++;
      }
      const raw = sql.slice(start, i);
      out.push({ kind: "ident", text: raw, raw, start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    const op = OPS2.has(two) ? two : OPS1.has(c) ? c : undefined;
    if (op === undefined) {
      throw new SqlSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
    }
    i += op.length;
    out.push({ kind: "op", text: op === "==" ? "=" : op, raw: op, start, end: i });
  }
  out.push({ kind: "eof", text: "", raw: "", start: n, end: n });
  return out;
}

/** Index just past the closing quote; a doubled quote is an escaped quote. */
function readQuoted(sql: string, at: number, q: string): number {
  let i = at + 1;
  for (;;) {
    const close = sql.indexOf(q, i);
    if (close < 0) {
      throw new SqlSyntaxError(`unterminated ${q === "'" ? "string literal" : "quoted identifier"}`, at);
    }
    if (sql[close + 1] === q) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}

function readNumber(sql: string, at: number): number {
  let i = at;
  while (/[0-9]/.test(sql[i] ?? "")) {
    i++;
  }
  if (sql[i] === "." && /[0-9]/.test(sql[i + 1] ?? "")) {
    i++;
    while (/[0-9]/.test(sql[i] ?? "")) {
      i++;
    }
  } else if (sql[i] === "." && !isIdentStart(sql[i + 1] ?? "")) {
    i++;
  }
  if (
    (sql[i] === "e" || sql[i] === "E") &&
    /[0-9]/.test(sql[i + 1] === "+" || sql[i + 1] === "-" ? (sql[i + 2] ?? "") : (sql[i + 1] ?? ""))
  ) {
    i += sql[i + 1] === "+" || sql[i + 1] === "-" ? 2 : 1;
    while (/[0-9]/.test(sql[i] ?? "")) {
      i++;
    }
  }
  return i;
}
