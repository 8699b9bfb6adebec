/** Shared benchmark helpers: write a job file under bench/data, run it through dist/seatunnel --json, best of N. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..");
export const BIN = join(ROOT, "dist", "seatunnel");
export const DATA = join(import.meta.dir, "data");

export interface JobResult {
  read: number;
  written: number;
  totalTimeMs: number;
  peakRssMb: number;
  threads: number;
}

export function writeJob(name: string, text: string): string {
  mkdirSync(DATA, { recursive: true });
  const p = join(DATA, `${name}.conf`);
  writeFileSync(p, text);
  return p;
}

export async function runJob(conf: string, extra: string[] = []): Promise<JobResult> {
  const p = Bun.spawn([BIN, "run", conf, "--json", "--no-progress", ...extra], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) {
    throw new Error(`${conf} exited ${code}: ${err.slice(-500)}`);
  }
  return JSON.parse(out.trim().split("\n").at(-1)!) as JobResult;
}

/** Best of `runs`, in rows written per second of job time. */
export async function bestRate(conf: string, extra: string[] = [], runs = 3): Promise<{ rps: number; r: JobResult }> {
  let best: { rps: number; r: JobResult } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await runJob(conf, extra);
    const rps = r.written / (r.totalTimeMs / 1000);
    if (!best || rps > best.rps) {
      best = { rps, r };
    }
  }
  return best!;
}

export const mrows = (n: number) => `${(n / 1e6).toFixed(2)}M rows/s`;

/** FakeSource with six columns, `rows` per reader, then `transform` (a HOCON transform block body) and a silent Console. */
export function fakeJob(o: { rows: number; parallelism: number; transform?: string }): string {
  return `env { parallelism = ${o.parallelism}, job.mode = BATCH }
source {
  FakeSource {
    result_table_name = "fake"
    row.num = ${o.rows}
    split.num = ${o.parallelism}
    split.read-interval = 0
    seed = 1
    double.max = 1000000
    schema = { fields { id = bigint, name = string, age = int, score = double, ok = boolean, level = smallint } }
  }
}
${o.transform ? `transform {\n${o.transform}\n}` : ""}
sink {
  Console { source_table_name = "${o.transform ? "out" : "fake"}", log.print.data = false }
}
`;
}
