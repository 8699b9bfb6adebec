/**
 * Parser of a SQL job file's statements (CREATE TABLE ... WITH / AS SELECT, INSERT INTO ... SELECT, SET).
 * A SELECT is kept as its query text plus what the mapping needs: its FROM table, or what makes it unmappable.
 */
import { ConfigError } from "../api/errors.ts";
import { type Name, type Opt, type Select, type Source, type Tok, isKw, isSym, show } from "./sql-lexer.ts";

export type Stmt =
  | { kind: "with"; at: Tok; name: Name; options: Opt[] }
  | { kind: "as"; at: Tok; name: Name; select: Select }
  | { kind: "insert"; at: Tok; target: Name; select: Select }
  | { kind: "set"; at: Tok; key: string; keyTok: Tok; value: Tok; negative: boolean };

export class Parser {
  private i = 0;
  constructor(
    private readonly src: Source,
    private readonly toks: Tok[],
  ) {}
  private peek(): Tok {
    return this.toks[Math.min(this.i, this.toks.length - 1)]!;
  }
  private next(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)]!;
  }
  private fail(t: Tok, expected: string): ConfigError {
    return this.src.syntax(t.start, `expected ${expected}, found ${show(t)}`);
  }
  private expectKw(kw: string, expected: string): Tok {
    const t = this.next();
    if (!isKw(t, kw)) {
      throw this.fail(t, expected);
    }
    return t;
  }
  private expectSym(s: string, expected: string): void {
    const t = this.next();
    if (!isSym(t, s)) {
      throw this.fail(t, expected);
    }
  }

  statements(): Stmt[] {
    const out: Stmt[] = [];
    for (let t = this.peek(); t.kind !== "eof"; t = this.peek()) {
      if (isSym(t, ";")) {
        this.i++;
        continue;
      }
      if (isKw(t, "CREATE")) {
        out.push(this.create());
      } else if (isKw(t, "INSERT")) {
        out.push(this.insert());
      } else if (isKw(t, "SET")) {
        out.push(this.set());
      } else {
        throw this.fail(t, "CREATE TABLE, INSERT INTO or SET");
      }
      const end = this.peek();
      if (end.kind !== "eof" && !isSym(end, ";")) {
        throw this.fail(end, "';' at the end of the statement");
      }
    }
    return out;
  }

  private name(expected: string): Name {
    let t = this.next();
    for (;;) {
      if (t.kind !== "ident" && t.kind !== "qident") {
        throw this.fail(t, expected);
      }
      if (!isSym(this.peek(), ".")) {
        return { text: t.text, tok: t };
      }
      this.i++;
      t = this.next();
    }
  }

  private create(): Stmt {
    const at = this.next();
    this.expectKw("TABLE", "TABLE after CREATE");
    const name = this.name("a table name after CREATE TABLE");
    if (isSym(this.peek(), "(")) {
      this.skipParens();
    }
    const t = this.next();
    if (isKw(t, "AS")) {
      return { kind: "as", at, name, select: this.select(`SELECT after CREATE TABLE ${name.text} AS`) };
    }
    if (!isKw(t, "WITH")) {
      throw this.fail(t, `WITH (...) or AS SELECT after CREATE TABLE ${name.text}`);
    }
    this.expectSym("(", "'(' after WITH");
    const options: Opt[] = [];
    while (!isSym(this.peek(), ")")) {
      const keyTok = this.next();
      if (keyTok.kind !== "string" && keyTok.kind !== "ident" && keyTok.kind !== "number") {
        throw this.fail(keyTok, "an option key such as 'connector' or ')'");
      }
      this.expectSym("=", `'=' after option key ${show(keyTok)}`);
      const value = this.next();
      if (value.kind !== "string" && value.kind !== "ident" && value.kind !== "number") {
        throw this.fail(value, `a quoted value for option ${show(keyTok)}`);
      }
      options.push({ key: keyTok.text.trim(), keyTok, value });
      const sep = this.peek();
      if (isSym(sep, ",")) {
        this.i++;
      } else if (!isSym(sep, ")")) {
        throw this.fail(sep, "',' or ')' after an option");
      }
    }
    this.i++;
    return { kind: "with", at, name, options };
  }

  /** Column definitions `( ... )` before WITH are accepted and ignored, as JSqlParser does. */
  private skipParens(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.kind === "eof") {
        throw this.fail(t, "')' closing the column list");
      }
      if (isSym(t, "(")) {
        depth++;
      } else if (isSym(t, ")")) {
        depth--;
      }
    } while (depth > 0);
  }

  private insert(): Stmt {
    const at = this.next();
    this.expectKw("INTO", "INTO after INSERT");
    const target = this.name("a table name after INSERT INTO");
    const t = this.peek();
    if (isSym(t, "(")) {
      throw new ConfigError(
        "CONFIG_SQL_INVALID",
        `INSERT INTO ${target.text}: a column list is not supported; select the columns in the SELECT instead`,
        this.src.pos(t.start),
      );
    }
    return { kind: "insert", at, target, select: this.select(`SELECT after INSERT INTO ${target.text}`) };
  }

  private select(expected: string): Select {
    const at = this.peek();
    if (!isKw(at, "SELECT")) {
      throw this.fail(at, expected);
    }
    const body: Tok[] = [];
    const sel: Select = { at, query: "" };
    let depth = 0;
    for (let t = this.peek(); t.kind !== "eof" && !isSym(t, ";"); t = this.peek()) {
      const idx = this.i++;
      if (isSym(t, "(")) {
        depth++;
      } else if (isSym(t, ")") && --depth < 0) {
        throw this.fail(t, "a SELECT with balanced parentheses");
      } else if (depth === 0 && ["UNION", "INTERSECT", "EXCEPT", "MINUS"].some((k) => isKw(t, k))) {
        sel.setOp ??= t;
      } else if (depth === 0 && !sel.from && !sel.subquery && isKw(t, "FROM")) {
        if (isSym(this.peek(), "(")) {
          sel.subquery = this.peek();
        } else {
          sel.from = this.name("a table name after FROM");
          body.push(...this.toks.slice(idx, this.i));
          continue;
        }
      }
      body.push(t);
    }
    if (depth > 0) {
      throw this.fail(this.peek(), "')' closing the SELECT's parentheses");
    }
    if (body.length < 2) {
      throw this.fail(this.peek(), "select items after SELECT");
    }
    const items = body.slice(1);
    if (
      !sel.from &&
      items.every((t, k) => (k % 2 === 0 ? t.kind === "ident" || t.kind === "qident" : isSym(t, "."))) &&
      items.length % 2 === 1
    ) {
      const last = items[items.length - 1]!;
      sel.column = { text: last.text, tok: last };
    }
    sel.query = body.map((t, k) => (k > 0 && t.spaced ? ` ${t.raw}` : t.raw)).join("");
    return sel;
  }

  private set(): Stmt {
    const at = this.next();
    let key: string;
    const k = this.peek();
    if (k.kind === "string") {
      key = this.next().text.trim();
    } else {
      const parts: string[] = [];
      do {
        const p = this.next();
        if (p.kind !== "ident" && p.kind !== "qident" && p.kind !== "number") {
          throw this.fail(p, "an env key after SET, such as job.mode");
        }
        parts.push(p.text);
      } while (isSym(this.peek(), ".") && ++this.i);
      key = parts.join(".");
    }
    this.expectSym("=", `'=' after SET ${key}`);
    const negative = isSym(this.peek(), "-") && this.toks[this.i + 1]?.kind === "number";
    if (negative) {
      this.i++;
    }
    const value = this.next();
    if (value.kind !== "string" && value.kind !== "ident" && value.kind !== "number") {
      throw this.fail(value, `a value for SET ${key}`);
    }
    return { kind: "set", at, key, keyTok: k, value, negative };
  }
}
