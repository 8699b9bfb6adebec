/**
 * Start-up benchmark: median wall time over 20 runs of `dist/seatunnel --version` and of a
 * 10-row FakeSource → Console job (targets: ≤ 30 ms and ≤ 150 ms).
 */
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "seatunnel");
const RUNS = 20;

async function median(args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    const p = Bun.spawn([BIN, ...args], { cwd: ROOT, stdout: "ignore", stderr: "ignore" });
    const code = await p.exited;
    if (code !== 0) {
      throw new Error(`${args.join(" ")} exited ${code}`);
    }
    if (i >= 2) {
      times.push(performance.now() - t0); // two warm-up runs fill the page cache
    }
  }
  times.sort((a, b) => a - b);
  return (times[RUNS / 2 - 1]! + times[RUNS / 2]!) / 2;
}

export async function startupBench(): Promise<Record<string, number>> {
  const version = await median(["--version"]);
  const job = await median(["run", "bench/jobs/startup-10-rows.conf"]);
  console.log(`startup: --version median ${version.toFixed(1)} ms (target <= 30 ms)`);
  console.log(`startup: 10-row FakeSource -> Console job median ${job.toFixed(1)} ms (target <= 150 ms)`);
  return { version_ms: version, job_10_rows_ms: job };
}

if (import.meta.main) {
  await startupBench();
}
