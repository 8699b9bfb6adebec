/**
 * The checkpoint folder's life cycle, through the built binary: a finished job removes its folder,
 * a failed or stopped one keeps it and its last lines say where and how to resume, and a resume of
 * a kept folder that finishes removes it. Each test has its own checkpoint directory.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, readWhen, runBin } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-ckpt-life-"));
let seq = 0;

/** A job file in the test's temp dir and a checkpoint directory of its own. */
function job(text: string): { conf: string; ckpt: string } {
  const n = seq++;
  const conf = join(tmp, `job-${n}.conf`);
  writeFileSync(conf, text);
  return { conf, ckpt: join(tmp, `ckpt-${n}`) };
}

const fake = (rows: number, readInterval: number) =>
  `FakeSource { plugin_output = "fake", row.num = ${rows}, split.num = ${rows}, split.read-interval = ${readInterval}, seed = 3, schema = { fields { id = bigint, name = string } } }`;

const folders = (ckpt: string) => (existsSync(ckpt) ? readdirSync(ckpt) : []);

/** Lines of the csv files a LocalFile sink committed under `dir`. */
function csvLines(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .flatMap((e) => readFileSync(join(e.parentPath, e.name), "utf8").split("\n"))
    .filter(Boolean);
}

/** The `Resume the job with:` command of a run's output, as argv for the binary (paths here have no spaces). */
function resumeArgs(out: string): string[] {
  const m = /(?:Resume the job with|resume with): seatunnel (.+)$/m.exec(out);
  expect(m).not.toBeNull();
  return m![1]!.split(" ");
}

describe("checkpoint folder life cycle", () => {
  test("a finished batch job leaves no checkpoint folder, though it took several checkpoints", async () => {
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "BATCH", checkpoint.interval = 50 }
source { ${fake(20, 20)} }
sink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 20 }, { rule_type = MAX_ROW, rule_value = 20 } ] } } }`,
    );
    const jobId = "5000000000000000001";
    const r = await runBin([
      "run",
      conf,
      "--set-job-id",
      jobId,
      "--checkpoint-dir",
      ckpt,
      "--no-progress",
      "--verbose",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Checkpoint [2-9] of pipeline 1 is stored/);
    expect(r.stdout).toContain(`Job ${jobId} finished: its checkpoint folder ${join(ckpt, jobId)} is removed.`);
    expect(folders(ckpt)).toEqual([]);
    expect(r.stdout).not.toContain("Resume the job with");
    const again = await runBin(["run", "-r", jobId, conf, "--checkpoint-dir", ckpt, "--no-progress"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `error[RESTORE_NOT_FOUND]: there is no checkpoint of job ${jobId} under ${ckpt} (a job that finished removed its own);`,
    );
    expect(folders(ckpt)).toEqual([]);
  });

  test("a failed job keeps its folder and its last lines name the folder and the -r command", async () => {
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "BATCH", job.retry.times = 0, checkpoint.interval = 100 }
source { ${fake(10, 0)} }
sink { Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 5 } ] } } }`,
    );
    const jobId = "5100000000000000001";
    const r = await runBin([
      "run",
      conf,
      "--set-job-id",
      jobId,
      "-i",
      "unused=a b",
      "--checkpoint-dir",
      ckpt,
      "--no-progress",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[ASSERT_RULE_FAILED]");
    expect(folders(ckpt)).toEqual([jobId]);
    const last = r.stdout.trimEnd().split("\n").slice(-2);
    expect(last[0]).toEndWith(
      `INFO  The checkpoints of job ${jobId} are kept in ${join(ckpt, jobId)} (seatunnel checkpoints list shows them).`,
    );
    expect(last[1]).toEndWith(
      `INFO  Resume the job with: seatunnel run -r ${jobId} ${conf} -i 'unused=a b' --checkpoint-dir ${ckpt}`,
    );
    const meta = JSON.parse(readFileSync(join(ckpt, jobId, "job.json"), "utf8"));
    expect(meta.ended.state).toBe("FAILED");
    expect(meta.owner).toBeUndefined();
  });

  test("a finished job that rejected rows into its folder leaves only them; -r refuses, prune removes them", async () => {
    const csv = join(tmp, "rejects.csv");
    writeFileSync(csv, "id,n\n1,10\n2,not a number\n3,30\n");
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "BATCH", error_handler { mode = "ROUTE" } }
source { LocalFile { path = "${csv}", file_format_type = "csv", skip_header_row_number = 1, schema = { fields { id = bigint, n = int } } } }
sink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 2 }, { rule_type = MAX_ROW, rule_value = 2 } ] } } }`,
    );
    const jobId = "5000000000000000002";
    const r = await runBin(["run", conf, "--set-job-id", jobId, "--checkpoint-dir", ckpt, "--no-progress"]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(ckpt, jobId)).sort()).toEqual(["job.json", "reject"]);
    expect(readFileSync(join(ckpt, jobId, "reject", "reject-0-0.dat"), "utf8")).toBe("2,not a number\n");
    const listed = await runBin(["checkpoints", "list", "--dir", ckpt]);
    expect(listed.stdout).toMatch(new RegExp(`^${jobId} +SeaTunnel_Job +finished +0 +- `, "m"));
    const again = await runBin(["run", "-r", jobId, conf, "--checkpoint-dir", ckpt, "--no-progress"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error[RESTORE_FINISHED]: job ${jobId} finished, so there is nothing to resume;`);
    expect((await runBin(["checkpoints", "prune", "--dir", ckpt])).stdout).toContain(`removed ${jobId} (`);
    expect(folders(ckpt)).toEqual([]);
  });
});

