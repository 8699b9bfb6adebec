/**
 * Cluster mode against local mode, on this machine: two members on one SQLite store run
 * (1) the fused FakeSource → FieldMapper → Console job, its rows per second of job time against
 * the same job run locally (target ≥ 0.9×); (2) submit → first row of a one-row job on a warm
 * member (the row's line in the job's log, whose timestamp the job's process writes; target
 * ≤ 100 ms) and submit → end, medians of 12; (3) 500 small jobs
 * submitted over both members: all finish, none lost or run twice, jobs per second.
 * Run alone: `bun bench/cluster.ts` after `make build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIELD_MAPPER } from "./engine.ts";
import { BIN, bestRate, fakeJob, mrows, ROOT, writeJob } from "./lib.ts";

function freePort(): number {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function member(dir: string): Promise<{ proc: ReturnType<typeof Bun.spawn>; base: string }> {
  const port = freePort();
  const proc = Bun.spawn([BIN, "cluster", "start", "--data-dir", dir, "--port", String(port)], {
    stdout: "ignore",
    stderr: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${base}/cluster`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) {
      return { proc, base };
    }
    await Bun.sleep(100);
  }
  throw new Error("a member did not start");
}

type Info = { jobStatus: string; attempt: number; result?: { written: number; totalTimeMs: number } };

async function submit(base: string, config: unknown): Promise<string> {
  const r = await fetch(`${base}/submit-job`, { method: "POST", body: JSON.stringify(config) });
  if (!r.ok) {
    throw new Error(`submit-job: ${await r.text()}`);
  }
  return ((await r.json()) as { jobId: string }).jobId;
}

async function ended(base: string, id: string): Promise<Info> {
  for (;;) {
    const j = (await (await fetch(`${base}/job-info/${id}`)).json()) as Info;
    if (j.jobStatus === "FINISHED" || j.jobStatus === "FAILED" || j.jobStatus === "CANCELED") {
      return j;
    }
    await Bun.sleep(5);
  }
}

/** The job's one row printed, per its log line's timestamp (`yyyy-MM-dd HH:mm:ss,SSS`, local time), in epoch ms. */
async function firstRowAt(base: string, id: string): Promise<number> {
  const links = (await (await fetch(`${base}/logs/${id}?format=json`)).json()) as { logLink: string }[];
  const log = await (await fetch(links[0]!.logLink)).text();
  const line = log.split("\n").find((l) => l.includes("rowIndex=1:"));
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) /.exec(line ?? "");
  if (!m) {
    throw new Error(`no first row in the log of job ${id}`);
  }
  const [y, mo, d, h, mi, sec, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, sec, ms).getTime();
}

type FinishedJob = { jobId: string; jobStatus: string; attempt: number };

const finishedJobs = async (base: string) => (await (await fetch(`${base}/finished-jobs`)).json()) as FinishedJob[];

/** One row, printed to the job's log. */
const printed = {
  env: { "job.mode": "BATCH", parallelism: 1 },
  source: [{ plugin_name: "FakeSource", "row.num": 1, schema: { fields: { id: "bigint" } } }],
  sink: [{ plugin_name: "Console" }],
};

const tiny = {
  env: { "job.mode": "BATCH", parallelism: 1 },
  source: [{ plugin_name: "FakeSource", "row.num": 1, schema: { fields: { id: "bigint" } } }],
  sink: [{ plugin_name: "Console", "log.print.data": false }],
};

export async function clusterBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "st-bench-cluster-"));
  const ms = [await member(dir), await member(dir)];
  try {
    // 1. Throughput: the same job locally and submitted to the cluster (job time, as the member's run reports it).
    const conf = writeJob("cluster-fieldmapper", fakeJob({ rows: 2_000_000, parallelism: 2, transform: FIELD_MAPPER }));
    const local = await bestRate(conf);
    let cluster = 0;
    for (let i = 0; i < 3; i++) {
      const p = Bun.spawn([BIN, "run", conf, "-m", "cluster", "--cluster-address", ms[0]!.base, "--json"], {
        cwd: ROOT,
        stdout: "pipe",
        stderr: "ignore",
      });
      const r = JSON.parse((await new Response(p.stdout).text()).trim()) as { written: number; totalTimeMs: number };
      cluster = Math.max(cluster, r.written / (r.totalTimeMs / 1000));
    }
    console.log(
      `cluster: FakeSource -> FieldMapper -> Console ${mrows(cluster)} on a member, ${mrows(local.rps)} locally: ${(cluster / local.rps).toFixed(2)}x (target >= 0.9x)`,
    );
    // 2. Submit → first row and → end of a one-row job on a warm member.
    const times: number[] = [];
    const firsts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      const at = Date.now();
      const id = await submit(ms[0]!.base, printed);
      await ended(ms[0]!.base, id);
      times.push(performance.now() - t0);
      firsts.push((await firstRowAt(ms[0]!.base, id)) - at);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[6]!;
    const latency = median(times);
    const firstRow = median(firsts);
    console.log(
      `cluster: submit -> first row of a 1-row job on a warm member, median ${firstRow.toFixed(0)} ms (target <= 100 ms); -> its end ${latency.toFixed(0)} ms`,
    );
    // 3. 500 small jobs over both members.
    const before = await finishedJobs(ms[0]!.base);
    const t0 = performance.now();
    const ids = new Set<string>();
    for (let i = 0; i < 500; i += 10) {
      // Ten submissions at a time, alternating members.
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => submit(ms[(i + k) % 2]!.base, tiny)));
      batch.forEach((id) => ids.add(id));
    }
    let done: FinishedJob[] = [];
    while (done.length < 500 && performance.now() - t0 < 300_000) {
      await Bun.sleep(200);
      done = (await finishedJobs(ms[1]!.base)).filter((j) => ids.has(j.jobId));
    }
    const seconds = (performance.now() - t0) / 1000;
    const finished = done.filter((j) => j.jobStatus === "FINISHED" && j.attempt === 1).length;
    if (before.length + ids.size !== (await finishedJobs(ms[0]!.base)).length || ids.size !== 500) {
      throw new Error("a job was lost or listed twice");
    }
    console.log(
      `cluster: 500 one-row jobs over two members: ${finished} finished once, ${(500 / seconds).toFixed(1)} jobs/s (${seconds.toFixed(1)} s)`,
    );
    return {
      member_rows_per_s: Math.round(cluster),
      local_rows_per_s: Math.round(local.rps),
      submit_to_first_row_ms: Math.round(firstRow),
      submit_to_end_ms: Math.round(latency),
      small_jobs_finished_once: finished,
      small_jobs_per_s: Math.round((500 / seconds) * 10) / 10,
    };
  } finally {
    for (const m of ms) {
      m.proc.kill("SIGTERM");
      await m.proc.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  await clusterBench();
}
