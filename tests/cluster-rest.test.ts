/**
 * SeaTunnel's REST API v2 on a real member, through a real HTTP client: submissions as JSON,
 * HOCON, SQL and an uploaded file; submit-jobs and stop-jobs; bad payloads answered 400 with the
 * position and SeaTunnel's error body (never a 500 with a stack trace); encrypt-config;
 * update-tags with the overview's tag filter; system-monitoring-information of both members; and
 * the log lists; a running job's live counts in job-info and in /metrics, read by a Prometheus
 * text-format parser.
 */
import { afterAll, describe, expect, test } from "bun:test";
import parse from "parse-prometheus-text-format";
import { agreedMaster, cleanup, dataDir, info, start, submitCsv, until } from "./cluster-helpers.ts";

afterAll(cleanup);

const FAKE_JSON = {
  env: { "job.mode": "BATCH" },
  source: [{ plugin_name: "FakeSource", plugin_output: "fake", "row.num": 7, schema: { fields: { id: "bigint" } } }],
  sink: [{ plugin_name: "Console", plugin_input: ["fake"], "log.print.data": false }],
};
const FAKE_HOCON = `env { job.mode = "batch" }
source { FakeSource { plugin_output = "fake", row.num = 5, schema = { fields { id = bigint } } } }
sink { Console { plugin_input = "fake", log.print.data = false } }`;

async function post(port: number, path: string, body: string | FormData): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body });
  return { status: r.status, json: await r.json() };
}

const finished = async (port: number, id: string) =>
  until(
    `job ${id} finished`,
    () => info(port, id),
    (j) => j.jobStatus === "FINISHED",
  );

describe("REST API v2: submissions", () => {
  test("JSON, HOCON (format=hocon), SQL (format=sql) and an uploaded .conf each run; submit-jobs takes several", async () => {
    const m = await start(dataDir());
    const json = await post(m.port, "/submit-job?jobName=as_json", JSON.stringify(FAKE_JSON));
    expect(json).toMatchObject({ status: 200, json: { jobName: "as_json" } });
    const hocon = await post(m.port, "/submit-job?format=hocon&jobId=424242", FAKE_HOCON);
    expect(hocon).toEqual({ status: 200, json: { jobId: "424242", jobName: "SeaTunnel_Job" } });
    const sql = await post(
      m.port,
      "/submit-job?format=sql",
      `CREATE TABLE fake WITH ('connector' = 'FakeSource', 'type' = 'source', 'row.num' = '3', 'schema' = '{fields {id = bigint}}');
CREATE TABLE out WITH ('connector' = 'Console', 'type' = 'sink');
INSERT INTO out SELECT * FROM fake;`,
    );
    expect(sql.status).toBe(200);
    const form = new FormData();
    form.append("config_file", new File([FAKE_HOCON], "fake_to_console.conf"));
    const upload = await post(m.port, "/submit-job/upload?jobName=uploaded", form);
    expect(upload).toMatchObject({ status: 200, json: { jobName: "uploaded" } });
    const many = await post(
      m.port,
      "/submit-jobs",
      JSON.stringify([
        { params: { jobId: "515151", jobName: "one" }, ...FAKE_JSON },
        { params: { jobId: "525252", jobName: "two" }, ...FAKE_JSON },
      ]),
    );
    expect(many).toEqual({
      status: 200,
      json: [
        { jobId: "515151", jobName: "one" },
        { jobId: "525252", jobName: "two" },
      ],
    });
    const ids = [json, hocon, sql, upload].map((r) => (r.json as { jobId: string }).jobId).concat(["515151", "525252"]);
    const written = [];
    for (const id of ids) {
      written.push(((await finished(m.port, id)).metrics as { SinkWriteCount: string }).SinkWriteCount);
    }
    expect(written).toEqual(["7", "5", "3", "5", "7", "7"]);
  }, 60_000);

  test("bad payloads: 400 with the position or SeaTunnel's message, never a 500", async () => {
    const m = await start(dataDir());
    const broken = await post(m.port, "/submit-job?format=hocon", "env {\n  job.mode = \n}\nsource {");
    expect(broken.status).toBe(400);
    expect((broken.json as { status: string; message: string }).status).toBe("fail");
    expect((broken.json as { message: string }).message).toMatch(/^error\[[A-Z_]+\]: job\.conf:\d+:\d+ /);
    expect((await post(m.port, "/submit-job", "{not json")).status).toBe(400);
    expect(await post(m.port, "/submit-job?format=yaml", "{}")).toEqual({
      status: 400,
      json: { status: "fail", message: 'format must be json, hocon, sql or toml, received "yaml"' },
    });
    const form = new FormData();
    form.append("config_file", new File(["x"], "job.txt"));
    expect((await post(m.port, "/submit-job/upload", form)).status).toBe(400);
    expect((await post(m.port, "/submit-job/upload", "plain")).status).toBe(400);
    const badSecond = await post(
      m.port,
      "/submit-jobs",
      JSON.stringify([
        { params: { jobId: "616161" }, ...FAKE_JSON },
        { params: {}, env: {}, source: [{ plugin_name: "Nope" }] },
      ]),
    );
    expect(badSecond.status).toBe(400);
    expect((badSecond.json as { message: string }).message).toStartWith("job 2 of 2: ");
    // Nothing of a refused batch is stored.
    expect(await info(m.port, "616161")).toEqual({ jobId: "616161" });
    expect((await post(m.port, "/stop-jobs", JSON.stringify([{ jobId: "1" }]))).status).toBe(400);
    expect((await post(m.port, "/stop-jobs", "{}")).status).toBe(400);
  }, 30_000);
});

