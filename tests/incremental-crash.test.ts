/**
 * Incremental syncs at crash points (docs/crash-points.md, docs/incremental.md): an incremental job
 * appending through the exactly-once Jdbc sink (prepared transactions, no key, so a row read twice
 * is a duplicate) is killed at each step after its final checkpoint is stored, then simply run
 * again; and a run killed after a periodic checkpoint makes the next plain run refuse until it is
 * resumed with -r. In every case each version of every row arrives exactly once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IncrementalDb, incrementalDb, runSync, type SyncRun } from "./incremental-setup.ts";
import { ensurePreparedTransactions, uniqueName } from "./services.ts";

const CONF = join("fixtures", "pg", "incremental-exactly-once.conf");
const dbs: IncrementalDb[] = [];

beforeAll(async () => {
  await ensurePreparedTransactions(20);
});

afterAll(async () => {
  for (const db of dbs) {
    await db.drop();
  }
});

async function fresh(rows: number): Promise<IncrementalDb> {
  const db = await incrementalDb(uniqueName("inc_crash"));
  dbs.push(db);
  // No key and no defaults: the sink appends, and every version of a row must be there once.
  await db.sql.unsafe(`CREATE TABLE ${db.schema}.dst (LIKE ${db.schema}.src)`);
  await db.insert(1, rows);
  return db;
}

/** Rows per second that do not slow a run down. */
const FAST = 10_000_000;
const vars = (interval: number, rate: number) => ["-i", `interval=${interval}`, "-i", `rate=${rate}`];

const ok = (r: SyncRun): SyncRun => {
  if (r.code !== 0) {
    throw new Error(`run exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  }
  return r;
};

/** Every (id, version) of the source is in the target once, and nothing else is. */
async function expectExactlyOnce(db: IncrementalDb, versions: number): Promise<void> {
  const [r] = (await db.sql.unsafe(
    `SELECT (SELECT count(*) FROM ${db.schema}.dst)::int AS n,
            (SELECT count(DISTINCT (id, version)) FROM ${db.schema}.dst)::int AS distinct_n,
            (SELECT count(*) FROM ${db.schema}.src s WHERE NOT EXISTS
               (SELECT 1 FROM ${db.schema}.dst d WHERE d.id = s.id AND d.version = s.version))::int AS missing`,
  )) as { n: number; distinct_n: number; missing: number }[];
  expect(r).toEqual({ n: versions, distinct_n: versions, missing: 0 });
}

async function preparedOf(db: IncrementalDb, jobId: string): Promise<string[]> {
  const r = (await db.sql.unsafe(`SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'st-${jobId}-%'`)) as {
    gid: string;
  }[];
  return r.map((x) => x.gid);
}

const jobIdOf = (r: SyncRun): string => /Job \S+ \((\d+)\) starts/.exec(r.stderr)?.[1] ?? "none";

describe("incremental syncs killed after the final checkpoint", () => {
  for (const point of ["final-checkpoint-stored", "commits-done", "incremental-state-stored"]) {
    test(`killed at ${point}, run again without -r: the changes since are read once, nothing twice`, async () => {
      const db = await fresh(600);
      const job = {
        schema: db.schema,
        name: uniqueName("crash"),
        dir: mkdtempSync(join(tmpdir(), "st-inc-")),
        conf: CONF,
      };
      const killed = await runSync(job, vars(600_000, FAST), { SEATUNNEL_CRASH_AT: point });
      expect(killed.stderr).toContain(`crash point ${point} reached`);
      await db.insert(601, 650);
      await db.update(10);
      const again = ok(await runSync(job, vars(600_000, FAST)));
      expect(again.read).toBe(60);
      await expectExactlyOnce(db, 660);
      expect(await preparedOf(db, jobIdOf(killed))).toEqual([]);
      expect(ok(await runSync(job, vars(600_000, FAST))).read).toBe(0);
    }, 120_000);
  }
});

describe("an incremental run killed after a periodic checkpoint", () => {
  test("the next plain run refuses; -r finishes it and stores its position; the run after reads only new rows", async () => {
    const db = await fresh(3000);
    const job = {
      schema: db.schema,
      name: uniqueName("periodic"),
      dir: mkdtempSync(join(tmpdir(), "st-inc-")),
      conf: CONF,
    };
    // 3000 rows at 1000 rows/s, a checkpoint every 200 ms: killed after the second one.
    const killed = await runSync(job, vars(200, 1000), { SEATUNNEL_CRASH_AT: "commits-done:2" });
    expect(killed.stderr).toContain("crash point commits-done reached");
    const id = jobIdOf(killed);
    const [part] = (await db.sql.unsafe(`SELECT count(*)::int AS n FROM ${db.schema}.dst`)) as { n: number }[];
    // Some rows are committed (all of them, on a machine slow enough to starve the checkpoint timer).
    expect(part!.n).toBeGreaterThan(0);

    const refused = await runSync(job, vars(200, FAST));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain(
      `error[INCREMENTAL_UNFINISHED]: run ${id} of job "${job.name}" stopped after checkpoint 2 of pipeline 1, which may have committed part of its rows; resume it first with: seatunnel run -r ${id} ${CONF}`,
    );
    ok(await runSync(job, [...vars(200, FAST), "-r", id]));
    await expectExactlyOnce(db, 3000);
    await db.insert(3001, 3005);
    expect(ok(await runSync(job, vars(200, FAST))).read).toBe(5);
    await expectExactlyOnce(db, 3005);
  }, 120_000);
});

describe("an earlier run of the same job name from another job file", () => {
  test("finished and stored: it is cleared; killed before storing its position: the next run refuses, naming its file", async () => {
    const db = await fresh(100);
    // The upserting job creates the target with the source's key.
    await db.sql.unsafe(`DROP TABLE ${db.schema}.dst`);
    const dir = mkdtempSync(join(tmpdir(), "st-inc-"));
    const name = uniqueName("other_file");
    const other = { schema: db.schema, name, dir }; // fixtures/pg/incremental-sync.conf: another plan
    const job = { ...other, conf: CONF };
    expect(ok(await runSync(other)).read).toBe(100);
    await db.insert(101, 110);
    expect(ok(await runSync(job, vars(600_000, FAST))).read).toBe(10);

    await db.insert(111, 120);
    const killed = await runSync(other, [], { SEATUNNEL_CRASH_AT: "commits-done" });
    expect(killed.stderr).toContain("crash point commits-done reached");
    const refused = await runSync(job, vars(600_000, FAST));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain(
      `error[INCREMENTAL_UNFINISHED]: run ${jobIdOf(killed)} of job "${name}" stored its final checkpoint but not its position, and ran a different job (its plugins, wiring, parallelism or tables differ); finish it with the job file it ran: seatunnel run -r ${jobIdOf(killed)} fixtures/pg/incremental-sync.conf;`,
    );
    // The resumed job reports its whole count (the 10 rows the killed run read); it reads none again.
    const resumed = ok(await runSync(other, ["-r", jobIdOf(killed)]));
    expect(resumed.read).toBe(10);
    expect(resumed.stdout).toContain('"reread":0');
    expect(resumed.stdout + resumed.stderr).toContain("had finished before the restore");
    await db.insert(121, 125);
    expect(ok(await runSync(job, vars(600_000, FAST))).read).toBe(5);
  }, 120_000);
});
