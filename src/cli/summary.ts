/** The end-of-job statistics block (SeaTunnel's Job Statistic Information) and the --json line. */
import type { BoundJob } from "../plan/bind.ts";
import type { JobResult } from "../runtime/job-master.ts";
import { peakRssKb } from "./peak-rss.ts";

const RULER = "*".repeat(47);
const pad = (n: number) => String(n).padStart(2, "0");

export function formatTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** StringFormatUtils.formatTable: title centred in 47 stars, then `%-26s: %19s` rows. */
export function formatTable(title: string, rows: [string, string | number][]): string {
  const lines = ["", RULER, `${" ".repeat(Math.max(0, Math.floor((47 - title.length) / 2)))}${title}`, RULER];
  for (const [k, v] of rows) {
    lines.push(`${k.padEnd(26)}: ${String(v).padStart(19)}`);
  }
  lines.push(RULER);
  return lines.join("\n");
}

export function formatSummary(r: JobResult, job: BoundJob): string {
  const m = r.metrics;
  const seconds = Math.floor((r.end.getTime() - r.start.getTime()) / 1000);
  let text = formatTable("Job Statistic Information", [
    ["Start Time", formatTime(r.start)],
    ["End Time", formatTime(r.end)],
    ["Total Time(s)", seconds],
    ["Total Read Count", m.totalRead],
    ["Total Write Count", m.totalWritten],
    // SeaTunnel prints read minus written here, which counts filtered rows as failed and goes
    // negative when a source feeds two sinks; here it counts the rows readers rejected.
    ["Total Failed Count", m.totalRejected],
  ]);
  const rows: [string, string | number][] = [];
  if (job.dag.pipelines.length > 1) {
    for (const p of r.pipelines) {
      rows.push([`Pipeline ${p.id} (${p.status})`, `${p.read} / ${p.written}`]);
    }
  }
  const tables = new Set([...m.readByTable.keys(), ...m.writtenByTable.keys()]);
  if (tables.size > 1 || rows.length) {
    for (const t of tables) {
      rows.push([`Table ${t}`.slice(0, 26), `${m.readByTable.get(t) ?? 0} / ${m.writtenByTable.get(t) ?? 0}`]);
    }
    text += `\n${formatTable("Read / Write Count", rows)}`;
  }
  return text;
}

export function resultJson(r: JobResult, exitCode: number): Record<string, unknown> {
  const m = r.metrics;
  return {
    jobId: r.jobId,
    jobName: r.jobName,
    status: r.status,
    exitCode,
    startTime: r.start.toISOString(),
    endTime: r.end.toISOString(),
    totalTimeMs: r.end.getTime() - r.start.getTime(),
    threads: r.threads,
    peakRssMb: Math.round(peakRssKb() / 1024),
    maxInFlightRows: m.maxInFlight,
    read: m.totalRead,
    written: m.totalWritten,
    rejected: m.totalRejected,
    pipelines: r.pipelines.map((p) => ({
      id: p.id,
      status: p.status,
      read: p.read,
      written: p.written,
      rejected: p.rejected,
      ...(p.error ? { error: p.error.message } : {}),
    })),
    tables: Object.fromEntries(
      [...new Set([...m.readByTable.keys(), ...m.writtenByTable.keys()])].map((t) => [
        t,
        { read: m.readByTable.get(t) ?? 0, written: m.writtenByTable.get(t) ?? 0 },
      ]),
    ),
    ...(r.error ? { error: r.error.message } : {}),
  };
}
