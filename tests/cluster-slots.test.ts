/**
 * A member's seatunnel.yaml on real member processes: fixed slots (jobs wait, pending, while no
 * member has the slots, and none stays pending after the master dies: apache/seatunnel #11437),
 * job-schedule-strategy REJECT, the engine's checkpoint interval and directory for a streaming job
 * that sets none, history-job-expire-minutes, and a bad file refused with its position.
 */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { agreedMaster, cleanup, dataDir, info, portOf, rowsIn, start, submitCsv, until } from "./cluster-helpers.ts";
import { runBin } from "./helpers.ts";

afterAll(cleanup);

const get = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();

describe("fixed slots", () => {
  test("two members of one slot: a third job waits pending; the master killed, every job still ends once", async () => {
    const data = dataDir();
    writeFileSync(
      join(data, "seatunnel.yaml"),
      "seatunnel:\n  engine:\n    slot-service:\n      dynamic-slot: false\n      slot-num: 1\n",
    );
    const ms = [await start(data), await start(data)];
    const master = await agreedMaster(ms);
    const jobs = [];
    for (let i = 0; i < 3; i++) {
      jobs.push(await submitCsv(ms[0]!.port, 10_000));
    }
    const running = await until(
      "two jobs running, one pending",
      async () => (await get(ms[0]!.port, "/running-jobs")) as { jobStatus: string }[],
      (js) => js.filter((j) => j.jobStatus === "RUNNING").length === 2 && js.some((j) => j.jobStatus === "PENDING"),
    );
    expect(running).toHaveLength(3);
    expect(await get(ms[0]!.port, "/overview")).toMatchObject({ totalSlot: "2", unassignedSlot: "0", works: "2" });
    const dead = ms.find((m) => m.port === portOf(master.member))!;
    const rest = ms.find((m) => m !== dead)!;
    dead.proc.kill("SIGKILL");
    for (const j of jobs) {
      await until(
        `job ${j.id} finished`,
        () => info(rest.port, j.id),
        (s) => s.jobStatus === "FINISHED",
        60_000,
      );
      const rows = rowsIn(j.out);
      expect([rows.length, new Set(rows).size]).toEqual([40_000, 40_000]);
    }
    expect(await get(rest.port, "/running-jobs")).toEqual([]);
    // The master (killed above, so its output is whole) said why the third job waited.
    expect(await dead.log()).toMatch(/waits for slots: job \d+ \(SeaTunnel_Job\) needs 1 free slot\(s\)/);
  }, 120_000);
});

describe("the engine's other settings", () => {
  test("REJECT fails a job no member has slots for; a streaming job takes the engine's checkpoints; ended jobs expire", async () => {
    const data = dataDir();
    const checkpoints = join(dataDir(), "shared-checkpoints");
    writeFileSync(
      join(data, "seatunnel.yaml"),
      `seatunnel:
  engine:
    job-schedule-strategy: REJECT
    history-job-expire-minutes: 1
    slot-service:
      dynamic-slot: false
      slot-num: 1
    checkpoint:
      interval: 200
      storage:
        type: localfile
        max-retained: 2
        plugin-config:
          namespace: ${checkpoints}
`,
    );
    const m = await start(data);
    const dir = dataDir();
    const stream = join(dir, "stream.conf");
    writeFileSync(
      stream,
      `env { job.mode = STREAMING }
source { FakeSource { row.num = 10, split.num = 1000, split.read-interval = 50, schema = { fields { id = bigint } } } }
sink { Console { log.print.data = false } }`,
    );
    const address = ["--cluster-address", `http://127.0.0.1:${m.port}`];
    const id = (await runBin(["run", stream, "-m", "cluster", ...address, "--async"])).stdout
      .trim()
      .split("\n")
      .at(-1)!;
    await until(
      "the streaming job running",
      () => info(m.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    const log = join(data, "jobs", `${id}.log`);
    await until(
      "its first checkpoint",
      async () => (existsSync(log) ? readFileSync(log, "utf8") : ""),
      (t) => t.includes("checkpoint is enabled: every 200 ms") && existsSync(join(checkpoints, id)),
    );
    // max-retained: at most two checkpoints of its pipeline stay, however many it took.
    await until(
      "its fourth checkpoint",
      async () => readFileSync(log, "utf8"),
      (t) => /checkpoint 4 /.test(t) || readdirSync(join(checkpoints, id)).some((f) => /-1-[4-9]\d*\.json$/.test(f)),
    );
    // (A checkpoint stored an instant before the oldest is deleted may show three: the count settles at two.)
    await until(
      "two checkpoints kept",
      async () => readdirSync(join(checkpoints, id)).filter((f) => /^\d+-\d+-1-\d+\.json$/.test(f)).length,
      (count) => count === 2,
      3000,
    );
    const other = await submitCsv(m.port, 10_000);
    const rejected = await until(
      "the second job rejected",
      () => info(m.port, other.id),
      (j) => j.jobStatus === "FAILED",
    );
    expect(String(rejected.errorMsg)).toMatch(
      /^error\[CLUSTER_NO_SLOTS\]: job \d+ \(SeaTunnel_Job\) needs 1 free slot\(s\) .*; the members have \S+ 0 of 1 \(job-schedule-strategy REJECT\)$/,
    );
    expect((await runBin(["-can", id, ...address])).code).toBe(0);
    await until(
      "the streaming job stopped",
      () => info(m.port, id),
      (j) => j.jobStatus === "CANCELED",
    );
    // Two minutes ago, past the one-minute history: the master forgets both at its next sweep (every 5 s).
    const db = new Database(join(data, "cluster.db"));
    db.run("UPDATE jobs SET finished_ms = finished_ms - 120000");
    db.close();
    for (const j of [id, other.id]) {
      await until(
        `job ${j} forgotten`,
        () => info(m.port, j),
        (s) => s.jobStatus === undefined,
      );
    }
  }, 60_000);

  test("a bad seatunnel.yaml stops the member's start with its position, exit 2", async () => {
    const data = dataDir();
    const file = join(data, "seatunnel.yaml");
    writeFileSync(file, "seatunnel:\n  engine:\n    slot-service:\n      slot-num: none\n");
    const r = await runBin(["cluster", "start", "--data-dir", data, "--port", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `error[CLUSTER_CONFIG]: ${file}:4:7 seatunnel.engine.slot-service.slot-num expects a whole number >= 1, received "none"`,
    );
  });
});
