/**
 * One fused chain: a source subtask's reader and every operator downstream of it, built as nested
 * push functions that hand row arrays along in memory. The same code runs on the main thread and
 * inside pool workers. `--no-fuse` puts a binary encode/decode at every operator boundary, which
 * is what crossing a thread would cost, so the gain of fusion can be measured.
 */
import { ByteEstimator } from "../api/row-size.ts";
import { newCounters } from "./counts.ts";
export { newCounters };
import type { Logger, RowPromises, SinkWriter, SourceReader } from "../api/connector.ts";
import { JobError } from "../api/errors.ts";
import type { ChainAck } from "../checkpoint/coordinator.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import type { ChainCounts } from "../checkpoint/storage.ts";
import type { Row } from "../api/row.ts";
import type { TableSchema } from "../api/table.ts";
import type { BoundJob, BoundNode } from "../plan/bind.ts";
import { consumersOf } from "../plan/logical.ts";
import { decodeBatch, encodeBatch } from "./codec.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { CachedReader, isCacheState, type CacheSpec } from "./cache/cached-reader.ts";
import { ChainRejects, type RejectSpec } from "./rejects.ts";
import { countsOf, seedCounters } from "./counts.ts";

type Push = (batch: Row[]) => void | Promise<void>;

/** Row counters a chain updates; read by progress and summaries. */
export interface ChainCounters {
  read: number;
  written: number;
  /** Bytes of the rows read and written, as SeaTunnel counts them (row-size.ts: an estimate from a sample of each batch). */
  readBytes: number;
  writtenBytes: number;
  /** Records the reader could not read and handed to the error handler (env error_handler). */
  rejected: number;
  /** Rows transforms dropped (rows in minus rows out, per batch, never below 0). */
  filtered: number;
  readByTable: Map<string, number>;
  /** Sink name (`Sink[0]-Jdbc`) → table id → rows handed to that sink. */
  writtenBySink: Map<string, Map<string, number>>;
  /** Largest number of rows polled but not yet accepted by every sink (back-pressure bound). */
  maxInFlight: number;
}

export interface Chain {
  reader: SourceReader;
  push: Push;
  writers: { node: number; writer: SinkWriter }[];
  counters: ChainCounters;
  /** Sizes the batches read (counters.readBytes). */
  sized: ByteEstimator;
  sourceTable?: string;
  rejects?: ChainRejects;
}

export interface ChainSpec {
  sourceNode: number;
  subtask: number;
  parallelism: number;
  splits: unknown[];
  noFuse?: boolean;
  /** Source cache on: segment directory of this chain and the bound of unconsumed bytes. */
  cache?: CacheSpec;
  /** Error handler on: this chain's reject files and budget, and its state at the checkpoint it resumes. */
  rejects?: RejectSpec;
  counts?: ChainCounts; // at the checkpoint it resumes: its counters count on from them
}

const IDLE_MAX_MS = 50;
const YIELD_EVERY_MS = 20;

/**
 * What every consumer of a source promises about its rows (ReaderContext.consumers): only for a
 * fused source feeding sinks directly. With --no-fuse or the source cache rows cross an encoder,
 * and a transform reads fields, so then no promise holds.
 */
export function consumerPromises(
  job: BoundJob,
  sourceNode: number,
  o: { noFuse: boolean; cache: boolean },
): RowPromises | undefined {
  const next = consumersOf(job.dag)[sourceNode]!;
  const promises = next.map((c) => job.nodes[c]!.sink?.rows);
  if (o.noFuse || o.cache || promises.length === 0 || promises.some((p) => p === undefined)) {
    return undefined;
  }
  const all = (k: keyof RowPromises) => promises.every((p) => p![k] === true);
  return { sourceText: all("sourceText"), seaTunnelText: all("seaTunnelText"), releasesRows: all("releasesRows") };
}

export async function buildChain(
  job: BoundJob,
  spec: ChainSpec,
  log: Logger,
  counters: ChainCounters = newCounters(),
  batchRows?: number,
): Promise<Chain> {
  const s = job.nodes[spec.sourceNode]!;
  const consumers = consumersOf(job.dag);
  const promises = consumerPromises(job, spec.sourceNode, {
    noFuse: spec.noFuse === true,
    cache: spec.cache !== undefined,
  });
  if (promises?.sourceText && spec.subtask === 0) {
    log.debug(`${s.node.name} may pass rows on as their source text: every consumer writes it as it is.`);
  }
  seedCounters(counters, spec.counts);
  const rejects = spec.rejects ? new ChainRejects(spec.rejects, counters, log) : undefined;
  const inner = await s.source!.reader({
    subtask: spec.subtask,
    parallelism: spec.parallelism,
    log,
    ...(promises ? { consumers: promises } : {}),
    ...(rejects ? { reject: (r) => rejects.reject(r) } : {}),
    ...(batchRows !== undefined ? { batchRows } : {}),
  });
  let reader: SourceReader = inner;
  if (spec.cache) {
    const restored = isCacheState(spec.splits) ? spec.splits[0] : undefined;
    // The cache reads ahead of the chain: the reject state goes with the source position it keeps.
    const mark = rejects ? () => rejects.mark() : undefined;
    reader = new CachedReader(inner, s.outputs, spec.cache, log, restored, mark);
    reader.addSplits(restored ? (restored.$cache.inner ?? []) : spec.splits);
  } else {
    reader.addSplits(spec.splits);
  }
  const writers: Chain["writers"] = [];
  const b = new Builder(job, consumers, spec, log, counters, writers);
  const push = await b.downstream(spec.sourceNode, s.outputs);
  const sized = new ByteEstimator();
  const chain: Chain = { reader, push, writers, counters, sized, ...(rejects ? { rejects } : {}) };
  if (s.outputs.length === 1) {
    chain.sourceTable = s.outputs[0]!.id;
  }
  return chain;
}

