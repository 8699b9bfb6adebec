/**
 * The cluster store on both of its databases, with one test body: a SQLite file in a temporary
 * data directory and the machine's PostgreSQL in a schema of its own. Membership and cluster-name
 * isolation, the lease (acquire, renew, expiry, takeover, epochs across restarts), fencing, jobs'
 * stops and resumes, and a race of real processes for the lease whose fenced log must show one
 * master at a time.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCHEMA_VERSION } from "../src/cluster/schema.ts";
import { ClusterStore, SQLITE_FILE, StaleEpochError, type StoreOptions } from "../src/cluster/store.ts";
import type { RaceResult } from "./cluster-race-worker.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

interface Backend {
  name: "sqlite" | "postgresql";
  options(cluster: string): StoreOptions;
  /** Runs SQL beside the store (test set-up and inspection), in the store's schema. */
  query<R>(sql: string): Promise<R[]>;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "cluster-store-"));
  return {
    name: "sqlite",
    options: (cluster) => ({ cluster, dataDir: dir }),
    query: async <R>(sql: string) => {
      const db = new Database(join(dir, SQLITE_FILE));
      try {
        return db.query(sql).all() as R[];
      } finally {
        db.close();
      }
    },
    setUp: async () => undefined,
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(): Backend {
  const schema = uniqueName("cluster_store");
  let sql: InstanceType<typeof Bun.SQL> | undefined;
  return {
    name: "postgresql",
    options: (cluster) => ({ cluster, url: PG_URL, dataDir: "unused", schema }),
    query: async <R>(text: string) => (await sql!.unsafe(text)) as R[],
    setUp: async () => {
      await ensureService("postgres");
      sql = new Bun.SQL(PG_URL, { max: 1, connection: { search_path: schema } });
    },
    tearDown: async () => {
      await sql!.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql!.close();
    },
  };
}

const member = (id: string, slots = 2) => ({
  id,
  address: `http://127.0.0.1:${8000 + slots}`,
  role: "master_and_worker" as const,
  tags: { zone: "a" },
  slots,
});

interface Context {
  backend: Backend;
  /** Opens a store of the cluster name, closed after the tests. */
  openStore(cluster: string): Promise<ClusterStore>;
  open: ClusterStore[];
}

function membershipTests({ openStore }: Context): void {
  test("registers members, lists the live ones, keeps heartbeats and forgets removed members", async () => {
    const store = await openStore("members");
    await store.register(member("a", 4));
    await store.register(member("b"));
    const listed = await store.members();
    expect(listed.map((m) => [m.id, m.cluster, m.address, m.role, m.tags, m.slots])).toEqual([
      ["a", "members", "http://127.0.0.1:8004", "master_and_worker", { zone: "a" }, 4],
      ["b", "members", "http://127.0.0.1:8002", "master_and_worker", { zone: "a" }, 2],
    ]);
    expect(listed[0]!.heartbeatMs).toBeGreaterThanOrEqual(listed[0]!.startedMs);
    await store.register({ ...member("b"), role: "worker", slots: 8 });
    expect((await store.members()).find((m) => m.id === "b")).toMatchObject({ role: "worker", slots: 8 });
    await store.remove("b");
    expect(await store.heartbeat("b")).toBe(false);
    expect(await store.heartbeat("a")).toBe(true);
    expect((await store.members()).map((m) => m.id)).toEqual(["a"]);
  });

  test("a member without a heartbeat for the member timeout is no longer listed", async () => {
    const store = await openStore("timeout");
    await store.register(member("quiet"));
    await store.register(member("busy"));
    await Bun.sleep(300);
    await store.heartbeat("busy");
    expect((await store.members(250)).map((m) => m.id)).toEqual(["busy"]);
    expect((await store.members()).map((m) => m.id)).toEqual(["busy", "quiet"]);
  });

  test("clusters of different names in one store see neither each other's members nor lease", async () => {
    const x = await openStore("x");
    const y = await openStore("y");
    await x.register(member("m1"));
    await y.register(member("m2"));
    expect((await x.members()).map((m) => m.id)).toEqual(["m1"]);
    expect((await y.members()).map((m) => m.id)).toEqual(["m2"]);
    expect((await x.tryAcquire("m1", 10_000))?.epoch).toBe(1);
    expect((await y.tryAcquire("m2", 10_000))?.epoch).toBe(1);
    expect((await x.master())?.holder).toBe("m1");
    expect((await y.master())?.holder).toBe("m2");
  });
}

function leaseTests({ openStore, open }: Context): void {
  test("the lease goes to one member at a time, each new holder with a higher epoch", async () => {
    const store = await openStore("lease");
    const a = await store.tryAcquire("a", 10_000);
    expect(a).toMatchObject({ holder: "a", epoch: 1 });
    expect(a!.expiresMs - a!.acquiredMs).toBe(10_000);
    expect(await store.tryAcquire("b", 10_000)).toBeUndefined();
    expect(await store.tryAcquire("a", 10_000)).toBeUndefined();
    await expect(store.tryAcquire("b", 0.5)).rejects.toThrow(
      "a lease's ttl is a whole number of milliseconds > 0, received 0.5",
    );
    await expect(store.renew("a", 1, 0)).rejects.toThrow(
      "a lease's ttl is a whole number of milliseconds > 0, received 0",
    );
    const renewed = await store.renew("a", 1, 20_000);
    expect(renewed).toMatchObject({ holder: "a", epoch: 1 });
    expect(renewed!.expiresMs).toBeGreaterThan(a!.expiresMs);
    expect(await store.renew("b", 1, 20_000)).toBeUndefined();
    expect(await store.release("b", 1)).toBe(false);
    expect(await store.release("a", 1)).toBe(true);
    expect(await store.master()).toBeUndefined();
    expect(await store.tryAcquire("b", 10_000)).toMatchObject({ holder: "b", epoch: 2 });
    expect(await store.renew("a", 1, 10_000)).toBeUndefined();
    expect(await store.release("a", 1)).toBe(false);
    expect(await store.master()).toMatchObject({ holder: "b", epoch: 2 });
  });

  test("epochs keep growing across releases and store restarts, never reused", async () => {
    const first = await openStore("restart");
    expect((await first.tryAcquire("a", 10_000))?.epoch).toBe(1);
    await first.release("a", 1);
    expect((await first.tryAcquire("a", 10_000))?.epoch).toBe(2);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await openStore("restart");
    expect(await second.tryAcquire("b", 10_000)).toBeUndefined();
    await second.release("a", 2);
    expect((await second.tryAcquire("b", 10_000))?.epoch).toBe(3);
  });
}

function fencingTests({ backend, openStore }: Context): void {
  test("a lease expires by time: its holder can neither renew nor write, and the next holder gets epoch + 1", async () => {
    const store = await openStore("expiry");
    await backend.query("CREATE TABLE IF NOT EXISTS decisions (epoch BIGINT NOT NULL, what TEXT NOT NULL)");
    const write = (epoch: number, what: string) =>
      store.fenced(epoch, (tx) => tx.run("INSERT INTO decisions (epoch, what) VALUES (?, ?)", [epoch, what]));
    const a = (await store.tryAcquire("a", 300))!;
    expect(await write(a.epoch, "a while live")).toBe(1);
    expect(await store.tryAcquire("b", 300)).toBeUndefined();
    await Bun.sleep(350);
    expect(await store.master()).toBeUndefined();
    expect(await store.renew("a", a.epoch, 300)).toBeUndefined();
    const expired = await write(a.epoch, "a after expiry").catch((e) => e);
    expect(expired).toBeInstanceOf(StaleEpochError);
    expect(expired).toMatchObject({ reason: "expired", epoch: a.epoch, currentEpoch: a.epoch });
    const b = (await store.tryAcquire("b", 10_000))!;
    expect(b.epoch).toBe(a.epoch + 1);
    expect(b.acquiredMs).toBeGreaterThanOrEqual(a.expiresMs);
    const superseded = await write(a.epoch, "a after takeover").catch((e) => e);
    expect(superseded).toMatchObject({ reason: "superseded", currentEpoch: b.epoch });
    expect(superseded.message).toBe(
      `master epoch ${a.epoch} is stale: the lease is superseded (current epoch ${b.epoch})`,
    );
    await write(b.epoch, "b");
    await store.release("b", b.epoch);
    expect(await write(b.epoch, "b after release").catch((e) => e.reason)).toBe("released");
    expect(
      (await backend.query<{ what: string }>("SELECT what FROM decisions ORDER BY what")).map((r) => r.what),
    ).toEqual(["a while live", "b"]);
  });

  test("a fenced write that throws leaves nothing behind", async () => {
    const store = await openStore("rollback");
    await backend.query("CREATE TABLE IF NOT EXISTS rollback_log (n INTEGER NOT NULL)");
    const { epoch } = (await store.tryAcquire("a", 10_000))!;
    const failed = store.fenced(epoch, async (tx) => {
      await tx.run("INSERT INTO rollback_log (n) VALUES (?)", [1]);
      throw new Error("the master changed its mind");
    });
    await expect(failed).rejects.toThrow("the master changed its mind");
    expect(await backend.query("SELECT n FROM rollback_log")).toEqual([]);
  });

  test("a store migrated by a newer engine is refused with both versions named", async () => {
    await openStore("version");
    await backend.query("UPDATE store_version SET version = 99 WHERE id = 1");
    const refused = await ClusterStore.open(backend.options("version")).catch((e: Error) => e.message);
    await backend.query(`UPDATE store_version SET version = ${SCHEMA_VERSION} WHERE id = 1`);
    expect(refused).toContain(`has schema version 99, newer than this engine's ${SCHEMA_VERSION}`);
  });
}

function jobTests({ openStore }: Context): void {
  test("jobs: a stop keeps its kind; a resume takes a stopped or failed job again and refuses the others", async () => {
    const store = await openStore("jobs");
    const jobs = store.jobs;
    const { epoch } = (await store.tryAcquire("m1", 10_000))!;
    await jobs.submit("1", "never ran", "{}");
    expect(await jobs.stop("1", "savepoint")).toBe("CANCELED");
    await jobs.submit("2", "runs", "{}");
    expect(await store.fenced(epoch, (tx) => jobs.schedule(tx, "2", "m1", epoch))).toBe(true);
    expect(await jobs.start("2", "m1", 1)).toBe(true);
    expect(await jobs.stop("2", "savepoint")).toBe("DOING_SAVEPOINT");
    // A later cancel does not change the first request; its member dies during the savepoint.
    expect(await jobs.stop("2", "cancel")).toBe("DOING_SAVEPOINT");
    expect((await jobs.get("2"))?.stop).toBe("savepoint");
    expect(await store.fenced(epoch, (tx) => jobs.requeue(tx, "2", 1))).toBe(true);
    expect((await jobs.get("2"))?.state).toBe("SAVEPOINT_DONE");
    await expect(jobs.submit("2", "again", "{}")).rejects.toThrow("job 2 already exists in this cluster");
    await jobs.submit("2", "resumed", '{"v":2}', true);
    expect(await jobs.get("2")).toMatchObject({
      state: "PENDING",
      name: "resumed",
      config: '{"v":2}',
      restore: true,
      stop: null,
      attempt: 1,
      finishedMs: null,
    });
    expect(await store.fenced(epoch, (tx) => jobs.schedule(tx, "2", "m1", epoch))).toBe(true);
    await expect(jobs.submit("2", "twice", "{}", true)).rejects.toThrow(
      "job 2 already exists in this cluster (SCHEDULED): only a stopped or failed job can be resumed",
    );
    expect(await jobs.start("2", "m1", 2)).toBe(true);
    expect(await jobs.end("2", "m1", 2, "FINISHED", null, { written: 3 })).toBe(true);
    await expect(jobs.submit("2", "done", "{}", true)).rejects.toThrow("job 2 finished, so there is nothing to resume");
  });
}

function raceTests({ backend, openStore }: Context): void {
  test("4 processes racing 200 times for the lease: one master at a time, epochs strictly increasing", async () => {
    // The store's tables (and PostgreSQL schema) first, then the log beside them.
    await openStore("race");
    await backend.query(
      "CREATE TABLE IF NOT EXISTS race_log (epoch BIGINT NOT NULL, holder TEXT NOT NULL, event TEXT NOT NULL, at_ms BIGINT NOT NULL)",
    );
    const ttlMs = 40;
    const workers = ["p1", "p2", "p3", "p4"].map((id) => {
      const options = { store: backend.options("race"), id, attempts: 200, ttlMs };
      return Bun.spawn([process.execPath, join(import.meta.dir, "cluster-race-worker.ts"), JSON.stringify(options)], {
        stdout: "pipe",
        stderr: "inherit",
      });
    });
    const results = await Promise.all(
      workers.map(async (w) => {
        const out = await new Response(w.stdout).text();
        expect(await w.exited).toBe(0);
        return JSON.parse(out) as RaceResult;
      }),
    );
    const acquisitions = results
      .flatMap((r) => r.acquisitions.map((a) => ({ ...a, holder: r.id })))
      .sort((a, b) => a.epoch - b.epoch);
    // Every epoch from 1 up went to exactly one process, and later epochs started later.
    expect(acquisitions.map((a) => a.epoch)).toEqual(acquisitions.map((_, i) => i + 1));
    expect(acquisitions.length).toBeGreaterThan(10);
    expect(new Set(acquisitions.map((a) => a.holder)).size).toBeGreaterThan(1);
    const log = (
      await backend.query<{ epoch: number | string; holder: string; event: string; at_ms: number | string }>(
        "SELECT epoch, holder, event, at_ms FROM race_log",
      )
    ).map((r) => ({ epoch: Number(r.epoch), holder: r.holder, event: r.event, atMs: Number(r.at_ms) }));
    expect(log.filter((r) => r.event === "stale")).toEqual([]);
    expect(results.reduce((n, r) => n + r.refused, 0)).toBeGreaterThan(0);
    const overlaps: string[] = [];
    for (const [i, next] of acquisitions.entries()) {
      const prev = acquisitions[i - 1];
      const writes = log.filter((r) => r.epoch === next.epoch);
      if (writes.some((r) => r.holder !== next.holder || r.atMs < next.acquiredMs)) {
        overlaps.push(`epoch ${next.epoch} has a write by another holder or before it started`);
      }
      if (prev === undefined) {
        continue;
      }
      const lastWrite = Math.max(...log.filter((r) => r.epoch === prev.epoch).map((r) => r.atMs));
      if (next.acquiredMs < lastWrite || (!prev.released && next.acquiredMs < prev.expiresMs)) {
        overlaps.push(`epoch ${next.epoch} started at ${next.acquiredMs} inside epoch ${prev.epoch}'s lease`);
      }
    }
    expect(overlaps).toEqual([]);
    expect(log.length).toBeGreaterThan(acquisitions.length);
  });
}

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe(`cluster store on ${backend.name}`, () => {
    const open: ClusterStore[] = [];
    const openStore = async (cluster: string) => {
      const store = await ClusterStore.open(backend.options(cluster));
      open.push(store);
      return store;
    };
    beforeAll(() => backend.setUp());
    afterAll(async () => {
      await Promise.all(open.map((s) => s.close()));
      await backend.tearDown();
    });
    const context = { backend, openStore, open };
    membershipTests(context);
    leaseTests(context);
    fencingTests(context);
    jobTests(context);
    raceTests(context);
  });
}

describe("cluster store options", () => {
  test("a store URL that is not postgresql:// is refused, naming what it expects, without its password", async () => {
    const refused = await ClusterStore.open({
      cluster: "c",
      url: "mysql://root:pw@127.0.0.1/test",
      dataDir: ".",
    }).catch((e: Error) => e.message);
    expect(refused).toBe(
      'cluster.store expects a postgresql:// URL (or nothing, for a SQLite file), received "mysql://root:***@127.0.0.1/test"',
    );
  });

  test("a server that does not answer is named without its password, with the connection error's code", async () => {
    const url = "postgresql://root:secret@127.0.0.1:1/test";
    const refused = await ClusterStore.open({ cluster: "c", url, dataDir: "." }).catch((e: Error) => e.message);
    expect(refused).toStartWith(
      "opening the cluster store postgresql://root:***@127.0.0.1:1/test (schema seatunnel_cluster): ",
    );
    expect(refused).toContain("ERR_POSTGRES_CONNECTION_REFUSED");
    expect(refused).not.toContain("secret");
  });
});
