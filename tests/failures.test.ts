/**
 * Failures classified, through the binary against the real servers: a deterministic error (a bad
 * value, a constraint, an overflow, a wrong password) fails the job at once with the database's
 * own message and no restart, though the job keeps SeaTunnel's default job.retry.times = 3, 3 s
 * apart; a bad csv row into SQLite names its file and line, not `database is locked` (the failed
 * attempt's write lock); a connection ended by pg_terminate_backend mid-job is retried, and the
 * exactly-once sink then holds every row once.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, runBin } from "./helpers.ts";
import { ensurePreparedTransactions, scratchSchemas, uniqueName } from "./services.ts";

const JOB = join("fixtures", "failures", "csv-to-jdbc.conf");
const XA_JOB = join("fixtures", "failures", "csv-to-postgres-xa.conf");
const QUERY_JOB = join("fixtures", "failures", "fake-to-jdbc-query.conf");
const tmp = mkdtempSync(join(tmpdir(), "st-failures-"));
const name = uniqueName("fail");
const sql = scratchSchemas(name);

function csv(file: string, rows: string[]): string {
  const path = join(tmp, file);
  writeFileSync(path, `id,name,age\n${rows.join("\n")}\n`);
  return path;
}

/** Milliseconds since midnight of a log line's `HH:MM:SS,mmm`. */
function stamp(line: string): number {
  const m = /\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d),(\d{3}) /.exec(line);
  expect(m).not.toBeNull();
  const [h, min, s, ms] = m!.slice(1).map(Number) as [number, number, number, number];
  return ((h * 60 + min) * 60 + s) * 1000 + ms;
}

/**
 * The job failed with `message`, the log classified it (`reason`) and did not restart the
 * pipeline, and the job ended within a second of the failure (a restart would wait 3 s).
 */
function failedAtOnce(out: string, message: string, reason: string): void {
  expect(out).toContain(message);
  expect(out).toContain(`is not restarted: ${reason} would fail the same way again.`);
  expect(out).not.toContain("Restore time");
  expect(out).not.toMatch(/retry \d+\/\d+/);
  const lines = out.split("\n");
  const failed = lines.find((l) => l.includes("Pipeline: [(1/1)] failed: "));
  const end = lines.find((l) => l.includes("end with state FAILED"));
  expect(failed).toBeDefined();
  expect(end).toBeDefined();
  expect(stamp(end!) - stamp(failed!)).toBeLessThan(1000);
}

const DB = {
  postgres: { url: "jdbc:postgresql://127.0.0.1:5432/test", exec: (q: string) => sql.pg.unsafe(q) },
  mariadb: { url: `jdbc:mysql://127.0.0.1:3306/${name}`, exec: (q: string) => sql.my.unsafe(q) },
};

const CASES = [
  {
    what: "a NOT NULL violation",
    rows: ["1,a,10", "2,,20", "3,c,30"],
    postgres: ['null value in column "name"', "NOT NULL constraint violation (PostgreSQL 23502)"],
    mariadb: ["Column 'name' cannot be null", "NOT NULL constraint violation (MySQL 1048)"],
  },
  {
    what: "a CHECK violation",
    rows: ["1,a,10", "2,b,-5", "3,c,30"],
    postgres: ['violates check constraint "', "CHECK constraint violation (PostgreSQL 23514)"],
    mariadb: ["CONSTRAINT `", "CHECK constraint violation (MySQL 4025)"],
  },
  {
    what: "an overflow of a smallint column",
    rows: ["1,a,10", "2,b,40000", "3,c,30"],
    postgres: ['value "40000" is out of range for type smallint', "numeric overflow (PostgreSQL 22003)"],
    mariadb: ["Out of range value for column 'age' at row 2", "numeric overflow (MySQL 1264)"],
  },
] as const;

