/**
 * HOCON job files in SeaTunnel's dialect (the shaded Typesafe config): dotted keys stay flat, the
 * path separator is `->`, and an object written under a key named `source`, `transform` or `sink`
 * becomes an ordered list of plugin blocks with `plugin_name` filled from the block's key.
 *
 * `parseHocon` gives the raw tree (substitutions still unresolved); `readHocon` resolves them.
 */
import { ConfigError } from "../api/errors.ts";
import { Scanner, isSpace } from "./hocon-lexer.ts";
import { resolveHocon, type ResolveOptions } from "./hocon-resolve.ts";
import { PLUGIN_SECTIONS, type ObjectNode, type Pos, type ScalarNode, describeNode, scalar } from "../api/tree.ts";

/** `${path}` / `${?path}` as written; resolved against the config, the environment and `-i` variables. */
export interface RawSubst {
  kind: "subst";
  path: string[];
  optional: boolean;
  /** As written, e.g. `${?x}`. */
  text: string;
  pos: Pos;
}

/** Whitespace between two concatenated values (`foo bar`); kept only when the result is a string. */
export interface RawSpace {
  kind: "ws";
  text: string;
  pos: Pos;
}

/** Values written next to each other on one line: `a ${x} "b"`, `[1] [2]`, `{a=1} {b=2}`. */
export interface RawConcat {
  kind: "concat";
  parts: (RawValue | RawSpace)[];
  pos: Pos;
}

export interface RawEntry {
  key: string;
  keyPos: Pos;
  value: RawValue;
}

export interface RawObject {
  kind: "object";
  entries: RawEntry[];
  pos: Pos;
}

export interface RawArray {
  kind: "array";
  items: RawValue[];
  pos: Pos;
}

export type RawValue = ScalarNode | RawObject | RawArray | RawSubst | RawConcat;

const MAX_DEPTH = 200;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Parses HOCON text into the raw tree; throws ConfigError CONFIG_SYNTAX with file:line:col. */
export function parseHocon(text: string, file: string): RawObject {
  return new Parser(new Scanner(text, file)).root();
}

/** Parses and resolves substitutions (`${x}`, `${?x}`) against the config, `env` and `variables`. */
export function readHocon(text: string, file: string, opts: ResolveOptions): ObjectNode {
  return resolveHocon(parseHocon(text, file), opts);
}

interface Field {
  path: string[];
  label: string;
  keyPos: Pos;
  value: RawValue;
  append: boolean;
  /** Where the value should have started when it was written on a later line than `=` / `:` (else undefined). */
  separatorEnd?: { at: number; separator: string };
}

class Parser {
  private depth = 0;

  constructor(private readonly s: Scanner) {}

  root(): RawObject {
    const s: Scanner = this.s;
    s.skipBlank();
    if (s.peek() === "[") {
      s.fail(`expected the job to be an object (key = value lines, optionally inside { }), found "["`);
    }
    if (s.peek() !== "{") {
      return this.object(null);
    }
    const obj = this.object(s.i);
    s.skipBlank();
    if (!s.eof()) {
      s.fail(`expected end of file after the "}" closing the root object, found ${s.found()}`);
    }
    return obj;
  }

  /** A `{ ... }` object (or the unbraced root when `open` is null); duplicate keys merge. */
  private object(open: number | null): RawObject {
    const pos = this.s.pos(open ?? this.s.i);
    const entries: RawEntry[] = [];
    for (const f of this.fields(open)) {
      mergePath(entries, f.path, f.keyPos, f.value, f.append);
    }
    return { kind: "object", entries, pos };
  }

  /** `source { A {...} A {...} }`: every block is one list item, duplicates kept, in file order. */
  private pluginList(open: number, section: string): RawArray {
    const pos = this.s.pos(open);
    const items = this.fields(open).map((f): RawValue => {
      const value = wrap(f.path.slice(1), f.value, f.keyPos);
      if (value.kind !== "object") {
        throw new ConfigError(
          "CONFIG_SYNTAX",
          `expected a plugin block such as ${f.path[0]} { ... } inside "${section}", found ${describeRaw(value)}`,
          value.pos,
        );
      }
      if (value.entries.some((e) => e.key === "plugin_name")) {
        return value;
      }
      const name: RawEntry = { key: "plugin_name", keyPos: f.keyPos, value: scalar("string", f.path[0]!, f.keyPos) };
      return { ...value, entries: [name, ...value.entries] };
    });
    return { kind: "array", items, pos };
  }

