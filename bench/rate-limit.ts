/**
 * Speed limit (issue "Engine core"): FakeSource at parallelism 2 under
 * `read_limit.rows_per_second = 10000` for 100,000 rows, so about 10 s; the measured rate must
 * stay within ±5% of the limit. The limit is job-wide: the two readers share it.
 */
import { runJob, writeJob } from "./lib.ts";

const LIMIT = 10_000;
const ROWS_PER_READER = 50_000;

export async function rateLimitBench(): Promise<Record<string, number>> {
  const conf = writeJob(
    "rate-limit",
    `env { parallelism = 2, job.mode = BATCH, read_limit.rows_per_second = ${LIMIT} }
source {
  FakeSource {
    row.num = ${ROWS_PER_READER}
    split.num = 2
    split.read-interval = 0
    seed = 1
    schema = { fields { id = bigint, name = string, age = int } }
  }
}
sink {
  Console { log.print.data = false }
}
`,
  );
  const r = await runJob(conf, ["--workers", "2"]);
  const rate = r.read / (r.totalTimeMs / 1000);
  const off = (rate / LIMIT - 1) * 100;
  console.log(
    `rate limit: ${r.read} rows in ${(r.totalTimeMs / 1000).toFixed(2)} s = ${rate.toFixed(0)} rows/s at a limit of ${LIMIT} (${off >= 0 ? "+" : ""}${off.toFixed(1)}%, target within ±5%)`,
  );
  return {
    limit_rows_per_s: LIMIT,
    rows: r.read,
    seconds: r.totalTimeMs / 1000,
    rows_per_s: Math.round(rate),
    off_pct: off,
  };
}

if (import.meta.main) {
  await rateLimitBench();
}
