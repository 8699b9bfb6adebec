import { describe, expect, test } from "bun:test";
import { buildJob } from "./job.ts";
import { readJob } from "./read.ts";

async function envOf(env: string) {
  const root = await readJob(`env { ${env} }\nsource { FakeSource {} }\nsink { Console {} }`, "job.conf", {
    variables: new Map(),
    env: {},
  });
  const { job, errors } = buildJob(root, "job.conf");
  return { env: job?.env, warnings: job?.warnings.map((w) => w.format()) ?? [], errors: errors.map((e) => e.format()) };
}

describe("env error_handler", () => {
  test("reads SeaTunnel's mode and max_error_records, nested or flat, and our reject_dir", async () => {
    const nested = await envOf(`error_handler { mode = route, max_error_records = 100, reject_dir = "/tmp/r" }`);
    expect(nested.warnings).toEqual([]);
    expect(nested.env?.["error_handler.mode"]).toBe("ROUTE");
    expect(nested.env?.["error_handler.max_error_records"]).toBe(100n);
    expect(nested.env?.["error_handler.reject_dir"]).toBe("/tmp/r");
    const flat = await envOf(`error_handler.mode = LOG`);
    expect([flat.env?.["error_handler.mode"], flat.env?.["error_handler.max_error_records"]]).toEqual(["LOG", 0n]);
    expect((await envOf("")).env?.["error_handler.mode"]).toBe("DISABLE");
  });

  test("says which of SeaTunnel's error handler keys have no effect here", async () => {
    const r = await envOf(`error_handler { mode = ROUTE, max_error_ratio = 0.1, sink { plugin_name = Jdbc } }
      sink_error_handler { mode = LOG }
      error_handler.queue_capacity = 5`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      'error[CONFIG_OPTION_UNSUPPORTED]: job.conf:1:37 env: option "error_handler.max_error_ratio" has no effect here: only error_handler.mode, max_error_records and reject_dir are read',
      'error[CONFIG_OPTION_UNSUPPORTED]: job.conf:1:60 env: option "error_handler.sink" has no effect here: rejected rows go to reject files (error_handler.reject_dir), not to an error sink',
      'error[CONFIG_OPTION_UNSUPPORTED]: job.conf:2:7 env: "sink_error_handler" has no effect here: a row that fails in a transform or sink fails the job; "error_handler" rejects the rows that readers cannot read',
      'error[CONFIG_OPTION_UNSUPPORTED]: job.conf:3:7 env: option "error_handler.queue_capacity" has no effect here: only error_handler.mode, max_error_records and reject_dir are read',
    ]);
  });

  test("a sink { ... } object inside env is an object, not a plugin list, in every job file format", async () => {
    const opts = { variables: new Map(), env: {} };
    const texts: [string, string][] = [
      [
        "job.conf",
        `env { error_handler { sink { plugin_name = "Jdbc" } } }\nsource { FakeSource {} }\nsink { Console {} }`,
      ],
      [
        "job.json",
        '{"env": {"error_handler": {"sink": {"plugin_name": "Jdbc"}}}, "source": [{"plugin_name": "FakeSource"}], "sink": [{"plugin_name": "Console"}]}',
      ],
      [
        "job.toml",
        `[env.error_handler.sink]\nplugin_name = "Jdbc"\n[[source]]\nplugin_name = "FakeSource"\n[[sink]]\nplugin_name = "Console"`,
      ],
    ];
    for (const [file, text] of texts) {
      const { job, errors } = buildJob(await readJob(text, file, opts), file);
      expect(errors).toEqual([]);
      expect(job!.sinks.map((b) => b.name)).toEqual(["Console"]);
      expect(job!.warnings.map((w) => w.message)).toEqual([
        'env: option "error_handler.sink" has no effect here: rejected rows go to reject files (error_handler.reject_dir), not to an error sink',
      ]);
    }
  });

  test("refuses a mode it does not know and a negative budget", async () => {
    const r = await envOf(`error_handler { mode = SKIP, max_error_records = -1 }`);
    expect(r.errors.join("\n")).toContain('option "error_handler.mode" expects one of DISABLE, LOG, ROUTE');
    expect(r.errors.join("\n")).toContain('option "error_handler.max_error_records" expects an integer >= 0');
  });
});
