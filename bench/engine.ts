/**
 * Engine benchmark (issue "Engine core"): FakeSource → FieldMapper → Console(log.print.data=false)
 * on 6-column rows, measured from the job's own --json result.
 * - fused vs --no-fuse at parallelism 1 (target fused ≥ 3× unfused)
 * - parallelism 1 vs 2 (target ≥ 1.7× on 2 cores)
 * - peak RSS for 10M rows (target ≤ 200 MB); fused parallelism 1 target ≥ 1.5M rows/s
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "seatunnel");
const DATA = join(import.meta.dir, "data");

interface Result {
  read: number;
  written: number;
  totalTimeMs: number;
  peakRssMb: number;
  threads: number;
}

function jobFile(name: string, rowsPerReader: number, parallelism: number): string {
  mkdirSync(DATA, { recursive: true });
  const p = join(DATA, `${name}.conf`);
  writeFileSync(
    p,
    `env { parallelism = ${parallelism}, job.mode = BATCH }
source {
  FakeSource {
    result_table_name = "fake"
    row.num = ${rowsPerReader}
    split.num = ${parallelism}
    split.read-interval = 0
    seed = 1
    schema = { fields { id = bigint, name = string, age = int, score = double, ok = boolean, level = smallint } }
  }
}
transform {
  FieldMapper {
    source_table_name = "fake"
    result_table_name = "mapped"
    field_mapper = { id = id, name = user_name, age = age, score = score, ok = ok, level = level }
  }
}
sink {
  Console { source_table_name = "mapped", log.print.data = false }
}
`,
  );
  return p;
}

async function run(conf: string, extra: string[] = []): Promise<Result> {
  const p = Bun.spawn([BIN, "run", conf, "--json", "--no-progress", ...extra], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${conf} exited ${code}: ${err.slice(-500)}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as Result;
}

/** Best of three runs, in rows per second. */
async function rate(conf: string, extra: string[] = []): Promise<{ rps: number; r: Result }> {
  let best: { rps: number; r: Result } | undefined;
  for (let i = 0; i < 3; i++) {
    const r = await run(conf, extra);
    const rps = r.written / (r.totalTimeMs / 1000);
    if (!best || rps > best.rps) best = { rps, r };
  }
  return best!;
}

const fmt = (n: number) => `${(n / 1e6).toFixed(2)}M rows/s`;

export async function engineBench(): Promise<Record<string, number>> {
  const p1 = jobFile("engine-p1", 3_000_000, 1);
  const fused = await rate(p1);
  const unfused = await rate(p1, ["--no-fuse"]);
  console.log(`engine: fused p1 ${fmt(fused.rps)} (target >= 1.5M), --no-fuse ${fmt(unfused.rps)}, ratio ${(fused.rps / unfused.rps).toFixed(2)}x (target >= 3x)`);
  const p2 = jobFile("engine-p2", 3_000_000, 2);
  const par2 = await rate(p2, ["--workers", "2"]);
  const par1pool = await rate(p1, ["--workers", "1"]);
  console.log(`engine: p2 on 2 workers ${fmt(par2.rps)} vs p1 ${fmt(fused.rps)}: ${(par2.rps / fused.rps).toFixed(2)}x (target >= 1.7x on 2 cores; p1 on 1 pool worker ${fmt(par1pool.rps)})`);
  const big = await run(jobFile("engine-10m", 10_000_000, 1));
  console.log(`engine: 10M rows p1 in ${(big.totalTimeMs / 1000).toFixed(1)} s, peak RSS ${big.peakRssMb} MB (target <= 200 MB)`);
  return {
    fused_p1_rows_per_s: Math.round(fused.rps),
    unfused_p1_rows_per_s: Math.round(unfused.rps),
    fused_over_unfused: fused.rps / unfused.rps,
    p2_rows_per_s: Math.round(par2.rps),
    p2_over_p1: par2.rps / fused.rps,
    peak_rss_10m_mb: big.peakRssMb,
  };
}

if (import.meta.main) await engineBench();
