/**
 * Test helpers: LocalFile source and sink driven through the connector API the way the engine
 * drives them (options parsed from plain objects, splits → readers → polls; writers → prepare →
 * commit), without a job file.
 */
import type { Logger, PluginContext, Row, TableSchema } from "../../src/api/index.ts";
import { type ObjectNode, plainToNode } from "../../src/api/convert.ts";
import { parseOptions } from "../../src/api/parse-options.ts";
import { type SinkOptions, sinkOptions, type SourceOptions, sourceOptions } from "./options.ts";
import { createLocalFileSink, type FileCommitInfo } from "./sink.ts";
import { createLocalFileSource } from "./source.ts";

export const messages: string[] = [];
export const quiet: Logger = {
  info: (m) => messages.push(m),
  warn: (m) => messages.push(m),
  error: (m) => messages.push(m),
  debug() {},
};

export function ctx(parallelism = 1, label = "LocalFile"): PluginContext {
  return { label, jobId: "42", jobName: "test", jobMode: "BATCH", parallelism, log: quiet, checkOnly: false };
}

function parse<V>(o: Record<string, unknown>, spec: Parameters<typeof parseOptions>[2]): V {
  const r = parseOptions("LocalFile", plainToNode(o) as ObjectNode, spec);
  if (r.errors.length) {
    throw r.errors[0];
  }
  return r.values as V;
}

export const sourceOpts = (o: Record<string, unknown>): SourceOptions => parse<SourceOptions>(o, sourceOptions);
export const sinkOpts = (o: Record<string, unknown>): SinkOptions => parse<SinkOptions>(o, sinkOptions);

/** Reads everything a source config produces, with `parallelism` readers. */
export async function readAllRows(
  o: Record<string, unknown>,
  parallelism = 1,
): Promise<{ rows: Row[]; tables: TableSchema[] }> {
  const source = await createLocalFileSource(sourceOpts(o), ctx(parallelism));
  const groups = await source.splits(parallelism);
  const rows: Row[] = [];
  for (let i = 0; i < parallelism; i++) {
    const reader = await source.reader({ subtask: i, parallelism, log: quiet });
    reader.addSplits(structuredClone(groups[i] ?? []));
    for (;;) {
      const b = await reader.poll();
      if (b === null) {
        break;
      }
      rows.push(...b);
    }
    await reader.close?.();
  }
  return { rows, tables: source.tables };
}

/** Writes rows through a sink config: save modes, one writer per slice, prepare, commit. */
export async function writeRows(
  o: Record<string, unknown>,
  tables: TableSchema[],
  rows: Row[],
  writers = 1,
): Promise<FileCommitInfo[]> {
  const sink = await createLocalFileSink(sinkOpts(o), tables, ctx(writers));
  await sink.prepare?.();
  const infos: FileCommitInfo[] = [];
  const per = Math.ceil(rows.length / writers);
  for (let i = 0; i < writers; i++) {
    const w = await sink.writer({ subtask: i, parallelism: writers, log: quiet });
    const mine = rows.slice(i * per, (i + 1) * per);
    for (let k = 0; k < mine.length; k += 1000) {
      await w.write(mine.slice(k, k + 1000));
    }
    const info = await w.prepareCommit?.(1);
    await w.close();
    if (info) {
      infos.push(structuredClone(info));
    }
  }
  await sink.commit?.(infos);
  await sink.close?.();
  return infos;
}
