/**
 * The values of a SQL job file: WITH option values and SET values as tree values, and the `/* config`
 * blocks as HOCON, with the positions of HOCON snippets mapped back into the file.
 */
import { ConfigError } from "../api/errors.ts";
import { type RawArray, type RawEntry, type RawObject, type RawValue, parseHocon } from "./hocon.ts";
import { type Pos, scalar } from "../api/tree.ts";
import type { Opt, Source } from "./sql-lexer.ts";
import type { Stmt } from "./sql-statements.ts";

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function optionValue(src: Source, o: Opt): RawValue {
  const t = o.value,
    p = src.pos(t.start);
  if (t.kind !== "string") {
    return scalar("string", t.text, p);
  }
  const v = t.text.trim();
  if ((v.startsWith("{") && v.endsWith("}")) || (v.startsWith("[") && v.endsWith("]"))) {
    const at = src.pos(t.start + 1);
    const value = hocon(src, `x=${t.text}`, at.line - 1, at.col - 3, `option '${o.key}'`).entries.find(
      (e) => e.key === "x",
    )?.value;
    if (value) {
      return value;
    }
  }
  // SeaTunnel joins the trimmed lines of the file with spaces, then reads `key = "value"` as HOCON.
  const parts = t.text.split(/\r?\n/),
    last = parts.length - 1;
  const joined = parts
    .map((l, k) => (k === 0 ? l.trimEnd() : k === last ? l.trimStart() : l.trim()))
    .filter((l, k) => l !== "" || k === 0 || k === last)
    .join(" ");
  const text = (last === 0 ? t.text : joined).replace(
    /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g,
    (_m, hex: string | undefined, ch: string | undefined) =>
      hex ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[ch ?? ""] ?? ""),
  );
  return scalar("string", text, p, true);
}

export function setEntry(src: Source, s: Extract<Stmt, { kind: "set" }>): RawEntry {
  const t = s.value,
    p = src.pos(t.start - (s.negative ? 1 : 0)),
    lower = t.text.toLowerCase();
  let value: RawValue;
  if (t.kind === "number") {
    value = scalar("number", `${s.negative ? "-" : ""}${t.text}`, p);
  } else if (t.kind === "ident" && (lower === "true" || lower === "false")) {
    value = scalar("boolean", lower, p);
  } else if (t.kind === "ident" && lower === "null") {
    value = scalar("null", "null", p);
  } else {
    value = scalar("string", t.text, p, t.kind === "string");
  }
  return { key: s.key, keyPos: src.pos(s.keyTok.start), value };
}

/** The `/* config` blocks, read as one HOCON document with the other lines blanked (positions stay exact). */
export function configEntries(src: Source, lines: Set<number>): RawEntry[] {
  if (!lines.size) {
    return [];
  }
  const sorted = [...lines].sort((a, b) => a - b);
  const first = sorted[0]!,
    last = sorted[sorted.length - 1]!,
    parts: string[] = [];
  for (let l = first; l <= last; l++) {
    const t = lines.has(l) ? src.lineText(l) : "";
    parts.push(t.trim().startsWith("--") ? "" : t);
  }
  return hocon(src, parts.join("\n"), first, 0, "the /* config */ comment").entries;
}

/** Parses a HOCON snippet whose line 1 starts `lines` lines and `cols` columns into the file. */
function hocon(src: Source, text: string, lines: number, cols: number, what: string): RawObject {
  const shift = (p: Pos): Pos => ({
    file: src.file,
    line: p.line + lines,
    col: p.line === 1 ? Math.max(1, p.col + cols) : p.col,
  });
  let root: RawObject;
  try {
    root = parseHocon(text, src.file);
  } catch (e) {
    const p = e instanceof ConfigError && e.pos ? e.pos : { file: src.file, line: 1, col: 3 };
    throw new ConfigError("CONFIG_SQL_SYNTAX", `${what}: ${e instanceof Error ? e.message : String(e)}`, shift(p));
  }
  const seen = new Set<object>();
  const walk = (n: RawValue | RawArray | { kind: "ws"; pos: Pos }): void => {
    if (seen.has(n)) {
      return;
    }
    seen.add(n);
    n.pos = shift(n.pos);
    if (n.kind === "array") {
      n.items.forEach(walk);
    } else if (n.kind === "concat") {
      n.parts.forEach(walk);
    } else if (n.kind === "object") {
      for (const e of n.entries) {
        e.keyPos = shift(e.keyPos);
        walk(e.value);
      }
    }
  };
  walk(root);
  return root;
}
