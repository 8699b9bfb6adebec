/**
 * One fused chain: a source subtask's reader and every operator downstream of it, built as nested
 * push functions that hand row arrays along in memory. The same code runs on the main thread and
 * inside pool workers. `--no-fuse` puts a binary encode/decode at every operator boundary, which
 * is what crossing a thread would cost, so the gain of fusion can be measured.
 */
import type { Logger, SinkWriter, SourceReader } from "../api/connector.ts";
import { JobError } from "../api/errors.ts";
import type { Row } from "../api/row.ts";
import type { TableSchema } from "../api/table.ts";
import type { BoundJob, BoundNode } from "../plan/bind.ts";
import { consumersOf } from "../plan/logical.ts";
import { decodeBatch, encodeBatch } from "./codec.ts";
import type { RateLimiter } from "./rate-limit.ts";

type Push = (batch: Row[]) => void | Promise<void>;

/** Row counters a chain updates; read by progress and summaries. */
export interface ChainCounters {
  read: number;
  written: number;
  readByTable: Map<string, number>;
  writtenByTable: Map<string, number>;
  /** Largest number of rows polled but not yet accepted by every sink (back-pressure bound). */
  maxInFlight: number;
}

export interface Chain {
  reader: SourceReader;
  push: Push;
  writers: { node: number; writer: SinkWriter }[];
  counters: ChainCounters;
  sourceTable?: string;
}

export interface ChainSpec {
  sourceNode: number;
  subtask: number;
  parallelism: number;
  splits: unknown[];
  noFuse?: boolean;
}

export interface StopFlag {
  requested: boolean;
}

const IDLE_MAX_MS = 50;
const YIELD_EVERY_MS = 20;

export const newCounters = (): ChainCounters => ({ read: 0, written: 0, readByTable: new Map(), writtenByTable: new Map(), maxInFlight: 0 });

export async function buildChain(job: BoundJob, spec: ChainSpec, log: Logger, counters: ChainCounters = newCounters()): Promise<Chain> {
  const s = job.nodes[spec.sourceNode]!;
  const reader = await s.source!.reader({ subtask: spec.subtask, parallelism: spec.parallelism, log });
  reader.addSplits(spec.splits);
  const writers: Chain["writers"] = [];
  const b = new Builder(job, spec, log, counters, writers);
  const push = await b.downstream(spec.sourceNode, s.outputs);
  const chain: Chain = { reader, push, writers, counters };
  if (s.outputs.length === 1) chain.sourceTable = s.outputs[0]!.id;
  return chain;
}

class Builder {
  private readonly consumers: number[][];

  constructor(
    private readonly job: BoundJob,
    private readonly spec: ChainSpec,
    private readonly log: Logger,
    private readonly counters: ChainCounters,
    private readonly writers: Chain["writers"],
  ) {
    this.consumers = consumersOf(job.dag);
  }

  async downstream(id: number, tables: TableSchema[]): Promise<Push> {
    const next: Push[] = [];
    for (const c of this.consumers[id]!) next.push(await this.operator(c));
    const out = fanOut(next);
    return this.spec.noFuse ? serialized(out, tables) : out;
  }

  private async operator(id: number): Promise<Push> {
    const b = this.job.nodes[id]!;
    if (b.def.kind === "transform") return this.transform(id, b);
    const writer = await b.sink!.writer({ subtask: this.spec.subtask, parallelism: b.node.parallelism, log: this.log });
    this.writers.push({ node: id, writer });
    const single = b.inputs.length === 1 ? b.inputs[0]!.id : undefined;
    const label = b.node.name;
    const c = this.counters;
    return (batch) => {
      c.written += batch.length;
      count(c.writtenByTable, batch, single);
      try {
        const r = writer.write(batch);
        if (r instanceof Promise) return r.catch((e: unknown) => Promise.reject(sinkError(label, e)));
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
    return (batch) => {
      let out: Row[];
      try {
        out = t!.process(batch);
      } catch (e) {
        throw asJobError(e, `transforming rows in ${label}`);
      }
      if (out.length) return down(out);
    };
  }
}

/** SeaTunnel reports sink write failures as "MultiTableWriterRunnable error"; job logs are compared on that text. */
const sinkError = (label: string, e: unknown) => asJobError(e, `writing to ${label} (MultiTableWriterRunnable error)`);

function fanOut(next: Push[]): Push {
  if (next.length === 0) return () => {};
  if (next.length === 1) return next[0]!;
  const from = (i: number, batch: Row[]): void | Promise<void> => {
    for (; i < next.length; i++) {
      const r = next[i]!(batch);
      if (r instanceof Promise) return r.then(() => from(i + 1, batch));
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
  for (const r of batch) map.set(r.table, (map.get(r.table) ?? 0) + 1);
}

/**
 * Polls the reader and pushes each batch down the chain until the reader is done or a stop is
 * requested. Only one batch is in flight per chain: that is the back-pressure.
 */
export async function runChain(c: Chain, stop: StopFlag, limiter?: RateLimiter): Promise<void> {
  let idle = 1;
  let lastYield = performance.now();
  while (!stop.requested) {
    let batch: Row[] | null;
    try {
      const polled = c.reader.poll();
      batch = polled instanceof Promise ? await polled : polled;
    } catch (e) {
      throw asJobError(e, "reading the source");
    }
    if (batch === null) return;
    if (batch.length === 0) {
      await Bun.sleep(idle);
      idle = Math.min(idle * 2, IDLE_MAX_MS);
      continue;
    }
    idle = 1;
    if (limiter) {
      for (let i = 0; i < batch.length && !stop.requested; i += limiter.sliceRows) {
        const slice = batch.slice(i, i + limiter.sliceRows);
        await limiter.acquire(slice);
        await deliver(c, slice);
      }
    } else {
      const r = deliver(c, batch);
      if (r instanceof Promise) await r;
    }
    // Synchronous chains would otherwise starve timers, signals and the other chains.
    const now = performance.now();
    if (now - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((res) => setImmediate(res));
      lastYield = performance.now();
    }
  }
}

function deliver(c: Chain, batch: Row[]): void | Promise<void> {
  const k = c.counters;
  k.read += batch.length;
  count(k.readByTable, batch, c.sourceTable);
  if (batch.length > k.maxInFlight) k.maxInFlight = batch.length;
  return c.push(batch);
}

/** End of a bounded chain: phase one of the commit (prepareCommit) and close, per writer. */
export async function finishChain(c: Chain): Promise<{ node: number; info: unknown }[]> {
  const infos: { node: number; info: unknown }[] = [];
  for (const { node, writer } of c.writers) {
    const info = await writer.prepareCommit?.(1);
    await writer.close();
    if (info !== undefined) infos.push({ node, info });
  }
  await c.reader.close?.();
  return infos;
}

export function asJobError(e: unknown, context: string): JobError {
  if (e instanceof JobError && /^[a-z]+ing /.test(e.message)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = e instanceof JobError ? e.code : "JOB_FAILED";
  return new JobError(code, `${context}: ${msg}`, { cause: e });
}
