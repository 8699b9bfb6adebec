/**
 * Reader for SeaTunnel's SQL job files (`.sql`). Builds the same positioned tree as the HOCON reader,
 * mapping statements the way SeaTunnel's SqlConfigBuilder does (at the corpus commit):
 * - `/* config` ... `*\/` blocks (a line that is exactly `/* config` up to a line that is exactly `*\/`)
 *   are HOCON (usually `env { ... }`); lines starting with `--` inside them are dropped.
 * - `CREATE TABLE t WITH ('connector' = 'X', 'type' = 'source' | 'sink', 'k' = 'v', ...)` declares a
 *   plugin: plugin_name = connector; `connector`, `type` and `result_table_name` are not copied; a
 *   source gets `result_table_name = "t"`; a sink's own `source_table_name` is dropped. A value whose
 *   trimmed text is `{...}` or `[...]` is HOCON; any other value is a string (a multi-line value's lines
 *   are trimmed and joined with a space, and HOCON escapes such as `\n` are decoded, as SeaTunnel's
 *   generated `key = "value"` does). Other types are ignored, as SeaTunnel does.
 * - `CREATE TABLE t AS SELECT ... FROM s` → Sql transform {source_table_name = s, query, result_table_name = t}.
 * - `INSERT INTO k SELECT ... FROM s` → Sql transform with result_table_name `s__temp<n>` (n counts
 *   INSERTs with FROM from 1), and a copy of sink k with `source_table_name` = that name.
 *   `INSERT INTO k SELECT s` (no FROM) wires sink k straight to s, without a transform.
 * Extension (SeaTunnel rejects it): `SET key = value` sets an env key.
 */
import { ConfigError, ConfigErrors } from "../api/errors.ts";
import { type RawArray, type RawEntry, type RawObject, type RawValue, parseHocon } from "./hocon.ts";
import { type ResolveOptions, resolveHocon } from "./hocon-resolve.ts";
import { type ObjectNode, type Pos, scalar } from "../api/tree.ts";
import { type Name, type Opt, type Select, Source, type Tok, isKw, isSym, lex, show } from "./sql-lexer.ts";

type Stmt =
  | { kind: "with"; at: Tok; name: Name; options: Opt[] }
  | { kind: "as"; at: Tok; name: Name; select: Select }
  | { kind: "insert"; at: Tok; target: Name; select: Select }
  | { kind: "set"; at: Tok; key: string; keyTok: Tok; value: Tok; negative: boolean };

/**
 * Reads a `.sql` job file into the positioned tree, resolving unquoted `${x}` substitutions of the
 * HOCON parts like readHocon does. Throws only ConfigError (several unresolved variables: the first,
 * naming how many more there are).
 */
export function readSqlJob(
  text: string,
  file: string,
  opts: ResolveOptions = { variables: new Map(), env: process.env },
): ObjectNode {
  try {
    return resolveHocon(parseSqlJob(text, file), opts);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    const first = e instanceof ConfigErrors ? e.errors[0] : undefined;
    if (first) {
      throw new ConfigError(
        first.code,
        `${first.message} (and ${(e as ConfigErrors).errors.length - 1} more like it)`,
        first.pos,
      );
    }
    throw new ConfigError(
      "CONFIG_SQL_INVALID",
      `cannot resolve the SQL job file: ${e instanceof Error ? e.message : String(e)}`,
      { file, line: 1, col: 1 },
    );
  }
}

/** The raw tree of a `.sql` job file (substitutions unresolved); throws only ConfigError. */
export function parseSqlJob(text: string, file: string): RawObject {
  try {
    const src = new Source(text, file);
    const { toks, configLines } = lex(src);
    return build(src, new Parser(src, toks).statements(), configLines);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    throw new ConfigError(
      "CONFIG_SQL_SYNTAX",
      `cannot read the SQL job file: ${e instanceof Error ? e.message : String(e)}`,
      { file, line: 1, col: 1 },
    );
  }
}

