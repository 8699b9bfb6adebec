/**
 * `run --json` end to end: for every outcome (finished, failed, invalid job file, usage error,
 * --check, stopped by one signal or by two) stdout is exactly one JSON object with a `status`,
 * and every log line went to stderr. Where jq is installed, `jq -e .status` accepts each stdout.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, runBin } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-json-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const JQ = Bun.which("jq");

function job(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

/** The whole of stdout must parse as one object (a log line anywhere would break it). */
async function parsed(stdout: string): Promise<Record<string, unknown>> {
  expect(stdout.endsWith("}\n")).toBe(true);
  expect(stdout.trim().split("\n").length).toBe(1);
  const o = JSON.parse(stdout) as Record<string, unknown>;
  expect(typeof o.status).toBe("string");
  if (JQ) {
    const jq = Bun.spawn([JQ, "-e", ".status"], { stdin: new Blob([stdout]), stdout: "pipe" });
    expect(await jq.exited).toBe(0);
  }
  return o;
}

// Ids 1..6, three of them above 3: the Sql WHERE drops three rows on their way to the Assert sink.
const ROWS = [1, 2, 3, 4, 5, 6].map((i) => `{ kind = INSERT, fields = [${i}, "n${i}"] }`).join(", ");
const FAN_OUT = `env { parallelism = 1, job.mode = "BATCH" }
source { FakeSource { plugin_output = "f", schema = { table = "db.people", fields { id = int, name = string } }, rows = [${ROWS}] } }
transform { Sql { plugin_input = "f", plugin_output = "g", query = "select id, name from f where id > 3" } }
sink {
  Assert { plugin_input = "g", rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 3 }, { rule_type = MIN_ROW, rule_value = 3 } ] } }
  Console { plugin_input = "f", log.print.data = false }
}`;

describe("run --json", () => {
  test("finished: counts per source table and per sink table, filtered rows, and no negative failed count", async () => {
    const r = await runBin(["run", job("fan.conf", FAN_OUT), "--json"]);
    expect(r.code).toBe(0);
    const o = await parsed(r.stdout);
    expect(o).toMatchObject({
      status: "FINISHED",
      exitCode: 0,
      read: 6,
      written: 9,
      filtered: 3,
      rejected: 0,
      sources: { "db.people": { read: 6 } },
      sinks: {
        "Sink[0]-Assert": { written: 3, tables: { "db.people": 3 } },
        "Sink[1]-Console": { written: 6, tables: { "db.people": 6 } },
      },
    });
    // The logs and the summary went to stderr: SeaTunnel's block, then lines that mean what they say.
    expect(r.stderr).toContain("Job Statistic Information");
    expect(r.stderr).toMatch(/Total Read Count\s+:\s+6\n/);
    expect(r.stderr).toMatch(/Total Write Count\s+:\s+9\n/);
    expect(r.stderr).toMatch(/Total Failed Count\s+:\s+0\n/);
    expect(r.stderr).toMatch(/Written db\.people \(Sink\[0\]-Assert\)\s*:\s+3\n/);
    expect(r.stderr).toMatch(/Written db\.people \(Sink\[1\]-Console\)\s*:\s+6\n/);
    expect(r.stderr).toMatch(/Filtered by transforms\s+:\s+3\n/);
    expect(r.stderr).toMatch(/Rejected \(error_handler\)\s+:\s+0\n/);
  });

  test("the job file's warnings come with the object, positioned like errors", async () => {
    const conf = job(
      "warn.conf",
      FAN_OUT.replace("log.print.data = false", "log.print.data = false, log.print.dta = 1"),
    );
    const r = await runBin(["run", conf, "--check", "--json"]);
    expect(r.code).toBe(0);
    expect((await parsed(r.stdout)).warnings).toEqual([
      {
        code: "CONFIG_OPTION_UNKNOWN",
        file: conf,
        line: 6,
        col: 57,
        message: 'sink Console: option "log.print.dta" is not a known option; did you mean "log.print.data"?',
      },
    ]);
    expect(r.stderr).toContain("warning[CONFIG_OPTION_UNKNOWN]");
  });

  test("without --json the logs and the summary stay on stdout, as SeaTunnel's client prints them", async () => {
    const r = await runBin(["run", join(tmp, "fan.conf")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Total Failed Count\s+:\s+0\n/);
    expect(r.stdout).toMatch(/Filtered by transforms\s+:\s+3\n/);
    expect(r.stdout).not.toContain('"status"');
  });
});

describe("run --json when the job fails or never runs", () => {
  test("failed: the status, the exit code and the error's code and message", async () => {
    const conf = job(
      "fail.conf",
      `env { job.mode = "BATCH", job.retry.times = 0 }
source { FakeSource { row.num = 5, schema = { fields { id = int } } } }
sink { Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 2 } ] } } }`,
    );
    const r = await runBin(["run", conf, "--json"]);
    expect(r.code).toBe(1);
    const o = await parsed(r.stdout);
    expect(o).toMatchObject({ status: "FAILED", exitCode: 1, read: 5, error: { code: "ASSERT_RULE_FAILED" } });
    expect((o.error as { message: string }).message).toContain("MAX_ROW 2 violated by row count 5");
    expect(r.stderr).toContain("error[ASSERT_RULE_FAILED]");
  });

  test("invalid job file: every error with its code, file, line, column and message", async () => {
    const conf = job(
      "bad.conf",
      `env { job.mode = "BATCH" }
source { FakeSorce { row.num = 5 } }
sink { Console { log.print.data = "maybe" } }`,
    );
    const r = await runBin(["run", conf, "--json"]);
    expect(r.code).toBe(2);
    const o = await parsed(r.stdout);
    expect(o.status).toBe("INVALID");
    expect(o.errors).toEqual([
      {
        code: "CONFIG_UNKNOWN_CONNECTOR",
        file: conf,
        line: 2,
        col: 10,
        message: 'source "FakeSorce" is not a known connector; did you mean "FakeSource"?',
      },
      {
        code: "CONFIG_OPTION_INVALID",
        file: conf,
        line: 3,
        col: 35,
        message: 'sink Console: option "log.print.data" expects true or false, received "maybe"',
      },
    ]);
  });

  test("a missing job file, a usage error and --check each give one object", async () => {
    const missing = await runBin(["run", join(tmp, "nothere.conf"), "--json"]);
    expect(missing.code).toBe(2);
    expect(await parsed(missing.stdout)).toMatchObject({
      status: "INVALID",
      errors: [{ code: "CONFIG_FILE_NOT_FOUND" }],
    });
    const usage = await runBin(["run", "--jsn", "x.conf", "--json"]);
    expect(usage.code).toBe(234);
    expect(await parsed(usage.stdout)).toEqual({
      status: "USAGE_ERROR",
      exitCode: 234,
      error: { code: "USAGE", message: 'flag "--jsn" is not a known flag of run; did you mean "--json"?' },
    });
    const check = await runBin(["--config", join(tmp, "fan.conf"), "--check", "--json"]);
    expect(check.code).toBe(0);
    const o = await parsed(check.stdout);
    expect(o).toMatchObject({ status: "VALID", exitCode: 0, plugins: 4 });
    expect(o.plan).toContain("fused chain");
  });
});

/** Reads a stream to its end, calling `act` once as each of `lines` appears, in order. */
async function watch(stream: ReadableStream<Uint8Array>, lines: string[], act: () => void): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  let next = 0;
  for await (const chunk of stream) {
    seen += decoder.decode(chunk, { stream: true });
    while (next < lines.length && seen.includes(lines[next]!)) {
      act();
      next++;
    }
  }
  return seen;
}

