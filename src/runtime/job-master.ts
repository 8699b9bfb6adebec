/**
 * The job master (main thread): sink save modes, checkpoint set-up (or restore from a stopped job's
 * checkpoints), pipeline scheduling onto slots (a pipeline needs one slot per chain and waits while
 * too few are free), and stop requests: a stop takes a savepoint of every running pipeline, so
 * `seatunnel run -r <jobId>` continues where the job stopped. Chains run on an executor: this
 * thread for a single chain, else the worker pool.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { ConfigError } from "../api/errors.ts";
import type { PipelineCoordinator } from "../checkpoint/coordinator.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import {
  CheckpointStorage,
  type Checkpoint,
  type CheckpointMirror,
  checkpointDir as defaultCheckpointDir,
} from "../checkpoint/storage.ts";
import type { ObjectNode } from "../api/tree.ts";
import type { BoundJob } from "../plan/bind.ts";
import type { Pipeline } from "../plan/logical.ts";
import { asJobError } from "./chain.ts";
import { type CheckpointOutcome, prepareStorage, recoverEarlierRuns, settleStorage } from "./job-storage.ts";
import { startIncremental } from "./incremental.ts";
import { Metrics } from "./metrics.ts";
import { reportRejects, startRejects } from "./rejects.ts";
import { pipelineName, runPipeline, type PipelineContext, type PipelineStatus } from "./pipeline-run.ts";
import { limitOf } from "./rate-limit.ts";
import { runSaveModes } from "./save-modes.ts";
import { Slots } from "./slots.ts";
import { InProcess, poolSizeOf, WorkerPool, type Executor } from "./worker-pool.ts";

export type JobStatus = "FINISHED" | "FAILED" | "CANCELED" | "SAVEPOINT_DONE";

export interface PipelineResult {
  id: number;
  status: PipelineStatus;
  read: number;
  written: number;
  rejected: number;
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
  /** The job's checkpoint folder: removed when the job finished, else kept for `-r`. */
  checkpoints?: CheckpointOutcome;
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
  tree?: { root: ObjectNode; file: string; verbose: boolean; stderr?: boolean };
  /** Checkpoint directory and how many checkpoints to keep per pipeline. */
  checkpoint?: { dir: string; retained: number; mirror?: CheckpointMirror | undefined };
  /** Resume this job (same job id) from its stored checkpoints. */
  restore?: boolean;
  /**
   * Called before each checkpoint is stored and before its sinks' work is committed; a throw fails
   * the job at once, storing and committing nothing more. A cluster member's job process checks
   * there that its attempt is still the job's (src/cluster/attempt.ts). A restore's recommit of
   * what stored checkpoints cover is idempotent and not guarded.
   */
  beforeCommit?: () => Promise<void>;
}

const zero = { read: 0, written: 0, rejected: 0 };
/** SeaTunnel's shipped engine config checkpoints streaming jobs every 10 s with a 60 s timeout. */
const STREAMING_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 60_000;

