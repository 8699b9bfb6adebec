/**
 * The job's checkpoint folder from start to end. At the start job.json records what the job is
 * and which process runs it (a restore checks it is the same job and loads the latest
 * checkpoints). At the end a finished job removes the folder, after its final commits; a failed
 * or stopped one keeps it for `seatunnel run -r` and records how it ended.
 */
import type { Logger } from "../api/connector.ts";
import { ConfigError } from "../api/errors.ts";
import { earlierRuns } from "../checkpoint/folders.ts";
import { currentOwner, ownerAlive } from "../checkpoint/owner.ts";
import type { Checkpoint, CheckpointStorage, EndState, JobMeta } from "../checkpoint/storage.ts";
import type { BoundJob } from "../plan/bind.ts";
import { fingerprint } from "../plan/explain.ts";

/** What became of the job's checkpoint folder. */
export interface CheckpointOutcome {
  /** The job's folder, `<checkpoint dir>/<jobId>`. */
  dir: string;
  /** Kept for `seatunnel run -r` (failed or stopped); false: removed (finished). */
  kept: boolean;
  /** A finished job's rejected rows, which stay where they were written (env error_handler ROUTE). */
  rejects?: string;
}

/** New job: record what it is. Restore: check it is the same job and load each pipeline's latest checkpoint. */
export function prepareStorage(
  job: BoundJob,
  storage: CheckpointStorage | undefined,
  restore: boolean,
): { restored: Map<number, Checkpoint | undefined>; meta?: JobMeta } {
  const out = new Map<number, Checkpoint | undefined>();
  if (!storage) {
    if (restore) {
      throw new ConfigError("RESTORE_UNAVAILABLE", "restoring needs checkpoint storage, which is turned off");
    }
    return { restored: out };
  }
  const print = fingerprint(job);
  const earlier = storage.readMeta();
  if (earlier?.owner && !earlier.ended && ownerAlive(earlier.owner)) {
    throw new ConfigError(
      "JOB_RUNNING",
      `job ${job.jobId} is running (process ${earlier.owner.pid} owns ${storage.jobDir}); stop it before running it again`,
    );
  }
  if (!restore) {
    // Checkpoints of an earlier run with the same job id (--set-job-id) belong to no run any more.
    storage.dropCheckpoints();
    const meta: JobMeta = {
      jobId: job.jobId,
      jobName: job.jobName,
      file: job.job.file,
      fingerprint: print,
      prepared: false,
      owner: currentOwner(),
    };
    storage.writeMeta(meta);
    return { restored: out, meta };
  }
  if (earlier?.ended?.state === "FINISHED") {
    throw new ConfigError(
      "RESTORE_FINISHED",
      `job ${job.jobId} finished, so there is nothing to resume; ${storage.jobDir} holds only its rejected rows`,
    );
  }
  if (!earlier) {
    throw new ConfigError(
      "RESTORE_NOT_FOUND",
      `there is no checkpoint of job ${job.jobId} under ${storage.dir} (a job that finished removed its own); the job id is printed when a job starts ("Job <name> (<id>) starts"), and \`seatunnel checkpoints list\` shows the jobs that can be resumed`,
    );
  }
  if (earlier.fingerprint !== print) {
    throw new ConfigError(
      "RESTORE_INCOMPATIBLE",
      `the job file changed since job ${job.jobId} was checkpointed (its plugins, wiring, parallelism or tables differ), so its checkpoint cannot be applied; run the job without -r to start it afresh.\n  then: ${earlier.fingerprint}\n  now:  ${print}`,
    );
  }
  for (const p of job.dag.pipelines) {
    out.set(p.id, storage.latest(p.id));
  }
  const { ended: _, ...rest } = earlier;
  const meta: JobMeta = { ...rest, owner: currentOwner() };
  storage.writeMeta(meta);
  return { restored: out, meta };
}

/**
 * The end of the job for its folder, once every commit is done: a finished job removes it, any
 * other end keeps it and records the end. Nothing happens to a folder this run never took (a
 * restore refused before it started).
 */
export function settleStorage(
  storage: CheckpointStorage | undefined,
  status: EndState,
  log: Logger,
): CheckpointOutcome | undefined {
  const meta = storage?.readMeta();
  if (!storage || meta?.owner?.pid !== process.pid || meta.ended) {
    return undefined;
  }
  const dir = storage.jobDir;
  try {
    if (status === "FINISHED") {
      const rejects = storage.removeFinished();
      log.debug(`Job ${storage.jobId} finished: its checkpoint folder ${dir} is removed.`);
      return { dir, kept: false, ...(rejects ? { rejects } : {}) };
    }
    storage.markEnded(status);
  } catch (e) {
    log.warn(`Could not settle the checkpoint folder ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { dir, kept: status !== "FINISHED" };
}

/**
 * A new run: each sink undoes what earlier runs of this job name, no longer running, prepared
 * and no stored checkpoint of theirs covers (Sink.recoverEarlier). Without checkpoint storage
 * there are no earlier runs to ask about. Looking is best effort: a failure is a warning.
 */
export async function recoverEarlierRuns(
  job: BoundJob,
  storage: CheckpointStorage | undefined,
  log: Logger,
): Promise<void> {
  if (!storage || !job.nodes.some((n) => n?.sink?.recoverEarlier)) {
    return;
  }
  const runs = earlierRuns(storage.dir, job.jobName, job.jobId);
  if (runs.jobIds.length === 0) {
    return;
  }
  for (const n of job.nodes) {
    try {
      await n?.sink?.recoverEarlier?.(runs);
    } catch (e) {
      log.warn(
        `${n!.node.name} could not undo what earlier runs of job ${job.jobName} left prepared: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
