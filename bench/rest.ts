/**
 * A member's REST API under load, on loopback: a streaming FakeSource → Console job runs on the
 * member at full speed; its rows per second are measured for 20 s alone, then for 30 s while a
 * second process asks GET /overview and GET /running-jobs in turn at 1,000 requests a second
 * (bench/rest-load.ts, open loop). Targets: p99 latency ≤ 50 ms, the job's rows per second down by
 * ≤ 10%. Run alone: `bun bench/rest.ts` after `make build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
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

/** The job's rows per second over `seconds`, from its live counts (written by its process every second). */
async function rowsPerSecond(base: string, id: string, seconds: number): Promise<number> {
  const a = await read(base, id);
  const t = performance.now();
  await Bun.sleep(seconds * 1000);
  const b = await read(base, id);
  return (b - a) / ((performance.now() - t) / 1000);
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
    const alone = await rowsPerSecond(base, id, 20);
    const load = Bun.spawn(
      [process.execPath, join(import.meta.dir, "rest-load.ts"), base, "1000", "30", "/overview", "/running-jobs"],
      { stdout: "pipe", stderr: "inherit" },
    );
    const [loaded, out] = await Promise.all([rowsPerSecond(base, id, 28), new Response(load.stdout).text()]);
    const l = JSON.parse(out.trim()) as { answered: number; failed: number; p50: number; p99: number; max: number };
    const drop = 1 - loaded / alone;
    console.log(
      `rest: 1,000 req/s of /overview and /running-jobs for 30 s: ${l.answered} answered, ${l.failed} failed, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (target <= 50), max ${l.max.toFixed(0)} ms`,
    );
    console.log(
      `rest: the job's rows/s ${mrows(alone)} alone, ${mrows(loaded)} under the load: ${(drop * 100).toFixed(1)}% down (target <= 10%)`,
    );
    await fetch(`${base}/stop-job`, { method: "POST", body: JSON.stringify({ jobId: id }) });
    return {
      p50_ms: Math.round(l.p50 * 10) / 10,
      p99_ms: Math.round(l.p99 * 10) / 10,
      failed: l.failed,
      job_rows_per_s_alone: Math.round(alone),
      job_rows_per_s_loaded: Math.round(loaded),
      drop_percent: Math.round(drop * 1000) / 10,
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
