/**
 * The jobs of a cluster in its store (docs/cluster.md, "Jobs"). Any member takes a submission
 * (PENDING); only the master gives a job to a member (SCHEDULED) or takes it back from a member
 * that died, and those writes are fenced by its epoch; the member it was given to marks it
 * RUNNING and ended, for that attempt only, so a member that was given up on can never overwrite
 * what a later attempt wrote.
 */
import type { CheckpointEvent } from "../checkpoint/coordinator.ts";
import type { SqlTx } from "./driver.ts";

export type JobState =
  | "PENDING"
  | "SCHEDULED"
  | "RUNNING"
  | "CANCELING"
  | "DOING_SAVEPOINT"
  | "FINISHED"
  | "FAILED"
  | "CANCELED"
  | "SAVEPOINT_DONE";

export const FINAL_STATES: readonly JobState[] = ["FINISHED", "FAILED", "CANCELED", "SAVEPOINT_DONE"];
/** The states of a job given to a member: its process runs, or is about to. */
export const ACTIVE_STATES: readonly JobState[] = ["SCHEDULED", "RUNNING", "CANCELING", "DOING_SAVEPOINT"];
/** Every state, in a job's order. */
export const ALL_STATES: readonly JobState[] = ["PENDING", ...ACTIVE_STATES, ...FINAL_STATES];
/** How the job is asked to stop: `savepoint` (SeaTunnel's -s) ends it SAVEPOINT_DONE, resumable with -r. */
export type StopRequest = "cancel" | "savepoint" | null;
const STOP_CODES = { cancel: 1, savepoint: 2 } as const;

/**
 * A job's counts in its `metrics`: live while it runs (its process writes them every second),
 * its run's `--json` object once it ended; both carry these.
 */
export type JobCounts = {
  read?: number;
  written?: number;
  rejected?: number;
  filtered?: number;
  readPerSecond?: number;
  writtenPerSecond?: number;
  readBytes?: number;
  writtenBytes?: number;
  readBytesPerSecond?: number;
  writtenBytesPerSecond?: number;
  sources?: Record<string, { read: number }>;
  sinks?: Record<string, { written?: number; tables?: Record<string, number> }>;
  pipelineRows?: Record<string, { read: number; written: number; readBytes?: number; writtenBytes?: number }>;
  checkpoints?: { completed: number; failed: number; recent: CheckpointEvent[] };
};

/** A job's end, as its member records it. */
export type EndState = "FINISHED" | "FAILED" | "CANCELED" | "SAVEPOINT_DONE";

export interface ClusterJob {
  id: string;
  name: string;
  state: JobState;
  /** The job file as SeaTunnel's REST API takes it: JSON, with `plugin_name` in each block. */
  config: string;
  member: string | null;
  attempt: number;
  stop: StopRequest;
  /** Submitted to resume from its savepoint or last checkpoint (`-r`). */
  restore: boolean;
  /** Slots it needs at least (its largest pipeline's chains), at most (all its chains), and holds on its member. */
  slotsMin: number;
  slotsMax: number;
  slots: number;
  /** Where its last attempt keeps its checkpoints, and the host of the member that ran it. */
  checkpointDir: string | null;
  checkpointHost: string | null;
  submittedMs: number;
  startedMs: number | null;
  finishedMs: number | null;
  error: string | null;
  /** The run's counts (its `--json` output's), once it ended. */
  metrics: Record<string, unknown> | null;
}

type Row = {
  job_id: string;
  name: string;
  state: JobState;
  config: string;
  member: string | null;
  attempt: number | string;
  cancel: number | string;
  restore: number | string;
  slots_min: number | string;
  slots_max: number | string;
  slots: number | string;
  checkpoint_dir: string | null;
  checkpoint_host: string | null;
  submitted_ms: number | string;
  started_ms: number | string | null;
  finished_ms: number | string | null;
  error: string | null;
  metrics: string | null;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

function toJob(r: Row): ClusterJob {
  return {
    id: r.job_id,
    name: r.name,
    state: r.state,
    config: r.config,
    member: r.member,
    attempt: Number(r.attempt),
    stop: Number(r.cancel) === 2 ? "savepoint" : Number(r.cancel) === 1 ? "cancel" : null,
    restore: Number(r.restore) === 1,
    slotsMin: Number(r.slots_min),
    slotsMax: Number(r.slots_max),
    slots: Number(r.slots),
    checkpointDir: r.checkpoint_dir,
    checkpointHost: r.checkpoint_host,
    submittedMs: Number(r.submitted_ms),
    startedMs: num(r.started_ms),
    finishedMs: num(r.finished_ms),
    error: r.error,
    metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as Record<string, unknown>),
  };
}

