/**
 * The connector test kit: what every connector's tests use to drive a connector the way the engine
 * does, without a job file or a running engine.
 *
 * - options: `pluginBlock` / `parseBlock` / `optionsOf` parse a block written as HOCON (or given as
 *   a plain object) against a definition's spec, with the positions a job file would give;
 * - life cycle: `createSource` / `createTransform` / `createSink`, then `readAll`, `runTransform`,
 *   `writeAll` run splits → readers → polls, a transform over rows, writers → prepare → commit;
 * - conformance: `sourceConformance` (splits survive structuredClone, a bounded source ends,
 *   snapshot → restore neither loses nor repeats a row) and `sinkConformance` (nothing prepared is
 *   visible before commit, commit is idempotent, abort discards).
 *
 * Only tests import it. It is the one module of src/api that reaches the job-file parser
 * (src/config/hocon.ts), so that connector tests never import src/config themselves.
 */
import { readHocon } from "../config/hocon.ts";
import type {
  Definition,
  Logger,
  PluginContext,
  PluginKind,
  Sink,
  SinkDefinition,
  Source,
  SourceDefinition,
  SourceReader,
  Transform,
  TransformDefinition,
} from "./connector.ts";
import { plainToNode } from "./convert.ts";
import { ConfigError } from "./errors.ts";
import { type ParseResult, parseOptions } from "./parse-options.ts";
import type { Row, RowKind } from "./row.ts";
import { parseTablePath, type TableSchema, tableId } from "./table.ts";
import { getEntry, type ObjectNode, outputEntry } from "./tree.ts";
import type { DataType } from "./types.ts";

/** An option block: HOCON body text (as inside `name { ... }`), a parsed block, or a plain object. */
type Body = string | ObjectNode | Record<string, unknown>;

/** A logger that drops everything. */
export const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A logger that keeps every message (debug aside), for tests that check what a connector says. */
export function recordingLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const keep = (m: string) => {
    messages.push(m);
  };
  return { messages, info: keep, warn: keep, error: keep, debug() {} };
}

/** A whole HOCON document as the job-file reader gives it (no variables, no environment). */
export function hoconTree(text: string, file = "test.conf"): ObjectNode {
  return readHocon(text, file, { variables: new Map(), env: {} });
}

/** The block of `kind { name { body } }`, positioned as in a job file named `file`. */
export function pluginBlock(kind: PluginKind, name: string, body: string, file = "job.conf"): ObjectNode {
  const root = hoconTree(`${kind} {\n  ${name} {\n${body}\n  }\n}\n`, file);
  const list = getEntry(root, kind)?.value;
  if (list?.kind !== "array" || list.items[0]?.kind !== "object") {
    throw new Error(`no ${kind} block in the text`);
  }
  return list.items[0];
}

/** The label the engine gives a plugin in messages: `source FakeSource`. */
export const labelOf = (def: Definition): string => `${def.kind} ${def.name}`;

function blockOf(def: Definition, body: Body): ObjectNode {
  if (typeof body === "string") {
    return pluginBlock(def.kind, def.name, body);
  }
  return isObjectNode(body) ? body : (plainToNode(body) as ObjectNode);
}

/** Parses a block (HOCON body text, a parsed block, or a plain object) against `def`'s options and rules. */
export function parseBlock(def: Definition, body: Body): ParseResult {
  return parseOptions(labelOf(def), blockOf(def, body), def.options, def.rules, def.allowUnknownOptions);
}

/** The block's `plugin_output` (or `result_table_name`), which the engine passes as ctx.outputName. */
function outputNameOf(block: ObjectNode): string | undefined {
  const v = outputEntry(block)?.value;
  return v?.kind === "scalar" && v.type !== "null" ? v.text : undefined;
}

/** Option values and the context create() gets, as the engine gives them; throws the first option error. */
function prepared(def: Definition, body: Body, o: Partial<PluginContext>): [never, PluginContext] {
  const block = blockOf(def, body);
  const outputName = outputNameOf(block);
  return [optionsOf(def, block) as never, pluginContext(def, { ...(outputName ? { outputName } : {}), ...o })];
}