export async function runJob(job: BoundJob, o: RunOptions): Promise<JobResult> {
  const start = new Date();
  const metrics = o.metrics ?? new Metrics();
  const env = job.job.env;
  const total = job.dag.pipelines.reduce((n, p) => n + chainCount(job, p), 0);
  const executor = newExecutor(job, o, total);
  const results: PipelineResult[] = job.dag.pipelines.map((p) => ({ id: p.id, status: "CANCELED", ...zero }));
  const storage = o.checkpoint ? new CheckpointStorage(o.checkpoint.dir, job.jobId, o.checkpoint.retained) : undefined;
  if (storage !== undefined) {
    storage.mirror = o.checkpoint?.mirror;
  }
  // Called once, when every commit is done: only then may a finished job's folder go.
  const result = (status: JobStatus, error?: Error): JobResult => {
    for (const r of results) {
      Object.assign(r, metrics.pipeline(r.id));
    }
    const checkpoints = settleStorage(storage, status, o.log);
    const end = new Date();
    return {
      jobId: job.jobId,
      jobName: job.jobName,
      status,
      start,
      end,
      metrics,
      pipelines: results,
      threads: executor.threads,
      ...(checkpoints ? { checkpoints } : {}),
      ...(error ? { error } : {}),
    };
  };

  logWriteModes(job, o.log);
  let restored: Map<number, Checkpoint | undefined>;
  try {
    await startIncremental(job, storage, o.restore === true, o.log);
    restored = await prepareSinks(job, storage, o.restore === true, o.log, () => o.signal?.aborted === true);
  } catch (e) {
    await executor.close();
    const context = o.restore ? "restoring the sinks" : "running the sink save mode";
    return result("FAILED", e instanceof ConfigError ? e : asJobError(e, context));
  }
  const state: JobState = { stopping: false, failed: undefined, chainId: 0 };
  const ctx = pipelineContext(job, o, { executor, metrics, storage, total, state });
  const stop = watchStop(job, o, ctx, state);
  await runPipelines(ctx, restored, new Slots(o.slots ?? total, o.log), state, results);
  const savepointError = await stop.settled();
  await executor.close();
  await closePlugins(job);
  reportRejects(ctx.rejects, metrics.totalRejected, o.log);
  if (state.failed) {
    return result("FAILED", state.failed);
  }
  if (savepointError) {
    return result("FAILED", asJobError(savepointError, "taking the savepoint"));
  }
  if (results.every((r) => r.status === "FINISHED")) {
    if (ctx.cache) {
      rmSync(ctx.cache.root, { recursive: true, force: true });
    }
    return result("FINISHED");
  }
  return result(env["job.mode"] === "STREAMING" ? "CANCELED" : "SAVEPOINT_DONE");
}

/** Whether the job is stopping, its first fatal failure, and the last chain id handed out. */
interface JobState {
  stopping: boolean;
  failed: Error | undefined;
  chainId: number;
}

/** Chains of a pipeline: one per source subtask. */
export const chainCount = (job: BoundJob, p: Pipeline): number =>
  p.nodes.reduce((n, id) => n + (job.nodes[id]!.source ? job.dag.nodes[id]!.parallelism : 0), 0);

/** The worker pool when there is more than one chain and a tree to bind in the workers, else this thread. */
function newExecutor(job: BoundJob, o: RunOptions, chains: number): Executor {
  const poolSize = poolSizeOf(chains, o.workers);
  if (poolSize < 1 || !o.tree) {
    return new InProcess(job, o.log);
  }
  const pool = new WorkerPool(poolSize, { ...o.tree, jobId: job.jobId, jobName: job.jobName });
  // Workers start while the main thread runs the save modes and enumerates splits (which may scan a large file).
  pool.warm();
  return pool;
}

/** A new job: record it and run the sinks' save modes. A restore: load the checkpoints and recover the sinks. */
async function prepareSinks(
  job: BoundJob,
  storage: CheckpointStorage | undefined,
  restore: boolean,
  log: Logger,
  stopping: () => boolean,
): Promise<Map<number, Checkpoint | undefined>> {
  const { restored, meta } = prepareStorage(job, storage, restore);
  if (restore && meta?.prepared !== false) {
    await recoverSinks(job, restored);
    return restored;
  }
  // A new run, or a restore of a run killed before its save modes ended (no row went through a sink).
  // Earlier killed runs' prepared work would hold locks a save mode waits for (DROP_DATA).
  await recoverEarlierRuns(job, storage, log);
  await runSaveModes(job, log, stopping);
  if (meta && storage) {
    storage.writeMeta({ ...meta, prepared: true });
  }
  return restored;
}

