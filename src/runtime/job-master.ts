/**
 * The job master (main thread): sink save modes, checkpoint set-up (or restore from a stopped job's
 * checkpoints), pipeline scheduling onto slots (a pipeline needs one slot per chain and waits while
 * too few are free), and stop requests: a stop takes a savepoint of every running pipeline, so
 * `seatunnel run -r <jobId>` continues where the job stopped. Chains run on an executor: this
 * thread for a single chain, else the worker pool.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { ConfigError } from "../api/errors.ts";
import type { PipelineCoordinator } from "../checkpoint/coordinator.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import { CheckpointStorage, type Checkpoint } from "../checkpoint/storage.ts";
import type { ObjectNode } from "../api/tree.ts";
import type { BoundJob } from "../plan/bind.ts";
import { fingerprint } from "../plan/explain.ts";
import type { Pipeline } from "../plan/logical.ts";
import { asJobError } from "./chain.ts";
import { Metrics } from "./metrics.ts";
import { pipelineName, runPipeline, type PipelineContext, type PipelineStatus } from "./pipeline-run.ts";
import type { LimitSpec } from "./protocol.ts";
import { InProcess, poolSizeOf, WorkerPool, type Executor } from "./worker-pool.ts";

export type JobStatus = "FINISHED" | "FAILED" | "CANCELED" | "SAVEPOINT_DONE";

export interface PipelineResult {
  id: number;
  status: PipelineStatus;
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
  /** Aborting takes a savepoint of every running pipeline and stops the job. */
  signal?: AbortSignal;
  metrics?: Metrics;
  /** Pool size; 0 runs every chain on this thread. Default: the machine's cores. */
  workers?: number;
  /** Chains that may run at once (undefined: as many as the job has). */
  slots?: number;
  noFuse?: boolean;
  /** The job file's tree, for workers to bind the same plan. Without it chains run on this thread. */
  tree?: { root: ObjectNode; file: string; verbose: boolean };
  /** Checkpoint directory and how many checkpoints to keep per pipeline. */
  checkpoint?: { dir: string; retained: number };
  /** Resume this job (same job id) from its stored checkpoints. */
  restore?: boolean;
}

/** SeaTunnel's shipped engine config checkpoints streaming jobs every 10 s with a 60 s timeout. */
const STREAMING_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 60_000;

