/**
 * Character-level scanning for the HOCON reader: whitespace, comments, quoted / triple-quoted /
 * unquoted text and `${...}` substitutions, with 1-based positions and CONFIG_SYNTAX errors.
 */
import { ConfigError } from "../api/errors.ts";
import type { Pos } from "../api/tree.ts";

/** Characters HOCON forbids in unquoted text (they need quotes). */
const FORBIDDEN = new Set([...'$"{}[]:=,+#`^?!@*&\\']);
/** Reserved characters that have no meaning at all outside quotes. */
const RESERVED = new Set([..."`^?!@*&\\"]);

export function isSpace(c: string | undefined): boolean {
  return c !== undefined && c !== "\n" && (c === " " || c === "\t" || c === "\r" || c === "\uFEFF" || /\s/.test(c));
}

/** The path of a substitution (`${a->b}`) or key, split on the `->` separator of SeaTunnel's dialect. */
export interface PathExpr {
  path: string[];
  /** The text as written, e.g. `${?x}` or `a->b`. */
  text: string;
}

export class Scanner {
  i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let k = 0; k < text.length; k++) {
      if (text[k] === "\n") {
        this.lineStarts.push(k + 1);
      }
    }
  }

  pos(at = this.i): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { file: this.file, line: lo + 1, col: at - this.lineStarts[lo]! + 1 };
  }

  where(at: number): string {
    const p = this.pos(at);
    return `${p.line}:${p.col}`;
  }

  peek(offset = 0): string | undefined {
    return this.text[this.i + offset];
  }

  eof(): boolean {
    return this.i >= this.text.length;
  }

  fail(message: string, at = this.i): never {
    throw new ConfigError("CONFIG_SYNTAX", message, this.pos(Math.min(at, this.text.length)));
  }

  /** How the text at `at` reads in an error message: `end of file`, `a newline`, `"abc"`. */
  found(at = this.i): string {
    const c = this.text[at];
    if (c === undefined) {
      return "end of file";
    }
    if (c === "\n") {
      return "a newline";
    }
    if (this.isUnquotedStart(at)) {
      let end = at;
      while (end < this.text.length && end - at < 30 && this.isUnquotedAt(end)) {
        end++;
      }
      return JSON.stringify(this.text.slice(at, end));
    }
    if (c === '"') {
      // A quoted string reads better as itself than as a lone quote character: `"BATCH"`.
      const close = this.text.indexOf('"', at + 1);
      const nl = this.text.indexOf("\n", at + 1);
      if (close > at && (nl < 0 || close < nl) && close - at <= 30) {
        return `the string ${this.text.slice(at, close + 1)}`;
      }
      return 'a quote (")';
    }
    if (RESERVED.has(c)) {
      return `${JSON.stringify(c)} (a reserved character; quote the value)`;
    }
    return JSON.stringify(c);
  }

  isCommentStart(at = this.i): boolean {
    const c = this.text[at];
    return c === "#" || (c === "/" && this.text[at + 1] === "/");
  }

  isUnquotedAt(at: number): boolean {
    const c = this.text[at];
    if (c === undefined || FORBIDDEN.has(c) || c === "\n" || isSpace(c)) {
      return false;
    }
    return !(c === "/" && this.text[at + 1] === "/");
  }

  isUnquotedStart(at = this.i): boolean {
    return this.isUnquotedAt(at);
  }

  /** Skips spaces and tabs (not newlines). */
  skipSpaces(): void {
    while (isSpace(this.text[this.i])) {
      this.i++;
    }
  }

  /** Skips spaces and a trailing comment, stopping before the newline. */
  skipLineRest(): void {
    this.skipSpaces();
    if (this.isCommentStart()) {
      while (this.i < this.text.length && this.text[this.i] !== "\n") {
        this.i++;
      }
    }
  }

  /** Skips spaces, comments and newlines. */
  skipBlank(): void {
    for (;;) {
      this.skipLineRest();
      if (this.text[this.i] !== "\n") {
        return;
      }
      this.i++;
    }
  }

  /** A `"..."` string with JSON escapes; the scanner stands on the opening quote. */
  readQuoted(): string {
    const open = this.i++;
    let out = "";
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c === "\n") {
        this.fail(`expected a closing quote for the string opened at ${this.where(open)}, found ${this.found()}`);
      }
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\") {
        out += this.readEscape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private readEscape(): string {
    const at = this.i;
    const e = this.text[this.i + 1];
    const simple: Record<string, string> = {
      '"': '"',
      "\\": "\\",
      "/": "/",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "\t",
    };
    if (e !== undefined && simple[e] !== undefined) {
      this.i += 2;
      return simple[e]!;
    }
    if (e === "u") {
      const hex = this.text.slice(this.i + 2, this.i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        this.i += 6;
        return String.fromCharCode(parseInt(hex, 16));
      }
      this.fail(`expected 4 hex digits after "\\u", found ${JSON.stringify(hex)}`, at);
    }
    const what = e === undefined ? "end of file" : e === "\n" ? "a newline" : `"\\${e}"`;
    this.fail(
      `expected an escape such as \\n, \\" or \\uXXXX after "\\", found ${what}; write \\\\ for a backslash`,
      at,
    );
  }

  /** A `"""..."""` string, taken verbatim; extra quotes before the closing `"""` belong to the text. */
  readTriple(): string {
    const open = this.i;
    const close = this.text.indexOf('"""', open + 3);
    if (close < 0) {
      this.fail(
        `expected """ to close the triple-quoted string opened at ${this.where(open)}, found end of file`,
        this.text.length,
      );
    }
    let end = close + 3;
    while (this.text[end] === '"') {
      end++;
    }
    this.i = end;
    return this.text.slice(open + 3, end - 3);
  }

  /** Unquoted text up to whitespace, a forbidden character or `//`; `+` is kept inside an exponent (`1e+5`). */
  readUnquoted(): string {
    const start = this.i;
    for (;;) {
      if (this.isUnquotedAt(this.i)) {
        this.i++;
      } else if (this.text[this.i] === "+" && /^-?\d+(\.\d+)?[eE]$/.test(this.text.slice(start, this.i))) {
        this.i++;
      } else {
        break;
      }
    }
    return this.text.slice(start, this.i);
  }

  /** A `${path}` or `${?path}` substitution; the scanner stands on the `$`. */
  readSubstitution(): PathExpr & { optional: boolean } {
    const open = this.i;
    this.i += 2;
    const optional = this.text[this.i] === "?";
    if (optional) {
      this.i++;
    }
    const path = this.readPath(
      (at) => this.text[at] === "}",
      `"}" to close the substitution opened at ${this.where(open)}`,
      true,
    );
    this.i++;
    return { ...path, optional, text: this.text.slice(open, this.i) };
  }

  /**
   * A path made of unquoted and quoted pieces, up to the character `isEnd` accepts (not consumed).
   * Unquoted pieces split on `->`; dots stay inside one key.
   */
  readPath(isEnd: (at: number) => boolean, expected: string, inSubstitution = false): PathExpr {
    const start = this.i;
    const path: string[] = [];
    let cur = "";
    let curHasText = false;
    let pendingSpace = "";
    this.skipSpaces();
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined ? !inSubstitution : isEnd(this.i)) {
        break;
      }
      if (c === '"') {
        cur += pendingSpace + (this.text.startsWith('"""', this.i) ? this.readTriple() : this.readQuoted());
        curHasText = true;
      } else if (c !== undefined && this.isUnquotedAt(this.i)) {
        const parts = this.readUnquoted().split("->");
        cur += pendingSpace + parts[0]!;
        curHasText ||= parts[0] !== "";
        for (const part of parts.slice(1)) {
          if (!curHasText) {
            this.fail(`expected a name before "->" in ${JSON.stringify(this.text.slice(start, this.i))}`, start);
          }
          path.push(cur);
          cur = part;
          curHasText = part !== "";
        }
      } else if (c === ":" && inSubstitution) {
        this.fail(
          `expected ${expected}, found ":"; defaults such as "\${name:default}" only work inside a quoted string`,
        );
      } else {
        this.fail(`expected ${expected}, found ${this.found()}`);
      }
      const spaceStart = this.i;
      this.skipSpaces();
      pendingSpace = this.text.slice(spaceStart, this.i);
    }
    if (!curHasText) {
      this.fail(`expected a name, found ${this.found()}`);
    }
    path.push(cur);
    return { path, text: this.text.slice(start, this.i).trim() };
  }
}
