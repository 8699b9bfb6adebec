/**
 * Variables left unresolved: every job format reports a `${name}` a value keeps as a positioned
 * warning (an error with --strict), names a connector fills itself are not reported, and `-i`
 * pieces without `=` are reported.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../src/api/connector.ts";
import type { ConfigError } from "../src/api/errors.ts";
import { readJob } from "../src/config/read.ts";
import { bindPlanned, planJob } from "../src/plan/load.ts";
import { binaryBuilt, runBin } from "./helpers.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** The warnings of reading, planning and binding a job (checkOnly: nothing is opened). */
async function warningsOf(text: string, file: string, variables: Record<string, string> = {}): Promise<string[]> {
  const root = await readJob(text, file, { variables: new Map(Object.entries(variables)), env: { HOME: "/root" } });
  const warnings: ConfigError[] = [];
  const warn = (w: ConfigError[]) => warnings.push(...w);
  await bindPlanned(await planJob(root, file, { warn }), {
    jobId: "1",
    jobName: "t",
    log: quiet,
    checkOnly: true,
    warn,
  });
  return warnings.filter((w) => w.code === "CONFIG_VARIABLE_UNRESOLVED").map((w) => w.format());
}

const HOCON = `env {
  job.name = "\${JOB}"
}
source {
  FakeSource {
    row.num = 3
    schema = { fields { id = "int" } }
  }
}
sink {
  LocalFile {
    path = "/tmp/out/\${table_name}/\${day}"
    file_name_expression = "\${transactionId}_\${now}_\${uuid}"
    partition_dir_expression = "\${k0}=\${v0}"
    file_format_type = "csv"
    tmp_path = "\${HOME}/tmp"
  }
}
`;

describe("unresolved variables", () => {
  test("a HOCON job warns at each quoted value that keeps a ${name}, not at names a connector fills", async () => {
    const w = await warningsOf(HOCON, "job.conf");
    expect(w).toEqual([
      'error[CONFIG_VARIABLE_UNRESOLVED]: job.conf:2:14 env: option "job.name": variable "${JOB}" is left as written (a string takes only -i values and ${name:default} defaults); pass -i JOB=value, or write ${JOB} outside the quotes, where a config key or the environment variable JOB fills it',
      expect.stringContaining(
        'error[CONFIG_VARIABLE_UNRESOLVED]: job.conf:12:12 sink LocalFile: option "path": variable "${day}"',
      ),
      expect.stringContaining(
        'error[CONFIG_VARIABLE_UNRESOLVED]: job.conf:16:16 sink LocalFile: option "tmp_path": variable "${HOME}"',
      ),
    ]);
  });

  test("-i values and defaults resolve quoted values, so nothing warns", async () => {
    const text = HOCON.replace('"${JOB}"', '"${JOB:nightly}"');
    expect(await warningsOf(text, "job.conf", { day: "2024-01-01", HOME: "/h" })).toEqual([]);
  });

  test("an environment variable fills only an unquoted ${name}", async () => {
    expect(
      await warningsOf(HOCON.replace('"${HOME}/tmp"', '${HOME}"/tmp"'), "job.conf", { JOB: "j", day: "d" }),
    ).toEqual([]);
  });

  test("a JSON job warns without the HOCON hint", async () => {
    const text = JSON.stringify({
      env: { "job.mode": "BATCH" },
      source: [{ plugin_name: "FakeSource", "row.num": 1, schema: { fields: { id: "int" } } }],
      sink: [{ plugin_name: "Console", log_print_data: "${PRINT}" }],
    });
    expect(await warningsOf(text, "job.json")).toEqual([
      `error[CONFIG_VARIABLE_UNRESOLVED]: job.json:1:${text.indexOf('"${PRINT}"') + 1} sink Console: option "log_print_data": variable "\${PRINT}" is left as written (a string takes only -i values and \${name:default} defaults); pass -i PRINT=value`,
    ]);
  });

  test("a TOML job warns at the line of the value", async () => {
    const text = `[env]\n"job.mode" = "BATCH"\n[source.FakeSource]\n"row.num" = 1\nschema = { fields = { id = "int" } }\n[sink.Console]\nlog_print_data = "\${PRINT}"\n`;
    expect(await warningsOf(text, "job.toml")).toEqual([
      expect.stringContaining(
        'error[CONFIG_VARIABLE_UNRESOLVED]: job.toml:7:1 sink Console: option "log_print_data": variable "${PRINT}"',
      ),
    ]);
  });

  test("an SQL job warns in WITH values, and ${?x} inside a string is plain text", async () => {
    const text = [
      "CREATE TABLE f WITH ('connector' = 'FakeSource', 'type' = 'source', 'row.num' = '1',",
      "  'schema' = '{ fields { id = int } }');",
      "CREATE TABLE k WITH ('connector' = 'Console', 'type' = 'sink', 'log_print_data' = '${?PRINT}');",
      "INSERT INTO k SELECT * FROM f;",
    ].join("\n");
    const w = await warningsOf(text, "job.sql");
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^error\[CONFIG_VARIABLE_UNRESOLVED\]: job\.sql:3:\d+ sink Console/);
    expect(w[0]).toEndWith("pass -i PRINT=value; ${?PRINT} is optional only outside quotes");
  });
});

describe.skipIf(!binaryBuilt())("unresolved variables in the binary", () => {
  const dir = mkdtempSync(join(tmpdir(), "st-vars-"));
  const job = join(dir, "job.conf");
  writeFileSync(
    job,
    'env { job.mode = "BATCH" }\nsource { FakeSource { row.num = 1, schema = { fields { id = "int" } } } }\nsink { Console { log_print_data = "${PRINT}" } }\n',
  );

  test("a run warns with the position and still runs", async () => {
    const r = await runBin(["run", job, "--no-progress"], { env: { PRINT: "true" } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning[CONFIG_VARIABLE_UNRESOLVED]: ${job}:3:35 sink Console: option "log_print_data"`,
    );
  });

  test("--strict makes it an error, positioned, and nothing runs", async () => {
    const r = await runBin(["run", job, "--strict"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[CONFIG_VARIABLE_UNRESOLVED]: ${job}:3:35 sink Console`);
    expect(r.stdout).not.toContain("Job Statistic Information");
  });

  test("an -i piece without = warns, and fails under --strict", async () => {
    const ok = await runBin(["run", job, "--check", "-i", "PRINT=true,false"]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(
      'warning[CONFIG_VARIABLE_MALFORMED]: -i piece "false" (of -i PRINT=true,false: -i splits on commas outside "..." and [...], and keeps such quotes in the value) has no "=", so it sets no variable; expected -i name=value',
    );
    const strict = await runBin(["run", job, "--check", "--strict", "-i", "PRINT=true,false"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('error[CONFIG_VARIABLE_MALFORMED]: -i piece "false"');
  }, 30_000);
});
