/**
 * Runs a bound job: sink save modes, then every pipeline at once; inside a pipeline each source
 * subtask drives one fused chain (source → transforms → sinks) that hands row arrays from operator
 * to operator in memory. A chain polls its reader only after the previous batch was fully written
 * (back-pressure). The first failure stops the job; a stop request drains and closes cleanly.
 */
import type { Logger, SinkWriter, SourceReader } from "../api/connector.ts";
import { JobError } from "../api/errors.ts";
import type { Row } from "../api/row.ts";
import type { BoundJob, BoundNode } from "../plan/bind.ts";
import { consumersOf } from "../plan/logical.ts";
import { Metrics } from "./metrics.ts";

export type JobStatus = "FINISHED" | "FAILED" | "CANCELED";

export interface PipelineResult {
  id: number;
  status: JobStatus;
  read: number;
  written: number;
  error?: Error;
}

export interface JobResult {
  jobId: string;
  jobName: string;
  status: JobStatus;
  start: Date;
  end: Date;
  metrics: Metrics;
  pipelines: PipelineResult[];
  error?: Error;
}

export interface RunOptions {
  log: Logger;
  /** Aborting stops the sources; in-flight batches are written and writers closed. */
  signal?: AbortSignal;
  /** False when restoring: save modes ran already. */
  runSaveModes?: boolean;
  metrics?: Metrics;
}

type Push = (batch: Row[]) => void | Promise<void>;

interface Chain {
  pipeline: number;
  reader: SourceReader;
  push: Push;
  writers: { node: BoundNode; writer: SinkWriter }[];
  sourceTable?: string;
  sourceNode: number;
}

const IDLE_MAX_MS = 50;
const YIELD_EVERY_MS = 20;

