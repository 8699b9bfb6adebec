/**
 * One pipeline, with failover: an attempt starts a chain per source subtask (from the restored
 * checkpoint's split positions when there is one), a coordinator takes periodic checkpoints, and
 * the final checkpoint commits the rest. When a chain fails, only this pipeline's chains stop, the
 * prepared-but-uncommitted work is aborted, and the pipeline restarts from its last completed
 * checkpoint, up to `job.retry.times`, with a delay doubling from `job.retry.interval.seconds`
 * (retryDelay). Only a failure that may pass is retried: one its connector classified deterministic
 * (a bad value, a constraint, a wrong password: FailureClass) fails the job at once; an unclassified
 * one is retried, as SeaTunnel retries every failure, and the log says so.
 */
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { type FailureClass, failureOf, JobError, SplitsRejected } from "../api/errors.ts";
import { PipelineCoordinator, type ChainRef } from "../checkpoint/coordinator.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import type { Checkpoint, CheckpointStorage, SourcePosition } from "../checkpoint/storage.ts";
import type { BoundJob } from "../plan/bind.ts";
import { consumersOf, type Pipeline } from "../plan/logical.ts";
import { asJobError, newCounters, type ChainSpec } from "./chain.ts";
import { seedCounters } from "./counts.ts";
import type { Metrics } from "./metrics.ts";
import { splitsOf, storePositions } from "./incremental.ts";
import type { ChainEnd, LimitSpec } from "./protocol.ts";
import { checkBudget, type RejectPolicy } from "./rejects.ts";
import type { Executor } from "./worker-pool.ts";

export type PipelineStatus = "FINISHED" | "FAILED" | "CANCELED" | "SAVEPOINT_DONE";

export interface PipelineContext {
  job: BoundJob;
  executor: Executor;
  metrics: Metrics;
  log: Logger;
  storage?: CheckpointStorage;
  limit?: LimitSpec;
  noFuse: boolean;
  /** Source cache on: its root directory (one sub-directory per chain) and bound. */
  cache?: { root: string; maxBytes: number };
  /** Error handler on (env error_handler): rejected records, their files and the job's budget. */
  rejects?: RejectPolicy;
  /** Periodic checkpoints every this many ms; undefined: only the final one. */
  interval?: number;
  timeout: number;
  retryTimes: number;
  retryIntervalMs: number;
  /** Set when the whole job is stopping (signal or another pipeline's fatal failure). */
  stopping: () => boolean;
  /** Every running pipeline's coordinator, so a stop request can take a savepoint of it. */
  active: Map<number, PipelineCoordinator>;
  /** RunOptions.beforeCommit. */
  beforeCommit?: () => Promise<void>;
  nextChainId: () => number;
}

/** The longest wait between two attempts, unless job.retry.interval.seconds itself is longer. */
const RETRY_CAP_MS = 60_000;

/** Before retry `n` (1-based): job.retry.interval.seconds, doubled each retry, capped at RETRY_CAP_MS. */
export function retryDelay(intervalMs: number, n: number): number {
  return Math.min(intervalMs * 2 ** (n - 1), Math.max(intervalMs, RETRY_CAP_MS));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits `ms`, or less when the job starts stopping meanwhile (a retry delay may be a minute). */
export async function wait(ms: number, stopping: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0 && !stopping(); left = end - Date.now()) {
    await sleep(Math.min(left, 100));
  }
}

export function pipelineName(ctx: PipelineContext, p: Pipeline): string {
  return `Job ${ctx.job.jobName} (${ctx.job.jobId}), Pipeline: [(${p.id}/${ctx.job.dag.pipelines.length})]`;
}

