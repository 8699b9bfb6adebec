/** The end-of-job statistics block (SeaTunnel's Job Statistic Information), our row counts and the --json object. */
import type { BoundJob } from "../plan/bind.ts";
import type { JobResult } from "../runtime/job-master.ts";
import type { Metrics } from "../runtime/metrics.ts";
import { peakRssKb } from "./peak-rss.ts";

const RULER = "*".repeat(47);
const pad = (n: number) => String(n).padStart(2, "0");

export function formatTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * StringFormatUtils.formatTable: title centred in 47 stars, then `%-26s: %19s` rows. `keyWidth`
 * widens the key column of our own tables, whose keys name tables and sinks.
 */
export function formatTable(title: string, rows: [string, string | number][], keyWidth = 26): string {
  const lines = ["", RULER, `${" ".repeat(Math.max(0, Math.floor((47 - title.length) / 2)))}${title}`, RULER];
  for (const [k, v] of rows) {
    lines.push(`${k.padEnd(keyWidth)}: ${String(v).padStart(19)}`);
  }
  lines.push(RULER);
  return lines.join("\n");
}

/** SeaTunnel's block, line for line, then a block whose every line means what it says. */
export function formatSummary(r: JobResult, job: BoundJob): string {
  const m = r.metrics;
  const seconds = Math.floor((r.end.getTime() - r.start.getTime()) / 1000);
  const seaTunnel = formatTable("Job Statistic Information", [
    ["Start Time", formatTime(r.start)],
    ["End Time", formatTime(r.end)],
    ["Total Time(s)", seconds],
    ["Total Read Count", m.totalRead],
    ["Total Write Count", m.totalWritten],
    // SeaTunnel prints read minus written here, which counts filtered rows as failed and goes
    // negative when a source feeds two sinks; here it counts the rows that failed: the rejected ones.
    ["Total Failed Count", m.totalRejected],
  ]);
  const rows: [string, string | number][] = [];
  if (job.dag.pipelines.length > 1) {
    for (const p of r.pipelines) {
      rows.push([`Pipeline ${p.id} (${p.status}) read / written`, `${p.read} / ${p.written}`]);
    }
  }
  for (const [table, n] of m.readByTable) {
    rows.push([`Read ${table}`, n]);
  }
  for (const [sink, tables] of m.writtenBySink) {
    for (const [table, n] of tables) {
      rows.push([`Written ${table} (${sink})`, n]);
    }
  }
  rows.push(["Filtered by transforms", m.totalFiltered], ["Rejected (error_handler)", m.totalRejected]);
  // The counts above are the final outcome's; rows failed attempts read again are counted here.
  rows.push(["Re-read after retries", m.reread]);
  const width = Math.max(26, ...rows.map(([k]) => k.length));
  return `${seaTunnel}\n${formatTable("Row Counts", rows, width)}`;
}

/** Counts of the --json object: totals, per source table and per sink table. */
export function countsJson(m: Metrics): Record<string, unknown> {
  return {
    read: m.totalRead,
    written: m.totalWritten,
    filtered: m.totalFiltered,
    rejected: m.totalRejected,
    reread: m.reread,
    readBytes: m.totalReadBytes,
    writtenBytes: m.totalWrittenBytes,
    sources: Object.fromEntries([...m.readByTable].map(([t, n]) => [t, { read: n }])),
    sinks: Object.fromEntries(
      [...m.writtenBySink].map(([sink, tables]) => [
        sink,
        { written: [...tables.values()].reduce((a, b) => a + b, 0), tables: Object.fromEntries(tables) },
      ]),
    ),
    pipelineRows: m.byPipeline,
    checkpoints: m.checkpoints,
  };
}

export function resultJson(r: JobResult, exitCode: number): Record<string, unknown> {
  const m = r.metrics;
  return {
    status: r.status,
    exitCode,
    jobId: r.jobId,
    jobName: r.jobName,
    startTime: r.start.toISOString(),
    endTime: r.end.toISOString(),
    totalTimeMs: r.end.getTime() - r.start.getTime(),
    threads: r.threads,
    peakRssMb: Math.round(peakRssKb() / 1024),
    maxInFlightRows: m.maxInFlight,
    ...countsJson(m),
    pipelines: r.pipelines.map((p) => ({
      id: p.id,
      status: p.status,
      read: p.read,
      written: p.written,
      rejected: p.rejected,
      ...(p.error ? { error: p.error.message } : {}),
    })),
  };
}
