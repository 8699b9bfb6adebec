/**
 * Incremental syncs on the job master (docs/incremental.md). A source with `position()` (a Jdbc
 * source with incremental_column) gets the position its job name's last finished run stored,
 * plans splits that read only past it, and says where they read up to. That range travels in
 * every checkpoint of the pipeline (Checkpoint.positions) next to the sinks' prepared commits, and
 * is stored for the job name only after the pipeline's final checkpoint is committed.
 *
 * A run killed after its final checkpoint was stored, but before its positions were, is finished
 * by the next plain run of the same job name: its commits are committed again (idempotent) and its
 * positions adopted, if they start where the stored ones are. A run that stopped after a periodic
 * checkpoint committed part of its range is not guessed at: the next run refuses to start until
 * it is resumed with `-r` (which then stores its positions) or its folder is removed.
 */
import type { Logger } from "../api/connector.ts";
import { ConfigError, JobError } from "../api/errors.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import { idleRunIds } from "../checkpoint/folders.ts";
import { type JobState, StateStore, stateDirOf } from "../checkpoint/state-store.ts";
import { type Checkpoint, CheckpointStorage, encodeState, type SourcePosition } from "../checkpoint/storage.ts";
import type { BoundJob } from "../plan/bind.ts";
import { fingerprint } from "../plan/explain.ts";

interface Incremental {
  store: StateStore;
  log: Logger;
  /** State writes of several pipelines, one after the other. */
  queue: Promise<unknown>;
}

// Keyed by the job the job master runs (workers bind their own copy and never plan splits).
const runs = new WeakMap<BoundJob, Incremental>();

/** The state key of a source node: its plugin_output, else its label. */
const keyOf = (job: BoundJob, node: number): string => {
  const b = job.dag.nodes[node]!.block;
  return b.output ?? b.label;
};

/**
 * Job master, before the sinks' save modes: sets up the job name's state store when a source is
 * incremental and, in a plain run (not `-r`), finishes what earlier runs of the job name left.
 */
export async function startIncremental(
  job: BoundJob,
  storage: CheckpointStorage | undefined,
  restore: boolean,
  log: Logger,
): Promise<void> {
  if (!job.nodes.some((n) => n?.source?.position)) {
    return;
  }
  if (!storage) {
    throw new ConfigError("INCREMENTAL_NO_STORAGE", "an incremental source needs checkpoint storage, which is off");
  }
  const inc: Incremental = { store: new StateStore(stateDirOf(storage.dir)), log, queue: Promise.resolve() };
  runs.set(job, inc);
  if (!restore) {
    await finishEarlierRuns(job, storage, inc);
  }
}

/** splits() of a source node with its stored position; records the run's range in `positions`. */
export async function splitsOf(
  job: BoundJob,
  node: number,
  parallelism: number,
  speculate: boolean,
  positions: Map<number, SourcePosition>,
): Promise<unknown[][]> {
  const source = job.nodes[node]!.source!;
  const inc = runs.get(job);
  if (!source.position || !inc) {
    return source.splits(parallelism, { speculate });
  }
  const from = inc.store.read(job.jobName)?.sources[keyOf(job, node)];
  const splits = await source.splits(parallelism, { speculate, ...(from !== undefined ? { from } : {}) });
  positions.set(node, { node, from: from ?? null, to: source.position() ?? null });
  return splits;
}

/**
 * After a pipeline's final checkpoint `cp` is committed: stores its incremental sources' positions
 * for the job name. A position whose `from` is not the stored one was stored already (or replaced
 * since) and is left alone, so finishing a run twice never moves a position back.
 */
export function storePositions(job: BoundJob, cp: Checkpoint): Promise<void> {
  const inc = runs.get(job);
  if (!inc || !cp.positions?.length) {
    return Promise.resolve();
  }
  const write = inc.queue.then(async () => {
    const now = new Date().toISOString();
    const state: JobState = inc.store.read(job.jobName) ?? {
      jobName: job.jobName,
      jobId: cp.jobId,
      time: now,
      sources: {},
    };
    let changed = 0;
    for (const p of cp.positions ?? []) {
      const key = keyOf(job, p.node);
      if (encodeState(state.sources[key] ?? null) !== encodeState(p.from)) {
        inc.log.debug(`The incremental position of ${key} moved on since run ${cp.jobId} started; it is kept.`);
        continue;
      }
      state.sources[key] = p.to;
      changed++;
    }
    if (changed) {
      await inc.store.write({ ...state, jobId: cp.jobId, time: now });
      inc.log.info(
        `Stored the incremental position of ${changed} source(s) for job name "${job.jobName}" in ${inc.store.path(job.jobName)}.`,
      );
    }
    crashPoint("incremental-state-stored");
  });
  inc.queue = write.catch(() => {});
  return write;
}

/** Earlier runs of this job name that left checkpoints and that no process runs any more, oldest first. */
function earlierRuns(job: BoundJob, storage: CheckpointStorage): CheckpointStorage[] {
  return idleRunIds(storage.dir, job.jobName, job.jobId).map((id) => new CheckpointStorage(storage.dir, id));
}

async function finishEarlierRuns(job: BoundJob, storage: CheckpointStorage, inc: Incremental): Promise<void> {
  for (const run of earlierRuns(job, storage)) {
    const cps = job.dag.pipelines.map((p) => run.latest(p.id)).filter((cp) => cp !== undefined);
    // Nothing stored, or a run that read nothing incrementally: no position depends on it.
    if (!cps.some((cp) => cp.positions?.length)) {
      continue;
    }
    const resume = `resume it first with: seatunnel run -r ${run.jobId} ${job.job.file}; or remove ${run.jobDir} to read its rows again`;
    const open = cps.find((cp) => !cp.finished);
    if (open) {
      throw new ConfigError(
        "INCREMENTAL_UNFINISHED",
        `run ${run.jobId} of job "${job.jobName}" stopped after checkpoint ${open.checkpointId} of pipeline ${open.pipelineId}, which may have committed part of its rows; ${resume}`,
      );
    }
    if (run.readMeta()?.fingerprint !== fingerprint(job)) {
      // Its commit infos name another plan's nodes: finish it only if it needs nothing more.
      const state = inc.store.read(job.jobName);
      if (state && Date.parse(state.time) >= Math.max(...cps.map((cp) => cp.time))) {
        run.clear();
        continue;
      }
      throw new ConfigError(
        "INCREMENTAL_UNFINISHED",
        `run ${run.jobId} of job "${job.jobName}" stored its final checkpoint but not its position, and ran a different job (its plugins, wiring, parallelism or tables differ); finish it with the job file it ran: seatunnel run -r ${run.jobId} ${run.readMeta()?.file}; or remove ${run.jobDir} to read its rows again`,
      );
    }
    for (const cp of cps) {
      await recommit(job, run, cp);
      await storePositions(job, cp);
    }
    inc.log.info(`Run ${run.jobId} of job "${job.jobName}" had stored its final checkpoint; it is finished now.`);
    run.clear();
  }
}

async function recommit(job: BoundJob, run: CheckpointStorage, cp: Checkpoint): Promise<void> {
  for (const { node, infos } of cp.commits) {
    const sink = job.nodes[node]!.sink!;
    try {
      await sink.commit?.(infos, { checkpointId: cp.checkpointId, end: true });
    } catch (e) {
      throw new JobError(
        "INCREMENTAL_RECOMMIT",
        `finishing run ${run.jobId} of job "${job.jobName}": committing ${job.dag.nodes[node]!.block.label} again: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