describe("a deterministic error fails at once", () => {
  for (const db of ["postgres", "mariadb"] as const) {
    for (const [i, c] of CASES.entries()) {
      test(`${c.what} into ${db} fails within a second, with the database's message and no restart`, async () => {
        const table = `${name}.t_${i}`;
        await DB[db].exec(
          `CREATE TABLE ${table} (id int NOT NULL, name varchar(20) NOT NULL, age smallint CHECK (age >= 0))`,
        );
        const file = csv(`${db}-${i}.csv`, [...c.rows]);
        const r = await runBin(["run", JOB, "-i", `csv=${file}`, "-i", `url=${DB[db].url}`, "-i", `table=${table}`]);
        expect(r.code).toBe(1);
        failedAtOnce(r.stdout + r.stderr, c[db][0], c[db][1]);
      });
    }
  }

  test("the class crosses from a pool worker: two subtasks, a NOT NULL violation, no restart", async () => {
    const table = `${name}.par`;
    await sql.pg.unsafe(`CREATE TABLE ${table} (id int NOT NULL, name text NOT NULL, age int)`);
    const rows = Array.from({ length: 40_000 }, (_, k) => `${k + 1},${k === 30_000 ? "" : `n${k}`},${k % 100}`);
    const file = csv("par.csv", rows);
    const args = ["-i", `csv=${file}`, "-i", `url=${DB.postgres.url}`, "-i", `table=${table}`, "-i", "parallelism=2"];
    const r = await runBin(["run", JOB, ...args, "--json"]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toMatch(/"threads":\s*2/);
    failedAtOnce(out, 'null value in column "name"', "NOT NULL constraint violation (PostgreSQL 23502)");
  });

  test("a wrong MariaDB password met by the sink's writer fails at once", async () => {
    const url = `jdbc:mysql://127.0.0.1:3306/${name}`;
    const args = ["-i", `url=${url}`, "-i", "user=root", "-i", "password=wrong", "-i", `table=${name}.t_0`];
    const r = await runBin(["run", QUERY_JOB, ...args]);
    expect(r.code).toBe(1);
    failedAtOnce(r.stdout + r.stderr, "Access denied for user 'root'", "authentication failed (MySQL 1045)");
  });

  test("a missing table met by a query sink's writer fails at once, in PostgreSQL and in MariaDB", async () => {
    const cases = [
      [DB.postgres.url, `relation "${name}.nope" does not exist`, "missing table (PostgreSQL 42P01)"],
      [DB.mariadb.url, `Table '${name}.nope' doesn't exist`, "missing table (MySQL 1146)"],
    ];
    for (const [url, message, reason] of cases) {
      const r = await runBin(["run", QUERY_JOB, "-i", `url=${url}`, "-i", "user=root", "-i", `table=${name}.nope`]);
      expect(r.code).toBe(1);
      failedAtOnce(r.stdout + r.stderr, message!, reason!);
    }
  });

  test("a PostgreSQL role that may not log in fails at once (every local login is trusted: no password to get wrong)", async () => {
    const role = `${name}_nologin`;
    await sql.pg.unsafe(`CREATE ROLE ${role} NOLOGIN`);
    try {
      const args = ["-i", "url=jdbc:postgresql://127.0.0.1:5432/test", "-i", `user=${role}`, "-i", `table=${name}.t_0`];
      const r = await runBin(["run", QUERY_JOB, ...args]);
      expect(r.code).toBe(1);
      failedAtOnce(
        r.stdout + r.stderr,
        `role "${role}" is not permitted to log in`,
        "authentication failed (PostgreSQL 28000)",
      );
    } finally {
      await sql.pg.unsafe(`DROP ROLE ${role}`);
    }
  });

  test("a wrong MariaDB password met by the save mode fails at once with the server's message", async () => {
    const file = csv("password.csv", ["1,a,10"]);
    const url = `jdbc:mysql://127.0.0.1:3306/${name}`;
    const args = ["-i", `csv=${file}`, "-i", `url=${url}`, "-i", `table=${name}.t_pw`, "-i", "password=wrong"];
    const r = await runBin(["run", JOB, ...args]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toContain("Access denied for user 'root'");
    expect(out).not.toContain("Restore time");
  });
});

describe("SQLite", () => {
  const url = () => `jdbc:sqlite:${join(tmp, "lite.db")}`;
  const rows = (n: number, bad: number, value: string) =>
    Array.from({ length: n }, (_, k) => (k + 1 === bad ? `${k + 1},n${k + 1},${value}` : `${k + 1},n${k + 1},${k}`));

  test("a bad csv row after batches were written fails at once with its file, line and value, not a lock", async () => {
    const { Database } = await import("bun:sqlite");
    const db = new Database(join(tmp, "lite.db"), { create: true });
    db.run("CREATE TABLE people (id INTEGER NOT NULL, name TEXT NOT NULL, age INTEGER)");
    db.close();
    // The sink has written (and holds the write lock of) the rows before the bad one when it is read.
    const file = csv("lite-bad.csv", rows(60_000, 50_000, "x"));
    const r = await runBin(["run", JOB, "-i", `csv=${file}`, "-i", `url=${url()}`, "-i", "table=people"]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    failedAtOnce(
      out,
      `reading "${file}" line 50001, column 3 ("age"): expects int, received "x"`,
      "bad value in the input",
    );
    expect(out).not.toContain("database is locked");
  });

  test("a NOT NULL violation names the row and SQLite's message", async () => {
    const file = csv("lite-null.csv", ["1,a,10", "2,,20", "3,c,30"]);
    const r = await runBin(["run", JOB, "-i", `csv=${file}`, "-i", `url=${url()}`, "-i", "table=people"]);
    expect(r.code).toBe(1);
    failedAtOnce(
      r.stdout + r.stderr,
      "row 2 (+I): NOT NULL constraint failed: people.name",
      "constraint violation (SQLITE_CONSTRAINT_NOTNULL)",
    );
  });
});

describe("a transient error is retried", () => {
  test("a connection ended by pg_terminate_backend mid-job is retried and every row arrives exactly once", async () => {
    await ensurePreparedTransactions();
    const n = 30_000;
    const table = `${name}.xa`;
    const app = `st_${name}`;
    await sql.pg.unsafe(`CREATE TABLE ${table} (id int NOT NULL, name text NOT NULL, age int)`);
    const file = csv(
      "xa.csv",
      Array.from({ length: n }, (_, k) => `${k + 1},n${k + 1},${k % 100}`),
    );
    const args = ["run", XA_JOB, "-i", `csv=${file}`, "-i", `table=${table}`, "-i", `app=${app}`, "--json"];
    const proc = Bun.spawn([BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, TZ: "UTC" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    const killed = await terminateWriter(table, app, proc);
    const [code, [stdout, stderr]] = await Promise.all([proc.exited, output]);
    const out = stdout + stderr;
    if (code !== 0 || !killed) {
      console.error(out.slice(-4000));
    }
    expect(killed).toBe(true);
    expect(code).toBe(0);
    expect(out).toMatch(/retry 1\/3 in 1s from checkpoint \d+: connection terminated \(PostgreSQL 57P01\)/);
    const [row] = await sql.pg.unsafe(
      `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, sum(id)::text AS sum, sum(age)::text AS ages FROM ${table}`,
    );
    const ages = Array.from({ length: n }, (_, k) => k % 100).reduce((a, b) => a + b, 0);
    expect(row).toEqual({ rows: n, ids: n, sum: String((n * (n + 1)) / 2), ages: String(ages) });
    // The counts are the final outcome's: the failed attempt's rows past its checkpoint count apart.
    const o = JSON.parse(stdout);
    expect(o).toMatchObject({ status: "FINISHED", read: n, written: n });
    expect(Object.values(o.sources)).toEqual([{ read: n }]);
    expect(Object.values(o.sinks).map((s) => (s as { written: number }).written)).toEqual([n]);
    expect(o.reread).toBeGreaterThan(0);
    expect(stderr).toMatch(new RegExp(`Total Read Count\\s+:\\s+${n}\n`));
    expect(stderr).toMatch(new RegExp(`Total Write Count\\s+:\\s+${n}\n`));
    expect(stderr).toMatch(new RegExp(`Re-read after retries\\s+:\\s+${o.reread}\n`));
  }, 120_000);
});

/**
 * Once a checkpoint has committed rows, ends the sink's connection while it holds an open
 * transaction (the job master's connections hold none). False if the job ended first.
 */
async function terminateWriter(table: string, app: string, proc: { exitCode: number | null }): Promise<boolean> {
  while (proc.exitCode === null) {
    const [{ n }] = await sql.pg.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
    if (n > 0) {
      const killed = await sql.pg.unsafe(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = '${app}' AND backend_xid IS NOT NULL`,
      );
      if (killed.length) {
        return true;
      }
    }
    await Bun.sleep(50);
  }
  return false;
}
