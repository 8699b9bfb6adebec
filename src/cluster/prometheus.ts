/**
 * `GET /metrics` (and `/openmetrics`): the cluster in the Prometheus text exposition format
 * (version 0.0.4), from what the store holds at the scrape: members alive, the master's epoch
 * (each election takes the next one), slots, jobs by state, and per job its rows read, written,
 * rejected and filtered, rows per second, and rows per source and sink table (live while a job
 * runs: its member copies its process's counts in every second). Written here rather than with
 * prom-client: every figure is a snapshot read from the store at the scrape, not a counter this
 * process keeps.
 */
import { ALL_STATES, type ClusterJob, type JobCounts } from "./jobs.ts";
import { slotUse } from "./master.ts";
import { viewJobs } from "./rest-jobs.ts";
import type { ClusterMember } from "./member.ts";

/** A label value as the format escapes it: backslash, double quote and newline. */
export const escapeLabel = (v: string) => v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

type Sample = [Record<string, string>, number];

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: "gauge" | "counter", help: string, samples: [Record<string, string>, number][]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(",");
      this.lines.push(`${name}${l ? `{${l}}` : ""} ${Number.isFinite(value) ? value : 0}`);
    }
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

function jobFamilies(out: Exposition, jobs: ClusterJob[]): void {
  const label = (j: ClusterJob) => ({ job_id: j.id, job_name: j.name, state: j.state });
  const each = (pick: (c: JobCounts) => number | undefined) =>
    jobs.map((j): [Record<string, string>, number] => [label(j), pick((j.metrics ?? {}) as JobCounts) ?? 0]);
  out.family(
    "seatunnel_job_rows_read_total",
    "counter",
    "Rows the job's sources read.",
    each((c) => c.read),
  );
  out.family(
    "seatunnel_job_rows_written_total",
    "counter",
    "Rows the job's sinks were handed.",
    each((c) => c.written),
  );
  out.family(
    "seatunnel_job_rows_rejected_total",
    "counter",
    "Rows rejected by the job's error budget.",
    each((c) => c.rejected),
  );
  out.family(
    "seatunnel_job_rows_filtered_total",
    "counter",
    "Rows the job's transforms filtered out.",
    each((c) => c.filtered),
  );
  out.family(
    "seatunnel_job_bytes_read_total",
    "counter",
    "Bytes of the rows the job's sources read (SeaTunnel's row sizes, estimated per batch).",
    each((c) => c.readBytes),
  );
  out.family(
    "seatunnel_job_bytes_written_total",
    "counter",
    "Bytes of the rows the job's sinks were handed.",
    each((c) => c.writtenBytes),
  );
  out.family(
    "seatunnel_job_rows_read_per_second",
    "gauge",
    "Rows read per second over the last second of a running job.",
    each((c) => c.readPerSecond),
  );
  out.family(
    "seatunnel_job_rows_written_per_second",
    "gauge",
    "Rows written per second over the last second of a running job.",
    each((c) => c.writtenPerSecond),
  );
  const tablesRead: [Record<string, string>, number][] = [];
  const tablesWritten: [Record<string, string>, number][] = [];
  for (const j of jobs) {
    const c = (j.metrics ?? {}) as JobCounts;
    for (const [table, v] of Object.entries(c.sources ?? {})) {
      tablesRead.push([{ job_id: j.id, table }, v.read]);
    }
    for (const [sink, v] of Object.entries(c.sinks ?? {})) {
      for (const [table, n] of Object.entries(v.tables ?? {})) {
        tablesWritten.push([{ job_id: j.id, sink, table }, n]);
      }
    }
  }
  out.family("seatunnel_table_rows_read_total", "counter", "Rows read per source table.", tablesRead);
  out.family("seatunnel_table_rows_written_total", "counter", "Rows written per sink and table.", tablesWritten);
  pipelineFamilies(out, jobs);
}