export class JobAlreadyExists extends Error {}

/** A cluster's jobs: `db` is the store's connection, `now` its clock as SQL. */
export class ClusterJobs {
  constructor(
    private readonly db: SqlTx,
    private readonly cluster: string,
    private readonly now: string,
  ) {}

  /**
   * Stores a submitted job PENDING. A restore (`-r`) of a job this cluster has stopped, or that
   * failed, takes the job's row again with the new file; one of a job that is not over, or that
   * finished, is refused.
   */
  async submit(
    id: string,
    name: string,
    config: string,
    restore = false,
    need: { min: number; max: number } = { min: 1, max: 1 },
  ): Promise<void> {
    const reopen = restore
      ? `DO UPDATE SET name = excluded.name, state = 'PENDING', config = excluded.config, member = NULL,
           cancel = 0, restore = 1, submitted_ms = excluded.submitted_ms, started_ms = NULL, finished_ms = NULL,
           error = NULL, metrics = NULL, slots_min = excluded.slots_min, slots_max = excluded.slots_max, slots = 0
         WHERE jobs.state IN ('FAILED', 'CANCELED', 'SAVEPOINT_DONE')`
      : "DO NOTHING";
    const added = await this.db.run(
      `INSERT INTO jobs (cluster, job_id, name, state, config, member, attempt, epoch, cancel, restore, slots_min, slots_max, submitted_ms)
       VALUES (?, ?, ?, 'PENDING', ?, NULL, 0, NULL, 0, ?, ?, ?, ${this.now}) ON CONFLICT (cluster, job_id) ${reopen}`,
      [this.cluster, id, name, config, restore ? 1 : 0, need.min, need.max],
    );
    if (added !== 1) {
      const state = (await this.get(id))?.state;
      throw new JobAlreadyExists(
        state === "FINISHED"
          ? `job ${id} finished, so there is nothing to resume`
          : `job ${id} already exists in this cluster (${state})${restore ? ": only a stopped or failed job can be resumed" : ""}`,
      );
    }
  }

  async get(id: string): Promise<ClusterJob | undefined> {
    const rows = await this.db.all<Row>("SELECT * FROM jobs WHERE cluster = ? AND job_id = ?", [this.cluster, id]);
    return rows[0] === undefined ? undefined : toJob(rows[0]);
  }

  /** The jobs in `states` (all when empty), oldest submission first. */
  async list(states: readonly JobState[] = []): Promise<ClusterJob[]> {
    const where = states.length ? ` AND state IN (${states.map(() => "?").join(", ")})` : "";
    const rows = await this.db.all<Row>(`SELECT * FROM jobs WHERE cluster = ?${where} ORDER BY submitted_ms, job_id`, [
      this.cluster,
      ...states,
    ]);
    return rows.map(toJob);
  }

  /**
   * The master gives a pending job to `member` with `slots` of its slots (0: dynamic slots), in its
   * fenced transaction `tx`; false when it is no longer pending.
   */
  async schedule(tx: SqlTx, id: string, member: string, epoch: number, slots = 0): Promise<boolean> {
    const n = await tx.run(
      `UPDATE jobs SET state = 'SCHEDULED', member = ?, attempt = attempt + 1, epoch = ?, slots = ?
       WHERE cluster = ? AND job_id = ? AND state = 'PENDING'`,
      [member, epoch, slots, this.cluster, id],
    );
    return n === 1;
  }

  /** The master fails a pending job it cannot place (job-schedule-strategy REJECT), fenced. */
  async reject(tx: SqlTx, id: string, error: string): Promise<boolean> {
    const n = await tx.run(
      `UPDATE jobs SET state = 'FAILED', error = ?, finished_ms = ${this.now}
       WHERE cluster = ? AND job_id = ? AND state = 'PENDING'`,
      [error, this.cluster, id],
    );
    return n === 1;
  }

  /** The master forgets the jobs that ended more than `minutes` ago (history-job-expire-minutes), fenced. */
  async expire(tx: SqlTx, minutes: number): Promise<number> {
    return tx.run(`DELETE FROM jobs WHERE cluster = ? AND state IN (${FINAL}) AND finished_ms < ${this.now} - ?`, [
      this.cluster,
      minutes * 60_000,
    ]);
  }

