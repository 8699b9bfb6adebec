/**
 * LocalFile's test helpers on top of the connector test kit (src/api/testing.ts): options given as
 * plain objects, every message the connector logs kept in `messages`, and a sink write that deals
 * rows to writers in contiguous slices.
 */
import type { PluginContext, Row, TableSchema } from "../../src/api/index.ts";
import { optionsOf, pluginContext, readAll, recordingLogger } from "../../src/api/testing.ts";
import { localFileSink, localFileSource } from "./index.ts";
import type { SinkOptions, SourceOptions } from "./options.ts";
import { createLocalFileSink, type FileCommitInfo } from "./sink.ts";
import { createLocalFileSource } from "./source.ts";

export const quiet = recordingLogger();
export const messages = quiet.messages;

export function ctx(parallelism = 1, label = "LocalFile"): PluginContext {
  return pluginContext(label, { parallelism, log: quiet });
}

export const sourceOpts = (o: Record<string, unknown>): SourceOptions => optionsOf<SourceOptions>(localFileSource, o);
export const sinkOpts = (o: Record<string, unknown>): SinkOptions => optionsOf<SinkOptions>(localFileSink, o);

/** Reads everything a source config produces, with `parallelism` readers. */
export async function readAllRows(
  o: Record<string, unknown>,
  parallelism = 1,
): Promise<{ rows: Row[]; tables: TableSchema[] }> {
  const source = await createLocalFileSource(sourceOpts(o), ctx(parallelism));
  return { rows: await readAll(source, parallelism, quiet), tables: source.tables };
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