  private fields(open: number | null): Field[] {
    const s: Scanner = this.s;
    this.enter(open ?? s.i);
    if (open !== null) {
      s.i++;
    }
    const out: Field[] = [];
    for (;;) {
      s.skipBlank();
      const c = s.peek();
      if (c === undefined) {
        if (open === null) {
          break;
        }
        s.fail(`expected "}" to close the object opened at ${s.where(open)}, found end of file`);
      }
      if (c === "}") {
        if (open === null) {
          s.fail(`expected a key, found "}" with no "{" to close`);
        }
        s.i++;
        break;
      }
      const f = this.field(open !== null);
      out.push(f);
      s.skipLineRest();
      const d = s.peek();
      if (d === ",") {
        s.i++;
      } else if (d !== "\n" && d !== "}" && d !== undefined) {
        // `a =` with nothing after it reads the next line's key as the value; say so, at the `=`.
        const sep = f.separatorEnd;
        if (sep && (d === "=" || d === ":" || d === "{" || (d === "+" && s.peek(1) === "="))) {
          s.fail(
            `expected a value for ${JSON.stringify(f.label)} after "${sep.separator}", found a newline (the next line starts another key)`,
            sep.at,
          );
        }
        const stray = d === "]" ? ' with no "[" to close' : "";
        s.fail(`expected "," or a newline after the value of ${JSON.stringify(f.label)}, found ${s.found()}${stray}`);
      }
    }
    this.depth--;
    return out;
  }

  private field(braced: boolean): Field {
    const s: Scanner = this.s;
    if (!(s.peek() === '"' || s.isUnquotedStart())) {
      s.fail(`expected a key${braced ? ' or "}"' : ""}, found ${s.found()}`);
    }
    this.rejectInclude();
    const keyPos = s.pos();
    const key = s.readPath((at) => !(s.text[at] === '"' || s.isUnquotedAt(at)), "a key");
    s.skipSpaces();
    const afterKey = s.i;
    s.skipBlank();
    if (s.peek() !== "{") {
      s.i = afterKey; // `key` then `{` on a later line is accepted too
    }
    let append = false;
    const d = s.peek();
    if (d === "=" || d === ":") {
      s.i++;
    } else if (d === "+" && s.peek(1) === "=") {
      s.i += 2;
      append = true;
    } else if (d !== "{") {
      s.fail(`expected "=", ":" or "{" after the key ${JSON.stringify(key.text)}, found ${s.found()}`);
    }
    const separator = d === "{" ? "" : append ? "+=" : d!;
    s.skipSpaces();
    const sepAt = s.i;
    s.skipLineRest();
    const valueOnLaterLine = separator !== "" && s.peek() === "\n";
    s.skipBlank();
    const value = this.value(key.path[key.path.length - 1]!, `for ${JSON.stringify(key.text)}`);
    const f: Field = { path: key.path, label: key.text, keyPos, value, append };
    if (valueOnLaterLine) {
      f.separatorEnd = { at: sepAt, separator };
    }
    return f;
  }

