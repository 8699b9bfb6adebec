/**
 * TOML job files (our extension; SeaTunnel has none) into the positioned tree. `[source.FakeSource]`
 * tables become plugin blocks with plugin_name = FakeSource; `[[source]]` arrays (with their own
 * plugin_name) pass through. @iarna/toml gives no positions, so keys are located by scanning the
 * text (best effort; always a valid line:col).
 */
import { ConfigError } from "../api/errors.ts";
import { toPluginList } from "./json.ts";
import {
  PLUGIN_SECTIONS,
  type Entry,
  type Node,
  type ObjectNode,
  type Pos,
  arrayNode,
  objectNode,
  scalar,
} from "../api/tree.ts";

type TomlParse = (text: string) => Record<string, unknown>;

/** Parses a TOML job; a syntax error is a ConfigError CONFIG_SYNTAX at the parser's line:col. */
export async function parseToml(text: string, file: string): Promise<ObjectNode> {
  const mod = (await import("@iarna/toml")) as unknown as { parse: TomlParse; default?: { parse: TomlParse } };
  const parse = mod.default?.parse ?? mod.parse;
  let data: Record<string, unknown>;
  try {
    data = parse(text);
  } catch (err) {
    const e = err as { line?: unknown; col?: unknown; message?: unknown };
    const line = typeof e.line === "number" ? e.line + 1 : 1;
    const col = typeof e.col === "number" ? e.col + 1 : 1;
    const first = String(e.message ?? err)
      .split("\n")[0]!
      .replace(/ at row \d+, col \d+, pos \d+:?$/, "");
    throw tomlSyntaxError(text, file, first, line, col);
  }
  const positions = locateKeys(text, file);
  const at = (path: string[]): Pos => {
    for (let k = path.length; k > 0; k--) {
      const p = positions.get(path.slice(0, k).join("\u0000"));
      if (p) {
        return p;
      }
    }
    return { file, line: 1, col: 1 };
  };
  return convert(data, [], at) as ObjectNode;
}

/**
 * @iarna/toml's message, made to name what it found where it can: a repeated key points at the key
 * (the parser points past it), and an unquoted word is named instead of "expected inf".
 */
