/**
 * A member's REST API under load, on loopback: a streaming FakeSource → Console job runs on the
 * member at full speed; its rows per second are measured for 10 s alone, then for 30 s while a
 * second process asks GET /overview and GET /running-jobs in turn at 1,000 requests a second
 * (bench/rest-load.ts, open loop), three times, each between two windows of the job alone; the
 * drop is the median of the three. Targets: p99 latency ≤ 50 ms, the job's rows per second down by
 * ≤ 10%. On a machine of two cores the job alone takes more than one (its thread and the
 * collector's), so any load shows as a drop: the bench measures twice, with the processes free,
 * and with the job's process on the first core and the member and the load on the second (the
 * member's own cost to the job, as on a machine with a core to spare). Run alone: `bun
 * bench/rest.ts` after `make build`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, mrows } from "./lib.ts";

const STREAM = {
  env: { "job.mode": "STREAMING", parallelism: 1, "checkpoint.interval": 10_000, "job.name": "rest_bench" },
  source: [
    { plugin_name: "FakeSource", "row.num": 2_000_000_000, schema: { fields: { id: "bigint", name: "string" } } },
  ],
  sink: [{ plugin_name: "Console", "log.print.data": false }],
};

const read = async (base: string, id: string) => {
  const j = (await (await fetch(`${base}/job-info/${id}`)).json()) as { metrics: { SourceReceivedCount: string } };
  return Number(j.metrics.SourceReceivedCount);
};

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** The job's rows per second over `seconds`, from its live counts (written by its process every second). */
async function rowsPerSecond(base: string, id: string, seconds: number): Promise<number> {
  const a = await read(base, id);
  const t = performance.now();
  await Bun.sleep(seconds * 1000);
  const b = await read(base, id);
  return (b - a) / ((performance.now() - t) / 1000);
}

/** Pins `pid` and every thread of it to `cpu` (Linux taskset); false where that is not possible. */
function pin(pid: number, cpu: number): boolean {
  return (
    Bun.spawnSync(["taskset", "-a", "-cp", String(cpu), String(pid)], { stdout: "ignore", stderr: "ignore" })
      .exitCode === 0
  );
}

/** The member's job process: its child. */
function childOf(pid: number): number | undefined {
  const out = Bun.spawnSync(["pgrep", "-P", String(pid)], { stdout: "pipe" })
    .stdout.toString()
    .trim();
  return out ? Number(out.split("\n")[0]) : undefined;
}

/** Loaded windows of 30 s per round, each between two windows of the job alone. */
const WINDOWS = 3;

/** One 30 s load of 1,000 requests/s: its latencies, and the member's share of a core meanwhile. */
async function loadWindow(base: string, id: string, member: number, pinned: boolean) {
  const loader = [
    process.execPath,
    join(import.meta.dir, "rest-load.ts"),
    base,
    "1000",
    "30",
    "/overview",
    "/running-jobs",
  ];
  const load = Bun.spawn(pinned ? ["taskset", "-c", "1", ...loader] : loader, { stdout: "pipe", stderr: "inherit" });
  const cpu0 = cpuSeconds(member);
  const [rows, out] = await Promise.all([rowsPerSecond(base, id, 28), new Response(load.stdout).text()]);
  const memberCpu = (cpuSeconds(member) - cpu0) / 30;
  const l = JSON.parse(out.trim()) as { answered: number; failed: number; p50: number; p99: number; max: number };
  return { rows, memberCpu, ...l };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One round: WINDOWS loaded windows, each compared with the mean of the job alone just before and
 * just after it (the job's speed drifts), the median of those drops; with `pinned`, the job on
 * core 0 and the member and the load on core 1.
 */
async function round(base: string, id: string, member: number, pinned: boolean) {
  const job = childOf(member);
  if (pinned && (job === undefined || !pin(job, 0) || !pin(member, 1))) {
    return undefined;
  }
  const how = pinned ? "job on core 0, member and load on core 1" : "processes free";
  let before = await rowsPerSecond(base, id, 10);
  const drops: number[] = [];
  const p99s: number[] = [];
  let failed = 0;
  let memberCpu = 0;
  for (let w = 0; w < WINDOWS; w++) {
    const l = await loadWindow(base, id, member, pinned);
    const after = await rowsPerSecond(base, id, 10);
    const alone = (before + after) / 2;
    drops.push(1 - l.rows / alone);
    p99s.push(l.p99);
    failed += l.failed;
    memberCpu = Math.max(memberCpu, l.memberCpu);
    console.log(
      `rest (${how}) window ${w + 1}: ${l.answered} answered, ${l.failed} failed, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms; the job ${mrows(alone)} alone, ${mrows(l.rows)} loaded; the member used ${(l.memberCpu * 100).toFixed(0)}% of a core`,
    );
    before = after;
  }
  const drop = median(drops);
  const p99 = Math.max(...p99s);
  console.log(
    `rest (${how}): 1,000 req/s of /overview and /running-jobs, ${WINDOWS} x 30 s: worst p99 ${p99.toFixed(1)} ms (target <= 50); the job's rows/s down ${drops.map((d) => `${(d * 100).toFixed(1)}%`).join(", ")}, median ${(drop * 100).toFixed(1)}% (target <= 10%)`,
  );
  return { p99, failed, drop, memberCpu };
}

export async function restBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "st-bench-rest-"));
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  const proc = Bun.spawn([BIN, "cluster", "start", "--data-dir", dir, "--port", String(port)], {
    stdout: "ignore",
    stderr: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    while (
      !(await fetch(`${base}/cluster`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      await Bun.sleep(100);
    }
    const r = await fetch(`${base}/submit-job`, { method: "POST", body: JSON.stringify(STREAM) });
    const id = ((await r.json()) as { jobId: string }).jobId;
    while ((await read(base, id)) === 0) {
      await Bun.sleep(200);
    }
    await Bun.sleep(3000);
    const free = (await round(base, id, proc.pid, false))!;
    const pinned = await round(base, id, proc.pid, true);
    await fetch(`${base}/stop-job`, { method: "POST", body: JSON.stringify({ jobId: id }) });
    return {
      p99_ms: Math.round(free.p99 * 10) / 10,
      failed: free.failed,
      drop_percent: Math.round(free.drop * 1000) / 10,
      member_cpu_percent: Math.round(free.memberCpu * 100),
      ...(pinned
        ? { pinned_p99_ms: Math.round(pinned.p99 * 10) / 10, pinned_drop_percent: Math.round(pinned.drop * 1000) / 10 }
        : {}),
    };
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  await restBench();
}
