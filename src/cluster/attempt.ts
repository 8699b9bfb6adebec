/**
 * The guard of a job process a cluster member started (runner.ts): before each commit of its
 * sinks it checks in the store that the job's current attempt is still its own. A member cut off
 * past the member timeout (paused, partitioned) has its jobs given to other members; its job
 * process, which may run on meanwhile, then fails at its next commit instead of writing what the
 * new attempt writes too.
 */
import { deterministic, JobError } from "../api/errors.ts";
import type { CheckpointMirror } from "../checkpoint/storage.ts";
import type { JobState } from "./jobs.ts";
import { ClusterStore, type StoreOptions } from "./store.ts";

/** The states of a job whose process runs (a stop asked for, its savepoint still commits). */
const RUNS = new Set<JobState>(["RUNNING", "CANCELING", "DOING_SAVEPOINT"]);

export interface AttemptSpec {
  store: StoreOptions;
  jobId: string;
  member: string;
  attempt: number;
  /** The job's checkpoint folder is copied into the store (no shared checkpoint directory is set). */
  checkpointsInStore?: boolean;
}

/** The store of a job process, opened once, when first needed. */
const stores = new Map<AttemptSpec, Promise<ClusterStore>>();
const storeOf = (spec: AttemptSpec): Promise<ClusterStore> => {
  let s = stores.get(spec);
  if (s === undefined) {
    s = ClusterStore.open(spec.store);
    stores.set(spec, s);
  }
  return s;
};

/** The copy of the job's checkpoint folder in the store, where the member keeps checkpoints there. */
export function checkpointMirror(spec: AttemptSpec): CheckpointMirror | undefined {
  if (!spec.checkpointsInStore) {
    return undefined;
  }
  return { sync: async (keep, put) => (await storeOf(spec)).checkpoints.sync(spec.jobId, keep, put) };
}

/** RunOptions.beforeCommit for the attempt `spec`: throws (deterministic: no retry) once it is not the job's. */
export function attemptGuard(spec: AttemptSpec): () => Promise<void> {
  return async () => {
    const j = await (await storeOf(spec)).jobs.get(spec.jobId);
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
