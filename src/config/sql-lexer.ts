/**
 * Tokens of SeaTunnel's SQL job files: identifiers, quoted names, strings, numbers, symbols, with
 * positions in characters (not UTF-16 units), and the lines of `/* config` blocks.
 */
import { ConfigError } from "../api/errors.ts";
import type { Pos } from "../api/tree.ts";

export type Kind = "ident" | "qident" | "string" | "number" | "sym" | "eof";
/** `text`: an identifier's name, a string's content (`''` → `'`); `raw`: as written. */
export interface Tok {
  kind: Kind;
  text: string;
  raw: string;
  start: number;
  spaced: boolean;
}
export interface Name {
  text: string;
  tok: Tok;
}
export interface Opt {
  key: string;
  keyTok: Tok;
  value: Tok;
}
export interface Select {
  at: Tok;
  query: string;
  from?: Name;
  column?: Name;
  setOp?: Tok;
  subquery?: Tok;
}

export class Source {
  readonly lineStarts: number[] = [0];
  /** Offsets of the second halves of surrogate pairs: columns count characters, not UTF-16 units. */
  private readonly lows: number[] = [];
  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      this.lineStarts.push(i + 1);
    }
    for (const m of text.matchAll(/[\uD800-\uDBFF](?=[\uDC00-\uDFFF])/g)) {
      this.lows.push(m.index + 1);
    }
  }
  private lowsBefore(offset: number): number {
    let lo = 0,
      hi = this.lows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lows[mid]! < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
  lineOf(offset: number): number {
    let lo = 0,
      hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
  lineText(line: number): string {
    const end = this.lineStarts[line + 1];
    return this.text.slice(this.lineStarts[line], end === undefined ? undefined : end - 1);
  }
  pos(offset: number): Pos {
    const line = this.lineOf(offset),
      start = this.lineStarts[line]!;
    const col = offset - start + 1 - (this.lows.length ? this.lowsBefore(offset) - this.lowsBefore(start) : 0);
    return { file: this.file, line: line + 1, col };
  }
  syntax(offset: number, message: string): ConfigError {
    return new ConfigError("CONFIG_SQL_SYNTAX", message, this.pos(offset));
  }
}

export const IDENT = /[\p{L}_][\p{L}\p{N}_$]*/uy;
export const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
export const SPACE = /\s/;

export function lex(src: Source): { toks: Tok[]; configLines: Set<number> } {
  const { text } = src,
    toks: Tok[] = [],
    configLines = new Set<number>();
  let i = 0,
    spaced = false,
    lastEnd = 0;
  const push = (kind: Kind, tokText: string, end: number): void => {
    toks.push({ kind, text: tokText, raw: text.slice(i, end), start: i, spaced });
    i = lastEnd = end;
    spaced = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.test(c) || c === "\uFEFF") {
      [i, spaced] = [i + 1, true];
    } else if (text.startsWith("--", i)) {
      [i, spaced] = [lineEnd(src, i), true];
    } else if (text.startsWith("/*", i)) {
      [i, spaced] = [(lastEnd = skipComment(src, i, lastEnd, configLines)), true];
    } else if (c === "'") {
      let j = i + 1,
        value = "";
      for (;;) {
        const q = text.indexOf("'", j);
        if (q < 0) {
          throw src.syntax(i, "unterminated string: expected a closing ' before the end of the file");
        }
        value += text.slice(j, q);
        if (text[q + 1] !== "'") {
          push("string", value, q + 1);
          break;
        }
        value += "'";
        j = q + 2;
      }
    } else if (c === '"' || c === "`") {
      const q = text.indexOf(c, i + 1);
      if (q < 0) {
        throw src.syntax(i, `unterminated quoted name: expected a closing ${c} before the end of the file`);
      }
      push("qident", text.slice(i + 1, q), q + 1);
    } else if (matchesAt(NUMBER, text, i)) {
      push("number", text.slice(i, NUMBER.lastIndex), NUMBER.lastIndex);
    } else if (matchesAt(IDENT, text, i)) {
      push("ident", text.slice(i, IDENT.lastIndex), IDENT.lastIndex);
    } else {
      const n = text.codePointAt(i)! > 0xffff ? 2 : 1;
      push("sym", text.slice(i, i + n), i + n);
    }
  }
  toks.push({ kind: "eof", text: "", raw: "", start: text.length, spaced });
  return { toks, configLines };
}

export function lineEnd(src: Source, offset: number): number {
  const nl = src.text.indexOf("\n", offset);
  return nl < 0 ? src.text.length : nl;
}

/** Skips a comment; a `/* config` block records its content lines (0-based) instead. */
export function skipComment(src: Source, at: number, lastEnd: number, configLines: Set<number>): number {
  const first = src.lineOf(at);
  if (
    lastEnd <= src.lineStarts[first]! &&
    src.text.startsWith("/* config", at) &&
    src.text.slice(at + 9, lineEnd(src, at)).trim() === ""
  ) {
    for (let line = first + 1; line < src.lineStarts.length; line++) {
      if (src.lineText(line).trim() === "*/") {
        return lineEnd(src, src.lineStarts[line]!);
      }
      configLines.add(line);
    }
    throw src.syntax(at, "unterminated config comment: expected a line holding only */ before the end of the file");
  }
  const end = src.text.indexOf("*/", at + 2);
  if (end < 0) {
    throw src.syntax(at, "unterminated comment: expected */ before the end of the file");
  }
  return end + 2;
}

export const isKw = (t: Tok, kw: string): boolean => t.kind === "ident" && t.text.toUpperCase() === kw;
export const isSym = (t: Tok, s: string): boolean => t.kind === "sym" && t.text === s;
export const show = (t: Tok): string =>
  t.kind === "eof" ? "the end of the file" : JSON.stringify(t.raw.length > 40 ? `${t.raw.slice(0, 40)}...` : t.raw);

/** A sticky regex tried at `i`; on a match its lastIndex is the end. */
function matchesAt(re: RegExp, text: string, i: number): boolean {
  re.lastIndex = i;
  return re.test(text);
}