describe("run --json stopped by a signal", () => {
  // 20 splits a second apart: the job is still reading when the signals come.
  const SLOW = `env { job.mode = "BATCH" }
source { FakeSource { row.num = 20, split.num = 20, split.read-interval = 1000, schema = { fields { id = int } } } }
sink { Console { log.print.data = false } }`;

  async function stopped(signals: number): Promise<{ code: number; out: string; log: string }> {
    const conf = job(`slow-${signals}.conf`, SLOW);
    const proc = Bun.spawn([BIN, "run", conf, "--json", "--checkpoint-dir", join(tmp, "ckpt")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    // The first signal once the job runs; a second one once the job says it is taking the savepoint.
    const steps = ["starts:", "Received SIGINT"].slice(0, signals);
    const log = watch(proc.stderr, steps, () => proc.kill("SIGINT"));
    const [l, out, code] = await Promise.all([log, new Response(proc.stdout).text(), proc.exited]);
    return { code, out, log: l };
  }

  test("SIGINT: a savepoint is taken and the object says so", async () => {
    const r = await stopped(1);
    expect(r.code).toBe(130);
    const o = await parsed(r.out);
    expect(o).toMatchObject({ status: "SAVEPOINT_DONE", exitCode: 130 });
    expect(r.log).toContain("Received SIGINT");
  });

  test("a second SIGINT stops at once, and still leaves one object on stdout", async () => {
    const r = await stopped(2);
    expect(r.code).toBe(130);
    const o = await parsed(r.out);
    expect(o).toMatchObject({ status: "CANCELED", exitCode: 130, error: { code: "INTERRUPTED" } });
    expect(typeof o.read).toBe("number");
  });
});

test("SIGTERM while the job file is still being read (a Jdbc source's server never answers) stops at once with one object", async () => {
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  // A server that accepts the connection and says nothing: the source waits on it while the job is bound.
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: { open: () => void proc?.kill("SIGTERM"), data: () => {} },
  });
  const conf = job(
    "silent.conf",
    `env { job.mode = "BATCH" }
source { Jdbc { url = "jdbc:postgresql://127.0.0.1:${server.port}/test", driver = "org.postgresql.Driver", user = root, query = "select 1 as a" } }
sink { Console {} }`,
  );
  proc = Bun.spawn([BIN, "run", conf, "--json"], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout as ReadableStream).text(),
    new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  server.stop(true);
  expect(code).toBe(130);
  expect(await parsed(out)).toEqual({
    status: "CANCELED",
    exitCode: 130,
    error: { code: "INTERRUPTED", message: "stopped by SIGTERM before the job started" },
  });
  expect(err).toContain("error[INTERRUPTED]: stopped by SIGTERM before the job started");
});
