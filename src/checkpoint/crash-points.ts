/**
 * Crash points (the failpoint technique of FoundationDB and TiKV): named places in the checkpoint
 * and two-phase-commit path where the process dies at once, as SIGKILL would, so a test can prove
 * that a restore (`-r`) after a crash at exactly that step loses and duplicates nothing.
 *
 * They are enabled only by `SEATUNNEL_CRASH_AT=<point>[:<n>]` (die the n-th time the point is
 * reached in that thread; default the first). Without the variable `crashPoint()` is one compare
 * of a module constant. docs/crash-points.md lists every point; a test holds the two equal.
 */
import { writeSync } from "node:fs";

/** Every crash point, in the order a checkpoint reaches them, with where it fires. */
export const CRASH_POINTS = {
  "barrier-injected": "the coordinator has sent a checkpoint's barrier to the pipeline's chains",
  "writer-prepared": "a chain's sink writer returned from prepareCommit, before the chain acks the barrier",
  "checkpoint-stored": "a checkpoint (periodic, savepoint or final) is stored, before any sink commits it",
  "sink-committed": "one sink committed a checkpoint's infos and another sink's commit comes next",
  "commits-done": "every sink committed, before the chains are told the checkpoint is committed",
  "savepoint-stored": "a savepoint (the checkpoint a stop request takes) is stored, before its commits",
  "final-checkpoint-stored": "a pipeline's final checkpoint (every chain finished) is stored, before its commits",
  "restore-recommitted": "a restore committed the stored checkpoints' infos again, before the sinks recover",
  "incremental-state-stored":
    "a pipeline's incremental positions are stored for its job name, before the run ends and its checkpoints go",
  "lease-acquired": "a cluster member took the master lease, before it acts as master",
  "assignment-written": "a cluster's master wrote a job's assignment to a member, before that member starts the job",
} as const;

export type CrashPoint = keyof typeof CRASH_POINTS;

export const CRASH_ENV = "SEATUNNEL_CRASH_AT";
/**
 * The pid of a process a crash takes with it: a cluster member sets its own for its job
 * processes, so a job that dies at a point of its checkpoint path takes its member too, as the
 * member's machine dying at that step would.
 */
export const CRASH_ALSO_ENV = "SEATUNNEL_CRASH_ALSO";

// A malformed value is reported by `seatunnel run` before the job starts (checkCrashEnv).
const spec = (() => {
  try {
    return parseCrashSpec(process.env[CRASH_ENV]);
  } catch {
    return undefined;
  }
})();
let reached = 0;

/** `point[:n]` → the point and the n-th time; undefined when unset. Throws on a name that is not a point. */
export function parseCrashSpec(text: string | undefined): { point: CrashPoint; nth: number } | undefined {
  if (text === undefined || text === "") {
    return undefined;
  }
  const [name = "", nthText] = text.split(":");
  if (!(name in CRASH_POINTS)) {
    const known = Object.keys(CRASH_POINTS).join(", ");
    throw new Error(`${CRASH_ENV}="${text}" names no crash point (known: ${known})`);
  }
  const nth = nthText === undefined ? 1 : Number(nthText);
  if (!Number.isInteger(nth) || nth < 1) {
    throw new Error(`${CRASH_ENV}="${text}": the count after ":" must be a whole number >= 1`);
  }
  return { point: name as CrashPoint, nth };
}

/** Kills the process at once when SEATUNNEL_CRASH_AT names this point (and its count is reached). */
export function crashPoint(point: CrashPoint): void {
  if (spec === undefined || spec.point !== point) {
    return;
  }
  reached++;
  if (reached < spec.nth) {
    return;
  }
  const also = Number(process.env[CRASH_ALSO_ENV]);
  writeSync(2, `crash point ${point} reached (${CRASH_ENV}); killing the process${also ? ` and ${also}` : ""}\n`);
  if (also) {
    process.kill(also, "SIGKILL");
  }
  process.kill(process.pid, "SIGKILL");
}