class Parser {
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

interface Table {
  type: "source" | "sink" | "transform";
  sink?: RawObject;
}
const invalid = (pos: Pos, message: string): ConfigError => new ConfigError("CONFIG_SQL_INVALID", message, pos);
const gen = (key: string, text: string, pos: Pos): RawEntry => ({
  key,
  keyPos: pos,
  value: scalar("string", text, pos, true),
});
const obj = (entries: RawEntry[], pos: Pos): RawObject => ({ kind: "object", entries, pos });
const SECTIONS = ["source", "transform", "sink"];
const MAX_COPIED = 1_000_000;

function build(src: Source, stmts: Stmt[], configLines: Set<number>): RawObject {
  const tables = new Map<string, Table>();
  const sources: RawObject[] = [],
    transforms: RawObject[] = [],
    sinks: RawObject[] = [],
    sets: RawEntry[] = [];
  const pos = (t: Tok): Pos => src.pos(t.start);
  for (const s of stmts) {
    if (s.kind === "with") {
      declare(src, s, tables, sources);
    }
  }
  let temp = 1,
    copied = 0;
  for (const s of stmts) {
    if (s.kind === "set") {
      sets.push(setEntry(src, s));
    }
    if (s.kind !== "as" && s.kind !== "insert") {
      continue;
    }
    const label = s.kind === "as" ? `CREATE TABLE ${s.name.text} AS SELECT` : `INSERT INTO ${s.target.text}`;
    const { select } = s;
    if (select.setOp) {
      throw invalid(
        pos(select.setOp),
        `${label}: only a plain SELECT is supported, found ${select.setOp.raw.toUpperCase()}`,
      );
    }
    if (select.subquery) {
      throw invalid(
        pos(select.subquery),
        `${label}: a subquery after FROM is not supported; create it first with CREATE TABLE name AS SELECT ...`,
      );
    }
    const from = select.from ?? (s.kind === "insert" ? select.column : undefined);
    if (!from) {
      throw invalid(
        pos(select.at),
        `${label}: expected the SELECT to name its source table (FROM <table>), found none`,
      );
    }
    const input = tables.get(from.text);
    const sqlTransform = (output: string, outPos: Pos): RawObject =>
      obj(
        [
          gen("plugin_name", "sql", pos(s.at)),
          gen("source_table_name", from.text, pos(from.tok)),
          gen("query", select.query, pos(select.at)),
          gen("result_table_name", output, outPos),
        ],
        pos(s.at),
      );
    const notFound = `${label}: the source table "${from.text}" is not defined by CREATE TABLE ... WITH ('type' = 'source', ...) or CREATE TABLE ... AS SELECT`;
    if (s.kind === "as") {
      if (!input) {
        throw invalid(pos(from.tok), notFound);
      }
      if (tables.has(s.name.text)) {
        throw invalid(pos(s.name.tok), `table "${s.name.text}" is already defined`);
      }
      tables.set(s.name.text, { type: "transform" });
      transforms.push(sqlTransform(s.name.text, pos(s.name.tok)));
      continue;
    }
    let output = from.text;
    if (select.from) {
      transforms.push(sqlTransform((output = `${from.text}__temp${temp++}`), pos(from.tok)));
    }
    if (!input || input.type === "sink") {
      throw invalid(pos(from.tok), notFound);
    }
    const sink = tables.get(s.target.text)?.sink;
    if (!sink) {
      throw invalid(
        pos(s.target.tok),
        `${label}: the sink table "${s.target.text}" is not defined by CREATE TABLE ... WITH ('type' = 'sink', ...)`,
      );
    }
    // Entries are copied, values shared: a later stage may replace a sink's entry value, not edit it.
    if ((copied += sink.entries.length) > MAX_COPIED) {
      throw new ConfigError(
        "CONFIG_TOO_LARGE",
        `expected at most ${MAX_COPIED} sink options in all, found more (every INSERT copies its sink)`,
        pos(s.at),
      );
    }
    sinks.push(
      obj([...sink.entries.map((e) => ({ ...e })), gen("source_table_name", output, pos(from.tok))], sink.pos),
    );
  }
  const start: Pos = { file: src.file, line: 1, col: 1 };
  if (!sources.length) {
    throw invalid(
      start,
      "The SQL config must contain at least one source table: CREATE TABLE name WITH ('connector' = '...', 'type' = 'source', ...)",
    );
  }
  if (!sinks.length) {
    throw invalid(start, "The SQL config must contain `INSERT INTO ... SELECT ...` syntax");
  }
  const entries = configEntries(src, configLines).filter((e) => !SECTIONS.includes(e.key));
  let env = entries.find((e) => e.key === "env");
  if (!env) {
    entries.unshift((env = { key: "env", keyPos: start, value: obj([], start) }));
  }
  if (sets.length) {
    if (env.value.kind !== "object") {
      env.value = obj([], sets[0]!.keyPos);
    }
    const envEntries = (env.value as RawObject).entries;
    const index = new Map(envEntries.map((e, k) => [e.key, k]));
    for (const e of sets) {
      const at = index.get(e.key);
      if (at !== undefined) {
        envEntries[at] = e;
      } else {
        index.set(e.key, envEntries.push(e) - 1);
      }
    }
  }
  const section = (key: string, items: RawObject[]): RawEntry => {
    const p = items[0]?.pos ?? start;
    return { key, keyPos: p, value: { kind: "array", items, pos: p } };
  };
  entries.push(section("source", sources), section("transform", transforms), section("sink", sinks));
  return obj(entries, start);
}

function declare(
  src: Source,
  s: Extract<Stmt, { kind: "with" }>,
  tables: Map<string, Table>,
  sources: RawObject[],
): void {
  if (tables.has(s.name.text)) {
    throw invalid(src.pos(s.name.tok.start), `table "${s.name.text}" is already defined`);
  }
  // Later duplicates of a key win but keep the first one's place, like SeaTunnel's LinkedHashMap.
  const opts = new Map<string, Opt>();
  for (const o of s.options) {
    opts.set(o.key, o);
  }
  const type = opts.get("type")?.value.text.toLowerCase();
  if (type !== "source" && type !== "sink") {
    return;
  }
  const conn = opts.get("connector");
  if (!conn || conn.value.text === "") {
    throw invalid(
      src.pos(s.at.start),
      `CREATE TABLE ${s.name.text}: expected option 'connector' naming the connector plugin (e.g. 'connector' = 'FakeSource'), found ${conn ? "an empty value" : "none"}`,
    );
  }
  let pluginName: RawEntry = {
    key: "plugin_name",
    keyPos: src.pos(conn.keyTok.start),
    value: scalar("string", conn.value.text, src.pos(conn.value.start), conn.value.kind === "string"),
  };
  const entries: RawEntry[] = [];
  for (const o of opts.values()) {
    const low = o.key.toLowerCase();
    if (
      low === "connector" ||
      low === "type" ||
      low === "result_table_name" ||
      (type === "sink" && o.key === "source_table_name")
    ) {
      continue;
    }
    const e: RawEntry = { key: o.key, keyPos: src.pos(o.keyTok.start), value: optionValue(src, o) };
    // SeaTunnel adds plugin_name from the block name as a fallback: an explicit option wins.
    if (o.key === "plugin_name") {
      pluginName = e;
    } else {
      entries.push(e);
    }
  }
  const at = src.pos(s.at.start);
  if (type === "sink") {
    return void tables.set(s.name.text, { type, sink: obj([pluginName, ...entries], at) });
  }
  tables.set(s.name.text, { type });
  sources.push(obj([pluginName, ...entries, gen("result_table_name", s.name.text, src.pos(s.name.tok.start))], at));
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function optionValue(src: Source, o: Opt): RawValue {
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

function setEntry(src: Source, s: Extract<Stmt, { kind: "set" }>): RawEntry {
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
function configEntries(src: Source, lines: Set<number>): RawEntry[] {
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
