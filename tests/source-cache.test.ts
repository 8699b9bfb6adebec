/**
 * The source cache through the binary: the source is read to its end while a slow sink has taken
 * only part of the rows, a sink that fails and recovers still gets every row exactly once, and a
 * full cache fails the job with a clear error.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-cache-"));

function job(name: string, env: string, rows: number, sinks: string): string {
  const p = join(tmp, name);
  writeFileSync(
    p,
    `env { ${env} }
source {
  FakeSource { result_table_name = "a", row.num = ${rows}, split.num = 20, split.read-interval = 0, seed = 5, schema = { fields { id = bigint, name = string } } }
}
sink {${sinks}
}`,
  );
  return p;
}

const exact = (n: number) => `
  Assert { source_table_name = "a", rules { row_rules = [ { rule_type = MIN_ROW, rule_value = ${n} }, { rule_type = MAX_ROW, rule_value = ${n} } ] } }`;

describe("source cache", () => {
  test("the source is read to its end while a slow sink is still writing", async () => {
    const conf = job("slow.conf", "source_cache = true", 400, `\n  Console { source_table_name = "a", log.print.data = false, log.print.delay.ms = 2 }${exact(400)}`);
    const r = await runBin(["run", conf, "--checkpoint-dir", join(tmp, "ckpt")]);
    expect(r.code).toBe(0);
    const m = /read to its end \((\d+) rows cached in this run\) while the pipeline had taken (\d+) of them/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(400);
    expect(Number(m![2])).toBeLessThan(400);
  });

  test("a sink that fails twice gets every row exactly once from the cache", async () => {
    const conf = job("failing.conf", "source_cache = true, checkpoint.interval = 20, job.retry.interval.seconds = 0", 30000, `\n  InMemory { source_table_name = "a", fail_times = 2 }${exact(30000)}`);
    const dir = join(tmp, "ckpt2");
    const r = await runBin(["run", conf, "--json", "--checkpoint-dir", dir]);
    if (r.code !== 0) console.error(r.stdout.slice(-3000), r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Restore time 2");
    const jobId = (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { jobId: string }).jobId;
    // A finished job leaves no cache segments behind.
    expect(existsSync(join(dir, jobId, "cache"))).toBe(false);
  });

  test("a cache that outgrows source_cache.max_bytes fails the job with SOURCE_CACHE_FULL", async () => {
    const conf = job("full.conf", "source_cache = true, source_cache.max_bytes = 1000, job.retry.times = 0", 5000, `\n  Console { source_table_name = "a", log.print.data = false, log.print.delay.ms = 1 }`);
    const r = await runBin(["run", conf, "--checkpoint-dir", join(tmp, "ckpt3")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("SOURCE_CACHE_FULL");
    expect(r.stderr).toContain("source_cache.max_bytes = 1000");
  });
});
