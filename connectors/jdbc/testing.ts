/**
 * Test helpers for the Jdbc connector: options parsed from a HOCON body exactly as a job file's
 * block would be, and the source/sink life cycle driven the way the engine drives it.
 */
import { parseOptions } from "../../src/api/parse-options.ts";
import type { Logger, PluginContext, Row, Sink, Source, TableSchema } from "../../src/api/index.ts";
import { readHocon } from "../../src/config/hocon.ts";
import { getEntry, type ObjectNode } from "../../src/config/tree.ts";
import { jdbcSink, jdbcSource } from "./index.ts";

export const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

function block(kind: "source" | "sink", body: string): ObjectNode {
  const root = readHocon(`${kind} {\n  Jdbc {\n${body}\n  }\n}\n`, "job.conf", { variables: new Map(), env: {} });
  const list = getEntry(root, kind)!.value;
  if (list.kind !== "array" || list.items[0]?.kind !== "object") {
    throw new Error(`no ${kind} block`);
  }
  return list.items[0];
}

const ctx = (label: string, o: Partial<PluginContext>): PluginContext => ({
  label,
  jobId: "42",
  jobName: "test",
  jobMode: "BATCH",
  parallelism: 1,
  log: quiet,
  checkOnly: false,
  ...o,
});

export async function createSource(body: string, o: Partial<PluginContext> = {}): Promise<Source> {
  const res = parseOptions("source Jdbc", block("source", body), jdbcSource.options, jdbcSource.rules);
  if (res.errors.length) {
    throw res.errors[0];
  }
  return jdbcSource.create(res.values as never, ctx("source Jdbc", o));
}

export async function createSink(body: string, inputs: TableSchema[], o: Partial<PluginContext> = {}): Promise<Sink> {
  const res = parseOptions("sink Jdbc", block("sink", body), jdbcSink.options, jdbcSink.rules);
  if (res.errors.length) {
    throw res.errors[0];
  }
  return jdbcSink.create(res.values as never, inputs, ctx("sink Jdbc", o));
}

/** Every row of the source, reader by reader (readers run one after the other). */
export async function readAll(source: Source, parallelism = 1): Promise<Row[]> {
  const splits = await source.splits(parallelism);
  const rows: Row[] = [];
  for (let i = 0; i < parallelism; i++) {
    const r = await source.reader({ subtask: i, parallelism, log: quiet });
    r.addSplits(splits[i] ?? []);
    for (let b = await r.poll(); b !== null; b = await r.poll()) {
      rows.push(...b);
    }
    await r.close?.();
  }
  return rows;
}

/** prepare (save modes), one writer per batch list, prepareCommit, close, then commit on the "master". */
export async function writeAll(sink: Sink, batches: Row[][], o: { commit?: boolean } = {}): Promise<unknown[]> {
  await sink.prepare?.();
  const w = await sink.writer({ subtask: 0, parallelism: 1, log: quiet });
  for (const b of batches) {
    await w.write(b);
  }
  const info = await w.prepareCommit?.(1);
  await w.close();
  const infos = info === undefined ? [] : [info];
  if (o.commit !== false) {
    await sink.commit?.(infos);
  }
  return infos;
}
