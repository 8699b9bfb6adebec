/**
 * Progress while a job runs: on a terminal (stderr) a live line per job (rows read/written, rows/s,
 * elapsed, per pipeline, and a percentage with an ETA where the sources can estimate their rows);
 * off a terminal SeaTunnel's "Job Progress Information" block every minute, followed by the
 * percentage line when known. SEATUNNEL_PROGRESS=1 draws the live line even when stderr is not a
 * terminal (for tests and for tools that show a pipe's last line).
 */
import type { BoundJob } from "../plan/bind.ts";
import type { Metrics } from "../runtime/metrics.ts";
import type { ProcessLogger } from "../runtime/log.ts";
import { formatTable, formatTime } from "./summary.ts";

const LOG_INTERVAL_MS = 60_000;
const TTY_INTERVAL_MS = 250;
export const FORCE_PROGRESS_ENV = "SEATUNNEL_PROGRESS";

export function startProgress(job: BoundJob, m: Metrics, log: ProcessLogger, live: boolean): { stop(): void } {
  const started = Date.now();
  let last = { t: started, read: 0, written: 0 };
  const tty = live && (process.stderr.isTTY === true || process.env[FORCE_PROGRESS_ENV] === "1");
  let total: number | undefined;
  // Asked at the first tick only: a job shorter than that never queries a database for it.
  let asked = false;
  const tick = () => {
    if (!asked) {
      asked = true;
      void estimateTotal(job).then((n) => {
        total = n;
      });
    }
    const now = Date.now();
    const secs = Math.max(0.001, (now - last.t) / 1000);
    // A retry counts on from its checkpoint, so the count may go back: no negative rate.
    const rate = Math.max(0, Math.round((m.totalRead - last.read) / secs));
    const done = total !== undefined ? share(m.totalRead, total, now - started, m.restoredRead) : undefined;
    if (tty) {
      const per =
        job.dag.pipelines.length > 1
          ? ` | ${[...m.pipelines].map(([id, p]) => `p${id} ${p.read}/${p.written}`).join(" ")}`
          : "";
      const rejected = m.totalRejected ? ` rejected ${m.totalRejected}` : "";
      const pct = done ? ` ${done.percent}%${done.eta ? ` ETA ${done.eta}` : ""}` : "";
      log.setStatus(
        `read ${m.totalRead} written ${m.totalWritten}${rejected} (${rate} rows/s)${pct} elapsed ${Math.round((now - started) / 1000)}s${per}`,
      );
    } else {
      const elapsed = Math.max(1, Math.round((now - started) / 1000));
      log.info(
        formatTable("Job Progress Information", [
          ["Job Id", job.jobId],
          ["Read Count So Far", m.totalRead],
          ["Write Count So Far", m.totalWritten],
          ["Average Read Count", `${Math.round(m.totalRead / elapsed)}/s`],
          ["Average Write Count", `${Math.round(m.totalWritten / elapsed)}/s`],
          ["Last Statistic Time", formatTime(new Date(last.t))],
          ["Current Statistic Time", formatTime(new Date(now))],
        ]),
      );
      if (done) {
        log.info(`About ${done.percent}% of an estimated ${total} rows read${done.eta ? `; ETA ${done.eta}` : ""}.`);
      }
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

/**
 * The rows every source of the job will read, from their estimates (Source.estimateRows);
 * undefined when a source has none, or an estimate failed.
 */
export async function estimateTotal(job: BoundJob): Promise<number | undefined> {
  const sources = job.nodes.filter((n) => n?.node.block.kind === "source");
  try {
    const each = await Promise.all(sources.map((n) => n!.source?.estimateRows?.()));
    return each.every((n) => n !== undefined && Number.isFinite(n)) && each.length > 0
      ? each.reduce((a, b) => a! + b!, 0)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The part of an estimated total read so far, and the time left at the average rate since the
 * start. An estimate can be low: the share stays below 100% until the job ends. `restored`: rows a
 * resumed job (`-r`) had read before this run, which took none of its time.
 */
export function share(
  read: number,
  total: number,
  elapsedMs: number,
  restored = 0,
): { percent: number; eta?: string } | undefined {
  if (total <= 0) {
    return undefined;
  }
  const percent = Math.min(99, Math.floor((read / total) * 100));
  const left = total - read;
  const now = read - restored;
  if (now <= 0 || left <= 0) {
    return { percent };
  }
  return { percent, eta: duration((left / now) * elapsedMs) };
}

/** `45s`, `3m05s`, `2h10m`. */
export function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  }
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
