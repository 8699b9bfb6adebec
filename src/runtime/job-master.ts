/**
 * The job master (main thread): runs sink save modes, computes every source's splits, schedules
 * pipelines onto slots (a pipeline needs one slot per chain and waits while too few are free),
 * hands chains to an executor (this thread for a single chain, else the worker pool), and commits
 * each pipeline's sinks once all its chains have prepared. The first failure stops the job; a
 * stop request drains and commits what was written.
 */
import type { Logger } from "../api/connector.ts";
import type { ObjectNode } from "../config/tree.ts";
import type { BoundJob } from "../plan/bind.ts";
import type { Pipeline } from "../plan/logical.ts";
import { asJobError, newCounters, type ChainSpec } from "./chain.ts";
import { Metrics } from "./metrics.ts";
import type { LimitSpec } from "./protocol.ts";
import { InProcess, WorkerPool, type ChainOutcome, type Executor } from "./worker-pool.ts";

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
  /** Threads the engine started besides the main thread. */
  threads: number;
  error?: Error;
}

export interface RunOptions {
  log: Logger;
  /** Aborting stops the sources; in-flight batches are written and writers closed. */
  signal?: AbortSignal;
  /** False when restoring: save modes ran already. */
  runSaveModes?: boolean;
  metrics?: Metrics;
  /** Pool size; 0 runs every chain on this thread. Default: the machine's cores. */
  workers?: number;
  /** Chains that may run at once (undefined: as many as the job has). */
  slots?: number;
  noFuse?: boolean;
  /** The job file's tree, for workers to bind the same plan. Without it chains run on this thread. */
  tree?: { root: ObjectNode; file: string; verbose: boolean };
}

export async function runJob(job: BoundJob, o: RunOptions): Promise<JobResult> {
  const start = new Date();
  const metrics = o.metrics ?? new Metrics();
  const chainCount = (p: Pipeline) => p.nodes.reduce((n, id) => n + (job.nodes[id]!.source ? job.dag.nodes[id]!.parallelism : 0), 0);
  const total = job.dag.pipelines.reduce((n, p) => n + chainCount(p), 0);
  const poolSize = Math.min(o.workers ?? navigator.hardwareConcurrency, total);
  const executor: Executor =
    poolSize >= 1 && total > 1 && o.tree
      ? new WorkerPool(poolSize, { root: o.tree.root, file: o.tree.file, jobId: job.jobId, jobName: job.jobName, verbose: o.tree.verbose })
      : new InProcess(job, o.log);
  const result = (status: JobStatus, pipelines: PipelineResult[], error?: Error): JobResult => ({
    jobId: job.jobId,
    jobName: job.jobName,
    status,
    start,
    end: new Date(),
    metrics,
    pipelines,
    threads: executor.threads,
    ...(error ? { error } : {}),
  });
  try {
    if (o.runSaveModes !== false) for (const n of job.nodes) if (n?.sink?.prepare) await n.sink.prepare();
  } catch (e) {
    return result("FAILED", [], asJobError(e, "running the sink save mode"));
  }
  const state = { stopping: false, failed: undefined as Error | undefined };
  const onAbort = () => {
    state.stopping = true;
    executor.stop("drain");
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const env = job.job.env;
  const limit: LimitSpec | undefined =
    env["read_limit.rows_per_second"] || env["read_limit.bytes_per_second"]
      ? { share: total, ...(env["read_limit.rows_per_second"] ? { rowsPerSecond: env["read_limit.rows_per_second"] } : {}), ...(env["read_limit.bytes_per_second"] ? { bytesPerSecond: env["read_limit.bytes_per_second"] } : {}) }
      : undefined;
  const slots = new Slots(o.slots ?? total, o.log);
  const runPipeline = async (p: Pipeline): Promise<PipelineResult> => {
    const need = chainCount(p);
    await slots.acquire(p.id, need);
    try {
      if (state.stopping) return { id: p.id, status: state.failed ? "FAILED" : "CANCELED", read: 0, written: 0 };
      return await runPipelineChains(job, p, executor, metrics, limit, o.noFuse === true);
    } catch (e) {
      const error = asJobError(e, `running pipeline ${p.id}`);
      if (!state.failed) {
        state.failed = error;
        state.stopping = true;
        executor.stop("abort");
      }
      return { id: p.id, status: "FAILED", ...metrics.pipeline(p.id), error };
    } finally {
      slots.release(need);
    }
  };
  const pipelines = await Promise.all(job.dag.pipelines.map(runPipeline));
  o.signal?.removeEventListener("abort", onAbort);
  await executor.close();
  for (const n of job.nodes) await n?.source?.close?.();
  for (const n of job.nodes) await n?.sink?.close?.();
  if (state.failed) return result("FAILED", pipelines, state.failed);
  return result(o.signal?.aborted ? "CANCELED" : "FINISHED", pipelines);
}

async function runPipelineChains(job: BoundJob, p: Pipeline, executor: Executor, metrics: Metrics, limit: LimitSpec | undefined, noFuse: boolean): Promise<PipelineResult> {
  const runs: Promise<ChainOutcome>[] = [];
  for (const id of p.nodes) {
    const s = job.nodes[id]!;
    if (!s.source) continue;
    const parallelism = job.dag.nodes[id]!.parallelism;
    const splits = await s.source.splits(parallelism);
    for (let subtask = 0; subtask < parallelism; subtask++) {
      const counters = newCounters();
      metrics.track(p.id, counters);
      const spec: ChainSpec = { sourceNode: id, subtask, parallelism, splits: splits[subtask] ?? [], ...(noFuse ? { noFuse } : {}) };
      runs.push(executor.run(spec, counters, limit));
    }
  }
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const byNode = new Map<number, unknown[]>();
  for (const r of settled as PromiseFulfilledResult<ChainOutcome>[]) {
    for (const c of r.value.commits) byNode.set(c.node, [...(byNode.get(c.node) ?? []), c.info]);
  }
  for (const [node, infos] of byNode) {
    const b = job.nodes[node]!;
    try {
      await b.sink!.commit?.(infos);
    } catch (e) {
      throw asJobError(e, `committing ${b.node.name}`);
    }
  }
  return { id: p.id, status: "FINISHED", ...metrics.pipeline(p.id) };
}

/** Pipeline-level scheduling: a pipeline starts when its chains fit in the free slots. */
class Slots {
  private free: number;
  private readonly waiting: { id: number; need: number; go: () => void }[] = [];

  constructor(
    readonly total: number,
    private readonly log: Logger,
  ) {
    this.free = total;
  }

  async acquire(id: number, need: number): Promise<void> {
    // A pipeline larger than the whole pool runs alone rather than never.
    const want = Math.min(need, this.total);
    if (this.waiting.length === 0 && this.free >= want) {
      this.free -= want;
      return;
    }
    this.log.info(`Pipeline ${id} waits for ${want} free slot(s): ${this.free} of ${this.total} are free; it starts when a running pipeline finishes.`);
    await new Promise<void>((go) => this.waiting.push({ id, need: want, go }));
    this.log.info(`Pipeline ${id} got ${want} slot(s) and starts.`);
  }

  release(need: number): void {
    this.free += Math.min(need, this.total);
    while (this.waiting.length && this.waiting[0]!.need <= this.free) {
      const w = this.waiting.shift()!;
      this.free -= w.need;
      w.go();
    }
  }
}

