/**
 * Incremental syncs' state (README "Incremental syncs"): incremental_reset, one state per job name,
 * a stored position that does not fit the column, and columns that cannot be incremental.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IncrementalDb, incrementalDb, runSync, type SyncRun } from "./incremental-setup.ts";
import { ensureService, uniqueName } from "./services.ts";

const schema = uniqueName("inc_state");
let db: IncrementalDb;

beforeAll(async () => {
  await ensureService("postgres");
  db = await incrementalDb(schema);
  await db.insert(1, 300);
});

afterAll(async () => {
  await db?.drop();
});

const ok = (r: SyncRun): SyncRun => {
  if (r.code !== 0) {
    throw new Error(`run exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  }
  return r;
};

describe("incremental state", () => {
  test("incremental_reset = true reads every row again for one run and stores the new position", async () => {
    const job = { schema, name: uniqueName("reset"), dir: mkdtempSync(join(tmpdir(), "st-inc-")) };
    expect(ok(await runSync(job)).read).toBe(300);
    expect(ok(await runSync(job)).read).toBe(0);
    const reset = ok(await runSync({ ...job, reset: true }));
    expect(reset.read).toBe(300);
    expect(reset.stderr).toContain("incremental_reset = true: every row is read again");
    expect(ok(await runSync(job)).read).toBe(0);
    await db.update(3);
    expect(ok(await runSync(job)).read).toBe(3);
  }, 120_000);

  test("two job names keep separate positions (env job.name and -n)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-inc-"));
    const a = { schema, name: uniqueName("name_a"), dir };
    const b = { ...a, name: "ignored" };
    const bName = uniqueName("name_b");
    expect(ok(await runSync(a)).read).toBe(300);
    expect(ok(await runSync(b, ["-n", bName])).read).toBe(300);
    expect(ok(await runSync(a)).read).toBe(0);
    await db.update(2);
    expect(ok(await runSync(b, ["-n", bName])).read).toBe(2);
    await db.update(4);
    expect(ok(await runSync(a)).read).toBe(4);
    expect(ok(await runSync(b, ["-n", bName])).read).toBe(4);
    expect(existsSync(join(dir, "state", `${a.name}.json`))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "state", `${bName}.json`), "utf8")).jobName).toBe(bName);
    expect(existsSync(join(dir, "state", "ignored.json"))).toBe(false);
  }, 120_000);

  test("SEATUNNEL_STATE_DIR moves the state files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-inc-"));
    const job = { schema, name: uniqueName("statedir"), dir };
    const elsewhere = join(dir, "elsewhere");
    expect(ok(await runSync(job, [], { SEATUNNEL_STATE_DIR: elsewhere })).read).toBe(300);
    expect(existsSync(join(elsewhere, `${job.name}.json`))).toBe(true);
    expect(existsSync(join(dir, "state"))).toBe(false);
  }, 120_000);

  test("a stored position of another column fails the run, naming both and the way out", async () => {
    const job = { schema, name: uniqueName("switch"), dir: mkdtempSync(join(tmpdir(), "st-inc-")) };
    ok(await runSync(job));
    const r = await runSync({ ...job, column: "version" });
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(
      /error\[JDBC_INCREMENTAL_STATE\]: reading "test\.\w+\.src" incrementally: the position job "switch_\w+" stored is timestamp value "[0-9-]+ [0-9:.]+" of column "updated_at", but the column to read past is "version" \(integer\); set incremental_reset = true for one run/,
    );
    expect(ok(await runSync({ ...job, column: "version", reset: true })).read).toBe(300);
    expect(ok(await runSync({ ...job, column: "version" })).read).toBe(0);
  }, 120_000);

  test("a stored value of the wrong type fails the run instead of being compared", async () => {
    const job = { schema, name: uniqueName("badtype"), dir: mkdtempSync(join(tmpdir(), "st-inc-")) };
    ok(await runSync({ ...job, column: "version" }));
    const path = join(job.dir, "state", `${job.name}.json`);
    const state = JSON.parse(readFileSync(path, "utf8"));
    state.sources["source Jdbc"].tables[`test.${schema}.src`].value = "2024-01-01 00:00:00";
    writeFileSync(path, JSON.stringify(state));
    const r = await runSync({ ...job, column: "version" });
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain(
      `the position job "${job.name}" stored is integer value "2024-01-01 00:00:00" of column "version"`,
    );
    writeFileSync(path, JSON.stringify({ ...state, sources: { "source Jdbc": "7" } }));
    const r2 = await runSync({ ...job, column: "version" });
    expect(r2.stderr + r2.stdout).toContain(
      `error[JDBC_INCREMENTAL_STATE]: reading the stored incremental position of job "${job.name}": it is not a Jdbc source's position`,
    );
  }, 120_000);

  test("a column the table does not have is a positioned error, and nothing runs", async () => {
    const job = { schema, name: uniqueName("nope"), dir: mkdtempSync(join(tmpdir(), "st-inc-")) };
    const r = await runSync({ ...job, column: "changed_at" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error[JDBC_INCREMENTAL_COLUMN]: fixtures/pg/incremental-sync.conf:11:26 source Jdbc: incremental_column "changed_at" is not a column of "test.${schema}.src" (id, name, amount, label, updated_at, version)`,
    );
  }, 60_000);

  test("a text column cannot be an incremental column", async () => {
    const job = { schema, name: uniqueName("text"), dir: mkdtempSync(join(tmpdir(), "st-inc-")) };
    const r = await runSync({ ...job, column: "label" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error[JDBC_INCREMENTAL_COLUMN]: fixtures/pg/incremental-sync.conf:11:26 source Jdbc: incremental_column "label" of "test.${schema}.src" is string; it must be an integer, numeric, date or timestamp column`,
    );
  }, 60_000);
});