describe("REST API v2: the member's own endpoints", () => {
  test("encrypt-config, update-tags with /overview's filter, system-monitoring-information of both members, log lists", async () => {
    const data = dataDir();
    const ms = [await start(data), await start(data)];
    await agreedMaster(ms);
    const shaded = await post(
      ms[0]!.port,
      "/encrypt-config",
      JSON.stringify({
        env: { "shade.identifier": "base64" },
        source: [{ plugin_name: "Jdbc", username: "seatunnel", password: "seatunnel_password", url: "jdbc:x" }],
        sink: [],
      }),
    );
    expect(shaded.json).toMatchObject({
      source: [{ username: "c2VhdHVubmVs", password: "c2VhdHVubmVsX3Bhc3N3b3Jk", url: "jdbc:x" }],
    });
    expect(await post(ms[1]!.port, "/update-tags", JSON.stringify({ zone: "b" }))).toEqual({
      status: 200,
      json: { status: "success", message: "update node tags done." },
    });
    expect(await post(ms[1]!.port, "/update-tags", "")).toEqual({
      status: 400,
      json: { status: "fail", message: "Request body is empty." },
    });
    expect((await post(ms[1]!.port, "/update-tags", "[1]")).json).toEqual({
      status: "fail",
      message: "Invalid JSON format in request body.",
    });
    await until(
      "the tag seen by the other member",
      async () => (await (await fetch(`http://127.0.0.1:${ms[0]!.port}/overview?zone=b`)).json()) as { works: string },
      (o) => o.works === "1",
    );
    const monitoring = (await (
      await fetch(`http://127.0.0.1:${ms[0]!.port}/system-monitoring-information`)
    ).json()) as Record<string, string>[];
    expect(monitoring.map((x) => x.member).sort()).toEqual(
      ((await (await fetch(`http://127.0.0.1:${ms[0]!.port}/cluster`)).json()) as { members: { id: string }[] }).members
        .map((x) => x.id)
        .sort(),
    );
    expect(Number(monitoring[0]!.processors)).toBeGreaterThan(0);
    const id = (await post(ms[0]!.port, "/submit-job", JSON.stringify(FAKE_JSON))).json as { jobId: string };
    const done = await finished(ms[0]!.port, id.jobId);
    const links = (await (await fetch(`http://127.0.0.1:${ms[0]!.port}/logs?format=json`)).json()) as {
      node: string;
      logLink: string;
      logName: string;
    }[];
    const mine = links.find((l) => l.logName === `job-${id.jobId}.log`)!;
    expect(mine.node).toBe(String(done.member));
    expect(await (await fetch(mine.logLink)).text()).toContain("Job Statistic Information");
    const viaLogs = await fetch(`http://127.0.0.1:${ms[0]!.port}/logs/job-${id.jobId}.log?from=0`);
    expect(viaLogs.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ms[0]!.port}/logs?`)).headers.get("content-type")).toContain("text/html");
    expect((await fetch(`http://127.0.0.1:${ms[0]!.port}/log/job-1.log`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${ms[0]!.port}/log/passwd`)).status).toBe(400);
  }, 60_000);
});