/** Per pipeline: rows, and the checkpoints' outcomes and latest durations. */
function pipelineFamilies(out: Exposition, jobs: ClusterJob[]): void {
  const read: Sample[] = [];
  const written: Sample[] = [];
  const bytesRead: Sample[] = [];
  const bytesWritten: Sample[] = [];
  const checkpoints: Sample[] = [];
  const durations: Sample[] = [];
  for (const j of jobs) {
    const c = (j.metrics ?? {}) as JobCounts;
    for (const [pipeline, v] of Object.entries(c.pipelineRows ?? {})) {
      read.push([{ job_id: j.id, pipeline }, v.read]);
      written.push([{ job_id: j.id, pipeline }, v.written]);
      bytesRead.push([{ job_id: j.id, pipeline }, v.readBytes ?? 0]);
      bytesWritten.push([{ job_id: j.id, pipeline }, v.writtenBytes ?? 0]);
    }
    const cp = c.checkpoints;
    checkpoints.push([{ job_id: j.id, result: "completed" }, cp?.completed ?? 0]);
    checkpoints.push([{ job_id: j.id, result: "failed" }, cp?.failed ?? 0]);
    const last = new Map<number, number>();
    for (const e of cp?.recent ?? []) {
      if (e.ok) {
        last.set(e.pipeline, e.durationMs);
      }
    }
    for (const [pipeline, ms] of last) {
      durations.push([{ job_id: j.id, pipeline: String(pipeline) }, ms / 1000]);
    }
  }
  out.family("seatunnel_pipeline_rows_read_total", "counter", "Rows read per pipeline.", read);
  out.family("seatunnel_pipeline_rows_written_total", "counter", "Rows written per pipeline.", written);
  out.family("seatunnel_pipeline_bytes_read_total", "counter", "Bytes read per pipeline.", bytesRead);
  out.family("seatunnel_pipeline_bytes_written_total", "counter", "Bytes written per pipeline.", bytesWritten);
  out.family(
    "seatunnel_job_checkpoints_total",
    "counter",
    "Checkpoints stored and committed (completed) or given up (failed: timeout, error).",
    checkpoints,
  );
  out.family(
    "seatunnel_pipeline_checkpoint_duration_seconds",
    "gauge",
    "The latest completed checkpoint's duration, barrier to commit.",
    durations,
  );
}

/** The exposition of the cluster as `member` sees it at its last tick, with the store's jobs now. */
export async function prometheusText(member: ClusterMember): Promise<string> {
  const v = member.cluster;
  const jobs = await viewJobs(member.store);
  const out = new Exposition();
  const cluster = { cluster: v.cluster };
  out.family("seatunnel_cluster_members_alive", "gauge", "Members with a heartbeat within the member timeout.", [
    [cluster, v.members.length],
  ]);
  out.family(
    "seatunnel_cluster_master_epoch",
    "gauge",
    "The master lease's fencing epoch: one more at each election.",
    [[cluster, v.master?.epoch ?? 0]],
  );
  out.family(
    "seatunnel_cluster_elections_total",
    "counter",
    "Masters elected in this cluster since its store was made.",
    [[cluster, v.master?.epoch ?? 0]],
  );
  const slots = slotUse(
    v.members.filter((m) => m.role !== "master"),
    jobs,
  );
  out.family("seatunnel_cluster_slots_total", "gauge", "Fixed slots of the live members (0: dynamic slots).", [
    [cluster, slots.total],
  ]);
  out.family("seatunnel_cluster_slots_free", "gauge", "Fixed slots no job holds.", [[cluster, slots.free]]);
  out.family(
    "seatunnel_jobs",
    "gauge",
    "Jobs of the cluster by state (ended ones until history-job-expire-minutes).",
    ALL_STATES.map((s) => [{ ...cluster, state: s }, jobs.filter((j) => j.state === s).length]),
  );
  jobFamilies(out, jobs);
  return out.toString();
}
