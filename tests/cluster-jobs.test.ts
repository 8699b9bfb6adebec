/**
 * Jobs on a cluster of real member processes: `seatunnel run -m cluster` gives the same output
 * and counts as a local run, `--async` returns the job id, an invalid job fails as it does
 * locally and reaches no member, a client pointed at no member says so, the REST API v2 job
 * endpoints answer with SeaTunnel's payloads, and a job whose member is SIGKILLed runs again on
 * the other member from its last checkpoint, its output exactly once.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  agreedMaster,
  cleanup,
  csvJob,
  dataDir,
  finishedOnce,
  forgetCluster,
  info,
  portOf,
  rowsIn,
  start,
  state,
  submitCsv,
  until,
} from "./cluster-helpers.ts";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

afterAll(cleanup);

/**
 * Two members on one data directory running a 40,000-row csv job at `perSecond` rows a second
 * (submitted --async, into `out`), `after` ms past its start: the job, its member and the other.
 */
async function runningOnTwo(perSecond: number, after: number) {
  const data = dataDir();
  const ms = [await start(data), await start(data)];
  await agreedMaster(ms);
  const { id, out } = await submitCsv(ms[0]!.port, perSecond);
  const running = await until(
    "the job running",
    () => info(ms[0]!.port, id),
    (j) => j.jobStatus === "RUNNING",
  );
  await Bun.sleep(after);
  const victim = ms.find((m) => String(running.member).endsWith(`:${m.port}`))!;
  return { id, out, data, victim, other: ms.find((m) => m !== victim)! };
}

describe("jobs on a cluster", () => {
  test("run -m cluster gives a local run's rows, counts and exit code; --async returns the job id", async () => {
    const dir = dataDir();
    const m = await start(dataDir());
    const conf = csvJob(dir, 500);
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const local = await runBin(["run", conf, "-i", `out=${dir}/local`, "--json"]);
    const remote = await runBin(["run", conf, "-m", "cluster", ...address, "-i", `out=${dir}/cluster`, "--json"]);
    expect([local.code, remote.code]).toEqual([0, 0]);
    const [l, r] = [local, remote].map((x) => JSON.parse(x.stdout) as Record<string, unknown>);
    expect(r).toMatchObject({ status: "FINISHED", exitCode: 0, read: l!.read, written: l!.written });
    expect(rowsIn(join(dir, "cluster"))).toEqual(rowsIn(join(dir, "local")));
    expect(rowsIn(join(dir, "cluster")).length).toBe(500);
    const plain = await runBin(["run", conf, "-m", "cluster", ...address, "-i", `out=${dir}/plain`]);
    expect(plain.stdout).toMatch(/ended FINISHED on member .*: read 500, written 500, rejected 0 row\(s\)\./);
    const async = await runBin(["run", conf, "-m", "cluster", ...address, "-i", `out=${dir}/async`, "--async"]);
    expect(async.code).toBe(0);
    // The id is the last line (logs come before it).
    const id = async.stdout.trim().split("\n").at(-1)!;
    expect(id).toMatch(/^\d+$/);
    const done = await until(
      "the async job's end",
      () => info(m.port, id),
      (j) => j.jobStatus === "FINISHED",
    );
    expect(done).toMatchObject({ jobId: id, metrics: { SourceReceivedCount: "500", SinkWriteCount: "500" } });
    const finished = (await (await fetch(`http://127.0.0.1:${m.port}/finished-jobs/FINISHED`)).json()) as unknown[];
    expect(finished.length).toBe(3);
    const overview = (await (await fetch(`http://127.0.0.1:${m.port}/overview`)).json()) as Record<string, string>;
    expect(overview).toMatchObject({ finishedJobs: "3", runningJobs: "0", failedJobs: "0" });
  }, 60_000);
});