describe("checkpoint folder of a stopped job", () => {
  test("a batch job stopped by SIGINT keeps its savepoint; the printed -r command finishes it and removes the folder", async () => {
    const out = join(tmp, "sigint-out");
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "BATCH", checkpoint.interval = 100 }
source { ${fake(40, 50)} }
sink { LocalFile { plugin_input = "fake", path = "${out}", tmp_path = "${join(tmp, "sigint-tmp")}", file_format_type = "csv", is_enable_transaction = true } }`,
    );
    const proc = Bun.spawn([BIN, "run", conf, "--checkpoint-dir", ckpt, "--no-progress", "--verbose"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    // Stop once a checkpoint has committed some rows: the rest are read after the restore.
    const text = await readWhen(proc.stdout, "Checkpoint 2 of pipeline 1 is stored", () => proc.kill("SIGINT"));
    expect(await proc.exited).toBe(130);
    const [jobId] = folders(ckpt);
    expect(jobId).toBeDefined();
    expect(text).toContain(`A savepoint was taken; the checkpoints of job ${jobId} are kept in ${join(ckpt, jobId!)}`);
    const before = csvLines(out).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(40);

    const args = resumeArgs(text);
    expect(args).toEqual(["run", "-r", jobId!, conf, "--checkpoint-dir", ckpt]);
    const r = await runBin([...args, "--no-progress"]);
    expect(r.code).toBe(0);
    expect(csvLines(out).length).toBe(40);
    expect(folders(ckpt)).toEqual([]);
  }, 30_000);

  test("a second SIGINT stops at once, says how to resume, and the resume finishes the job", async () => {
    // Each row takes the Console sink 500 ms, so the savepoint the first SIGINT asks for is still waiting.
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "BATCH", checkpoint.interval = 100 }
source { ${fake(4, 0)} }
sink { Console { log.print.data = false, log.print.delay.ms = 500 } }`,
    );
    const proc = Bun.spawn([BIN, "run", conf, "--checkpoint-dir", ckpt, "--no-progress", "--verbose"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    const decoder = new TextDecoder();
    let seen = "";
    let sent = 0;
    for await (const chunk of proc.stdout) {
      seen += decoder.decode(chunk, { stream: true });
      if (sent === 0 && seen.includes("Checkpoint 1 of pipeline 1 is stored")) {
        proc.kill("SIGINT");
        sent++;
      } else if (sent === 1 && seen.includes("Received SIGINT")) {
        proc.kill("SIGINT");
        sent++;
      }
    }
    const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(130);
    const [jobId] = folders(ckpt);
    expect(err).toContain(
      `Second SIGINT: stopping now without draining; resume with: seatunnel run -r ${jobId} ${conf}`,
    );
    const r = await runBin([...resumeArgs(err), "--no-progress"]);
    expect(r.code).toBe(0);
    expect(folders(ckpt)).toEqual([]);
  }, 30_000);

  test("a streaming job stopped by SIGINT (CANCELED) keeps its savepoint and says how to resume", async () => {
    const { conf, ckpt } = job(
      `env { parallelism = 1, job.mode = "STREAMING" }
source { ${fake(10, 0)} }
sink { Console { log.print.data = false } }`,
    );
    const proc = Bun.spawn([BIN, "run", conf, "--checkpoint-dir", ckpt, "--no-progress"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    const text = await readWhen(proc.stdout, "rows of data have been generated", () => proc.kill("SIGINT"));
    expect(await proc.exited).toBe(0);
    expect(text).toContain("end with state CANCELED");
    const [jobId] = folders(ckpt);
    expect(text).toContain(`Resume the job with: seatunnel run -r ${jobId} ${conf} --checkpoint-dir ${ckpt}`);
    const l = await runBin(["checkpoints", "list", "--dir", ckpt, "--json"]);
    const listed = JSON.parse(l.stdout).jobs;
    expect(listed.map((j: { jobId: string; state: string }) => [j.jobId, j.state])).toEqual([[jobId, "stopped"]]);
    expect(listed[0].checkpoints).toBeGreaterThan(0);
  }, 30_000);
});

describe("checkpoint directory", () => {
  test("the default directory is seatunnel/checkpoint in TMPDIR; SEATUNNEL_CHECKPOINT_DIR and --checkpoint-dir win", async () => {
    const { conf } = job(
      `env { parallelism = 1, job.mode = "BATCH", job.retry.times = 0 }
source { ${fake(3, 0)} }
sink { Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 1 } ] } } }`,
    );
    const temp = mkdtempSync(join(tmp, "tmpdir-"));
    const viaEnv = join(tmp, "via-env");
    const viaFlag = join(tmp, "via-flag");
    const env = { TMPDIR: temp, SEATUNNEL_CHECKPOINT_DIR: "" };
    expect((await runBin(["run", conf, "--no-progress"], { env })).code).toBe(1);
    expect(folders(join(temp, "seatunnel", "checkpoint"))).toHaveLength(1);
    const envRun = await runBin(["run", conf, "--no-progress"], { env: { ...env, SEATUNNEL_CHECKPOINT_DIR: viaEnv } });
    expect(folders(viaEnv)).toHaveLength(1);
    // The resume command names the directory when it is not the default.
    expect(envRun.stdout).toContain(`--checkpoint-dir ${viaEnv}`);
    const flagEnv = { ...env, SEATUNNEL_CHECKPOINT_DIR: viaEnv };
    await runBin(["run", conf, "--no-progress", "--checkpoint-dir", viaFlag], { env: flagEnv });
    expect(folders(viaFlag)).toHaveLength(1);
    expect(folders(viaEnv)).toHaveLength(1);
    const listed = await runBin(["checkpoints", "list"], { env });
    expect(listed.stdout).toContain(`1 job folder(s) in ${join(temp, "seatunnel", "checkpoint")}`);
  }, 30_000);
});