export async function runPipeline(
  ctx: PipelineContext,
  p: Pipeline,
  restored: Checkpoint | undefined,
): Promise<PipelineStatus> {
  // The job master committed the restored checkpoint's infos again before any pipeline started.
  if (restored) {
    if (restored.finished) {
      ctx.log.info(
        `Pipeline ${p.id} had finished before the restore (checkpoint ${restored.checkpointId}); nothing to do.`,
      );
      await storePositions(ctx.job, restored);
      // Its rows count in the job's counts all the same: the counts are the whole job's.
      for (const c of restored.chains) {
        ctx.metrics.track(p.id, seedCounters(newCounters(), c.counts), `${c.sourceNode}-${c.subtask}`);
      }
      return "FINISHED";
    }
    ctx.log.info(`Pipeline ${p.id} resumes from checkpoint ${restored.checkpointId}.`);
  }
  let from = restored;
  let rerun = false;
  let retries = 0;
  for (;;) {
    const coordinator = newCoordinator(ctx, p, from);
    try {
      return await runAttempt(ctx, p, from, coordinator);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      await abortUncommitted(ctx, coordinator);
      from = coordinator.last ?? from;
      const name = pipelineName(ctx, p);
      // Rejected splits (Source.confirm): nothing was stored or committed, so the pipeline runs
      // again from the start with splits cut on what is now known. That is no retry, and happens once.
      const rejection = rerun || ctx.stopping() ? undefined : await rejectedSplits(ctx, p, error);
      if (rejection) {
        rerun = true;
        ctx.log.info(
          `${name}: ${rejection.message}; the pipeline runs again from the start with splits cut accordingly.`,
        );
        continue;
      }
      const failure = failureOf(error);
      if (failure?.transient === false && !ctx.stopping()) {
        ctx.log.warn(`${name} failed: ${error.message}`);
        ctx.log.info(`${name} is not restarted: ${failure.reason} would fail the same way again.`);
      }
      if (ctx.stopping() || retries >= ctx.retryTimes || failure?.transient === false) {
        throw error;
      }
      retries++;
      await waitToRetry(ctx, name, { error, failure, retry: retries }, from);
      if (ctx.stopping()) {
        throw error;
      }
      if (from) {
        await commitAll(ctx, from.commits, from);
      }
    }
  }
}

/**
 * The rejection behind a failed attempt: the failure itself, or, when a chain failed first on
 * splits cut on an assumption that did not hold, what the sources' confirm() now says.
 */
async function rejectedSplits(ctx: PipelineContext, p: Pipeline, error: Error): Promise<SplitsRejected | undefined> {
  if (error instanceof SplitsRejected) {
    return error;
  }
  return confirmPipeline(ctx, p).then(
    () => undefined,
    (r: unknown) => (r instanceof SplitsRejected ? r : undefined),
  );
}

/** SeaTunnel's lines for a pipeline restart, the retry's reason and delay, then the wait. */
async function waitToRetry(
  ctx: PipelineContext,
  name: string,
  f: { error: Error; failure: FailureClass | undefined; retry: number },
  from: Checkpoint | undefined,
): Promise<void> {
  ctx.log.warn(`${name} failed: ${f.error.message}`);
  ctx.log.info(`Restore time ${f.retry}, pipeline ${name}`);
  const delay = retryDelay(ctx.retryIntervalMs, f.retry);
  const start = from ? `checkpoint ${from.checkpointId}` : "the beginning (no checkpoint was completed)";
  const reason = f.failure?.reason ?? "unclassified failure, retried as SeaTunnel retries every failure";
  ctx.log.info(`${name}: retry ${f.retry}/${ctx.retryTimes} in ${delay / 1000}s from ${start}: ${reason}.`);
  await wait(delay, ctx.stopping);
}

function chainRefs(ctx: PipelineContext, p: Pipeline): ChainRef[] {
  const refs: ChainRef[] = [];
  for (const id of p.nodes) {
    if (!ctx.job.nodes[id]!.source) {
      continue;
    }
    for (let subtask = 0; subtask < ctx.job.dag.nodes[id]!.parallelism; subtask++) {
      refs.push({ id: ctx.nextChainId(), sourceNode: id, subtask });
    }
  }
  return refs;
}