/** The parsed option values; throws the first error. */
export function optionsOf<V = Record<string, unknown>>(def: Definition, body: Body): V {
  const res = parseBlock(def, body);
  if (res.errors.length > 0) {
    throw res.errors[0];
  }
  return res.values as V;
}

function isObjectNode(v: unknown): v is ObjectNode {
  return typeof v === "object" && v !== null && (v as ObjectNode).kind === "object" && "entries" in v;
}

/** The context the engine passes to create(), with test defaults (job 42, BATCH, parallelism 1, quiet). */
export function pluginContext(def: Definition | string, o: Partial<PluginContext> = {}): PluginContext {
  return {
    label: typeof def === "string" ? def : labelOf(def),
    jobId: "42",
    jobName: "test",
    jobMode: "BATCH",
    parallelism: 1,
    log: quiet,
    checkOnly: false,
    ...o,
  };
}

/** Parses the block and creates the source, as bind does at plan time. */
export async function createSource(def: SourceDefinition, body: Body, o: Partial<PluginContext> = {}): Promise<Source> {
  return def.create(...prepared(def, body, o));
}

export function createTransform(
  def: TransformDefinition,
  body: Body,
  inputs: TableSchema[],
  o: Partial<PluginContext> = {},
): Transform {
  const [values, ctx] = prepared(def, body, o);
  return def.create(values, inputs, ctx);
}

export async function createSink(
  def: SinkDefinition,
  body: Body,
  inputs: TableSchema[],
  o: Partial<PluginContext> = {},
): Promise<Sink> {
  const [values, ctx] = prepared(def, body, o);
  return def.create(values, inputs, ctx);
}

/** The rows a transform makes of `rows`, in one batch (a copy: process may reuse the array). */
export function runTransform(t: Transform, rows: Row[]): Row[] {
  return [...t.process(rows)];
}

/** Polls a reader to its end. */
async function drain(reader: SourceReader, into: Row[]): Promise<void> {
  for (let b = await reader.poll(); b !== null; b = await reader.poll()) {
    into.push(...b);
  }
}

/**
 * Every row of a bounded source, reader after reader, each given a structuredClone of its splits
 * (as a checkpoint or a worker would see them).
 */
export async function readAll(source: Source, parallelism = 1, log: Logger = quiet): Promise<Row[]> {
  const groups = await source.splits(parallelism);
  const rows: Row[] = [];
  for (let i = 0; i < parallelism; i++) {
    const reader = await source.reader({ subtask: i, parallelism, log });
    reader.addSplits(structuredClone(groups[i] ?? []));
    await drain(reader, rows);
    await reader.close?.();
  }
  return rows;
}

/**
 * Writes `batches` through the sink as the engine does: save modes (prepare), one writer per
 * entry of `writers` (the batches are dealt round-robin), prepareCommit(1), close, then commit on
 * the "job master" unless `commit: false`. Returns the commit infos (structuredCloned).
 */
export async function writeAll(
  sink: Sink,
  batches: Row[][],
  o: { commit?: boolean; writers?: number; prepare?: boolean } = {},
): Promise<unknown[]> {
  if (o.prepare !== false) {
    await sink.prepare?.();
  }
  const writers = o.writers ?? 1;
  const infos: unknown[] = [];
  for (let w = 0; w < writers; w++) {
    const writer = await sink.writer({ subtask: w, parallelism: writers, log: quiet });
    for (let b = w; b < batches.length; b += writers) {
      await writer.write(batches[b]!);
    }
    const info = await writer.prepareCommit?.(1);
    await writer.close();
    if (info !== undefined) {
      infos.push(structuredClone(info));
    }
  }
  if (o.commit !== false) {
    await sink.commit?.(infos, { checkpointId: 1, end: true });
  }
  return infos;
}

/** A table `id` (`db.table` or `table`) with nullable columns. */
export function table(id: string, columns: [string, DataType][], extra: Partial<TableSchema> = {}): TableSchema {
  const path = parseTablePath(id);
  return {
    id: tableId(path),
    path,
    columns: columns.map(([name, type]) => ({ name, type, nullable: true })),
    ...extra,
  };
}