export async function runJob(job: BoundJob, o: RunOptions): Promise<JobResult> {
  const start = new Date();
  const metrics = o.metrics ?? new Metrics();
  const result = (status: JobStatus, pipelines: PipelineResult[], error?: Error): JobResult => ({
    jobId: job.jobId,
    jobName: job.jobName,
    status,
    start,
    end: new Date(),
    metrics,
    pipelines,
    ...(error ? { error } : {}),
  });
  try {
    if (o.runSaveModes !== false) for (const n of job.nodes) if (n?.sink?.prepare) await n.sink.prepare();
  } catch (e) {
    return result("FAILED", [], asError(e, "running the sink save mode"));
  }
  const stop = { requested: false, failed: undefined as Error | undefined };
  const onAbort = () => {
    stop.requested = true;
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const pipelines = await Promise.all(job.dag.pipelines.map((p) => runPipeline(job, p.id, p.nodes, metrics, stop, o.log)));
  o.signal?.removeEventListener("abort", onAbort);
  for (const n of job.nodes) await n?.source?.close?.();
  const failed = pipelines.find((p) => p.status === "FAILED");
  if (failed) return result("FAILED", pipelines, failed.error);
  return result(stop.requested ? "CANCELED" : "FINISHED", pipelines);
}

async function runPipeline(job: BoundJob, id: number, nodeIds: number[], metrics: Metrics, stop: { requested: boolean; failed?: Error }, log: Logger): Promise<PipelineResult> {
  const consumers = consumersOf(job.dag);
  const pm = metrics.pipeline(id);
  const chains: Chain[] = [];
  try {
    for (const sid of nodeIds) {
      const s = job.nodes[sid]!;
      if (!s.source) continue;
      const p = s.node.parallelism;
      const splits = await s.source.splits(p);
      for (let i = 0; i < p; i++) {
        const reader = await s.source.reader({ subtask: i, parallelism: p, log });
        reader.addSplits(splits[i] ?? []);
        const writers: Chain["writers"] = [];
        const push = await buildPush(job, sid, i, consumers, writers, metrics, id, log);
        const tables = s.outputs;
        chains.push({ pipeline: id, reader, push, writers, sourceNode: sid, ...(tables.length === 1 ? { sourceTable: tables[0]!.id } : {}) });
      }
    }
    await Promise.all(chains.map((c) => runChain(c, metrics, stop)));
    if (stop.failed) throw stop.failed;
    const infos = new Map<BoundNode, unknown[]>();
    for (const c of chains) {
      for (const { node, writer } of c.writers) {
        const info = await writer.prepareCommit?.(1);
        await writer.close();
        if (info !== undefined) infos.set(node, [...(infos.get(node) ?? []), info]);
      }
    }
    for (const [node, list] of infos) await node.sink!.commit?.(list);
    for (const c of chains) await c.reader.close?.();
    return { id, status: stop.requested ? "CANCELED" : "FINISHED", read: pm.read, written: pm.written };
  } catch (e) {
    const error = asError(e, `running pipeline ${id}`);
    stop.failed ??= error;
    stop.requested = true;
    for (const c of chains) await Promise.resolve(c.reader.close?.()).catch(() => {});
    return { id, status: "FAILED", read: pm.read, written: pm.written, error };
  }
}

/** Builds the in-memory push function from node `id` down to every sink reachable from it. */
async function buildPush(job: BoundJob, id: number, subtask: number, consumers: number[][], writers: Chain["writers"], metrics: Metrics, pipeline: number, log: Logger): Promise<Push> {
  const next: Push[] = [];
  for (const c of consumers[id]!) next.push(await buildOperator(job, c, subtask, consumers, writers, metrics, pipeline, log));
  return fanOut(next);
}

async function buildOperator(job: BoundJob, id: number, subtask: number, consumers: number[][], writers: Chain["writers"], metrics: Metrics, pipeline: number, log: Logger): Promise<Push> {
  const b = job.nodes[id]!;
  if (b.def.kind === "transform") {
    // Each chain gets its own instance: transform state is per subtask.
    const t = b.def.create(b.options as never, b.inputs, b.ctx);
    const down = await buildPush(job, id, subtask, consumers, writers, metrics, pipeline, log);
    const label = b.node.name;
    return (batch) => {
      let out: Row[];
      try {
        out = t.process(batch);
      } catch (e) {
        throw asError(e, `transforming rows in ${label}`);
      }
      if (out.length) return down(out);
    };
  }
  const writer = await b.sink!.writer({ subtask, parallelism: b.node.parallelism, log });
  writers.push({ node: b, writer });
  const single = b.inputs.length === 1 ? b.inputs[0]!.id : undefined;
  const label = b.node.name;
  return (batch) => {
    metrics.written(pipeline, batch, single);
    try {
      const r = writer.write(batch);
      if (r instanceof Promise) return r.catch((e: unknown) => Promise.reject(sinkError(label, e)));
    } catch (e) {
      throw sinkError(label, e);
    }
  };
}

/** SeaTunnel reports sink write failures as "MultiTableWriterRunnable error"; job logs are compared on that text. */
const sinkError = (label: string, e: unknown) => asError(e, `writing to ${label} (MultiTableWriterRunnable error)`);

function fanOut(next: Push[]): Push {
  if (next.length === 0) return () => {};
  if (next.length === 1) return next[0]!;
  return (batch) => {
    for (let i = 0; i < next.length; i++) {
      const r = next[i]!(batch);
      if (r instanceof Promise) return r.then(() => fanOut(next.slice(i + 1))(batch));
    }
  };
}

async function runChain(c: Chain, metrics: Metrics, stop: { requested: boolean; failed?: Error }): Promise<void> {
  let idle = 1;
  let lastYield = performance.now();
  try {
    while (!stop.requested) {
      const polled = c.reader.poll();
      const batch = polled instanceof Promise ? await polled : polled;
      if (batch === null) return;
      if (batch.length === 0) {
        await Bun.sleep(idle);
        idle = Math.min(idle * 2, IDLE_MAX_MS);
        continue;
      }
      idle = 1;
      metrics.read(c.pipeline, batch, c.sourceTable);
      const r = c.push(batch);
      if (r instanceof Promise) await r;
      // Synchronous chains would otherwise starve timers, signals and the other chains.
      const now = performance.now();
      if (now - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((res) => setImmediate(res));
        lastYield = performance.now();
      }
    }
  } catch (e) {
    stop.failed ??= asError(e, "reading the source");
    stop.requested = true;
  }
}

function asError(e: unknown, context: string): Error {
  if (e instanceof JobError && /^[a-z]+ing /.test(e.message)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = e instanceof JobError ? e.code : "JOB_FAILED";
  return new JobError(code, `${context}: ${msg}`, { cause: e });
}