function newCoordinator(ctx: PipelineContext, p: Pipeline, from: Checkpoint | undefined): PipelineCoordinator {
  return new PipelineCoordinator(
    {
      jobId: ctx.job.jobId,
      pipelineId: p.id,
      nextId: (from?.checkpointId ?? 0) + 1,
      ...(ctx.storage ? { storage: ctx.storage } : {}),
      log: ctx.log,
      barrier: (id, stop) => ctx.executor.barrier(p.id, id, stop),
      commit: (commits, cp) => commitAll(ctx, commits, cp),
      committed: (id) => ctx.executor.committed(p.id, id),
      confirm: () => confirmPipeline(ctx, p),
      check: () => checkBudget(ctx.rejects, ctx.metrics.totalRejected),
      ...(ctx.beforeCommit ? { guard: ctx.beforeCommit } : {}),
      recorded: (c) => ctx.metrics.checkpointEnded(c),
    },
    chainRefs(ctx, p),
    from,
  );
}

async function runAttempt(
  ctx: PipelineContext,
  p: Pipeline,
  from: Checkpoint | undefined,
  coordinator: PipelineCoordinator,
): Promise<PipelineStatus> {
  const refs = coordinator.refs;
  const specs = await chainSpecs(ctx, refs, from, coordinator.positions);
  let failure: Error | undefined;
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
    ctx.executor.abort(p.id);
  };
  ctx.active.set(p.id, coordinator);
  // Splits found wrong while the chains run: stop them now rather than when they end.
  confirmPipeline(ctx, p).catch((e: unknown) => {
    if (e instanceof SplitsRejected) {
      fail(e);
    }
  });
  const timer = ctx.interval ? setInterval(() => periodic(ctx, coordinator, fail), ctx.interval) : undefined;
  try {
    const runs = refs.map((ref, i) => {
      // Counted on from the checkpoint the attempt resumes (or from 0): only the final outcome counts.
      const counters = seedCounters(newCounters(), specs[i]!.counts);
      ctx.metrics.track(p.id, counters, `${ref.sourceNode}-${ref.subtask}`);
      return ctx.executor
        .run({
          id: ref.id,
          pipeline: p.id,
          spec: specs[i]!,
          counters,
          ...(ctx.limit ? { limit: ctx.limit } : {}),
          onAck: (a) => coordinator.onAck(ref.id, a),
        })
        .catch((e: unknown): ChainEnd => {
          fail(e);
          return "aborted";
        });
    });
    const ends = await Promise.all(runs);
    if (failure) {
      throw failure;
    }
    if (ends.every((e) => e === "finished")) {
      await storePositions(ctx.job, await coordinator.finished);
      return "FINISHED";
    }
    // Stopped by a savepoint: the job master awaits the savepoint itself.
    return "SAVEPOINT_DONE";
  } catch (e) {
    coordinator.cancel(e instanceof Error ? e : new Error(String(e)));
    throw e;
  } finally {
    if (timer) {
      clearInterval(timer);
    }
    ctx.active.delete(p.id);
  }
}

function periodic(ctx: PipelineContext, coordinator: PipelineCoordinator, fail: (e: unknown) => void): void {
  const done = coordinator.trigger();
  if (!done) {
    return;
  }
  const t = setTimeout(
    () =>
      fail(
        new JobError("CHECKPOINT_TIMEOUT", `checkpoint did not complete within checkpoint.timeout = ${ctx.timeout} ms`),
      ),
    ctx.timeout,
  );
  done.then(
    () => clearTimeout(t),
    (e: unknown) => {
      clearTimeout(t);
      fail(e);
    },
  );
}

/** Every source of the pipeline confirms the splits it gave (Source.confirm). */
async function confirmPipeline(ctx: PipelineContext, p: Pipeline): Promise<void> {
  await Promise.all(p.nodes.map((id) => ctx.job.nodes[id]!.source?.confirm?.()));
}