function tomlSyntaxError(text: string, file: string, message: string, rawLine: number, rawCol: number): ConfigError {
  // At the end of the text the parser may point one past the last character; keep the position in the file.
  const lines = text.split("\n");
  const line = Math.min(Math.max(rawLine, 1), lines.length);
  const lineText = lines[line - 1] ?? "";
  const col = line === rawLine ? Math.min(Math.max(rawCol, 1), lineText.length + 1) : lineText.length + 1;
  const indent = lineText.length - lineText.trimStart().length;
  if (message.startsWith("Can't redefine existing key")) {
    const body = lineText.slice(indent);
    const header = body.startsWith("[");
    const key = parseKey(body, body.startsWith("[[") ? 2 : header ? 1 : 0);
    if (key) {
      const name = key.parts.join(".");
      const what = header ? `the table [${name}]` : `the key ${JSON.stringify(name)}`;
      return new ConfigError("CONFIG_SYNTAX", `invalid TOML: expected each key and table once, found ${what} again`, {
        file,
        line,
        col: indent + 1,
      });
    }
  }
  if (message.startsWith('Unexpected character, expected "inf"')) {
    let start = Math.min(col - 1, lineText.length);
    while (start > 0 && /[A-Za-z0-9_]/.test(lineText[start - 1]!)) {
      start--;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(lineText.slice(start))?.[0];
    if (word) {
      return new ConfigError(
        "CONFIG_SYNTAX",
        `invalid TOML: expected a value (a quoted string, number, true, false, date, [list] or {table}), found the bare word ${JSON.stringify(word)}; TOML strings need quotes: "${word}"`,
        { file, line, col: start + 1 },
      );
    }
  }
  return new ConfigError("CONFIG_SYNTAX", `invalid TOML: ${message}`, { file, line, col });
}

function convert(v: unknown, path: string[], at: (path: string[]) => Pos): Node {
  const pos = at(path);
  if (v instanceof Date) {
    return scalar("string", Number.isNaN(v.getTime()) ? String(v) : v.toISOString(), pos);
  }
  if (Array.isArray(v)) {
    return arrayNode(
      v.map((item, i) => convert(item, [...path, `#${i}`], at)),
      pos,
    );
  }
  if (typeof v === "bigint") {
    return scalar("number", v.toString(), pos);
  }
  if (typeof v === "number") {
    return scalar("number", String(v), pos);
  }
  if (typeof v === "boolean") {
    return scalar("boolean", String(v), pos);
  }
  if (typeof v === "string") {
    return scalar("string", v, pos, true);
  }
  if (v === null || v === undefined) {
    return scalar("null", "null", pos);
  }
  if (typeof v !== "object") {
    return scalar("string", String(v), pos);
  }
  const entries: Entry[] = [];
  for (const [key, child] of Object.entries(v)) {
    const childPath = [...path, key];
    let value = convert(child, childPath, at);
    if (path.length === 0 && PLUGIN_SECTIONS.has(key) && value.kind === "object") {
      value = toPluginList(value, key);
    }
    entries.push({ key, keyPos: at(childPath), value });
  }
  return objectNode(entries, pos);
}

/**
 * Maps every key path (segments joined by NUL, array-of-table items as `#n`) to where it is
 * written: table headers and `key = value` lines. Multi-line strings are skipped.
 */
function locateKeys(text: string, file: string): Map<string, Pos> {
  const out = new Map<string, Pos>();
  const counts = new Map<string, number>();
  let table: string[] = [];
  let skipUntil: string | null = null;
  const lines = text.split("\n");
  const record = (path: string[], line: number, col: number): void => {
    for (let k = 1; k <= path.length; k++) {
      const id = path.slice(0, k).join("\u0000");
      if (!out.has(id)) {
        out.set(id, { file, line, col });
      }
    }
  };
  // `a.b` in a header: `a` may be an array of tables, whose current item is the last one seen.
  const resolve = (keys: string[]): string[] => {
    const p: string[] = [];
    for (const k of keys) {
      p.push(k);
      const n = counts.get(p.join("\u0000"));
      if (n !== undefined) {
        p.push(`#${n - 1}`);
      }
    }
    return p;
  };
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    if (skipUntil !== null) {
      if (countOf(raw, skipUntil) % 2 === 1) {
        skipUntil = null;
      }
      return;
    }
    const start = raw.length - raw.trimStart().length;
    const body = raw.slice(start);
    if (body.startsWith("[")) {
      const isArray = body.startsWith("[[");
      const key = parseKey(body, isArray ? 2 : 1);
      if (!key) {
        return;
      }
      if (isArray) {
        const parent = resolve(key.parts.slice(0, -1));
        const self = [...parent, key.parts[key.parts.length - 1]!];
        const id = self.join("\u0000");
        const n = (counts.get(id) ?? 0) + 1;
        counts.set(id, n);
        table = [...self, `#${n - 1}`];
      } else {
        table = resolve(key.parts);
      }
      record(table, line, start + 1);
      return;
    }
    const key = parseKey(body, 0);
    if (!key || body[key.end] !== "=") {
      return;
    }
    record([...table, ...key.parts], line, start + 1);
    for (const delim of ['"""', "'''"]) {
      if (countOf(body.slice(key.end), delim) % 2 === 1) {
        skipUntil = delim;
      }
    }
  });
  return out;
}

function countOf(s: string, sub: string): number {
  return s.split(sub).length - 1;
}

/** A dotted TOML key starting at `i`; `end` is the index after it and its trailing spaces. */
function parseKey(s: string, i: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  for (;;) {
    while (s[i] === " " || s[i] === "\t") {
      i++;
    }
    const c = s[i];
    if (c === '"' || c === "'") {
      const close = s.indexOf(c, i + 1);
      if (close < 0) {
        return undefined;
      }
      const inner = s.slice(i + 1, close);
      parts.push(c === '"' ? unescapeBasic(inner) : inner);
      i = close + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) {
        return undefined;
      }
      parts.push(m[0]);
      i += m[0].length;
    }
    while (s[i] === " " || s[i] === "\t") {
      i++;
    }
    if (s[i] !== ".") {
      return { parts, end: i };
    }
    i++;
  }
}

function unescapeBasic(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
