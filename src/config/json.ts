/**
 * JSON job files (the REST submit-job body shape) into the positioned tree. Numbers keep their
 * text. SeaTunnel requires `source`/`transform`/`sink` to be lists of objects with `plugin_name`;
 * we also accept the HOCON-like object form and convert it the same way.
 */
import { ConfigError } from "../api/errors.ts";
import { Scanner } from "./hocon-lexer.ts";
import {
  PLUGIN_SECTIONS,
  type Entry,
  type Node,
  type ObjectNode,
  arrayNode,
  describeNode,
  objectNode,
  pluginListOf,
  scalar,
} from "../api/tree.ts";

const MAX_DEPTH = 200;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WS = new Set([" ", "\t", "\r", "\n", "\uFEFF"]);

/** Parses a JSON job; throws ConfigError CONFIG_SYNTAX with file:line:col. The root must be an object. */
export function parseJson(text: string, file: string): ObjectNode {
  const p = new JsonParser(new Scanner(text, file));
  p.ws();
  if (p.s.peek() !== "{") {
    p.s.fail(`expected "{" starting the job object, found ${p.s.found()}`);
  }
  const root = p.object();
  p.ws();
  if (!p.s.eof()) {
    p.s.fail(`expected end of file after the "}" closing the root object, found ${p.s.found()}`);
  }
  return root;
}

/** The plugin-list form of an object under `source`/`transform`/`sink`; non-block children are errors. */
export function toPluginList(obj: ObjectNode, section: string): Node {
  const { list, bad } = pluginListOf(obj);
  const first = bad[0];
  if (first) {
    throw new ConfigError(
      "CONFIG_SYNTAX",
      `expected a plugin block such as ${JSON.stringify(first.key)}: { ... } inside "${section}", found ${describeNode(first.value)}`,
      first.value.pos,
    );
  }
  return list;
}

class JsonParser {
  private depth = 0;

  constructor(readonly s: Scanner) {}

  ws(): void {
    while (WS.has(this.s.peek() ?? "")) {
      this.s.i++;
    }
  }

  private value(key: string | null): Node {
    const s: Scanner = this.s;
    const c = s.peek();
    const pos = s.pos();
    if (c === "{") {
      const obj = this.object();
      // Only the root's source/transform/sink hold plugin blocks (this.depth is the object the key is in).
      return this.depth === 1 && key !== null && PLUGIN_SECTIONS.has(key) ? toPluginList(obj, key) : obj;
    }
    if (c === "[") {
      return this.array();
    }
    if (c === '"') {
      return scalar("string", s.readQuoted(), pos, true);
    }
    NUMBER.lastIndex = s.i;
    const num = NUMBER.exec(s.text);
    if (num && num[0] !== "-" && num[0] !== "") {
      s.i += num[0].length;
      this.endOfWord();
      return scalar("number", num[0], pos);
    }
    for (const word of ["true", "false", "null"] as const) {
      if (s.text.startsWith(word, s.i)) {
        s.i += word.length;
        this.endOfWord();
        return scalar(word === "null" ? "null" : "boolean", word, pos);
      }
    }
    s.fail(`expected a JSON value${key !== null ? ` for ${JSON.stringify(key)}` : ""}, found ${s.found()}`);
  }

  /** A literal must not run into letters or digits (`truex`, `12ab`). */
  private endOfWord(): void {
    if (/[\w.]/.test(this.s.peek() ?? "")) {
      this.s.fail(`expected ",", "}" or "]" after the value, found ${this.s.found()}`);
    }
  }

  object(): ObjectNode {
    const s: Scanner = this.s;
    const open = s.i;
    this.enter(open);
    s.i++;
    const entries: Entry[] = [];
    this.ws();
    if (s.peek() === "}") {
      s.i++;
    } else {
      for (;;) {
        this.ws();
        if (s.eof()) {
          s.fail(`expected "}" to close the object opened at ${s.where(open)}, found end of file`);
        }
        if (s.peek() === "}" && entries.length > 0) {
          s.fail(`expected a quoted key after ",", found "}" (JSON allows no comma after the last entry)`);
        }
        if (s.peek() !== '"') {
          s.fail(`expected a quoted key, found ${s.found()}`);
        }
        const keyAt = s.i;
        const keyPos = s.pos();
        const key = s.readQuoted();
        const dup = entries.find((e) => e.key === key);
        if (dup) {
          s.fail(
            `expected each key once, found ${JSON.stringify(key)} again (first at ${dup.keyPos.line}:${dup.keyPos.col}); JSON job files cannot repeat a key`,
            keyAt,
          );
        }
        this.ws();
        if (s.peek() !== ":") {
          s.fail(`expected ":" after the key ${JSON.stringify(key)}, found ${s.found()}`);
        }
        s.i++;
        this.ws();
        entries.push({ key, keyPos, value: this.value(key) });
        this.ws();
        const d = s.peek();
        s.i++;
        if (d === "}") {
          break;
        }
        if (d !== ",") {
          s.fail(`expected "," or "}" in the object opened at ${s.where(open)}, found ${s.found(s.i - 1)}`, s.i - 1);
        }
      }
    }
    this.depth--;
    return objectNode(entries, s.pos(open));
  }

  private array(): Node {
    const s: Scanner = this.s;
    const open = s.i;
    this.enter(open);
    s.i++;
    const items: Node[] = [];
    this.ws();
    if (s.peek() === "]") {
      s.i++;
    } else {
      for (;;) {
        this.ws();
        if (s.eof()) {
          s.fail(`expected "]" to close the list opened at ${s.where(open)}, found end of file`);
        }
        if (s.peek() === "]") {
          s.fail(`expected a JSON value after ",", found "]" (JSON allows no comma after the last item)`);
        }
        items.push(this.value(null));
        this.ws();
        const d = s.peek();
        s.i++;
        if (d === "]") {
          break;
        }
        if (d !== ",") {
          s.fail(`expected "," or "]" in the list opened at ${s.where(open)}, found ${s.found(s.i - 1)}`, s.i - 1);
        }
      }
    }
    this.depth--;
    return arrayNode(items, s.pos(open));
  }

  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) {
      this.s.fail(`expected at most ${MAX_DEPTH} levels of nested objects and lists, found deeper nesting`, at);
    }
  }
}
