/**
 * Offsets inside the query text → file positions. The option's node knows where the value starts
 * (its opening quote); the raw file text tells whether it is `"..."` (escapes make raw and text
 * offsets differ), `"""..."""` (verbatim) or unquoted. Only read when there is an error to report.
 */
import { readFileSync } from "node:fs";
import type { Pos, ScalarNode } from "../../src/api/index.ts";

function rawText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Index of the 1-based line/col in `text`, or -1. */
function indexOf(text: string, pos: Pos): number {
  let line = 1;
  let i = 0;
  while (line < pos.line) {
    const nl = text.indexOf("\n", i);
    if (nl < 0) {
      return -1;
    }
    i = nl + 1;
    line++;
  }
  return i + pos.col - 1;
}

function posOf(text: string, file: string, index: number): Pos {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < index; k++) {
    if (text[k] === "\n") {
      line++;
      lineStart = k + 1;
    }
  }
  return { file, line, col: index - lineStart + 1 };
}

/** Raw index of the content offset inside a `"..."` string starting at `open`, or undefined. */
function walkQuoted(raw: string, open: number, content: string, offset: number): number | undefined {
  let i = open + 1;
  for (let k = 0; k < offset; k++) {
    const c = raw[i];
    if (c === undefined || c === '"' || c === "\n") {
      return undefined;
    }
    if (c === "\\") {
      i += raw[i + 1] === "u" ? 6 : 2;
    } else {
      if (c !== content[k]) {
        return undefined;
      }
      i++;
    }
  }
  return i;
}

/** Where the character at `offset` of the option's text is in the job file. */
export function queryPos(node: ScalarNode, offset: number): Pos {
  const text = node.text;
  const raw = rawText(node.pos.file);
  const at = raw === undefined ? -1 : indexOf(raw, node.pos);
  if (raw !== undefined && at >= 0) {
    if (raw.startsWith('"""', at) && raw.slice(at + 3, at + 3 + offset) === text.slice(0, offset)) {
      return posOf(raw, node.pos.file, at + 3 + offset);
    }
    if (raw[at] === '"') {
      const i = walkQuoted(raw, at, text, offset);
      if (i !== undefined) {
        return posOf(raw, node.pos.file, i);
      }
    } else if (raw.slice(at, at + offset) === text.slice(0, offset)) {
      return posOf(raw, node.pos.file, at + offset);
    }
  }
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf("\n");
  if (nl >= 0) {
    return { file: node.pos.file, line: node.pos.line + before.split("\n").length - 1, col: offset - nl };
  }
  return { ...node.pos, col: node.pos.col + (node.quoted ? 1 : 0) + offset };
}
