/**
 * The cron simulation of incremental syncs (README "Incremental syncs"): the same job, PostgreSQL
 * table → PostgreSQL table with upserts by primary key, runs again and again while rows are
 * inserted and updated between runs; one run is killed right after its sinks committed (before it
 * could store its position) and is simply run again.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointFolders, type IncrementalDb, incrementalDb, runSync } from "./incremental-setup.ts";
import { ensureService, uniqueName } from "./services.ts";

const schema = uniqueName("inc_cron");
const dir = mkdtempSync(join(tmpdir(), "st-inc-cron-"));
let db: IncrementalDb;

beforeAll(async () => {
  await ensureService("postgres");
  db = await incrementalDb(schema);
});

afterAll(async () => {
  await db?.drop();
});

test("five cron runs with inserts and updates between them, one killed and run again: each run copies only new or changed rows and the target ends equal to the source", async () => {
  const job = { schema, name: `${schema}_nightly`, dir };
  const run = async (changed: number, env: Record<string, string> = {}) => {
    const r = await runSync(job, [], env);
    if (r.code !== 0) {
      throw new Error(`run exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    }
    expect(r.read).toBe(changed);
    return r;
  };

  // 1: the first run copies everything.
  await db.insert(1, 1000);
  await run(1000);
  expect(await db.rows("dst")).toEqual(await db.rows("src"));

  // 2: 200 new rows and 50 changed ones.
  await db.insert(1001, 1200);
  await db.update(50);
  await run(250);

  // 3: killed once its sink has committed, before its position is stored; then run again plainly.
  await db.insert(1201, 1300);
  await db.update(20);
  const killed = await runSync(job, [], { SEATUNNEL_CRASH_AT: "commits-done" });
  expect(killed.stderr).toContain("crash point commits-done reached");
  expect(killed.code).not.toBe(0);
  await db.insert(1301, 1310);
  const again = await run(10);
  // The killed run's rows are in the target and are not read again: its final checkpoint is adopted.
  expect(again.stderr).toMatch(
    /Run \d+ of job "inc_cron\w+_nightly" had stored its final checkpoint; it is finished now\./,
  );

  // 4: more new and changed rows.
  await db.insert(1311, 1330);
  await db.update(5);
  await run(25);

  // 5: only updates (a changed row is copied again, and upserted).
  await db.update(7);
  await run(7);

  const src = await db.rows("src");
  expect(src).toHaveLength(1330);
  expect(await db.rows("dst")).toEqual(src);

  const state = JSON.parse(readFileSync(join(dir, "state", `${job.name}.json`), "utf8"));
  expect(state.jobName).toBe(job.name);
  const [max] = (await db.sql.unsafe(`SELECT max(updated_at)::text AS m FROM ${schema}.src`)) as { m: string }[];
  expect(state.sources["source Jdbc"].tables[`test.${schema}.src`]).toEqual({
    column: "updated_at",
    kind: "timestamp",
    value: max!.m,
  });

  // Needs the checkpoint life cycle change (a job that finishes removes its checkpoint folder).
  expect(checkpointFolders(dir)).toEqual([]);
}, 180_000);