  private rejectInclude(): void {
    const s: Scanner = this.s;
    if (!s.text.startsWith("include", s.i) || s.isUnquotedAt(s.i + 7)) {
      return;
    }
    let j = s.i + 7;
    while (isSpace(s.text[j])) {
      j++;
    }
    if (s.text[j] === '"' || /^(required|file|url|classpath)\(/.test(s.text.slice(j, j + 10))) {
      s.fail(`include is not supported in job files; copy the included settings into the file`);
    }
  }

  /** One value, or several on one line concatenated. `section` is the key the value belongs to. */
  private value(section: string | null, what: string): RawValue {
    const s: Scanner = this.s;
    const parts: (RawValue | RawSpace)[] = [];
    while (this.startsValue()) {
      // Only the root's source/transform/sink hold plugin blocks (env's error handler has a `sink { ... }` object).
      const plugins = this.depth === 1 && section !== null && PLUGIN_SECTIONS.has(section);
      parts.push(this.piece(plugins ? section : null));
      const spaceStart = s.i;
      s.skipSpaces();
      if (s.i > spaceStart && this.startsValue()) {
        parts.push({ kind: "ws", text: s.text.slice(spaceStart, s.i), pos: s.pos(spaceStart) });
      }
    }
    const first = parts[0];
    if (first === undefined || first.kind === "ws") {
      s.fail(`expected a value ${what}, found ${s.found()}`);
    }
    if (parts.length === 1) {
      return first;
    }
    return { kind: "concat", parts, pos: first.pos };
  }

  private startsValue(): boolean {
    const s: Scanner = this.s;
    const c = s.peek();
    return c === '"' || c === "{" || c === "[" || (c === "$" && s.peek(1) === "{") || s.isUnquotedStart();
  }

  private piece(section: string | null): RawValue {
    const s: Scanner = this.s;
    const at = s.i;
    const pos = s.pos();
    const c = s.peek();
    if (c === '"') {
      return scalar("string", s.text.startsWith('"""', at) ? s.readTriple() : s.readQuoted(), pos, true);
    }
    if (c === "{") {
      return section !== null ? this.pluginList(at, section) : this.object(at);
    }
    if (c === "[") {
      return this.array(at);
    }
    if (c === "$") {
      const sub = s.readSubstitution();
      return { kind: "subst", path: sub.path, optional: sub.optional, text: sub.text, pos };
    }
    const text = s.readUnquoted();
    if (text === "true" || text === "false") {
      return scalar("boolean", text, pos);
    }
    if (text === "null") {
      return scalar("null", text, pos);
    }
    return scalar(NUMBER.test(text) ? "number" : "string", text, pos);
  }

  private array(open: number): RawArray {
    const s: Scanner = this.s;
    this.enter(open);
    s.i++;
    const items: RawValue[] = [];
    const where = `in the list opened at ${s.where(open)}`;
    for (;;) {
      s.skipBlank();
      const c = s.peek();
      if (c === "]") {
        s.i++;
        break;
      }
      if (c === undefined) {
        s.fail(`expected "]" to close the list opened at ${s.where(open)}, found end of file`);
      }
      if (c === ",") {
        s.fail(`expected a value or "]" ${where}, found ","`);
      }
      items.push(this.value(null, where));
      s.skipLineRest();
      const d = s.peek();
      if (d === ",") {
        s.i++;
      } else if (d !== "\n" && d !== "]" && d !== undefined) {
        s.fail(`expected "," or "]" ${where}, found ${s.found()}`);
      }
    }
    this.depth--;
    return { kind: "array", items, pos: s.pos(open) };
  }

  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) {
      this.s.fail(`expected at most ${MAX_DEPTH} levels of nested objects and lists, found deeper nesting`, at);
    }
  }
}

function wrap(path: string[], value: RawValue, keyPos: Pos): RawValue {
  let v = value;
  for (let k = path.length - 1; k >= 0; k--) {
    v = { kind: "object", entries: [{ key: path[k]!, keyPos, value: v }], pos: keyPos };
  }
  return v;
}

/**
 * HOCON duplicate keys: two objects merge (later keys win), anything else is replaced by the later
 * value. `a += v` appends to the earlier list (`a = ${?a} [v]`).
 */
function mergePath(entries: RawEntry[], path: string[], keyPos: Pos, value: RawValue, append: boolean): void {
  const key = path[0]!;
  const existing = entries.find((e) => e.key === key);
  if (path.length > 1) {
    let target = existing;
    if (target?.value.kind !== "object") {
      const obj: RawObject = { kind: "object", entries: [], pos: keyPos };
      if (target) {
        Object.assign(target, { keyPos, value: obj });
      } else {
        entries.push((target = { key, keyPos, value: obj }));
      }
    }
    mergePath((target.value as RawObject).entries, path.slice(1), keyPos, value, append);
    return;
  }
  let v = value;
  if (append) {
    const list: RawArray = { kind: "array", items: [value], pos: value.pos };
    v = existing ? { kind: "concat", parts: [existing.value, list], pos: existing.value.pos } : list;
  }
  if (!existing) {
    entries.push({ key, keyPos, value: v });
  } else if (existing.value.kind === "object" && v.kind === "object") {
    for (const e of v.entries) {
      mergePath(existing.value.entries, [e.key], e.keyPos, e.value, false);
    }
  } else {
    existing.keyPos = keyPos;
    existing.value = v;
  }
}

export function describeRaw(v: RawValue): string {
  if (v.kind === "subst") {
    return JSON.stringify(v.text);
  }
  if (v.kind === "concat") {
    return "several values written together";
  }
  if (v.kind === "object") {
    return "an object";
  }
  if (v.kind === "array") {
    return "a list";
  }
  return describeNode(v);
}
