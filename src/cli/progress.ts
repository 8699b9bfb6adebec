/**
 * Progress while a job runs: on a terminal a live line per job (rows read/written, rows/s,
 * elapsed, per pipeline); off a terminal SeaTunnel's "Job Progress Information" block every
 * minute.
 */
import type { BoundJob } from "../plan/bind.ts";
import type { Metrics } from "../runtime/metrics.ts";
import type { ProcessLogger } from "../runtime/log.ts";
import { formatTable, formatTime } from "./summary.ts";

const LOG_INTERVAL_MS = 60_000;
const TTY_INTERVAL_MS = 250;

export function startProgress(job: BoundJob, m: Metrics, log: ProcessLogger, live: boolean): { stop(): void } {
  const started = Date.now();
  let last = { t: started, read: 0, written: 0 };
  const tty = live && process.stderr.isTTY === true;
  const tick = () => {
    const now = Date.now();
    const secs = Math.max(0.001, (now - last.t) / 1000);
    const rate = Math.round((m.totalRead - last.read) / secs);
    if (tty) {
      const per =
        job.dag.pipelines.length > 1
          ? ` | ${[...m.pipelines].map(([id, p]) => `p${id} ${p.read}/${p.written}`).join(" ")}`
          : "";
      const rejected = m.totalRejected ? ` rejected ${m.totalRejected}` : "";
      log.setStatus(
        `read ${m.totalRead} written ${m.totalWritten}${rejected} (${rate} rows/s) elapsed ${Math.round((now - started) / 1000)}s${per}`,
      );
    } else {
      const total = Math.max(1, Math.round((now - started) / 1000));
      log.info(
        formatTable("Job Progress Information", [
          ["Job Id", job.jobId],
          ["Read Count So Far", m.totalRead],
          ["Write Count So Far", m.totalWritten],
          ["Average Read Count", `${Math.round(m.totalRead / total)}/s`],
          ["Average Write Count", `${Math.round(m.totalWritten / total)}/s`],
          ["Last Statistic Time", formatTime(new Date(last.t))],
          ["Current Statistic Time", formatTime(new Date(now))],
        ]),
      );
    }
    last = { t: now, read: m.totalRead, written: m.totalWritten };
  };
  const timer = setInterval(tick, tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS);
  timer.unref?.();
  return {
    stop() {
      clearInterval(timer);
      if (tty) {
        log.setStatus(undefined);
      }
    },
  };
}