export async function runJob(job: BoundJob, o: RunOptions): Promise<JobResult> {
  const start = new Date();
  const metrics = o.metrics ?? new Metrics();
  const env = job.job.env;
  const chainCount = (p: Pipeline) =>
    p.nodes.reduce((n, id) => n + (job.nodes[id]!.source ? job.dag.nodes[id]!.parallelism : 0), 0);
  const total = job.dag.pipelines.reduce((n, p) => n + chainCount(p), 0);
  const poolSize = poolSizeOf(total, o.workers);
  const executor: Executor =
    poolSize >= 1 && o.tree
      ? new WorkerPool(poolSize, {
          root: o.tree.root,
          file: o.tree.file,
          jobId: job.jobId,
          jobName: job.jobName,
          verbose: o.tree.verbose,
        })
      : new InProcess(job, o.log);
  const results: PipelineResult[] = job.dag.pipelines.map((p) => ({
    id: p.id,
    status: "CANCELED",
    read: 0,
    written: 0,
  }));
  const result = (status: JobStatus, error?: Error): JobResult => {
    for (const r of results) {
      Object.assign(r, metrics.pipeline(r.id));
    }
    return {
      jobId: job.jobId,
      jobName: job.jobName,
      status,
      start,
      end: new Date(),
      metrics,
      pipelines: results,
      threads: executor.threads,
      ...(error ? { error } : {}),
    };
  };

  const storage = o.checkpoint ? new CheckpointStorage(o.checkpoint.dir, job.jobId, o.checkpoint.retained) : undefined;
  // Workers start while the main thread runs the save modes and enumerates splits (which may scan a large file).
  if (executor instanceof WorkerPool) {
    executor.warm();
  }
  let restored: Map<number, Checkpoint | undefined>;
  try {
    restored = prepareStorage(job, storage, o.restore === true);
    if (o.restore) {
      await recoverSinks(job, restored);
    } else {
      for (const n of job.nodes) {
        if (n?.sink?.prepare) {
          await n.sink.prepare();
        }
      }
    }
  } catch (e) {
    await executor.close();
    return result(
      "FAILED",
      e instanceof ConfigError ? e : asJobError(e, o.restore ? "restoring the sinks" : "running the sink save mode"),
    );
  }
  const interval =
    env["checkpoint.interval"] !== undefined
      ? Number(env["checkpoint.interval"])
      : env["job.mode"] === "STREAMING"
        ? STREAMING_INTERVAL_MS
        : undefined;
  if (interval === undefined) {
    o.log.info(
      "checkpoint is disabled: a BATCH job without env checkpoint.interval takes only its final checkpoint, which commits the sinks.",
    );
  } else {
    o.log.info(
      `checkpoint is enabled: every ${interval} ms, timeout ${Number(env["checkpoint.timeout"] ?? DEFAULT_TIMEOUT_MS)} ms.`,
    );
  }

  const state = { stopping: false, failed: undefined as Error | undefined, chainId: 0 };
  const cacheRoot =
    env["source_cache.dir"] ?? join(o.checkpoint?.dir ?? join(tmpdir(), "seatunnel", "checkpoint"), job.jobId, "cache");
  if (env.source_cache) {
    o.log.info(
      `source cache is on: segments under ${cacheRoot}, at most ${env["source_cache.max_bytes"]} unconsumed bytes per chain.`,
    );
  }
  const ctx: PipelineContext = {
    job,
    executor,
    metrics,
    log: o.log,
    ...(storage ? { storage } : {}),
    ...limitOf(env, total),
    noFuse: o.noFuse === true,
    ...(env.source_cache ? { cache: { root: cacheRoot, maxBytes: Number(env["source_cache.max_bytes"]) } } : {}),
    ...(interval !== undefined ? { interval } : {}),
    timeout: Number(env["checkpoint.timeout"] ?? DEFAULT_TIMEOUT_MS),
    retryTimes: env["job.retry.times"],
    retryIntervalMs: env["job.retry.interval.seconds"] * 1000,
    stopping: () => state.stopping,
    active: new Map<number, PipelineCoordinator>(),
    nextChainId: () => ++state.chainId,
  };
  const savepoints: Promise<unknown>[] = [];
  const onStop = () => {
    state.stopping = true;
    o.log.info(
      `Taking a savepoint of ${ctx.active.size} running pipeline(s); resume later with: seatunnel run -r ${job.jobId} <job file>`,
    );
    for (const c of ctx.active.values()) {
      savepoints.push(savepoint(c));
    }
  };
  // A stop requested while the save modes ran has already fired its event.
  if (o.signal?.aborted) {
    onStop();
  } else {
    o.signal?.addEventListener("abort", onStop, { once: true });
  }

  const slots = new Slots(o.slots ?? total, o.log);
  await Promise.all(
    job.dag.pipelines.map(async (p, i) => {
      const need = chainCount(p);
      await slots.acquire(p.id, need);
      try {
        if (state.stopping) {
          return;
        }
        results[i]!.status = await runPipeline(ctx, p, restored.get(p.id));
      } catch (e) {
        const error = asJobError(e, pipelineName(ctx, p));
        results[i]!.status = "FAILED";
        results[i]!.error = error;
        if (!state.failed) {
          state.failed = error;
          state.stopping = true;
          for (const other of job.dag.pipelines) {
            if (other.id !== p.id) {
              executor.abort(other.id);
            }
          }
        }
      } finally {
        slots.release(need);
      }
    }),
  );
  o.signal?.removeEventListener("abort", onStop);
  const savepointError = (await Promise.allSettled(savepoints)).find((r) => r.status === "rejected");
  await executor.close();
  for (const n of job.nodes) {
    await Promise.resolve(n?.source?.close?.()).catch(() => {});
  }
  for (const n of job.nodes) {
    await Promise.resolve(n?.sink?.close?.()).catch(() => {});
  }
  if (state.failed) {
    return result("FAILED", state.failed);
  }
  if (savepointError) {
    return result("FAILED", asJobError((savepointError as PromiseRejectedResult).reason, "taking the savepoint"));
  }
  if (results.every((r) => r.status === "FINISHED")) {
    if (env.source_cache) {
      rmSync(cacheRoot, { recursive: true, force: true });
    }
    return result("FINISHED");
  }
  return result(env["job.mode"] === "STREAMING" ? "CANCELED" : "SAVEPOINT_DONE");
}