class Builder {
  constructor(
    private readonly job: BoundJob,
    private readonly consumers: number[][],
    private readonly spec: ChainSpec,
    private readonly log: Logger,
    private readonly counters: ChainCounters,
    private readonly writers: Chain["writers"],
  ) {}

  async downstream(id: number, tables: TableSchema[]): Promise<Push> {
    const next: Push[] = [];
    for (const c of this.consumers[id]!) {
      next.push(await this.operator(c));
    }
    const out = fanOut(next);
    return this.spec.noFuse ? serialized(out, tables) : out;
  }

  private async operator(id: number): Promise<Push> {
    const b = this.job.nodes[id]!;
    if (b.def.kind === "transform") {
      return this.transform(id, b);
    }
    const writer = await b.sink!.writer({ subtask: this.spec.subtask, parallelism: b.node.parallelism, log: this.log });
    this.writers.push({ node: id, writer });
    const single = b.inputs.length === 1 ? b.inputs[0]!.id : undefined;
    const label = b.node.name;
    const c = this.counters;
    const written = c.writtenBySink.get(label) ?? new Map<string, number>();
    const sized = new ByteEstimator();
    c.writtenBySink.set(label, written);
    return (batch) => {
      c.written += batch.length;
      c.writtenBytes += sized.add(batch);
      count(written, batch, single);
      try {
        const r = writer.write(batch);
        if (r instanceof Promise) {
          return r.catch((e: unknown) => Promise.reject(sinkError(label, e)));
        }
      } catch (e) {
        throw sinkError(label, e);
      }
    };
  }

  private async transform(id: number, b: BoundNode): Promise<Push> {
    // Each chain gets its own instance: transform state is per subtask.
    const t = b.def.kind === "transform" ? b.def.create(b.options as never, b.inputs, b.ctx) : undefined;
    const down = await this.downstream(id, b.outputs);
    const label = b.node.name;
    const c = this.counters;
    return (batch) => {
      const given = batch.length;
      let out: Row[];
      try {
        out = t!.process(batch);
      } catch (e) {
        throw asJobError(e, `transforming rows in ${label}`);
      }
      if (out.length < given) {
        c.filtered += given - out.length;
      }
      if (out.length) {
        return down(out);
      }
    };
  }
}

/** SeaTunnel reports sink write failures as "MultiTableWriterRunnable error"; job logs are compared on that text. */
const sinkError = (label: string, e: unknown) => asJobError(e, `writing to ${label} (MultiTableWriterRunnable error)`);

function fanOut(next: Push[]): Push {
  if (next.length === 0) {
    return () => {};
  }
  if (next.length === 1) {
    return next[0]!;
  }
  const from = (i: number, batch: Row[]): void | Promise<void> => {
    for (; i < next.length; i++) {
      const r = next[i]!(batch);
      if (r instanceof Promise) {
        return r.then(() => from(i + 1, batch));
      }
    }
  };
  return (batch) => from(0, batch);
}

/** `--no-fuse`: the batch crosses the boundary as bytes, as it would between threads. */
function serialized(push: Push, tables: TableSchema[]): Push {
  return (batch) => push(decodeBatch(encodeBatch(batch, tables), tables));
}

function count(map: Map<string, number>, batch: Row[], table: string | undefined): void {
  if (table !== undefined) {
    map.set(table, (map.get(table) ?? 0) + batch.length);
    return;
  }
  for (const r of batch) {
    map.set(r.table, (map.get(r.table) ?? 0) + 1);
  }
}

/**
 * How the job master steers a running chain. `barriers` are checkpoint ids to snapshot at the next
 * batch boundary; after a barrier whose id is `stopAfter`, the chain stops (savepoint). `abort`
 * stops at once without preparing anything (a failure elsewhere in the pipeline).
 */
export interface ChainControl {
  barriers: number[];
  /** Checkpoints that completed and committed: the source may drop what they cover. */
  committed: number[];
  stopAfter?: number;
  abort: boolean;
  ack(a: ChainAck): void;
}

