/**
 * Checkpoints under a rate limit: a LocalFile csv read at 8,000 rows a second (2.5 s for 20,000
 * rows) with a checkpoint every 200 ms takes them while it reads. The reader cuts its batches to
 * the limiter's slices (ReaderContext.batchRows): before, the file came in one batch, every barrier
 * waited for the limiter to let all of it through, and the job took 2 to 4 checkpoints, each of
 * them waiting seconds.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";

describe("checkpoints under read_limit", () => {
  test("a rate-limited csv read takes a checkpoint about every interval, and every row arrives once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-limit-ckpt-"));
    writeFileSync(join(dir, "in.csv"), Array.from({ length: 20_000 }, (_, i) => `${i},name ${i}\n`).join(""));
    const conf = join(dir, "job.conf");
    writeFileSync(
      conf,
      `env { job.mode = BATCH, parallelism = 1, checkpoint.interval = 200, read_limit.rows_per_second = 8000 }
source { LocalFile { path = "${join(dir, "in.csv")}", file_format_type = csv, schema = { fields { id = bigint, name = string } } } }
sink { LocalFile { path = "${join(dir, "out")}", file_format_type = csv } }`,
    );
    const r = await runBin(["run", conf, "--json", "--checkpoint-dir", join(dir, "ckpt")]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
      written: number;
      checkpoints: { completed: number; recent: { kind: string }[] };
    };
    expect(out.written).toBe(20_000);
    expect(out.checkpoints.completed).toBeGreaterThanOrEqual(6);
    expect(out.checkpoints.recent.filter((c) => c.kind === "periodic").length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
