import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { failureOf, JobError, type Row, RowKind, type TableSchema } from "../../src/api/index.ts";
import { createSink, quiet } from "../../src/api/testing.ts";
import { scratchSchemas, uniqueName } from "../../tests/services.ts";
import type { Db } from "./dialect.ts";
import { liteFailure, myFailure, pgFailure } from "./failures.ts";
import { jdbcSink } from "./index.ts";
import { releasePool, retain } from "./pool.ts";
import { parseJdbcUrl } from "./url.ts";

const name = uniqueName("jdbc_fail");
const liteFile = join(tmpdir(), `${name}.db`);
const pgInfo = parseJdbcUrl(`jdbc:postgresql://127.0.0.1:5432/test?ApplicationName=${name}`, "root");
const myInfo = parseJdbcUrl(`jdbc:mysql://127.0.0.1:3306/${name}`, "root");
const sql = scratchSchemas(name);

afterAll(() => {
  for (const f of [liteFile, `${liteFile}-wal`, `${liteFile}-shm`]) {
    rmSync(f, { force: true });
  }
});

/** The class the pool marked the error of `fn` with (fn must fail). */
async function failureFrom(db: Db, fn: (s: Awaited<ReturnType<Db["session"]>>) => Promise<unknown>) {
  const s = await db.session();
  try {
    await fn(s);
  } catch (e) {
    await s.discard().catch(() => {});
    return failureOf(new JobError("WRAPPED", "a connector's wrapping", { cause: e }));
  }
  throw new Error("expected a failure");
}

describe("driver errors through a pool carry their class", () => {
  test("PostgreSQL: a NOT NULL violation is deterministic, a terminated connection transient", async () => {
    const db = retain(pgInfo, 4);
    await sql.pg.unsafe(`CREATE TABLE ${name}.t (id int NOT NULL)`);
    expect(await failureFrom(db, (s) => s.exec(`INSERT INTO ${name}.t VALUES (NULL)`))).toEqual({
      transient: false,
      reason: "NOT NULL constraint violation (PostgreSQL 23502)",
    });
    expect(await failureFrom(db, (s) => s.query(`SELECT nope FROM ${name}.t`))).toEqual({
      transient: false,
      reason: "missing column (PostgreSQL 42703)",
    });
    const ended = await failureFrom(db, async (s) => {
      await s.exec("BEGIN");
      await s.exec(`INSERT INTO ${name}.t VALUES (1)`);
      await sql.pg.unsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${name}' AND backend_xid IS NOT NULL`,
      );
      await s.exec(`INSERT INTO ${name}.t VALUES (2)`);
    });
    expect(ended).toEqual({ transient: true, reason: "connection terminated (PostgreSQL 57P01)" });
    await releasePool(pgInfo);
  });

  test("MariaDB: a duplicate key is deterministic, a lock wait timeout and a killed connection transient", async () => {
    const db = retain(myInfo, 4);
    await sql.my.unsafe(`CREATE TABLE ${name}.t (id int PRIMARY KEY)`);
    await sql.my.unsafe(`INSERT INTO ${name}.t VALUES (1)`);
    expect(await failureFrom(db, (s) => s.exec(`INSERT INTO ${name}.t VALUES (1)`))).toEqual({
      transient: false,
      reason: "duplicate key (MySQL 1062)",
    });
    const holder = await db.session();
    await holder.exec(`BEGIN; UPDATE ${name}.t SET id = 1 WHERE id = 1`);
    const waited = await failureFrom(db, (s) =>
      s.exec(`SET SESSION innodb_lock_wait_timeout = 1; UPDATE ${name}.t SET id = 1 WHERE id = 1`),
    );
    expect(waited).toEqual({ transient: true, reason: "lock wait timeout (MySQL 1205)" });
    await holder.discard();
    const killed = await failureFrom(db, async (s) => {
      const [row] = await s.query("SELECT CONNECTION_ID() AS id");
      await sql.my.unsafe(`KILL ${Number(row?.id)}`);
      await s.query("SELECT 1");
    });
    expect(killed?.transient).toBe(true);
    await releasePool(myInfo);
  });

  test("SQLite: a CHECK violation and a missing table in a streamed read are deterministic", async () => {
    const info = parseJdbcUrl(`jdbc:sqlite:${liteFile}`);
    const db = retain(info, 4);
    const setup = new Database(liteFile, { create: true });
    setup.run("CREATE TABLE t (v INTEGER CHECK (v > 0))");
    setup.close();
    expect(await failureFrom(db, (s) => s.runMany!("INSERT INTO t VALUES (?)", [[1], [-1]]))).toEqual({
      transient: false,
      reason: "constraint violation (SQLITE_CONSTRAINT_CHECK)",
    });
    expect(await failureFrom(db, (s) => s.stream("SELECT * FROM nope", 10).next())).toEqual({
      transient: false,
      reason: "SQL error (SQLITE_ERROR)",
    });
    await releasePool(info);
  });
});