describe("REST API v2: live counts and /metrics", () => {
  test("a running job's counts rise in job-info and in /metrics, which a Prometheus parser reads", async () => {
    const m = await start(dataDir());
    // 40,000 rows read at 4,000 a second: ten seconds of a running job.
    const { id: jobId } = await submitCsv(m.port, 4000, ["-n", 'live "one"']);
    const count = async () =>
      Number(((await info(m.port, jobId)).metrics as { SourceReceivedCount: string }).SourceReceivedCount);
    const first = await until("the job's first counts", count, (n) => n > 0);
    const later = await until("its counts rising", count, (n) => n > first);
    expect(later).toBeGreaterThan(first);
    const scrape = async () => {
      const r = await fetch(`http://127.0.0.1:${m.port}/metrics`);
      expect(r.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
      const families = parse(await r.text());
      const rows = families.find((f) => f.name === "seatunnel_job_rows_read_total")!;
      const mine = rows.metrics.find((x) => x.labels?.job_id === jobId)!;
      expect(mine.labels).toEqual({ job_id: jobId, job_name: 'live "one"', state: "RUNNING" });
      return { families, read: Number(mine.value) };
    };
    const a = await scrape();
    const b = await until("the scraped count rising", scrape, (s) => s.read > a.read);
    expect(b.read).toBeGreaterThan(a.read);
    const family = (name: string) => b.families.find((f) => f.name === name)!;
    expect(family("seatunnel_cluster_members_alive").metrics[0]!.value).toBe("1");
    expect(Number(family("seatunnel_cluster_master_epoch").metrics[0]!.value)).toBeGreaterThanOrEqual(1);
    expect(family("seatunnel_jobs").metrics.find((x) => x.labels?.state === "RUNNING")!.value).toBe("1");
    expect(family("seatunnel_table_rows_read_total").type).toBe("COUNTER");
    // Bytes, as SeaTunnel counts them: each row here is an id and "name <id>".
    const bytes = Number(
      family("seatunnel_job_bytes_read_total").metrics.find((x) => x.labels?.job_id === jobId)!.value,
    );
    expect(bytes).toBeGreaterThan(b.read * 8);
    expect(bytes).toBeLessThan(b.read * 30);
    // Per pipeline, and its checkpoints (every 300 ms): completed, none failed, the latest's duration.
    const pipeline = family("seatunnel_pipeline_rows_read_total").metrics.find((x) => x.labels?.job_id === jobId)!;
    expect(pipeline.labels?.pipeline).toBe("1");
    expect(Number(pipeline.value)).toBeGreaterThan(0);
    const cps = await until(
      "a completed checkpoint in /metrics",
      async () => (await scrape()).families.find((f) => f.name === "seatunnel_job_checkpoints_total")!,
      (f) => Number(f.metrics.find((x) => x.labels?.job_id === jobId && x.labels?.result === "completed")?.value) > 0,
    );
    expect(cps.metrics.find((x) => x.labels?.job_id === jobId && x.labels?.result === "failed")!.value).toBe("0");
    const duration = (await scrape()).families
      .find((f) => f.name === "seatunnel_pipeline_checkpoint_duration_seconds")!
      .metrics.find((x) => x.labels?.job_id === jobId)!;
    expect(Number(duration.value)).toBeGreaterThan(0);
    expect(Number(duration.value)).toBeLessThan(60);
    // job-info: its DAG, SeaTunnel's jobDag, with each vertex's rows.
    const dag = (await info(m.port, jobId)).jobDag as { vertexInfoMap: { vertexName: string; rows: number }[] };
    expect(dag.vertexInfoMap.map((v) => v.vertexName)).toEqual(["Source[0]-LocalFile", "Sink[0]-LocalFile"]);
    expect(dag.vertexInfoMap[0]!.rows).toBeGreaterThan(0);
    await post(m.port, "/stop-job", JSON.stringify({ jobId }));
    const ended = await until(
      "the job stopped",
      () => info(m.port, jobId),
      (j) => j.jobStatus === "CANCELED",
    );
    expect(Number((ended.metrics as { SourceReceivedCount: string }).SourceReceivedCount)).toBeGreaterThanOrEqual(
      b.read,
    );
  }, 60_000);
});

describe("REST API v2: option-rules", () => {
  type Opt = { key: string; type: string; defaultValue: unknown; secret?: boolean };
  type Rules = {
    pluginName: string;
    pluginType: string;
    optionRule: {
      optionalOptions: Opt[];
      requiredOptions: { ruleType: string; options: Opt[]; expression?: string }[];
    };
  };
  const get = async (port: number, query: string) => {
    const r = await fetch(`http://127.0.0.1:${port}/option-rules${query}`);
    return { status: r.status, json: (await r.json()) as Rules & { status?: string; message?: string } };
  };

  test("a connector's options from its spec, as SeaTunnel's OptionRule; the list; bad names answered 400", async () => {
    const m = await start(dataDir());
    const fake = (await get(m.port, "?type=source&plugin=fakesource")).json;
    expect(fake).toMatchObject({ engineType: "seatunnel", pluginType: "source", pluginName: "FakeSource" });
    const rowNum = fake.optionRule.optionalOptions.find((o) => o.key === "row.num")!;
    expect(rowNum).toMatchObject({ type: "java.lang.Integer", defaultValue: 5 });
    // schema is required unless tables_configs is given: a conditional rule, not an optional option.
    const schema = fake.optionRule.requiredOptions.find((r) => r.options.some((o) => o.key === "schema"))!;
    expect(schema).toMatchObject({ ruleType: "CONDITIONAL", expression: "tables_configs == null" });
    expect(fake.optionRule.optionalOptions.some((o) => o.key === "schema")).toBe(false);
    // Every option of the spec is there once.
    const { builtinRegistry } = await import("../src/registry/index.ts");
    const spec = (await builtinRegistry()).all.find((d) => d.name === "FakeSource" && d.kind === "source")!;
    const keys = [
      ...fake.optionRule.optionalOptions.map((o) => o.key),
      ...fake.optionRule.requiredOptions.flatMap((r) => r.options.map((o) => o.key)),
    ];
    expect(new Set(keys)).toEqual(new Set(Object.keys(spec.options)));
    const jdbc = (await get(m.port, "?type=sink&plugin=Jdbc")).json;
    const password = [
      ...jdbc.optionRule.optionalOptions,
      ...jdbc.optionRule.requiredOptions.flatMap((r) => r.options),
    ].find((o) => o.key === "password")!;
    expect(password.secret).toBe(true);
    const list = (await fetch(`http://127.0.0.1:${m.port}/option-rules?type=transform`).then((r) => r.json())) as {
      pluginName: string;
    }[];
    expect(list.map((p) => p.pluginName)).toContain("Sql");
    expect(await get(m.port, "?type=source&plugin=FakeSorce")).toMatchObject({
      status: 400,
      json: { status: "fail", message: expect.stringContaining('did you mean "FakeSource"') },
    });
    expect(await get(m.port, "?plugin=LocalFile")).toMatchObject({
      status: 400,
      json: { message: "LocalFile is a source and a sink: say which with type=source" },
    });
    expect((await get(m.port, "?type=widget")).status).toBe(400);
  });
});
