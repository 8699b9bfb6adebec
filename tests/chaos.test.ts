/**
 * Chaos: a deterministic 1M-row FakeSource job writing files with exactly-once on is killed with
 * SIGKILL at random points at least ten times and resumed each time with `-r <jobId>`; the
 * committed output must hold every row exactly once — compared with an uninterrupted run of the
 * same job by row count and an order-independent checksum.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT } from "./helpers.ts";

const ROWS = 1_000_000;
const KILLS = 10;

function jobFile(dir: string, out: string): string {
  const p = join(dir, `${out}.conf`);
  writeFileSync(
    p,
    `env { parallelism = 2, checkpoint.interval = 150, job.retry.times = 0, read_limit.rows_per_second = 250000 }
source {
  FakeSource {
    row.num = ${ROWS / 2}
    split.num = 50
    split.read-interval = 0
    seed = 11
    schema = { fields { id = bigint, name = string, amount = "decimal(12, 2)", ok = boolean } }
  }
}
sink {
  LocalFile {
    path = "${join(dir, out)}"
    tmp_path = "${join(dir, "tmp")}"
    file_format_type = "csv"
    is_enable_transaction = true
  }
}
`,
  );
  return p;
}

/** Row count and a sum of 64-bit line hashes: equal for the same multiset of lines, whatever the order or file split. */
function digest(dir: string): { rows: number; sum: bigint } {
  let rows = 0;
  let sum = 0n;
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else
        for (const line of readFileSync(p, "utf8").split("\n")) {
          if (line === "") continue;
          rows++;
          sum = (sum + BigInt(Bun.hash(line))) & 0xffffffffffffffffn;
        }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { rows, sum };
}

function spawn(args: string[]) {
  return Bun.spawn([BIN, ...args], { cwd: ROOT, stdout: "ignore", stderr: "pipe", env: { ...process.env, TZ: "UTC" } });
}

describe("chaos", () => {
  test(`killed ${KILLS} times with SIGKILL and resumed with -r, the job writes every one of ${ROWS} rows exactly once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-chaos-"));
    const ckpt = join(dir, "ckpt");
    const clean = spawn(["run", jobFile(dir, "clean"), "--checkpoint-dir", ckpt]);
    expect(await clean.exited).toBe(0);
    const want = digest(join(dir, "clean"));
    expect(want.rows).toBe(ROWS);

    const conf = jobFile(dir, "chaos");
    const jobId = "7000000000000000001";
    let kills = 0;
    // Kills that found part of the output committed: the restores really resumed mid-way.
    let partial = 0;
    let args = ["run", conf, "--set-job-id", jobId, "--checkpoint-dir", ckpt];
    let random = 12345;
    const next = () => ((random = (random * 1103515245 + 12345) % 2147483648), random / 2147483648);
    for (let attempt = 0; attempt < 60; attempt++) {
      const p = spawn(args);
      if (kills < KILLS) {
        await Bun.sleep(60 + Math.floor(next() * 500));
        if (p.exitCode === null) {
          p.kill("SIGKILL");
          kills++;
          await p.exited;
          const seen = digest(join(dir, "chaos")).rows;
          if (seen > 0 && seen < ROWS) partial++;
        }
      }
      const code = await p.exited;
      args = ["run", "-r", jobId, conf, "--checkpoint-dir", ckpt];
      if (code === 0 && kills >= KILLS) break;
      if (code !== 0 && p.signalCode !== "SIGKILL") throw new Error(`run exited ${code}: ${await new Response(p.stderr).text()}`);
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(partial).toBeGreaterThanOrEqual(3);
    const got = digest(join(dir, "chaos"));
    expect(got.rows).toBe(want.rows);
    expect(got.sum).toBe(want.sum);
  }, 300_000);
});