/**
 * A rerun of the pipeline from scratch leaves no trace of the first run: every sink the source
 * feeds (through transforms) is transactional, and no source cache keeps what was read.
 */
function mayRerun(ctx: PipelineContext, node: number): boolean {
  if (ctx.cache) {
    return false;
  }
  const consumers = consumersOf(ctx.job.dag);
  const seen = new Set<number>();
  const todo = [...consumers[node]!];
  let sinks = 0;
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    const sink = ctx.job.nodes[id]!.sink;
    if (sink) {
      if (sink.transactional !== true) {
        return false;
      }
      sinks++;
    } else {
      todo.push(...consumers[id]!);
    }
  }
  return sinks > 0;
}

/** Splits per chain: the restored positions where the checkpoint has them, else the enumerator's. */
async function chainSpecs(
  ctx: PipelineContext,
  refs: ChainRef[],
  from: Checkpoint | undefined,
  positions: Map<number, SourcePosition>,
): Promise<ChainSpec[]> {
  const fresh = new Map<number, unknown[][]>();
  const enumerate = async (node: number): Promise<unknown[][]> => {
    let s = fresh.get(node);
    if (!s) {
      const parallelism = ctx.job.dag.nodes[node]!.parallelism;
      fresh.set(node, (s = await splitsOf(ctx.job, node, parallelism, mayRerun(ctx, node), positions)));
    }
    return s;
  };
  const specs: ChainSpec[] = [];
  for (const ref of refs) {
    const parallelism = ctx.job.dag.nodes[ref.sourceNode]!.parallelism;
    const saved = from?.chains.find((c) => c.sourceNode === ref.sourceNode && c.subtask === ref.subtask);
    const splits =
      saved && saved.splits !== null ? saved.splits : ((await enumerate(ref.sourceNode))[ref.subtask] ?? []);
    const cache = ctx.cache
      ? { cache: { dir: join(ctx.cache.root, `n${ref.sourceNode}-s${ref.subtask}`), maxBytes: ctx.cache.maxBytes } }
      : {};
    const name = `reject-${ref.sourceNode}-${ref.subtask}`;
    const rejects = ctx.rejects
      ? { rejects: { ...ctx.rejects, name, ...(saved?.rejects ? { state: saved.rejects } : {}) } }
      : {};
    // A chain whose source could not snapshot reads again from the start: its counts start at 0.
    const counts = saved?.counts && saved.splits !== null ? { counts: saved.counts } : {};
    specs.push({
      sourceNode: ref.sourceNode,
      subtask: ref.subtask,
      parallelism,
      splits,
      ...(ctx.noFuse ? { noFuse: true } : {}),
      ...cache,
      ...rejects,
      ...counts,
    });
  }
  return specs;
}

async function commitAll(
  ctx: PipelineContext,
  commits: { node: number; infos: unknown[] }[],
  cp: { checkpointId: number; end?: boolean; finished?: boolean; savepoint?: boolean },
): Promise<void> {
  const info = { checkpointId: cp.checkpointId, end: cp.end ?? (cp.finished === true || cp.savepoint === true) };
  await ctx.beforeCommit?.();
  for (const [i, { node, infos }] of commits.entries()) {
    if (i > 0) {
      crashPoint("sink-committed");
    }
    const b = ctx.job.nodes[node]!;
    try {
      await b.sink!.commit?.(infos, info);
    } catch (e) {
      throw asJobError(e, `committing ${b.node.name}`);
    }
  }
}

async function abortUncommitted(ctx: PipelineContext, coordinator: PipelineCoordinator): Promise<void> {
  for (const { node, infos } of coordinator.uncommitted()) {
    const b = ctx.job.nodes[node]!;
    try {
      await b.sink!.abort?.(infos);
    } catch (e) {
      ctx.log.warn(
        `Aborting the uncommitted work of ${b.node.name} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
