/**
 * Where a job's checkpoints are when another member takes the job over, on members of the
 * machine's PostgreSQL with data directories of their own: a member of the same host resumes the
 * job from the checkpoint folder the earlier attempt used (every row once); a member of another
 * host that cannot see that folder resumes it from the copy in the cluster store (every row once);
 * with a checkpoint directory configured (no copy in the store) such a member fails the job with a
 * message saying what to do, rather than running it from its start again and writing its rows twice.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
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
import { ensureService, PG_URL, uniqueName } from "./services.ts";

afterAll(cleanup);

/**
 * A 40,000-row job running on a first member (host `hosts[0]`, alone when it takes the job), past
 * a checkpoint or two, and a second member (host `hosts[1]`) with a data directory of its own.
 */
async function runningThenSecond(tag: string, hosts: [string, string], namespaces = false) {
  await ensureService("postgres");
  const name = uniqueName(tag);
  const flags = ["-cn", name, "--store", PG_URL];
  const firstData = dataDir();
  const secondData = dataDir();
  const checkpoints = (data: string) => join(data, namespaces ? "own-checkpoints" : "checkpoint");
  if (namespaces) {
    for (const d of [firstData, secondData]) {
      writeFileSync(
        join(d, "seatunnel.yaml"),
        `seatunnel:\n  engine:\n    checkpoint:\n      storage:\n        plugin-config:\n          namespace: ${checkpoints(d)}\n`,
      );
    }
  }
  const first = await start(firstData, [...flags, "--host", hosts[0]]);
  const { id, out } = await submitCsv(first.port, 4000);
  const folder = join(checkpoints(firstData), id);
  await until(
    "the job running, past a checkpoint (a file beside job.json)",
    async () => [(await info(first.port, id)).jobStatus, existsSync(folder) && readdirSync(folder).length > 1] as const,
    ([state, stored]) => state === "RUNNING" && stored,
  );
  const second = await start(secondData, [...flags, "--host", hosts[1]]);
  await Bun.sleep(1000);
  return { name, first, second, id, out, folder };
}

describe("checkpoints when another member takes a job over", () => {
  test("a member of the same host resumes the job from the folder its first member used: every row once", async () => {
    const { name, first, second, id, out } = await runningThenSecond("ckpt_same_host", ["127.0.0.1", "127.0.0.1"]);
    first.proc.kill("SIGKILL");
    const done = await finishedOnce(second.port, id, out);
    expect(done.attempt).toBe(2);
    await forgetCluster(name);
  }, 90_000);

  test("a member of another host that cannot see the folder resumes the job from the store: every row once", async () => {
    const { name, first, second, id, out, folder } = await runningThenSecond("ckpt_store", ["127.0.0.1", "localhost"]);
    first.proc.kill("SIGKILL");
    // As if the first member's disk were on another machine.
    rmSync(folder, { recursive: true, force: true });
    const done = await finishedOnce(second.port, id, out);
    expect(done.attempt).toBe(2);
    second.proc.kill("SIGTERM");
    await second.proc.exited;
    const log = await second.log();
    expect(log).toContain(`Job ${id}: its checkpoint folder is written back from the cluster store`);
    expect(log).toContain(`Job ${id} (`);
    expect(log).toMatch(
      new RegExp(`Job ${id} \\([^)]*\\) starts on this member, from its last checkpoint \\(attempt 2\\)`),
    );
    // A finished job's checkpoints leave the store.
    const sql = new Bun.SQL(PG_URL, { max: 1 });
    const [left] = (await sql.unsafe(
      "SELECT count(*)::int AS n FROM seatunnel_cluster.checkpoint_files WHERE cluster = $1",
      [name],
    )) as { n: number }[];
    await sql.close();
    expect(left!.n).toBe(0);
    await forgetCluster(name);
  }, 90_000);

  test("with a checkpoint directory of its own, a member of another host fails the job with what to do; no row is written twice", async () => {
    const { name, first, second, id, out, folder } = await runningThenSecond(
      "ckpt_other_host",
      ["127.0.0.1", "localhost"],
      true,
    );
    first.proc.kill("SIGKILL");
    // As if the first member's disk were on another machine.
    rmSync(folder, { recursive: true, force: true });
    const failed = await until(
      "the job failed",
      () => info(second.port, id),
      (j) => j.jobStatus === "FAILED",
      30_000,
    );
    expect(failed.attempt).toBe(2);
    expect(String(failed.errorMsg)).toStartWith(
      `error[CLUSTER_CHECKPOINTS_UNREACHABLE]: job ${id} last ran on host 127.0.0.1, which keeps its checkpoints in ${join(folder, "..")}; member localhost:${second.port} cannot read them`,
    );
    expect(String(failed.errorMsg)).toContain(`then resume it: seatunnel run -m cluster -r ${id} <job file>`);
    const rows = rowsIn(out);
    expect(rows.length).toBeLessThan(40_000);
    expect(new Set(rows).size).toBe(rows.length);
    await forgetCluster(name);
  }, 90_000);
});
