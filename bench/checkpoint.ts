/**
 * Checkpoint cost (issue "Checkpoints"): the fused FakeSource → LocalFile job with a checkpoint
 * every second versus none (target: at most 10% slower).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { bestRate, DATA, mrows, writeJob } from "./lib.ts";

function job(name: string, interval?: number): string {
  const out = join(DATA, `${name}-out`);
  rmSync(out, { recursive: true, force: true });
  return writeJob(
    name,
    `env { parallelism = 1, job.mode = BATCH${interval ? `, checkpoint.interval = ${interval}` : ""} }
source {
  FakeSource {
    row.num = 3000000
    split.num = 30
    split.read-interval = 0
    seed = 1
    double.max = 1000000
    schema = { fields { id = bigint, name = string, age = int, score = double, ok = boolean, level = smallint } }
  }
}
sink {
  LocalFile { path = "${out}", tmp_path = "${join(DATA, "tmp")}", file_format_type = "csv" }
}
`,
  );
}

export async function checkpointBench(): Promise<Record<string, number>> {
  const off = await bestRate(job("ckpt-off"), ["--checkpoint-dir", join(DATA, "ckpt")]);
  const on = await bestRate(job("ckpt-1s", 1000), ["--checkpoint-dir", join(DATA, "ckpt")]);
  const cost = 1 - on.rps / off.rps;
  console.log(`checkpoint: FakeSource -> LocalFile ${mrows(off.rps)} without, ${mrows(on.rps)} with a checkpoint every 1 s: ${(cost * 100).toFixed(1)}% slower (target <= 10%)`);
  return { no_checkpoint_rows_per_s: Math.round(off.rps), checkpoint_1s_rows_per_s: Math.round(on.rps), slowdown: cost };
}

if (import.meta.main) await checkpointBench();
