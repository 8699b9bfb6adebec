/**
 * `seatunnel checkpoints list|prune` through the built binary: states, ages, the folder of a
 * running job that prune never removes, --older-than, --dry-run and usage errors.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, readWhen, runBin } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-ckpt-cli-"));

const failing = join(tmp, "failing.conf");
writeFileSync(
  failing,
  `env { parallelism = 1, job.mode = "BATCH", job.name = "nightly", job.retry.times = 0, checkpoint.interval = 100 }
source { FakeSource { row.num = 10, split.read-interval = 0, schema = { fields { id = bigint } } } }
sink { Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 5 } ] } } }`,
);
const streaming = join(tmp, "streaming.conf");
writeFileSync(
  streaming,
  `env { parallelism = 1, job.mode = "STREAMING", job.name = "stream" }
source { FakeSource { row.num = 5, split.read-interval = 0, schema = { fields { id = bigint } } } }
sink { Console { log.print.data = false } }`,
);

/** Runs the failing job with this id: it leaves a kept folder. */
async function failedFolder(ckpt: string, jobId: string): Promise<void> {
  const r = await runBin(["run", failing, "--set-job-id", jobId, "--checkpoint-dir", ckpt, "--no-progress"]);
  expect(r.code).toBe(1);
}

/** Sets the modification time of a folder and everything in it `ageMs` into the past. */
function age(path: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  if (statSync(path).isDirectory()) {
    for (const f of readdirSync(path)) {
      age(join(path, f), ageMs);
    }
  }
  utimesSync(path, t, t);
}

const DAY = 86_400_000;