export const rowOf = (t: string, fields: unknown[], kind: RowKind = 0 as RowKind): Row => ({ kind, table: t, fields });

/** The ConfigError `f` throws (throws itself when `f` throws nothing or something else). */
export function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

/** A row as comparable text (kind, table, fields; bigint and objects made printable). */
const rowKey = (r: Row): string =>
  JSON.stringify([r.kind, r.table, r.fields], (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

function sameRows(what: string, got: Row[], want: Row[]): void {
  const a = got.map(rowKey).sort();
  const b = want.map(rowKey).sort();
  const missing = b.filter((k) => !a.includes(k)).slice(0, 3);
  const extra = a.filter((k) => !b.includes(k)).slice(0, 3);
  if (a.length !== b.length || a.some((k, i) => k !== b[i])) {
    throw new Error(
      `${what}: ${a.length} rows, expected ${b.length}; missing e.g. ${missing.join(" ")}; extra e.g. ${extra.join(" ")}`,
    );
  }
}

/**
 * The source contract, on a bounded source made fresh by `make`: its splits survive
 * structuredClone unchanged; every reader reaches its end; and a reader snapshotted after its
 * first batch, closed, and replaced by a new reader given that snapshot yields the same rows as an
 * uninterrupted read (nothing lost, nothing repeated). Throws an Error saying what broke.
 */
export async function sourceConformance(make: () => Promise<Source> | Source, parallelism = 2): Promise<void> {
  const source = await make();
  const groups = await source.splits(parallelism);
  if (!Bun.deepEquals(structuredClone(groups), groups)) {
    throw new Error("the splits change under structuredClone: a checkpoint or a worker would see other splits");
  }
  const whole = await readAll(source, parallelism);
  await source.close?.();
  const again = await make();
  const splits = await again.splits(parallelism);
  const resumed: Row[] = [];
  for (let i = 0; i < parallelism; i++) {
    const first = await again.reader({ subtask: i, parallelism, log: quiet });
    first.addSplits(structuredClone(splits[i] ?? []));
    let batch = await first.poll();
    while (batch !== null && batch.length === 0) {
      batch = await first.poll();
    }
    if (batch === null) {
      await first.close?.();
      continue;
    }
    resumed.push(...batch);
    if (!first.snapshot) {
      await drain(first, resumed);
      await first.close?.();
      continue;
    }
    const state = structuredClone(first.snapshot(1));
    await first.close?.();
    const second = await again.reader({ subtask: i, parallelism, log: quiet });
    second.addSplits(state);
    await drain(second, resumed);
    await second.close?.();
  }
  await again.close?.();
  sameRows("a snapshot after the first batch, restored into a new reader", resumed, whole);
}

/**
 * The two-phase-commit contract of an exactly-once sink made fresh by `make`, checked through
 * `count` (the rows the target holds): what a writer prepared is invisible until commit; commit
 * makes all of it visible and a second commit of the same infos changes nothing; what a writer
 * prepared and the job master aborted never appears. Throws an Error saying what broke.
 */
export async function sinkConformance(o: {
  make: () => Promise<Sink>;
  batches: Row[][];
  count: () => Promise<number>;
}): Promise<void> {
  const rows = o.batches.reduce((n, b) => n + b.length, 0);
  const sink = await o.make();
  const before = await o.count();
  const infos = await writeAll(sink, o.batches, { commit: false });
  const expect = async (what: string, want: number) => {
    const got = await o.count();
    if (got !== want) {
      throw new Error(`${what}: the target holds ${got - before} new rows, expected ${want - before}`);
    }
  };
  await expect("after prepareCommit, before commit", before);
  await sink.commit?.(infos, { checkpointId: 1, end: false });
  await expect("after commit", before + rows);
  await sink.commit?.(structuredClone(infos), { checkpointId: 1, end: false });
  await expect("after committing the same infos again", before + rows);
  await sink.close?.();
  const other = await o.make();
  const aborted = await writeAll(other, o.batches, { commit: false, prepare: false });
  await other.abort?.(aborted);
  await expect("after abort", before + rows);
  await other.close?.();
}
