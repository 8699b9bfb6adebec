/**
 * The sinks' save modes (Sink.prepare: create, truncate or check their targets) are the job's first
 * writes, before any row moves. A failure there that a retry could get past (a server restarting, a
 * refused connection) is retried as a pipeline's is: up to job.retry.times, with the delay doubling
 * from job.retry.interval.seconds; any other fails the job at once. Running a save mode again is
 * harmless: no row has gone through a sink yet.
 */
import type { Logger } from "../api/connector.ts";
import { ConfigError, ConfigErrors, type FailureClass, failureOf, JobError } from "../api/errors.ts";
import type { BoundJob } from "../plan/bind.ts";
import { retryDelay, wait } from "./pipeline-run.ts";

export async function runSaveModes(job: BoundJob, log: Logger, stopping: () => boolean): Promise<void> {
  const times = job.job.env["job.retry.times"];
  const intervalMs = job.job.env["job.retry.interval.seconds"] * 1000;
  for (const n of job.nodes) {
    const sink = n?.sink;
    if (!sink?.prepare) {
      continue;
    }
    for (let retry = 1; ; retry++) {
      try {
        await sink.prepare();
        break;
      } catch (e) {
        const failure = failureOf(e);
        if (!failure?.transient || retry > times || stopping()) {
          throw saveModeError(e, n.ctx.label, failure, retry - 1);
        }
        const delay = retryDelay(intervalMs, retry);
        log.warn(
          `${n.ctx.label}: the save mode failed (${(e as Error).message}): retry ${retry}/${times} in ${delay / 1000}s: ${failure.reason}.`,
        );
        await wait(delay, stopping);
      }
    }
  }
}

/** The error that fails the job: which sink, the cause, and its class with the retries it had. */
function saveModeError(e: unknown, label: string, failure: FailureClass | undefined, retries: number): unknown {
  if (e instanceof ConfigError || e instanceof ConfigErrors) {
    return e;
  }
  const after = retries > 0 ? `, still after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
  const why = failure ? ` (${failure.reason}${after})` : "";
  const message = e instanceof Error ? e.message : String(e);
  return new JobError(
    e instanceof JobError ? e.code : "JOB_FAILED",
    `running the save mode of ${label}: ${message}${why}`,
    {
      cause: e,
    },
  );
}