export const newControl = (ack: (a: ChainAck) => void): ChainControl => ({
  barriers: [],
  committed: [],
  abort: false,
  ack,
});

/**
 * Polls the reader and pushes each batch down the chain until the reader is done, a savepoint
 * barrier stops it, or it is aborted. Only one batch is in flight per chain: that is the
 * back-pressure. Barriers are handled between batches, so a snapshot never splits a batch.
 * Returns "finished" (reader done; final ack sent), "stopped" (after a savepoint) or "aborted".
 */
export async function runChain(
  c: Chain,
  ctl: ChainControl,
  limiter?: RateLimiter,
): Promise<"finished" | "stopped" | "aborted"> {
  let idle = 1;
  let lastYield = performance.now();
  let lastCheckpoint = 0;
  for (;;) {
    if (ctl.abort) {
      return "aborted";
    }
    while (ctl.committed.length) {
      // Shift first: with `?.(shift())` a reader without the hook would never consume the queue.
      const id = ctl.committed.shift()!;
      c.reader.notifyCheckpointComplete?.(id);
    }
    while (ctl.barriers.length) {
      const id = ctl.barriers.shift()!;
      lastCheckpoint = id;
      ctl.ack({
        checkpointId: id,
        final: false,
        splits: c.reader.snapshot?.(id) ?? null,
        commits: await prepare(c, id),
        counts: countsOf(c.counters),
        ...(c.rejects ? { rejects: c.rejects.snapshot() } : {}),
      });
      if (ctl.stopAfter !== undefined && id >= ctl.stopAfter) {
        await closeWriters(c);
        return "stopped";
      }
    }
    let batch: Row[] | null;
    try {
      const polled = c.reader.poll();
      batch = polled instanceof Promise ? await polled : polled;
    } catch (e) {
      // The error budget is spent: that is the failure, however the reader wrapped it.
      throw c.rejects?.exceeded ?? asJobError(e, "reading the source");
    }
    if (batch === null) {
      // The final checkpoint of this chain: everything it wrote since the last barrier.
      const commits = await prepare(c, lastCheckpoint + 1);
      await closeWriters(c);
      const state = { counts: countsOf(c.counters), ...(c.rejects ? { rejects: c.rejects.snapshot() } : {}) };
      ctl.ack({ checkpointId: lastCheckpoint + 1, final: true, splits: [], commits, ...state });
      return "finished";
    }
    if (batch.length === 0) {
      await Bun.sleep(idle);
      idle = Math.min(idle * 2, IDLE_MAX_MS);
      continue;
    }
    idle = 1;
    if (limiter) {
      for (let i = 0; i < batch.length && !ctl.abort; i += limiter.sliceRows) {
        const slice = batch.slice(i, i + limiter.sliceRows);
        await limiter.acquire(slice);
        await deliver(c, slice);
      }
    } else {
      const r = deliver(c, batch);
      if (r instanceof Promise) {
        await r;
      }
    }
    // Synchronous chains would otherwise starve timers, signals, barriers and the other chains.
    const now = performance.now();
    if (now - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((res) => setImmediate(res));
      lastYield = performance.now();
    }
  }
}

async function prepare(c: Chain, checkpointId: number): Promise<{ node: number; info: unknown }[]> {
  const out: { node: number; info: unknown }[] = [];
  for (const { node, writer } of c.writers) {
    let info: unknown;
    try {
      info = await writer.prepareCommit?.(checkpointId);
    } catch (e) {
      throw asJobError(e, `preparing the commit of checkpoint ${checkpointId}`);
    }
    crashPoint("writer-prepared");
    if (info !== undefined) {
      out.push({ node, info });
    }
  }
  return out;
}

async function closeWriters(c: Chain): Promise<void> {
  for (const { writer } of c.writers) {
    await writer.close();
  }
  await c.reader.close?.();
  c.rejects?.close();
}

/** After a failure: release the reader; writers discard what they wrote since their last prepareCommit (SinkWriter.abort). */
export async function abandonChain(c: Chain): Promise<void> {
  await Promise.resolve(c.reader.close?.()).catch(() => {});
  c.rejects?.close();
  for (const { writer } of c.writers) {
    await Promise.resolve(writer.abort?.()).catch(() => {});
  }
}

function deliver(c: Chain, batch: Row[]): void | Promise<void> {
  const k = c.counters;
  k.read += batch.length;
  k.readBytes += c.sized.add(batch);
  count(k.readByTable, batch, c.sourceTable);
  if (batch.length > k.maxInFlight) {
    k.maxInFlight = batch.length;
  }
  return c.push(batch);
}

export function asJobError(e: unknown, context: string): JobError {
  if (e instanceof JobError && /^[a-z]+ing /.test(e.message)) {
    return e;
  }
  const msg = e instanceof Error ? e.message : String(e);
  const code = e instanceof JobError ? e.code : "JOB_FAILED";
  return new JobError(code, `${context}: ${msg}`, { cause: e });
}
