/**
 * Pipeline failover through the binary: a pipeline whose sink fails twice restarts alone from its
 * last checkpoint and delivers every row exactly once; the other pipeline never restarts.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-failover-"));

const fake = (out: string, rows: number) => `
  FakeSource {
    result_table_name = "${out}"
    row.num = ${rows}
    split.num = 10
    split.read-interval = 0
    seed = 3
    schema = { fields { id = bigint, name = string } }
  }`;

const exact = (input: string, n: number) => `
  Assert {
    source_table_name = "${input}"
    rules { row_rules = [ { rule_type = MIN_ROW, rule_value = ${n} }, { rule_type = MAX_ROW, rule_value = ${n} } ] }
  }`;

describe("pipeline failover", () => {
  test("a sink that fails twice restarts only its pipeline and every row arrives exactly once", async () => {
    const conf = join(tmp, "two-pipelines.conf");
    writeFileSync(
      conf,
      `env { job.retry.times = 3, job.retry.interval.seconds = 0, checkpoint.interval = 50 }
source {${fake("a", 20000)}${fake("b", 5000)}
}
sink {
  InMemory { source_table_name = "a", fail_times = 2 }${exact("a", 20000)}${exact("b", 5000)}
}`,
    );
    const r = await runBin(["run", conf, "--json", "--workers", "0", "--checkpoint-dir", join(tmp, "ckpt")]);
    const out = r.stdout + r.stderr;
    if (r.code !== 0) {
      console.error(out.slice(-4000));
    }
    expect(r.code).toBe(0);
    expect(out).toContain("Restore time 1, pipeline Job SeaTunnel_Job");
    expect(out).toMatch(/Restore time 2, pipeline Job SeaTunnel_Job \(\d+\), Pipeline: \[\(1\/2\)\]/);
    expect(out).not.toContain("Restore time 3");
    expect(out).not.toContain("Pipeline: [(2/2)] failed");
    expect(out).toContain("injected failure 2 of 2");
    // The sink's failure carries no class: it is retried as SeaTunnel retries every failure, and the log says so.
    expect(out).toMatch(
      /retry 2\/3 in 0s from [^:]+: unclassified failure, retried as SeaTunnel retries every failure/,
    );
  });

  test("a sink that keeps failing fails the job after job.retry.times restarts", async () => {
    const conf = join(tmp, "always.conf");
    writeFileSync(
      conf,
      `env { job.retry.times = 2, job.retry.interval.seconds = 0 }
source {${fake("a", 100)}
}
sink {
  InMemory { source_table_name = "a", throw_runtime_exception_list = ["e1", "e2", "e3", "e4"] }
}`,
    );
    const r = await runBin(["run", conf, "--checkpoint-dir", join(tmp, "ckpt")]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toContain("Restore time 2, pipeline");
    expect(out).not.toContain("Restore time 3");
    expect(out).toMatch(/error\[.*\]: .*e3/);
  });
});
