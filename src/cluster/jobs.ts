/**
 * The jobs of a cluster in its store (docs/cluster.md, "Jobs"). Any member takes a submission
 * (PENDING); only the master gives a job to a member (SCHEDULED) or takes it back from a member
 * that died, and those writes are fenced by its epoch; the member it was given to marks it
 * RUNNING and ended, for that attempt only, so a member that was given up on can never overwrite
 * what a later attempt wrote.
 */
import type { SqlTx } from "./driver.ts";

export type JobState = "PENDING" | "SCHEDULED" | "RUNNING" | "CANCELING" | "FINISHED" | "FAILED" | "CANCELED";

export const FINAL_STATES: readonly JobState[] = ["FINISHED", "FAILED", "CANCELED"];

export interface ClusterJob {
  id: string;
  name: string;
  state: JobState;
  /** The job file as SeaTunnel's REST API takes it: JSON, with `plugin_name` in each block. */
  config: string;
  member: string | null;
  attempt: number;
  cancel: boolean;
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
    cancel: Number(r.cancel) === 1,
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

  async submit(id: string, name: string, config: string): Promise<void> {
    const added = await this.db.run(
      `INSERT INTO jobs (cluster, job_id, name, state, config, member, attempt, epoch, cancel, submitted_ms)
       VALUES (?, ?, ?, 'PENDING', ?, NULL, 0, NULL, 0, ${this.now}) ON CONFLICT (cluster, job_id) DO NOTHING`,
      [this.cluster, id, name, config],
    );
    if (added !== 1) {
      throw new JobAlreadyExists(`job ${id} already exists in this cluster`);
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

  /** The master gives a pending job to `member` (in its fenced transaction `tx`); false when it is no longer pending. */
  async schedule(tx: SqlTx, id: string, member: string, epoch: number): Promise<boolean> {
    const n = await tx.run(
      `UPDATE jobs SET state = 'SCHEDULED', member = ?, attempt = attempt + 1, epoch = ?
       WHERE cluster = ? AND job_id = ? AND state = 'PENDING'`,
      [member, epoch, this.cluster, id],
    );
    return n === 1;
  }

  /** The master takes back a job whose member died (fenced): pending again, for its next attempt. */
  async requeue(tx: SqlTx, id: string, attempt: number): Promise<boolean> {
    const n = await tx.run(
      `UPDATE jobs SET state = CASE WHEN cancel = 1 THEN 'CANCELED' ELSE 'PENDING' END, member = NULL,
         finished_ms = CASE WHEN cancel = 1 THEN ${this.now} ELSE NULL END
       WHERE cluster = ? AND job_id = ? AND attempt = ? AND state IN ('SCHEDULED', 'RUNNING', 'CANCELING')`,
      [this.cluster, id, attempt],
    );
    return n === 1;
  }

  /** Its member starts the job's attempt; false when the attempt is no longer its own. */
  async start(id: string, member: string, attempt: number): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE jobs SET state = CASE WHEN cancel = 1 THEN 'CANCELING' ELSE 'RUNNING' END, started_ms = ${this.now}
       WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ? AND state = 'SCHEDULED'`,
      [this.cluster, id, member, attempt],
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

  /** Its member records how the attempt ended; false when the attempt is no longer its own. */
  async end(
    id: string,
    member: string,
    attempt: number,
    state: "FINISHED" | "FAILED" | "CANCELED",
    error: string | null,
    metrics: Record<string, unknown> | null,
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE jobs SET state = ?, error = ?, metrics = ?, finished_ms = ${this.now}
       WHERE cluster = ? AND job_id = ? AND member = ? AND attempt = ? AND state IN ('RUNNING', 'CANCELING')`,
      [state, error, metrics === null ? null : JSON.stringify(metrics), this.cluster, id, member, attempt],
    );
    return n === 1;
  }

  /** Asks for a job to stop: one not started yet ends CANCELED at once; a running one is stopped by its member. */
  async cancel(id: string): Promise<JobState | undefined> {
    await this.db.run(
      `UPDATE jobs SET cancel = 1,
         state = CASE WHEN state IN ('PENDING', 'SCHEDULED') THEN 'CANCELED' WHEN state = 'RUNNING' THEN 'CANCELING' ELSE state END,
         finished_ms = CASE WHEN state IN ('PENDING', 'SCHEDULED') THEN ${this.now} ELSE finished_ms END
       WHERE cluster = ? AND job_id = ?`,
      [this.cluster, id],
    );
    return (await this.get(id))?.state;
  }
}