  /** The master takes back a job whose member died (fenced): pending again, for its next attempt. */
  async requeue(tx: SqlTx, id: string, attempt: number): Promise<boolean> {
    const n = await tx.run(
      `UPDATE jobs SET state = CASE WHEN cancel = 1 THEN 'CANCELED' WHEN cancel = 2 THEN 'SAVEPOINT_DONE' ELSE 'PENDING' END,
         member = NULL, finished_ms = CASE WHEN cancel > 0 THEN ${this.now} ELSE NULL END
       WHERE cluster = ? AND job_id = ? AND attempt = ? AND state IN (${ACTIVE})`,
      [this.cluster, id, attempt],
    );
    return n === 1;
  }

  /** Its member starts the job's attempt; false when the attempt is no longer its own. */
  /** Its member starts the job's attempt, keeping its checkpoints in `where`; false when the attempt is no longer its own. */
  async start(
    id: string,
    member: string,
    attempt: number,
    where: { dir: string; host: string } = { dir: "", host: "" },
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE jobs SET state = CASE WHEN cancel = 1 THEN 'CANCELING' WHEN cancel = 2 THEN 'DOING_SAVEPOINT' ELSE 'RUNNING' END,
         started_ms = ${this.now}, checkpoint_dir = ?, checkpoint_host = ?
       WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ? AND state = 'SCHEDULED'`,
      [where.dir, where.host, this.cluster, id, member, attempt],
    );
    return n === 1;
  }

  /** Its member starts the attempt again at its next tick (an earlier attempt's process still holds the job). */
  async again(id: string, member: string, attempt: number): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE jobs SET state = 'SCHEDULED' WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ? AND state = 'RUNNING'`,
      [this.cluster, id, member, attempt],
    );
    return n === 1;
  }

  /** Its member copies a running attempt's live counts in (its process writes them every second). */
  async live(id: string, member: string, attempt: number, metrics: Record<string, unknown>): Promise<void> {
    await this.db.run(
      `UPDATE jobs SET metrics = ? WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ?
         AND state IN ('RUNNING', 'CANCELING', 'DOING_SAVEPOINT')`,
      [JSON.stringify(metrics), this.cluster, id, member, attempt],
    );
  }

  /** Its member records how the attempt ended; false when the attempt is no longer its own. */
  async end(
    id: string,
    member: string,
    attempt: number,
    state: EndState,
    error: string | null,
    metrics: Record<string, unknown> | null,
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE jobs SET state = ?, error = ?, metrics = ?, finished_ms = ${this.now}
       WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ? AND state IN ('RUNNING', 'CANCELING', 'DOING_SAVEPOINT')`,
      [state, error, metrics === null ? null : JSON.stringify(metrics), this.cluster, id, member, attempt],
    );
    return n === 1;
  }

  /**
   * Asks for a job to stop (the first request holds). One not started yet ends at once: CANCELED,
   * or SAVEPOINT_DONE for a savepoint of a job that ran before (it resumes from its last checkpoint);
   * a running one is stopped by its member, which takes a savepoint either way (a signal's stop).
   */
  async stop(id: string, how: "cancel" | "savepoint"): Promise<JobState | undefined> {
    const idle = how === "savepoint" ? "CASE WHEN attempt > 0 THEN 'SAVEPOINT_DONE' ELSE 'CANCELED' END" : "'CANCELED'";
    await this.db.run(
      `UPDATE jobs SET cancel = CASE WHEN cancel = 0 THEN ? ELSE cancel END,
         state = CASE WHEN state IN ('PENDING', 'SCHEDULED') THEN ${idle}
           WHEN state = 'RUNNING' AND cancel = 0 THEN ? ELSE state END,
         finished_ms = CASE WHEN state IN ('PENDING', 'SCHEDULED') THEN ${this.now} ELSE finished_ms END
       WHERE cluster = ? AND job_id = ?`,
      [STOP_CODES[how], how === "savepoint" ? "DOING_SAVEPOINT" : "CANCELING", this.cluster, id],
    );
    return (await this.get(id))?.state;
  }
}

const ACTIVE = ACTIVE_STATES.map((s) => `'${s}'`).join(", ");
const FINAL = FINAL_STATES.map((s) => `'${s}'`).join(", ");
