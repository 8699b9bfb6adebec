/**
 * `DateTimeFormatter.ofPattern` patterns as a tree of literal text, fields and optional sections,
 * with Java's pattern errors. Formatting and parsing live in datetime-format.ts.
 */
import { JavaError } from "./java.ts";

export interface FieldPart {
  k: "field";
  letter: string;
  count: number;
}
export type Part = { k: "lit"; text: string } | FieldPart | { k: "opt"; parts: Part[] };

/** Letters of java.time's pattern language this implementation formats and parses. */
const SUPPORTED = "GuyDMLdQqEecaHhKkmsSnANF";
/** Letters Java knows but that need a zone or week rules (formatting a local value fails in Java too). */
const KNOWN = "GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp";
const MAX: Record<string, number> = {
  d: 2,
  H: 2,
  h: 2,
  K: 2,
  k: 2,
  m: 2,
  s: 2,
  D: 3,
  F: 1,
  a: 1,
  S: 9,
  n: 19,
  N: 19,
  A: 19,
  u: 19,
  y: 19,
  M: 5,
  L: 5,
  Q: 5,
  q: 5,
  E: 5,
  e: 5,
  c: 5,
  G: 5,
};

const illegal = (message: string): JavaError => new JavaError("IllegalArgumentException", message);

/** Parses a pattern; throws IllegalArgumentException-style JavaErrors as ofPattern does. */
export function parsePattern(pattern: string): Part[] {
  const stack: Part[][] = [[]];
  const top = () => stack[stack.length - 1]!;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) {
        j++;
      }
      const count = j - i;
      if (!KNOWN.includes(c)) {
        throw illegal(`Unknown pattern letter: ${c}`);
      }
      if (!SUPPORTED.includes(c)) {
        throw illegal(`Pattern letter '${c}' is not supported by the Sql transform`);
      }
      if (count > (MAX[c] ?? 1)) {
        throw illegal(`Too many pattern letters: ${c}`);
      }
      top().push({ k: "field", letter: c, count });
      i = j;
    } else if (c === "'") {
      const { text, end } = quoted(pattern, i);
      pushLit(top(), text);
      i = end;
    } else if (c === "[") {
      stack.push([]);
      i++;
    } else if (c === "]") {
      if (stack.length === 1) {
        throw illegal("Pattern invalid as it contains ] without previous [");
      }
      const parts = stack.pop()!;
      top().push({ k: "opt", parts });
      i++;
    } else if (c === "{" || c === "}" || c === "#") {
      throw illegal(`Pattern includes reserved character: '${c}'`);
    } else {
      pushLit(top(), c);
      i++;
    }
  }
  while (stack.length > 1) {
    const parts = stack.pop()!;
    top().push({ k: "opt", parts });
  }
  return stack[0]!;
}

function quoted(pattern: string, at: number): { text: string; end: number } {
  if (pattern[at + 1] === "'") {
    return { text: "'", end: at + 2 };
  }
  let text = "";
  let i = at + 1;
  for (;;) {
    if (i >= pattern.length) {
      throw illegal(`Pattern ends with an incomplete string literal: ${pattern}`);
    }
    if (pattern[i] === "'") {
      if (pattern[i + 1] === "'") {
        text += "'";
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    text += pattern[i];
    i++;
  }
}

function pushLit(parts: Part[], text: string): void {
  const last = parts[parts.length - 1];
  if (last?.k === "lit") {
    last.text += text;
  } else {
    parts.push({ k: "lit", text });
  }
}

/** Fields written as numbers for this count (text for MMM, EEE, a, G, QQQ...). */
export function isNumeric(p: FieldPart): boolean {
  if (p.letter === "a" || p.letter === "G" || p.letter === "E") {
    return false;
  }
  if (
    p.letter === "M" ||
    p.letter === "L" ||
    p.letter === "Q" ||
    p.letter === "q" ||
    p.letter === "e" ||
    p.letter === "c"
  ) {
    return p.count <= 2;
  }
  return true;
}

/** Digits a numeric field reads: [min, max]. */
export function widths(p: FieldPart): [number, number] {
  const { letter, count } = p;
  if (letter === "S") {
    return [count, count];
  }
  if (letter === "y" || letter === "u") {
    return count === 2 ? [2, 2] : [count, 19];
  }
  if (letter === "D") {
    return count === 1 ? [1, 19] : count === 2 ? [2, 3] : [3, 3];
  }
  if (letter === "n" || letter === "N" || letter === "A") {
    return [count, 19];
  }
  return count === 1 ? [1, 19] : [count, count];
}

const cache = new Map<string, Part[]>();

/** parsePattern, memoised (patterns are nearly always literals, so the cache stays tiny). */
export function compiledPattern(pattern: string): Part[] {
  let hit = cache.get(pattern);
  if (!hit) {
    hit = parsePattern(pattern);
    if (cache.size > 256) {
      cache.clear();
    }
    cache.set(pattern, hit);
  }
  return hit;
}
