/**
 * Savepoints on a cluster of real member processes: `seatunnel -s <id>` stops a running job with
 * a savepoint (SAVEPOINT_DONE, the rows so far committed once), and `seatunnel run -m cluster -r
 * <id>` resumes it from there to the end, every row once; the master SIGKILLed while a savepoint
 * is taken on its own member is replaced within 10 s and the job still resumes exactly once; a
 * signal to a following client stops its job (SeaTunnel's -cj), or leaves it running with -cj false.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  agreedMaster,
  cleanup,
  dataDir,
  finishedOnce,
  forgetCluster,
  info,
  rowsIn,
  start,
  submitCsv,
  until,
} from "./cluster-helpers.ts";
import { BIN, runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

afterAll(cleanup);

/** The rows of `out` so far: each once, fewer than the job's 40,000. */
function partOnce(out: string): number {
  const rows = rowsIn(out);
  expect(new Set(rows).size).toBe(rows.length);
  expect(rows.length).toBeLessThan(40_000);
  return rows.length;
}

describe("savepoints on a cluster", () => {
  test("-s stops a running job with a savepoint; run -m cluster -r resumes it to the end, every row once", async () => {
    const m = await start(dataDir());
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const { id, out, conf } = await submitCsv(m.port, 8000);
    const vars = ["-i", `out=${out}`];
    await until(
      "the job running",
      () => info(m.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    await Bun.sleep(1500);
    const stopped = await runBin(["-s", id, ...address]);
    expect(stopped.stdout).toContain(
      `(${id}) stopped with a savepoint; resume it with: seatunnel run -m cluster -r ${id}`,
    );
    expect(stopped.code).toBe(0);
    expect(await info(m.port, id)).toMatchObject({ jobStatus: "SAVEPOINT_DONE", errorMsg: null });
    expect(partOnce(out)).toBeGreaterThan(0);
    const listed = (await (await fetch(`http://127.0.0.1:${m.port}/finished-jobs/SAVEPOINT_DONE`)).json()) as unknown[];
    expect(listed).toMatchObject([{ jobId: id, jobStatus: "SAVEPOINT_DONE" }]);

    const resumed = await runBin(["run", conf, "-m", "cluster", ...address, ...vars, "-r", id, "--json"]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split("\n").at(-1)!)).toMatchObject({ status: "FINISHED", jobId: id });
    const done = await finishedOnce(m.port, id, out);
    expect(done).toMatchObject({ isStartWithSavePoint: true, attempt: 2 });
    const again = await runBin(["run", conf, "-m", "cluster", ...address, ...vars, "-r", id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`job ${id} finished, so there is nothing to resume`);
  }, 90_000);

  test("a resume needs the job's id; -s of an unknown job fails in one line", async () => {
    const m = await start(dataDir());
    const r = await fetch(`http://127.0.0.1:${m.port}/submit-job?isStartWithSavePoint=true`, {
      method: "POST",
      body: JSON.stringify({ env: {}, source: [], sink: [] }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ status: "fail", message: "Please provide jobId when start with save point." });
    const unknown = await runBin(["-s", "12345", "--cluster-address", `http://127.0.0.1:${m.port}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split("\n")).toEqual([
      `error[CLUSTER_NO_JOB]: the cluster at http://127.0.0.1:${m.port} has no job 12345`,
    ]);
  }, 30_000);
});

describe("savepoints on a cluster: the master killed during one", () => {
  test("three members on PostgreSQL: the master SIGKILLed while its job takes a savepoint is replaced within 10 s; -r ends every row once", async () => {
    await ensureService("postgres");
    const name = uniqueName("savepoint");
    const data = dataDir();
    const flags = ["-cn", name, "--store", PG_URL];
    // Alone, the first member is master and takes the job; the two others join while it runs.
    const first = await start(data, flags);
    const { id, out, conf } = await submitCsv(first.port, 8000);
    const vars = ["-i", `out=${out}`];
    const at = (port: number) => ["--cluster-address", `http://127.0.0.1:${port}`];
    await until(
      "the job running on the master",
      () => info(first.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    const rest = [await start(data, flags), await start(data, flags)];
    const master = await agreedMaster([first, ...rest]);
    expect(master.member.endsWith(`:${first.port}`)).toBe(true);
    await Bun.sleep(1000);
    await fetch(`http://127.0.0.1:${first.port}/stop-job`, {
      method: "POST",
      body: JSON.stringify({ jobId: id, isStopWithSavePoint: true }),
    });
    first.proc.kill("SIGKILL");
    const t0 = performance.now();
    const next = await agreedMaster(rest);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[cluster savepoint postgresql] a new master ${seconds.toFixed(1)} s after the old one was killed`);
    expect(seconds).toBeLessThan(10);
    expect(next.epoch).toBe(master.epoch + 1);
    // Its process died with it, in or before its savepoint: stopped, resumable from its last checkpoint.
    await until(
      "the job stopped",
      () => info(rest[0]!.port, id),
      (j) => j.jobStatus === "SAVEPOINT_DONE",
    );
    partOnce(out);
    const resumed = await runBin(["run", conf, "-m", "cluster", ...at(rest[0]!.port), ...vars, "-r", id]);
    expect(resumed.code).toBe(0);
    await finishedOnce(rest[0]!.port, id, out);
    expect(await (await fetch(`http://127.0.0.1:${rest[0]!.port}/running-jobs`)).json()).toEqual([]);
    await forgetCluster(name);
  }, 90_000);
});

describe("the client's signal (-cj)", () => {
  test("SIGINT to a following client stops its streaming job (exit 0, the job's summary written); with -cj false the job goes on", async () => {
    const m = await start(dataDir());
    const conf = join(dataDir(), "stream.conf");
    writeFileSync(
      conf,
      `env { job.mode = STREAMING, checkpoint.interval = 200 }
source { FakeSource { row.num = 5, split.num = 1000, split.read-interval = 50, schema = { fields { id = bigint } } } }
sink { Console { log.print.data = false } }`,
    );
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const follow = (extra: string[] = []) =>
      Bun.spawn([BIN, "run", conf, "-m", "cluster", ...address, ...extra], { stdout: "pipe", stderr: "pipe" });
    const running = async (p: ReturnType<typeof follow>) => {
      const jobs = await until(
        "the job running",
        async () => (await (await fetch(`http://127.0.0.1:${m.port}/running-jobs`)).json()) as Record<string, string>[],
        (js) => js.some((j) => j.jobStatus === "RUNNING"),
      );
      await Bun.sleep(500);
      p.kill("SIGINT");
      return jobs.find((j) => j.jobStatus === "RUNNING")!.jobId!;
    };
    const closing = follow();
    const id = await running(closing);
    const [out, code] = await Promise.all([new Response(closing.stdout).text(), closing.exited]);
    expect(code).toBe(0);
    expect(out).toContain("Task will be closed due to client shutdown");
    expect(out).toContain("Job Statistic Information");
    expect(out).toContain(`Job SeaTunnel_Job (${id}) ended CANCELED`);
    expect(await info(m.port, id)).toMatchObject({ jobStatus: "CANCELED" });

    const leaving = follow(["-cj", "false"]);
    const other = await running(leaving);
    expect(await leaving.exited).toBe(130);
    expect(await new Response(leaving.stderr).text()).toContain(`job ${other} goes on in the cluster`);
    await Bun.sleep(1500);
    expect(await info(m.port, other)).toMatchObject({ jobStatus: "RUNNING" });
  }, 60_000);
});
