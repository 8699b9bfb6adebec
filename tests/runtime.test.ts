/**
 * The engine through the binary: worker pool inside the compiled executable, thread sharing for
 * 1,000 tables, identical results for parallelism 1/2/4, slot scheduling, streaming stop by signal,
 * back-pressure bound, --no-fuse.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, readWhen, runBin } from "./helpers.ts";

interface ResultLine {
  status: string;
  exitCode: number;
  read: number;
  written: number;
  threads: number;
  peakRssMb: number;
  maxInFlightRows: number;
}

const tmp = mkdtempSync(join(tmpdir(), "st-runtime-"));

function job(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

/** With --json stdout holds the result object alone (the logs go to stderr). */
function lastJson(stdout: string): ResultLine {
  return JSON.parse(stdout) as ResultLine;
}

const fake = (o: { par: number; rows: number; out?: string; extra?: string }) => `
  FakeSource {
    parallelism = ${o.par}
    row.num = ${o.rows}
    seed = 7
    split.read-interval = 0
    ${o.out ? `result_table_name = "${o.out}"` : ""}
    ${o.extra ?? ""}
    schema = { fields { id = bigint, name = string, score = "decimal(10, 2)", ok = boolean } }
  }`;

describe("worker pool: GC markers and peak RSS", () => {
  test("a job on two pool workers re-executes itself with one GC marker per heap; one chain or a user's own setting does not", async () => {
    const two = job(
      "markers-2.conf",
      `env { parallelism = 2 }\nsource { ${fake({ par: 2, rows: 3000 })} }\nsink { Console { log.print.data = false } }`,
    );
    const one = job(
      "markers-1.conf",
      `env { parallelism = 1 }\nsource { ${fake({ par: 1, rows: 3000 })} }\nsink { Console { log.print.data = false } }`,
    );
    const tuned = await runBin(["run", two, "--verbose", "--json", "--workers", "2"]);
    expect(tuned.code).toBe(0);
    expect(tuned.stderr).toContain("JavaScriptCore GC markers per heap: 1 (BUN_JSC_numberOfGCMarkers)");
    expect(tuned.stderr).toContain("JavaScriptCore concurrent JIT: 0 (BUN_JSC_useConcurrentJIT)");
    expect(tuned.stderr).toContain(
      "JavaScriptCore largest function FTL compiles: 2000 (BUN_JSC_maximumFTLCandidateBytecodeCost)",
    );
    expect(lastJson(tuned.stdout).written).toBe(6000);
    // Nothing is printed twice: the replacement happens before the first log line.
    expect(tuned.stderr.split("\n").filter((l) => l.includes("starts:")).length).toBe(1);
    const user = await runBin(["run", two, "--verbose", "--workers", "2"], { env: { BUN_JSC_numberOfGCMarkers: "2" } });
    expect(user.stdout).toContain("JavaScriptCore GC markers per heap: 2");
    const userJit = await runBin(["run", two, "--verbose", "--workers", "2"], {
      env: { BUN_JSC_useConcurrentJIT: "1" },
    });
    expect(userJit.stdout).toContain("JavaScriptCore concurrent JIT: 1 (BUN_JSC_useConcurrentJIT)");
    expect(userJit.stdout).toContain("FTL compiles: 2000");
    const single = await runBin(["run", one, "--verbose"]);
    expect(single.code).toBe(0);
    expect(single.stdout).toContain("starts:");
    expect(single.stdout).not.toContain("GC markers");
  });

  test("peak RSS is the job's own, not the peak of the process that started it", async () => {
    // Linux carries getrusage's maxrss across fork and execve: a job spawned by a parent holding
    // 400 MB used to report more than 400 MB.
    const held = new Uint8Array(400 << 20).fill(7);
    const conf = job(
      "rss.conf",
      `env { parallelism = 2 }\nsource { ${fake({ par: 2, rows: 2000 })} }\nsink { Console { log.print.data = false } }`,
    );
    for (const workers of ["1", "2"]) {
      const r = await runBin(["run", conf, "--json", "--workers", workers]);
      expect(r.code).toBe(0);
      const res = lastJson(r.stdout);
      expect(res.written).toBe(4000);
      expect(res.peakRssMb).toBeGreaterThan(10);
      expect(res.peakRssMb).toBeLessThan(250);
    }
    expect(held[held.length - 1]).toBe(7);
  });
});

