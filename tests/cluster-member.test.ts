/**
 * Cluster members as real processes of the built binary (`seatunnel cluster start|stop`): a lone
 * member is master and leaves cleanly; three members on one SQLite file or on PostgreSQL elect one
 * master and replace it within 10 s of its death (the time is printed); a master paused past its
 * lease steps down when it wakes; clusters of two names on one store never see each other; the
 * daemon form and `cluster stop`; bad flags and a taken port.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ClusterStore } from "../src/cluster/store.ts";
import { agreedMaster, cleanup, dataDir, freePort, portOf, start, state, until } from "./cluster-helpers.ts";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

afterAll(cleanup);

describe("cluster members: one", () => {
  test("a lone member with no configuration is master at epoch 1, serves /overview, and leaves cleanly on SIGTERM", async () => {
    const dir = dataDir();
    const m = await start(dir);
    const s = (await state(m.port))!;
    expect(s).toMatchObject({ cluster: "seatunnel", isMaster: true, master: { member: s.member, epoch: 1 } });
    const overview = (await (await fetch(`http://127.0.0.1:${m.port}/overview`)).json()) as Record<string, unknown>;
    expect(Object.keys(overview).sort()).toEqual(
      [
        "cancelledJobs",
        "failedJobs",
        "finishedJobs",
        "gitCommitAbbrev",
        "projectVersion",
        "runningJobs",
        "totalSlot",
        "unassignedSlot",
        "works",
      ].sort(),
    );
    expect(overview.works).toBe("1");
    const missing = await fetch(`http://127.0.0.1:${m.port}/no-such`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { status: string }).status).toBe("fail");
    expect(existsSync(join(dir, "members", `${m.port}.pid`))).toBe(true);
    m.proc.kill("SIGTERM");
    expect(await m.proc.exited).toBe(0);
    expect(await m.log()).toContain("released the master lease of epoch 1");
    expect(existsSync(join(dir, "members", `${m.port}.pid`))).toBe(false);
    const store = await ClusterStore.open({ cluster: "seatunnel", dataDir: dir });
    expect(await store.master()).toBeUndefined();
    expect(await store.members()).toEqual([]);
    await store.close();
  }, 30_000);
});

describe("cluster members: election", () => {
  for (const kind of ["sqlite", "postgresql"] as const) {
    test(`three members on ${kind}: one master; SIGKILLed, it is replaced within 10 s at the next epoch`, async () => {
      const dir = dataDir();
      const flags = ["-cn", uniqueName("c")];
      if (kind === "postgresql") {
        await ensureService("postgres");
        flags.push("--store", PG_URL);
      }
      const ms = [await start(dir, flags), await start(dir, flags), await start(dir, flags)];
      const first = await agreedMaster(ms);
      const dead = ms.find((m) => m.port === portOf(first.member))!;
      const rest = ms.filter((m) => m !== dead);
      dead.proc.kill("SIGKILL");
      const t0 = performance.now();
      const next = await agreedMaster(rest);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`[cluster ${kind}] a new master ${seconds.toFixed(1)} s after the old one was killed`);
      expect(seconds).toBeLessThan(10);
      expect(next.epoch).toBe(first.epoch + 1);
      expect(next.member).not.toBe(first.member);
      // The dead member drops out of the live members once its heartbeat is older than 5 s.
      await until(
        "the dead member gone",
        () => state(rest[0]!.port),
        (s) => s!.members.length === 2,
        10_000,
      );
    }, 60_000);
  }

  test("a master paused past its lease steps down when it wakes, and the new master stays", async () => {
    const dir = dataDir();
    const ms = [await start(dir), await start(dir)];
    const first = await agreedMaster(ms);
    const old = ms.find((m) => m.port === portOf(first.member))!;
    const other = ms.find((m) => m !== old)!;
    old.proc.kill("SIGSTOP");
    const next = await until(
      "a new master",
      () => state(other.port),
      (s) => s?.isMaster === true,
      12_000,
    );
    expect(next!.master!.epoch).toBe(first.epoch + 1);
    old.proc.kill("SIGCONT");
    const woke = await until(
      "the old master's step-down",
      () => state(old.port),
      (s) => s?.isMaster === false,
      5_000,
    );
    expect(woke!.master).toEqual(next!.master);
    expect(await agreedMaster(ms)).toEqual(next!.master!);
    old.proc.kill("SIGTERM");
    await old.proc.exited;
    expect(await old.log()).toMatch(
      new RegExp(
        `lost the master lease of epoch ${first.epoch}: .* is master at epoch ${first.epoch + 1}; it steps down`,
      ),
    );
  }, 60_000);
});

describe("cluster members: names, daemons, bad input", () => {
  test("two clusters of different names on one store see none of each other's members or jobs", async () => {
    const dir = dataDir();
    const a = [await start(dir, ["-cn", "east"]), await start(dir, ["-cn", "east"])];
    const b = [await start(dir, ["--cluster", "west"])];
    const ea = await agreedMaster(a);
    const wb = await agreedMaster(b);
    expect(ea.epoch).toBe(1);
    expect(wb.epoch).toBe(1);
    // Each member's view is its last tick's: both of east's see each other, and only each other.
    for (const m of a) {
      const s = await until(
        "east's two members",
        () => state(m.port),
        (x) => x!.members.length === 2,
      );
      expect(s!.members.map((x) => portOf(x.id)).sort()).toEqual(a.map((x) => x.port).sort());
    }
    expect((await state(b[0]!.port))!.members.map((m) => portOf(m.id))).toEqual([b[0]!.port]);
    // Nor each other's jobs.
    const job = await runBin([
      "run",
      "fixtures/jobs/demo.conf",
      "-m",
      "cluster",
      "--cluster-address",
      `http://127.0.0.1:${a[0]!.port}`,
    ]);
    expect(job.code).toBe(0);
    const jobs = async (port: number) =>
      (await (await fetch(`http://127.0.0.1:${port}/finished-jobs`)).json()) as unknown[];
    expect((await jobs(a[1]!.port)).length).toBe(1);
    expect(await jobs(b[0]!.port)).toEqual([]);
    const stop = await runBin(["cluster", "stop", "--data-dir", dir, "-cn", "west"]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`of cluster "west"`);
    expect(await b[0]!.proc.exited).toBe(0);
    expect((await state(a[1]!.port))?.members.length).toBe(2);
  }, 60_000);

  test("-d starts the member in the background and returns; cluster stop stops it", async () => {
    const dir = dataDir();
    const port = freePort();
    const r = await runBin(["cluster", "start", "-d", "--data-dir", dir, "--port", String(port)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Member .*:${port} started \\(pid \\d+\\): http://127.0.0.1:${port}, log `));
    const pid = Number(/\(pid (\d+)\)/.exec(r.stdout)![1]);
    expect((await state(port))?.isMaster).toBe(true);
    const stop = await runBin(["cluster", "stop", "--data-dir", dir]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`(pid ${pid})`);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(readFileSync(join(dir, "logs", `member-${port}.log`), "utf8")).toContain("left cluster");
    const again = await runBin(["cluster", "stop", "--data-dir", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("is running");
  }, 30_000);

  test("bad flags are usage errors; a taken port fails in one line", async () => {
    const role = await runBin(["cluster", "start", "--role", "boss"]);
    expect(role.code).toBe(234);
    expect(role.stderr).toContain('flag "--role" expects one of master, worker, master_and_worker, received "boss"');
    const sub = await runBin(["cluster", "begin"]);
    expect(sub.code).toBe(234);
    expect(sub.stderr).toContain('"begin"');
    const dir = dataDir();
    const m = await start(dir);
    const taken = await runBin(["cluster", "start", "--data-dir", dataDir(), "--port", String(m.port)]);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe(
      `error[CLUSTER_HTTP]: HTTP port ${m.port} is in use (by another member or program): choose another with --port N, or set http.enable-dynamic-port`,
    );
  }, 30_000);
});