/** Starts the streaming job; resolves with the process once its source has produced its rows. */
async function startStreaming(ckpt: string, jobId: string) {
  const proc = Bun.spawn([BIN, "run", streaming, "--set-job-id", jobId, "--checkpoint-dir", ckpt, "--no-progress"], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const started = Promise.withResolvers<void>();
  const output = readWhen(proc.stdout, "rows of data have been generated", () => started.resolve());
  await Promise.race([started.promise, proc.exited]);
  return { proc, output };
}

describe("seatunnel checkpoints list", () => {
  test("shows one line per job folder with its id, name, state, checkpoints, size and file", async () => {
    const ckpt = join(tmp, "list");
    await failedFolder(ckpt, "6100000000000000001");
    mkdirSync(join(ckpt, "not-a-job"), { recursive: true });
    const r = await runBin(["checkpoints", "list", "--dir", ckpt]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^JOB ID +NAME +STATE +CHECKPOINTS +LAST CHECKPOINT +SIZE +FILE$/);
    const job = lines.find((l) => l.startsWith("6100000000000000001"))!;
    expect(job).toMatch(
      new RegExp(
        `^6100000000000000001 +nightly +failed +1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+ B +${failing}$`,
      ),
    );
    expect(lines.find((l) => l.startsWith("not-a-job"))).toMatch(/^not-a-job +- +unknown +0 +- /);
    expect(lines.at(-1)).toMatch(new RegExp(`^2 job folder\\(s\\) in ${ckpt}, \\d+ B\\.$`));

    const j = JSON.parse((await runBin(["checkpoints", "list", "--dir", ckpt, "--json"])).stdout);
    expect(j.dir).toBe(ckpt);
    const failed = j.jobs.find((x: { jobId: string }) => x.jobId === "6100000000000000001");
    expect(failed).toMatchObject({ jobName: "nightly", file: failing, state: "failed", checkpoints: 1 });
    expect(failed.bytes).toBeGreaterThan(100);
    expect(Date.parse(failed.lastCheckpoint)).toBeGreaterThan(Date.now() - 60_000);
  });

  test("a running job is listed as running with its pid; a killed one as crashed", async () => {
    const ckpt = join(tmp, "states");
    const { proc, output } = await startStreaming(ckpt, "6200000000000000001");
    const running = JSON.parse((await runBin(["checkpoints", "list", "--dir", ckpt, "--json"])).stdout).jobs;
    expect(running).toMatchObject([{ jobId: "6200000000000000001", state: "running", pid: proc.pid }]);
    proc.kill("SIGKILL");
    await Promise.all([proc.exited, output]);
    const r = await runBin(["checkpoints", "list", "--dir", ckpt]);
    expect(r.stdout).toMatch(/^6200000000000000001 +stream +crashed /m);
  }, 30_000);

  test("an empty or missing directory says so", async () => {
    const r = await runBin(["checkpoints", "list", "--dir", join(tmp, "nothing")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`No job folders in ${join(tmp, "nothing")}.\n`);
  });
});

describe("seatunnel checkpoints prune", () => {
  test("removes every folder of a job not running and never the folder of a running job", async () => {
    const ckpt = join(tmp, "prune-live");
    await failedFolder(ckpt, "6300000000000000001");
    await failedFolder(ckpt, "6300000000000000002");
    const { proc, output } = await startStreaming(ckpt, "6300000000000000003");
    // Even a running job's folder last written long ago stays.
    age(join(ckpt, "6300000000000000003"), 30 * DAY);
    const r = await runBin(["checkpoints", "prune", "--dir", ckpt]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("removed 6300000000000000001 (nightly, failed, ");
    expect(r.stdout).toContain(`kept 6300000000000000003 (stream, running as pid ${proc.pid})`);
    expect(r.stdout).toMatch(/Removed 2 job folder\(s\) \(.+\) from .+; kept 1 \(1 running\)\.\n$/);
    expect(readdirSync(ckpt)).toEqual(["6300000000000000003"]);
    // Nor may a second process run the same job id (a restore or a new run) while it runs.
    for (const args of [
      ["-r", "6300000000000000003"],
      ["--set-job-id", "6300000000000000003"],
    ]) {
      const r2 = await runBin(["run", ...args, streaming, "--checkpoint-dir", ckpt, "--no-progress"]);
      expect(r2.code).toBe(1);
      expect(r2.stderr).toContain(`error[JOB_RUNNING]: job 6300000000000000003 is running (process ${proc.pid} owns `);
    }

    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    await output;
    // Stopped, it keeps its savepoint until pruned.
    expect(readdirSync(ckpt)).toEqual(["6300000000000000003"]);
    const again = await runBin(["checkpoints", "prune", "--dir", ckpt]);
    expect(again.stdout).toContain("removed 6300000000000000003 (stream, stopped, ");
    expect(readdirSync(ckpt)).toEqual([]);
  }, 30_000);

  test("--older-than removes only folders last written before then; --dry-run removes nothing", async () => {
    const ckpt = join(tmp, "prune-age");
    await failedFolder(ckpt, "6400000000000000001");
    await failedFolder(ckpt, "6400000000000000002");
    await failedFolder(ckpt, "6400000000000000003");
    age(join(ckpt, "6400000000000000001"), 8 * DAY);
    age(join(ckpt, "6400000000000000002"), 2 * DAY);
    mkdirSync(join(ckpt, "scratch"));
    age(join(ckpt, "scratch"), 30 * DAY);

    const dry = await runBin(["checkpoints", "prune", "--older-than", "1d", "--dir", ckpt, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would remove 6400000000000000001 (nightly, failed,");
    expect(dry.stdout).toContain("would remove 6400000000000000002 (nightly, failed,");
    expect(dry.stdout).toMatch(
      /Would remove 2 job folder\(s\) .*; kept 2 \(1 written in the last 1d, 1 without job\.json\); nothing was removed \(--dry-run\)\.\n$/,
    );
    expect(readdirSync(ckpt).sort()).toHaveLength(4);

    const week = await runBin(["checkpoints", "prune", "--older-than=7d", "--dir", ckpt]);
    expect(week.stdout).toContain("removed 6400000000000000001");
    expect(readdirSync(ckpt).sort()).toEqual(["6400000000000000002", "6400000000000000003", "scratch"]);

    await runBin(["checkpoints", "prune", "--older-than", "36h", "--dir", ckpt]);
    expect(readdirSync(ckpt).sort()).toEqual(["6400000000000000003", "scratch"]);
    // An older engine's job.json names no owner: it may still run within the hour.
    const legacy = join(ckpt, "6400000000000000004");
    mkdirSync(legacy);
    writeFileSync(join(legacy, "job.json"), JSON.stringify({ jobId: "6400000000000000004", jobName: "old" }));
    const fresh = await runBin(["checkpoints", "prune", "--dir", ckpt]);
    expect(fresh.stdout).toContain("kept 2 (1 without an owner written in the last hour, 1 without job.json).");
    // A folder without job.json is not the engine's to remove.
    expect(readdirSync(ckpt).sort()).toEqual(["6400000000000000004", "scratch"]);
    age(legacy, 2 * 3_600_000);
    const old = await runBin(["checkpoints", "prune", "--dir", ckpt]);
    expect(old.stdout).toContain("removed 6400000000000000004 (old, crashed, ");
    expect(readdirSync(ckpt)).toEqual(["scratch"]);
    expect(existsSync(join(ckpt, "scratch"))).toBe(true);
  }, 30_000);
});

describe("seatunnel checkpoints usage", () => {
  const cases: [string[], string][] = [
    [["checkpoints"], "error[USAGE]: no subcommand given"],
    [
      ["checkpoints", "lst"],
      'error[USAGE]: subcommand "lst" is not a known subcommand of checkpoints; did you mean "list"?',
    ],
    [
      ["checkpoints", "list", "--dri", "x"],
      'error[USAGE]: flag "--dri" is not a known flag of checkpoints list; did you mean "--dir"?',
    ],
    [
      ["checkpoints", "prune", "--older-than", "7x"],
      'expects an age such as 30m, 12h or 7d (s, m, h, d or w), received "7x"',
    ],
    [["checkpoints", "prune", "--dir"], 'error[USAGE]: checkpoints prune: flag "--dir" needs a value'],
    [["checkpoints", "list", "--older-than", "1d"], 'flag "--older-than" is not a known flag of checkpoints list'],
  ];
  for (const [args, message] of cases) {
    test(`\`seatunnel ${args.join(" ")}\` is a usage error (exit 234)`, async () => {
      const r = await runBin(args);
      expect(r.code).toBe(234);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    });
  }

  test("-h on each subcommand prints its usage and exits 0; seatunnel help names the command", async () => {
    for (const sub of ["list", "prune"]) {
      const r = await runBin(["checkpoints", sub, "-h"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toStartWith(`Usage: seatunnel checkpoints ${sub} `);
    }
    expect((await runBin(["checkpoints", "--help"])).stdout).toContain(
      "seatunnel checkpoints prune [--older-than AGE]",
    );
    expect((await runBin(["help"])).stdout).toContain(
      "checkpoints prune                        Remove kept checkpoint folders",
    );
  });
});
