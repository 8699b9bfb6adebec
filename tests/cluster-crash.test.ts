/**
 * The cluster's own crash points (docs/crash-points.md, "Cluster members") on three members of the
 * machine's PostgreSQL: a master killed right after it took the lease, right after it wrote a job's
 * assignment, and in its own job's final commit (the job process at `final-checkpoint-stored`
 * takes its member with it). Each time a new master takes over within 10 s (printed) at the next
 * epoch, and the job ends with every row once, nothing left pending.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  agreedMaster,
  cleanup,
  dataDir,
  finishedOnce,
  forgetCluster,
  freePort,
  info,
  type Started,
  spawnMember,
  start,
  submitCsv,
  until,
} from "./cluster-helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

afterAll(cleanup);

/** A cluster name of its own on PostgreSQL, and its members' data directory. */
async function cluster(tag: string) {
  await ensureService("postgres");
  const name = uniqueName(tag);
  return { name, flags: ["-cn", name, "--store", PG_URL], data: dataDir() };
}

/** The master `rest` agree on, `since` the old one died: within 10 s, at epoch `epoch`. */
async function takenOver(rest: Started[], since: number, epoch: number, what: string): Promise<void> {
  const next = await agreedMaster(rest);
  const seconds = (performance.now() - since) / 1000;
  console.log(`[cluster crash ${what}] a new master ${seconds.toFixed(1)} s after the old one died`);
  expect(seconds).toBeLessThan(10);
  expect(next.epoch).toBe(epoch);
}

async function endsOnce(m: Started, id: string, out: string): Promise<void> {
  await finishedOnce(m.port, id, out);
  expect(await (await fetch(`http://127.0.0.1:${m.port}/running-jobs`)).json()).toEqual([]);
}

describe("cluster crash points", () => {
  test("lease-acquired: the first master dies as it takes the lease; the others elect one at the next epoch and run a job", async () => {
    const c = await cluster("crash_lease");
    const first = spawnMember(c.data, c.flags, freePort(), { SEATUNNEL_CRASH_AT: "lease-acquired" });
    const [code, stderr] = await Promise.all([first.exited, new Response(first.stderr).text()]);
    const died = performance.now();
    expect(first.signalCode).toBe("SIGKILL");
    expect(code).not.toBe(0);
    expect(stderr).toContain("crash point lease-acquired reached");
    const rest = [await start(c.data, c.flags), await start(c.data, c.flags)];
    await takenOver(rest, died, 2, "lease-acquired");
    const { id, out } = await submitCsv(rest[0]!.port, 20_000);
    await endsOnce(rest[1]!, id, out);
    await forgetCluster(c.name);
  }, 60_000);

  test("assignment-written: the master dies once it gave a job to a member; the job still ends every row once", async () => {
    const c = await cluster("crash_assign");
    const first = await start(c.data, c.flags, freePort(), { SEATUNNEL_CRASH_AT: "assignment-written" });
    const rest = [await start(c.data, c.flags), await start(c.data, c.flags)];
    const master = await agreedMaster([first, ...rest]);
    expect(master.member.endsWith(`:${first.port}`)).toBe(true);
    const { id, out } = await submitCsv(rest[0]!.port, 20_000);
    await first.proc.exited;
    const died = performance.now();
    expect(await first.log()).toContain("crash point assignment-written reached");
    await takenOver(rest, died, master.epoch + 1, "assignment-written");
    await endsOnce(rest[0]!, id, out);
    await forgetCluster(c.name);
  }, 90_000);

  test("final-checkpoint-stored: the master dies in its own job's final commit; the job resumes elsewhere, every row once", async () => {
    const c = await cluster("crash_commit");
    // Alone, the first member is master and takes the job; the two others join while it runs.
    const first = await start(c.data, c.flags, freePort(), { SEATUNNEL_CRASH_AT: "final-checkpoint-stored" });
    const master = await agreedMaster([first]);
    const { id, out } = await submitCsv(first.port, 10_000);
    const running = await until(
      "the job running on the master",
      () => info(first.port, id),
      (j) => j.jobStatus === "RUNNING",
    );
    expect(running.member).toBe(master.member);
    const rest = [await start(c.data, c.flags), await start(c.data, c.flags)];
    await first.proc.exited;
    const died = performance.now();
    expect(first.proc.signalCode).toBe("SIGKILL");
    await takenOver(rest, died, master.epoch + 1, "final-checkpoint-stored");
    const done = await until(
      "the job's end",
      () => info(rest[0]!.port, id),
      (j) => j.jobStatus === "FINISHED",
      60_000,
    );
    expect(done.attempt).toBe(2);
    // The final checkpoint was stored: the second attempt committed it again and read nothing more.
    const log = readFileSync(join(c.data, "jobs", `${id}.log`), "utf8");
    expect(log).toContain("crash point final-checkpoint-stored reached");
    expect(log).toMatch(/Pipeline 1 had finished before the restore \(checkpoint \d+\); nothing to do\./);
    await endsOnce(rest[0]!, id, out);
    await forgetCluster(c.name);
  }, 90_000);
});
