/**
 * The guard of a job process a cluster member started (runner.ts): before each commit of its
 * sinks it checks in the store that the job's current attempt is still its own. A member cut off
 * past the member timeout (paused, partitioned) has its jobs given to other members; its job
 * process, which may run on meanwhile, then fails at its next commit instead of writing what the
 * new attempt writes too.
 */
import { deterministic, JobError } from "../api/errors.ts";
import type { JobState } from "./jobs.ts";
import { ClusterStore, type StoreOptions } from "./store.ts";

/** The states of a job whose process runs (a stop asked for, its savepoint still commits). */
const RUNS = new Set<JobState>(["RUNNING", "CANCELING", "DOING_SAVEPOINT"]);

export interface AttemptSpec {
  store: StoreOptions;
  jobId: string;
  member: string;
  attempt: number;
}

/** RunOptions.beforeCommit for the attempt `spec`: throws (deterministic: no retry) once it is not the job's. */
export function attemptGuard(spec: AttemptSpec): () => Promise<void> {
  let store: Promise<ClusterStore> | undefined;
  return async () => {
    store ??= ClusterStore.open(spec.store);
    const j = await (await store).jobs.get(spec.jobId);
    const current = j !== undefined && j.member === spec.member && j.attempt === spec.attempt;
    if (!current || !RUNS.has(j.state)) {
      const now = j === undefined ? "is gone" : `is attempt ${j.attempt} on ${j.member ?? "no member"} (${j.state})`;
      throw new JobError(
        "CLUSTER_ATTEMPT_SUPERSEDED",
        `job ${spec.jobId}: attempt ${spec.attempt} on ${spec.member} no longer runs the job, which ${now}: nothing more is committed`,
        { failure: deterministic("the cluster gave the job to a member again") },
      );
    }
  };
}
