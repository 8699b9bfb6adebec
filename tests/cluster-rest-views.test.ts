/**
 * SeaTunnel's REST API v2 job views on two real members: running-jobs, running-job/:id and
 * job-info/:id (with jobDag) from either member, finished-jobs by state, SeaTunnel's answers for
 * an unknown job and bad states, and a job's log read through the member that did not run it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { agreedMaster, cleanup, dataDir, info, start, until } from "./cluster-helpers.ts";

afterAll(cleanup);

const STREAM = `env { job.mode = STREAMING, checkpoint.interval = 300, job.name = "views" }
source { FakeSource { row.num = 1000000, split.num = 100000, split.read-interval = 50, schema = { fields { id = bigint } } } }
sink { Console { log.print.data = false } }`;

const getJson = async (port: number, path: string) => {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe("REST API v2: the job views", () => {
  test("either member answers every view of a job; unknown jobs and states get SeaTunnel's answers", async () => {
    const data = dataDir();
    const ms = [await start(data), await start(data)];
    await agreedMaster(ms);
    const [a, b] = [ms[0]!.port, ms[1]!.port];
    const r = await fetch(`http://127.0.0.1:${a}/submit-job?format=hocon`, { method: "POST", body: STREAM });
    const { jobId } = (await r.json()) as { jobId: string };
    await until(
      "the job running",
      () => info(b, jobId),
      (j) => j.jobStatus === "RUNNING",
    );
    const running = (await getJson(b, "/running-jobs")).json as unknown as { jobId: string; jobName: string }[];
    expect(running.map((j) => [j.jobId, j.jobName])).toEqual([[jobId, "views"]]);
    const one = (await getJson(b, `/running-job/${jobId}`)).json;
    expect(one).toMatchObject({ jobId, jobName: "views", jobStatus: "RUNNING", isStartWithSavePoint: false });
    expect(one.jobDag).toMatchObject({
      jobId,
      envOptions: { "job.mode": "STREAMING", "job.name": "views" },
      vertexInfoMap: [
        { vertexId: 1, type: "source", vertexName: "Source[0]-FakeSource", pipeline: 1 },
        { vertexId: 2, type: "sink", vertexName: "Sink[0]-Console", inputs: [1] },
      ],
      pipelineEdges: { "1": [{ inputVertexId: "1", targetVertexId: "2" }] },
    });
    expect(Object.keys((await getJson(a, `/job-info/${jobId}`)).json).sort()).toEqual(Object.keys(one).sort());
    // Its log, from the member that did not run it (the web view reads logs this way).
    const runner = String(one.member);
    const log = await fetch(
      `http://127.0.0.1:${runner.endsWith(`:${a}`) ? b : a}/log/job-${jobId}.log?member=${runner}`,
    );
    expect(log.status).toBe(200);
    expect(await log.text()).toContain("starts: 1 pipeline(s), STREAMING mode");
    expect(Number(log.headers.get("x-log-next"))).toBeGreaterThan(0);
    // SeaTunnel's answers: an unknown job is its id alone; an empty id and an unknown state are bad requests.
    expect(await getJson(a, "/job-info/123")).toEqual({ status: 200, json: { jobId: "123" } });
    expect(await getJson(a, "/running-job/")).toMatchObject({ status: 400, json: { status: "fail" } });
    expect(await getJson(a, "/finished-jobs/BOGUS")).toMatchObject({
      status: 400,
      json: { message: expect.stringContaining('no job state "BOGUS"') },
    });
    const unknownStop = await fetch(`http://127.0.0.1:${a}/stop-job`, {
      method: "POST",
      body: JSON.stringify({ jobId: "123" }),
    });
    expect(unknownStop.status).toBe(400);
    await fetch(`http://127.0.0.1:${a}/stop-job`, { method: "POST", body: JSON.stringify({ jobId }) });
    await until(
      "the job canceled",
      () => info(a, jobId),
      (j) => j.jobStatus === "CANCELED",
    );
    const canceled = (await getJson(b, "/finished-jobs/CANCELED")).json as unknown as { jobId: string }[];
    expect(canceled.map((j) => j.jobId)).toEqual([jobId]);
    expect((await getJson(b, "/finished-jobs/FINISHED")).json).toEqual([] as unknown as Record<string, unknown>);
    expect((await getJson(b, "/running-jobs")).json).toEqual([] as unknown as Record<string, unknown>);
  }, 60_000);
});