describe("jobs on a cluster: the client's queries", () => {
  test("-l lists the jobs, -j and --metrics show one, -can stops one, an unknown id fails in one line", async () => {
    const dir = dataDir();
    const m = await start(dataDir());
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const done = await runBin(["run", csvJob(dir, 100), "-m", "cluster", ...address, "-i", `out=${dir}/a`, "--json"]);
    const id = (JSON.parse(done.stdout) as { jobId: string }).jobId;
    const list = await runBin(["-l", ...address]);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^Job ID +Job Name +Job Status +Submit Time +Finished Time$/);
    expect(list.stdout).toMatch(new RegExp(`^${id} +SeaTunnel_Job +FINISHED +\\d{4}-`, "m"));
    const one = await runBin(["-j", id, ...address, "--json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({ status: "OK", jobId: id, jobStatus: "FINISHED", attempt: 1 });
    const metrics = await runBin(["--metrics", id, ...address]);
    expect(JSON.parse(metrics.stdout)).toEqual({
      jobId: id,
      metrics: {
        SourceReceivedCount: "100",
        SinkWriteCount: "100",
        SourceReceivedQPS: "0",
        SinkWriteQPS: "0",
        // SeaTunnel's byte sizes of the 100 rows read and written (ids and names of 6 to 8 characters).
        SourceReceivedBytes: expect.stringMatching(/^1[0-9]{3}$/),
        SinkWriteBytes: expect.stringMatching(/^1[0-9]{3}$/),
        SourceReceivedBytesPerSeconds: "0",
        SinkWriteBytesPerSeconds: "0",
        TableSourceReceivedCount: { "default.default.default": "100" },
        TableSinkWriteCount: { "default.default.default": "100" },
      },
    });
    const slow = await runBin([
      "run",
      csvJob(dir, 40_000, 2000),
      "-m",
      "cluster",
      ...address,
      "-i",
      `out=${dir}/b`,
      "--async",
    ]);
    const slowId = slow.stdout.trim().split("\n").at(-1)!;
    const can = await runBin(["-can", slowId, ...address]);
    expect(can.stdout).toContain(`Job ${slowId} is asked to stop.`);
    await until(
      "the job stopped",
      () => info(m.port, slowId),
      (j) => j.jobStatus === "CANCELED",
      15_000,
    );
    const unknown = await runBin(["-j", "123", ...address]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      `error[CLUSTER_NO_JOB]: the cluster at http://127.0.0.1:${m.port} has no job 123`,
    );
  }, 60_000);
});

describe("jobs on a cluster: bad input", () => {
  test("an invalid job fails with local mode's positioned error and exit code, and reaches no member", async () => {
    const dir = dataDir();
    const m = await start(dataDir());
    const conf = join(dir, "bad.conf");
    writeFileSync(conf, "env { job.mode = BATCH }\nsource { FakeSourc { } }\nsink { Console { } }\n");
    const local = await runBin(["run", conf]);
    const remote = await runBin(["run", conf, "-m", "cluster", "--cluster-address", `http://127.0.0.1:${m.port}`]);
    expect(remote.code).toBe(local.code);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toBe(local.stderr);
    const jobs = (await (await fetch(`http://127.0.0.1:${m.port}/finished-jobs`)).json()) as unknown[];
    expect(jobs).toEqual([]);
    // The REST API refuses it too, with SeaTunnel's error body.
    const r = await fetch(`http://127.0.0.1:${m.port}/submit-job`, {
      method: "POST",
      body: JSON.stringify({
        env: { "job.mode": "BATCH" },
        source: [{ plugin_name: "FakeSourc" }],
        sink: [{ plugin_name: "Console" }],
      }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      status: "fail",
      message: expect.stringContaining("error[CONFIG_UNKNOWN_CONNECTOR]: job.json:1:"),
    });
    expect(await info(m.port, "42")).toEqual({ jobId: "42" });
    const none = await runBin(["run", conf.replace("bad", "none"), "-m", "cluster"]);
    expect(none.code).toBe(2);
    const unreachable = await runBin([
      "run",
      "fixtures/jobs/demo.conf",
      "-m",
      "cluster",
      "--cluster-address",
      "http://127.0.0.1:1",
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim()).toMatch(
      /^error\[CLUSTER_UNREACHABLE\]: no cluster member answers at http:\/\/127\.0\.0\.1:1 \(/,
    );
    expect(unreachable.stderr.trim().split("\n").length).toBe(1);
  }, 60_000);
});

describe("jobs on a cluster: failover", () => {
  test("stop-job stops a running job: its member stops the process and the job ends CANCELED", async () => {
    const dir = dataDir();
    const m = await start(dataDir());
    const conf = csvJob(dir, 40_000, 4000);
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const sub = await runBin(["run", conf, "-m", "cluster", ...address, "-i", `out=${dir}/out`, "--async"]);
    const id = sub.stdout.trim().split("\n").at(-1)!;
    await until(
      "the job running",
      () => info(m.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    const stop = await fetch(`http://127.0.0.1:${m.port}/stop-job`, {
      method: "POST",
      body: JSON.stringify({ jobId: id, isStopWithSavePoint: false }),
    });
    expect(await stop.json()).toEqual({ jobId: id });
    const ended = await until(
      "the job stopped",
      () => info(m.port, id),
      (j) => j.jobStatus === "CANCELED",
      15_000,
    );
    expect(Number((ended.metrics as { SinkWriteCount: string }).SinkWriteCount)).toBeLessThan(40_000);
    const unknown = await fetch(`http://127.0.0.1:${m.port}/stop-job`, { method: "POST", body: '{"jobId": "1"}' });
    expect(unknown.status).toBe(400);
  }, 60_000);

  test("a job whose member is SIGKILLed runs again on the other member from its checkpoint: every row once", async () => {
    // Three blocks of lines (a batch each) over five seconds: checkpoints land between them.
    // Past a checkpoint or two, its member dies with it.
    const { id, out, data, victim, other } = await runningOnTwo(8000, 2500);
    victim.proc.kill("SIGKILL");
    const done = await finishedOnce(other.port, id, out);
    expect(done.attempt).toBe(2);
    expect(String(done.member).endsWith(`:${other.port}`)).toBe(true);
    // The second attempt resumed from a checkpoint of the first (a resumed run counts the whole job's rows).
    expect((done.result as { read: number }).read).toBe(40_000);
    expect(readFileSync(join(data, "jobs", `${id}.log`), "utf8")).toMatch(/Pipeline 1 resumes from checkpoint \d+\./);
    expect((await state(other.port))?.isMaster).toBe(true);
  }, 90_000);
});

describe("jobs on a cluster: a member's restart", () => {
  test("SIGTERM and start again: the streaming job resumes from its checkpoint, the finished job stays finished", async () => {
    const dir = dataDir();
    const data = dataDir();
    const m = await start(data);
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const batch = await runBin(["run", csvJob(dir, 500), "-m", "cluster", ...address, "-i", `out=${dir}/batch`]);
    expect(batch.code).toBe(0);
    const batchId = /\((\d+)\) submitted/.exec(batch.stdout)![1]!;
    const stream = join(dir, "stream.conf");
    writeFileSync(
      stream,
      `env { job.mode = STREAMING, parallelism = 1, checkpoint.interval = 200 }
source { FakeSource { row.num = 10, split.num = 10, split.read-interval = 50, schema = { fields { id = bigint } } } }
sink { Console { log.print.data = false } }`,
    );
    const sub = await runBin(["run", stream, "-m", "cluster", ...address, "--async"]);
    const id = sub.stdout.trim().split("\n").at(-1)!;
    await until(
      "the streaming job running",
      () => info(m.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    await Bun.sleep(1500);
    m.proc.kill("SIGTERM");
    expect(await m.proc.exited).toBe(0);
    const again = await start(data, [], m.port);
    const resumed = await until(
      "the job's second attempt",
      () => info(again.port, id),
      (j) => j.attempt === 2 && j.jobStatus === "RUNNING",
    );
    expect(resumed.jobStatus).toBe("RUNNING");
    const log = join(data, "jobs", `${id}.log`);
    await until(
      "its resume",
      async () => readFileSync(log, "utf8"),
      (t) => /resumes from checkpoint \d+/.test(t),
    );
    expect(await info(again.port, batchId)).toMatchObject({ jobStatus: "FINISHED", attempt: 1 });
    expect(rowsIn(join(dir, "batch")).length).toBe(500);
    await fetch(`http://127.0.0.1:${again.port}/stop-job`, { method: "POST", body: JSON.stringify({ jobId: id }) });
    await until(
      "the streaming job stopped",
      () => info(again.port, id),
      (j) => j.jobStatus === "CANCELED",
    );
  }, 60_000);
});

describe("jobs on a cluster: a member cut off", () => {
  test("a job whose member is paused past the member timeout runs again elsewhere; the old process commits nothing more", async () => {
    const { id, out, victim, other } = await runningOnTwo(4000, 1000);
    // The member stops; its job's process does not, and goes on reading and checkpointing.
    victim.proc.kill("SIGSTOP");
    const done = await finishedOnce(other.port, id, out);
    victim.proc.kill("SIGCONT");
    expect(done.attempt).toBe(2);
  }, 90_000);
});

describe("jobs on a cluster: the master killed on PostgreSQL", () => {
  test("three members on PostgreSQL: the master SIGKILLed mid-job is replaced within 10 s, the job ends with every row once", async () => {
    await ensureService("postgres");
    const name = uniqueName("jobs");
    const data = dataDir();
    const flags = ["-cn", name, "--store", PG_URL];
    const ms = [await start(data, flags), await start(data, flags), await start(data, flags)];
    const master = await agreedMaster(ms);
    const { id, out } = await submitCsv(ms[0]!.port, 8000);
    await until(
      "the job running",
      () => info(ms[0]!.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    await Bun.sleep(1000);
    const dead = ms.find((m) => m.port === portOf(master.member))!;
    const rest = ms.filter((m) => m !== dead);
    dead.proc.kill("SIGKILL");
    const t0 = performance.now();
    const next = await agreedMaster(rest);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[cluster jobs postgresql] a new master ${seconds.toFixed(1)} s after the old one was killed mid-job`);
    expect(seconds).toBeLessThan(10);
    expect(next.epoch).toBe(master.epoch + 1);
    await finishedOnce(rest[0]!.port, id, out);
    expect(await (await fetch(`http://127.0.0.1:${rest[0]!.port}/running-jobs`)).json()).toEqual([]);
    await forgetCluster(name);
  }, 90_000);
});