describe("worker pool: the binary from another directory and 1,000 tables", () => {
  test("the compiled binary copied to an empty directory runs a job on pool workers from another cwd", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-bin-"));
    const copy = join(dir, "seatunnel");
    copyFileSync(BIN, copy);
    const conf = job(
      "pool.conf",
      `env { parallelism = 2 }\nsource { ${fake({ par: 2, rows: 5000 })} }\nsink { Console { log.print.data = false } }`,
    );
    const proc = Bun.spawn([copy, "run", conf, "--json", "--workers", "2"], {
      cwd: tmpdir(),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect(err).not.toContain("WARN");
    expect(err).not.toContain("ERROR");
    expect(code).toBe(0);
    const r = lastJson(out);
    expect(r.threads).toBe(2);
    expect(r.read).toBe(10_000);
    expect(r.written).toBe(10_000);
  });

  test("a job with 1,000 source tables runs on at most pool + 1 threads in bounded memory", async () => {
    const sources = Array.from(
      { length: 1000 },
      (_, i) =>
        `FakeSource { result_table_name = "t${i}", row.num = 20, split.read-interval = 0, schema = { table = "db.t${i}", fields { id = bigint, name = string } } }`,
    );
    const inputs = Array.from({ length: 1000 }, (_, i) => `"t${i}"`).join(", ");
    const conf = job(
      "thousand.conf",
      `source {\n${sources.join("\n")}\n}\nsink { Console { source_table_name = [${inputs}], log.print.data = false } }`,
    );
    const r0 = await runBin(["run", conf, "--json", "--workers", "2"], { timeoutMs: 120_000 });
    expect(r0.code).toBe(0);
    const r = lastJson(r0.stdout);
    expect(r.threads).toBeLessThanOrEqual(2);
    expect(r.read).toBe(20_000);
    expect(r.written).toBe(20_000);
    expect(r.peakRssMb).toBeLessThanOrEqual(300);
  }, 120_000);
});

describe("parallelism", () => {
  for (const par of [1, 2, 4]) {
    test(`parallelism ${par} produces par x row.num rows and the Assert sink accepts them`, async () => {
      const conf = job(
        `par${par}.conf`,
        `env { parallelism = ${par} }\nsource { ${fake({ par, rows: 3000 })} }\nsink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = ${par * 3000} }, { rule_type = MAX_ROW, rule_value = ${par * 3000} } ], field_rules = [ { field_name = id, field_type = bigint, field_value = [ { rule_type = NOT_NULL } ] } ] } } }`,
      );
      const r = await runBin(["run", conf, "--json"]);
      expect(r.stderr).not.toMatch(/ (WARN|ERROR) /);
      expect(r.code).toBe(0);
      expect(lastJson(r.stdout).written).toBe(par * 3000);
    });
  }
});

describe("scheduling and flow", () => {
  test("with fewer slots than chains, a pipeline waits for a free slot and the job still finishes", async () => {
    const conf = job(
      "slots.conf",
      `env { parallelism = 1 }\nsource {\n${fake({ par: 1, rows: 2000, out: "a" })}\n${fake({ par: 1, rows: 2000, out: "b" })}\n}\nsink {\n Console { source_table_name = "a", log.print.data = false }\n Console { source_table_name = "b", log.print.data = false }\n}`,
    );
    const r = await runBin(["run", conf, "--json", "--slots", "1"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Pipeline 2 waits for 1 free slot\(s\): 0 of 1 are free/);
    expect(lastJson(r.stdout).written).toBe(4000);
  });

  test("a slow sink keeps at most one batch in flight per chain", async () => {
    const conf = job(
      "slow.conf",
      `source { ${fake({ par: 1, rows: 300 })} }\nsink { Console { log.print.delay.ms = 1, log.print.data = false } }`,
    );
    const r = await runBin(["run", conf, "--json"]);
    expect(r.code).toBe(0);
    const res = lastJson(r.stdout);
    expect(res.maxInFlightRows).toBeLessThanOrEqual(300);
    expect(res.written).toBe(300);
  });

  test("--no-fuse gives the same rows as the fused chain", async () => {
    const conf = job(
      "nofuse.conf",
      `source { ${fake({ par: 2, rows: 1000 })} }\nsink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 2000 } ] } } }`,
    );
    const r = await runBin(["run", conf, "--json", "--no-fuse"]);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout).written).toBe(2000);
  });

  test("a batch job with periodic checkpoints finishes across several checkpoints", async () => {
    const conf = job(
      "periodic.conf",
      `env { checkpoint.interval = 100 }\nsource { ${fake({ par: 1, rows: 50, extra: "split.num = 5" }).replace("split.read-interval = 0", "split.read-interval = 120")} }\nsink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 50 }, { rule_type = MAX_ROW, rule_value = 50 } ] } } }`,
    );
    const r = await runBin(["run", conf, "--json", "--checkpoint-dir", join(tmp, "ckpt")], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("checkpoint is enabled: every 100 ms");
    expect(lastJson(r.stdout).written).toBe(50);
  });

  test("a streaming job stops on SIGINT, drains, prints the summary and exits 0", async () => {
    const conf = job(
      "stream.conf",
      `env { job.mode = "STREAMING" }\nsource { ${fake({ par: 1, rows: 10 })} }\nsink { Console { log.print.data = false } }`,
    );
    const proc = Bun.spawn([BIN, "run", conf, "--json"], { stdout: "pipe", stderr: "pipe" });
    // Stop once the source says it has produced its rows (the job then idles, as a stream does).
    const stopped = readWhen(proc.stderr, "rows of data have been generated", () => proc.kill("SIGINT"));
    const [log, out, code] = await Promise.all([stopped, new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(log).toContain("Job Statistic Information");
    const r = lastJson(out);
    expect(r.status).toBe("CANCELED");
    expect(r.written).toBe(10);
  });
});