/**
 * Restore, once per job before any pipeline runs: commit again what every pipeline's stored
 * checkpoint covers (commit is idempotent), then let each sink undo what the crashed run prepared
 * and no checkpoint covers (Sink.recover). In this order, recover() never discards stored work.
 */
async function recoverSinks(job: BoundJob, restored: Map<number, Checkpoint | undefined>): Promise<void> {
  for (const cp of restored.values()) {
    if (!cp) {
      continue;
    }
    for (const { node, infos } of cp.commits) {
      await job.nodes[node]!.sink!.commit?.(infos, { checkpointId: cp.checkpointId, end: cp.finished || cp.savepoint });
    }
  }
  crashPoint("restore-recommitted");
  for (const n of job.nodes) {
    if (n?.sink?.recover) {
      await n.sink.recover();
    }
  }
}

/** A savepoint waits for a running periodic checkpoint, then takes its own with stop. */
async function savepoint(c: PipelineCoordinator): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const p = c.trigger(true);
    if (!p) {
      return; // every chain had finished
    }
    const cp = await p;
    if (cp.savepoint || cp.finished) {
      return;
    }
  }
}

function limitOf(env: BoundJob["job"]["env"], share: number): { limit?: LimitSpec } {
  const rows = env["read_limit.rows_per_second"];
  const bytes = env["read_limit.bytes_per_second"];
  if (!rows && !bytes) {
    return {};
  }
  return { limit: { share, ...(rows ? { rowsPerSecond: rows } : {}), ...(bytes ? { bytesPerSecond: bytes } : {}) } };
}

/** New job: record what it is. Restore: check it is the same job and load each pipeline's latest checkpoint. */
function prepareStorage(
  job: BoundJob,
  storage: CheckpointStorage | undefined,
  restore: boolean,
): Map<number, Checkpoint | undefined> {
  const out = new Map<number, Checkpoint | undefined>();
  if (!storage) {
    if (restore) {
      throw new ConfigError("RESTORE_UNAVAILABLE", "restoring needs checkpoint storage, which is turned off");
    }
    return out;
  }
  const print = fingerprint(job);
  if (!restore) {
    storage.writeMeta({ jobId: job.jobId, jobName: job.jobName, file: job.job.file, fingerprint: print });
    return out;
  }
  const meta = storage.readMeta();
  if (!meta) {
    throw new ConfigError(
      "RESTORE_NOT_FOUND",
      `there is no checkpoint of job ${job.jobId} under ${storage.dir}; the job id is printed when a job starts ("Job <name> (<id>) starts")`,
    );
  }
  if (meta.fingerprint !== print) {
    throw new ConfigError(
      "RESTORE_INCOMPATIBLE",
      `the job file changed since job ${job.jobId} was checkpointed (its plugins, wiring, parallelism or tables differ), so its checkpoint cannot be applied; run the job without -r to start it afresh.\n  then: ${meta.fingerprint}\n  now:  ${print}`,
    );
  }
  for (const p of job.dag.pipelines) {
    out.set(p.id, storage.latest(p.id));
  }
  return out;
}

/** Pipeline-level scheduling: a pipeline starts when its chains fit in the free slots. */
class Slots {
  private free: number;
  private readonly waiting: { need: number; go: () => void }[] = [];

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
    this.log.info(
      `Pipeline ${id} waits for ${want} free slot(s): ${this.free} of ${this.total} are free; it starts when a running pipeline finishes.`,
    );
    await new Promise<void>((go) => this.waiting.push({ need: want, go }));
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
