/**
 * What a cluster member tells the job processes it starts (runner.ts), in their environment. A
 * module of its own so that `seatunnel run` reads the names without loading the cluster's store.
 */

/**
 * `seatunnel run` ends at once, as a crash would, when its member's end of stdin closes: a member
 * that dies takes its jobs with it, and each runs again elsewhere from its checkpoint, never twice.
 */
export const MEMBER_STDIN_ENV = "SEATUNNEL_MEMBER_STDIN";

/** The job's attempt (attempt.ts, AttemptSpec as JSON): its commits are guarded by it. */
export const ATTEMPT_ENV = "SEATUNNEL_CLUSTER_ATTEMPT";

/**
 * Where the job's process writes its counts every second while it runs (a JSON object, replaced
 * whole): its member copies them into the store, so job-info and /metrics show a running job's rows.
 */
export const METRICS_FILE_ENV = "SEATUNNEL_METRICS_FILE";