/** What every pipeline of the job shares: executor, checkpointing, limits, the source cache. */
function pipelineContext(
  job: BoundJob,
  o: RunOptions,
  d: { executor: Executor; metrics: Metrics; storage: CheckpointStorage | undefined; total: number; state: JobState },
): PipelineContext {
  const env = job.job.env;
  const interval = checkpointInterval(env, o.log);
  const timeout = Number(env["checkpoint.timeout"] ?? DEFAULT_TIMEOUT_MS);
  const checkpointDir = o.checkpoint?.dir ?? defaultCheckpointDir();
  const cacheRoot = env["source_cache.dir"] ?? join(checkpointDir, job.jobId, "cache");
  const maxBytes = Number(env["source_cache.max_bytes"]);
  if (env.source_cache) {
    o.log.info(`source cache is on: segments under ${cacheRoot}, at most ${maxBytes} unconsumed bytes per chain.`);
  }
  const rejects = startRejects(env, join(checkpointDir, job.jobId, "reject"), o.restore === true, o.log);
  return {
    job,
    executor: d.executor,
    metrics: d.metrics,
    log: o.log,
    ...(d.storage ? { storage: d.storage } : {}),
    ...limitOf(env, d.total),
    noFuse: o.noFuse === true,
    ...(env.source_cache ? { cache: { root: cacheRoot, maxBytes } } : {}),
    ...(rejects ? { rejects } : {}),
    ...(interval !== undefined ? { interval } : {}),
    timeout,
    retryTimes: env["job.retry.times"],
    retryIntervalMs: env["job.retry.interval.seconds"] * 1000,
    stopping: () => d.state.stopping,
    ...(o.beforeCommit ? { beforeCommit: o.beforeCommit } : {}),
    active: new Map<number, PipelineCoordinator>(),
    nextChainId: () => ++d.state.chainId,
  };
}

/** env checkpoint.interval, else SeaTunnel's streaming default; undefined: only the final checkpoint. */
function checkpointInterval(env: BoundJob["job"]["env"], log: Logger): number | undefined {
  const interval =
    env["checkpoint.interval"] !== undefined
      ? Number(env["checkpoint.interval"])
      : env["job.mode"] === "STREAMING"
        ? STREAMING_INTERVAL_MS
        : undefined;
  if (interval === undefined) {
    log.info(
      "checkpoint is disabled: a BATCH job without env checkpoint.interval takes only its final checkpoint, which commits the sinks.",
    );
  } else {
    const timeout = Number(env["checkpoint.timeout"] ?? DEFAULT_TIMEOUT_MS);
    log.info(`checkpoint is enabled: every ${interval} ms, timeout ${timeout} ms.`);
  }
  return interval;
}

/**
 * A stop request (the signal) takes a savepoint of every running pipeline and lets no other start.
 * `settled()` waits for those savepoints and gives the first one's failure.
 */
function watchStop(
  job: BoundJob,
  o: RunOptions,
  ctx: PipelineContext,
  state: JobState,
): { settled(): Promise<unknown> } {
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
  return {
    async settled() {
      o.signal?.removeEventListener("abort", onStop);
      const failed = (await Promise.allSettled(savepoints)).find((r) => r.status === "rejected");
      return failed ? (failed as PromiseRejectedResult).reason : undefined;
    },
  };
}

/** Runs every pipeline as slots allow; the first fatal failure stops the others. */
async function runPipelines(
  ctx: PipelineContext,
  restored: Map<number, Checkpoint | undefined>,
  slots: Slots,
  state: JobState,
  results: PipelineResult[],
): Promise<void> {
  const { job, executor } = ctx;
  await Promise.all(
    job.dag.pipelines.map(async (p, i) => {
      const need = chainCount(job, p);
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
}

/** Each sink says how it writes (Sink.describeWrite), once, before any row moves. */
function logWriteModes(job: BoundJob, log: Logger): void {
  for (const n of job.nodes.filter((x) => x?.sink?.describeWrite)) {
    log.info(`${n!.node.block.label} write mode: ${n!.sink!.describeWrite!()}`);
  }
}

/** Sources and sinks release what they hold (connection pools, files) once the job is over. */
async function closePlugins(job: BoundJob): Promise<void> {
  for (const n of job.nodes) {
    await Promise.resolve(n?.source?.close?.()).catch(() => {});
  }
  for (const n of job.nodes) {
    await Promise.resolve(n?.sink?.close?.()).catch(() => {});
  }
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
