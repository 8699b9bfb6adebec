/**
 * Maps the statements of a SQL job file to the raw config tree: tables declared WITH become sources and
 * sinks, CREATE TABLE ... AS SELECT and INSERT INTO ... SELECT become Sql transforms and wired sinks, and
 * SET entries are merged into `env` (see sql.ts for the rules).
 */
import { ConfigError } from "../api/errors.ts";
import type { RawEntry, RawObject } from "./hocon.ts";
import { type Pos, scalar } from "../api/tree.ts";
import type { Name, Opt, Source, Tok } from "./sql-lexer.ts";
import type { Stmt } from "./sql-statements.ts";
import { configEntries, optionValue, setEntry } from "./sql-values.ts";

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

/** What the statements add up to, filled in file order. */
interface Built {
  tables: Map<string, Table>;
  sources: RawObject[];
  transforms: RawObject[];
  sinks: RawObject[];
  sets: RawEntry[];
  /** The n of the next `s__temp<n>` name. */
  temp: number;
  /** Sink entries copied by INSERTs so far, bounded by MAX_COPIED. */
  copied: number;
}

export function build(src: Source, stmts: Stmt[], configLines: Set<number>): RawObject {
  const b: Built = { tables: new Map(), sources: [], transforms: [], sinks: [], sets: [], temp: 1, copied: 0 };
  // Tables declared WITH are known to every statement, even ones written before them.
  for (const s of stmts) {
    if (s.kind === "with") {
      declare(src, s, b.tables, b.sources);
    }
  }
  for (const s of stmts) {
    if (s.kind === "set") {
      b.sets.push(setEntry(src, s));
    } else if (s.kind === "as" || s.kind === "insert") {
      wire(src, s, b);
    }
  }
  return assemble(src, configLines, b);
}

type SelectStmt = Extract<Stmt, { kind: "as" | "insert" }>;

/** The table a CREATE TABLE ... AS SELECT or INSERT INTO ... SELECT reads from; refuses what SeaTunnel cannot map. */
function selectedTable(src: Source, s: SelectStmt, label: string): Name {
  const pos = (t: Tok): Pos => src.pos(t.start);
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
    throw invalid(pos(select.at), `${label}: expected the SELECT to name its source table (FROM <table>), found none`);
  }
  return from;
}

/** Adds the Sql transform and, for an INSERT, the sink copy of one SELECT statement. */
function wire(src: Source, s: SelectStmt, b: Built): void {
  const pos = (t: Tok): Pos => src.pos(t.start);
  const label = s.kind === "as" ? `CREATE TABLE ${s.name.text} AS SELECT` : `INSERT INTO ${s.target.text}`;
  const { select } = s;
  const from = selectedTable(src, s, label);
  const input = b.tables.get(from.text);
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
    if (b.tables.has(s.name.text)) {
      throw invalid(pos(s.name.tok), `table "${s.name.text}" is already defined`);
    }
    b.tables.set(s.name.text, { type: "transform" });
    b.transforms.push(sqlTransform(s.name.text, pos(s.name.tok)));
    return;
  }
  let output = from.text;
  if (select.from) {
    b.transforms.push(sqlTransform((output = `${from.text}__temp${b.temp++}`), pos(from.tok)));
  }
  if (!input || input.type === "sink") {
    throw invalid(pos(from.tok), notFound);
  }
  const sink = b.tables.get(s.target.text)?.sink;
  if (!sink) {
    throw invalid(
      pos(s.target.tok),
      `${label}: the sink table "${s.target.text}" is not defined by CREATE TABLE ... WITH ('type' = 'sink', ...)`,
    );
  }
  // Entries are copied, values shared: a later stage may replace a sink's entry value, not edit it.
  if ((b.copied += sink.entries.length) > MAX_COPIED) {
    throw new ConfigError(
      "CONFIG_TOO_LARGE",
      `expected at most ${MAX_COPIED} sink options in all, found more (every INSERT copies its sink)`,
      pos(s.at),
    );
  }
  b.sinks.push(
    obj([...sink.entries.map((e) => ({ ...e })), gen("source_table_name", output, pos(from.tok))], sink.pos),
  );
}

/** The whole tree: the `/* config` entries with SET merged into env, then the three plugin sections. */
function assemble(src: Source, configLines: Set<number>, b: Built): RawObject {
  const { sources, transforms, sinks, sets } = b;
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

/** Registers a CREATE TABLE ... WITH table: a source is emitted now, a sink is kept for the INSERTs that copy it. */
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