describe("the tables", () => {
  test("PostgreSQL goes by SQLSTATE and class; other codes stay unknown", () => {
    expect(pgFailure({ errno: "40P01" })).toEqual({ transient: true, reason: "deadlock (PostgreSQL 40P01)" });
    expect(pgFailure({ errno: "08006" })).toEqual({ transient: true, reason: "connection lost (PostgreSQL 08006)" });
    expect(pgFailure({ errno: "28P01" })?.transient).toBe(false);
    expect(pgFailure({ errno: "22P05" })).toEqual({ transient: false, reason: "bad value (PostgreSQL 22P05)" });
    expect(pgFailure({ errno: "XX000" })).toBeUndefined();
    expect(pgFailure({ code: "ERR_POSTGRES_CONNECTION_CLOSED" })?.transient).toBe(true);
  });

  test("MySQL goes by error number, then mysql2's connection codes", () => {
    expect(myFailure({ errno: 1213, code: "ER_LOCK_DEADLOCK" })).toEqual({
      transient: true,
      reason: "deadlock (MySQL 1213)",
    });
    expect(myFailure({ errno: 1045 })?.transient).toBe(false);
    expect(myFailure({ code: "PROTOCOL_CONNECTION_LOST", fatal: true })?.transient).toBe(true);
    expect(myFailure({ errno: 9999 })).toBeUndefined();
  });

  test("SQLite goes by the primary result code of the extended one", () => {
    expect(liteFailure({ code: "SQLITE_BUSY_SNAPSHOT" })).toEqual({
      transient: true,
      reason: "database busy (SQLITE_BUSY_SNAPSHOT)",
    });
    expect(liteFailure({ code: "SQLITE_IOERR_WRITE" })).toBeUndefined();
  });
});

describe("a writer of a failed attempt", () => {
  test("abort() rolls back and frees SQLite's write lock at once", async () => {
    const input: TableSchema = {
      id: "t",
      path: { table: "t" },
      columns: [{ name: "v", type: { kind: "int" }, nullable: true }],
    };
    const url = `url = "jdbc:sqlite:${liteFile}"\n generate_sink_sql = true\n table = "w"\n batch_size = 2`;
    const sink = await createSink(jdbcSink, url, [input]);
    await sink.prepare?.();
    const writer = await sink.writer({ subtask: 0, parallelism: 1, log: quiet });
    const rows: Row[] = [1, 2, 3].map((v) => ({ kind: RowKind.INSERT, table: "t", fields: [v] }));
    await writer.write(rows);
    await writer.abort!();
    const other = new Database(liteFile);
    other.run("PRAGMA busy_timeout = 0");
    other.run("INSERT INTO w VALUES (9)");
    expect(other.query("SELECT v FROM w").values()).toEqual([[9]]);
    other.close();
    await sink.close?.();
  });
});
