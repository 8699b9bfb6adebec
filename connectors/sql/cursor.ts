/** A position in the token list, with the small look-ahead helpers both parsers share. */
import { SqlSyntaxError, type Tok } from "./lexer.ts";

/** Words that end an expression or a select item, so they are never read as an alias. */
export const RESERVED = new Set([
  "FROM",
  "WHERE",
  "GROUP",
  "ORDER",
  "HAVING",
  "LIMIT",
  "OFFSET",
  "FETCH",
  "UNION",
  "INTERSECT",
  "EXCEPT",
  "MINUS",
  "JOIN",
  "LEFT",
  "RIGHT",
  "INNER",
  "OUTER",
  "FULL",
  "CROSS",
  "NATURAL",
  "ON",
  "USING",
  "AS",
  "AND",
  "OR",
  "NOT",
  "IS",
  "IN",
  "LIKE",
  "BETWEEN",
  "THEN",
  "WHEN",
  "ELSE",
  "END",
  "LATERAL",
  "WINDOW",
  "INTO",
  "SELECT",
  "CASE",
]);

export class Cursor {
  i = 0;

  constructor(readonly toks: Tok[]) {}

  peek(ahead = 0): Tok {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)]!;
  }

  next(): Tok {
    const t = this.peek();
    if (t.kind !== "eof") {
      this.i++;
    }
    return t;
  }

  /** The previous token (the last one consumed). */
  prev(): Tok {
    return this.toks[Math.max(0, this.i - 1)]!;
  }

  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "ident" && t.text.toUpperCase() === word;
  }

  isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === op;
  }

  acceptWord(word: string): Tok | undefined {
    return this.isWord(word) ? this.next() : undefined;
  }

  acceptOp(op: string): Tok | undefined {
    return this.isOp(op) ? this.next() : undefined;
  }

  expectWord(word: string): Tok {
    const t = this.acceptWord(word);
    if (!t) {
      this.fail(`expected ${word}`);
    }
    return t;
  }

  expectOp(op: string): Tok {
    const t = this.acceptOp(op);
    if (!t) {
      this.fail(`expected "${op}"`);
    }
    return t;
  }

  /** Throws a syntax error naming what was expected and what is there. */
  fail(expected: string, at: Tok = this.peek()): never {
    const found = at.kind === "eof" ? "the end of the query" : `"${at.raw}"`;
    throw new SqlSyntaxError(`${expected}, found ${found}`, at.start);
  }

  /** True when the current token is an unquoted reserved word. */
  atReserved(): boolean {
    const t = this.peek();
    return t.kind === "ident" && RESERVED.has(t.text.toUpperCase());
  }
}
