/**
 * Checkpoint cost (issue "Checkpoints"): the fused FakeSource → LocalFile job with a checkpoint
 * every second versus none (target: at most 10% slower).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DATA, mrows, runJob, writeJob } from "./lib.ts";

const outOf = (name: string) => join(DATA, `${name}-out`);

function job(name: string, interval?: number): string {
  const out = outOf(name);
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

/** Best of four rounds, each running the job without and with checkpoints once, so both see the same machine states. */
export async function checkpointBench(): Promise<Record<string, number>> {
  const names = { off: "ckpt-off", on: "ckpt-1s" };
  const confs = { off: job(names.off), on: job(names.on, 1000) };
  const best = { off: 0, on: 0 };
  for (let round = 0; round < 4; round++) {
    for (const k of ["off", "on"] as const) {
      // Each run into an empty directory (the sink appends): earlier runs' files would only add
      // to what the disk is writing back while checkpoints fsync.
      rmSync(outOf(names[k]), { recursive: true, force: true });
      const r = await runJob(confs[k], ["--checkpoint-dir", join(DATA, "ckpt")]);
      best[k] = Math.max(best[k], r.written / (r.totalTimeMs / 1000));
    }
  }
  const cost = 1 - best.on / best.off;
  console.log(
    `checkpoint: FakeSource -> LocalFile ${mrows(best.off)} without, ${mrows(best.on)} with a checkpoint every 1 s: ${(cost * 100).toFixed(1)}% slower (target <= 10%)`,
  );
  return {
    no_checkpoint_rows_per_s: Math.round(best.off),
    checkpoint_1s_rows_per_s: Math.round(best.on),
    slowdown: cost,
  };
}

if (import.meta.main) {
  await checkpointBench();
}
