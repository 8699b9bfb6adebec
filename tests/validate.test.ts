/**
 * Validation in stages through the binary, against the real PostgreSQL and MariaDB: `--check` stays
 * offline and never fails only because a table's columns are unknown there; `validate` (the same
 * as `run --check --connect`) connects to every source and sink and reports every problem at once;
 * `plan` connects to show real splits and each sink's table. Job files in fixtures/validate.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const schema = uniqueName("validate");
const job = (name: string) => join("fixtures", "validate", `${name}.conf`);
const vars = (column = "flag") => ["-i", `schema=${schema}`, "-i", `column=${column}`];
let sql: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  await ensureService("mariadb");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  await sql.unsafe(`CREATE TABLE ${schema}.src (id int PRIMARY KEY, name text, flag boolean)`);
  await sql.unsafe(`INSERT INTO ${schema}.src SELECT g, 'n' || g, g % 2 = 0 FROM generate_series(1, 1000) g`);
  await sql.unsafe(`ANALYZE ${schema}.src`);
  await sql.unsafe(`CREATE TABLE ${schema}.narrow (id int)`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

const tableExists = async (name: string) =>
  ((await sql.unsafe(`SELECT to_regclass('${schema}.${name}') IS NOT NULL AS ok`)) as { ok: boolean }[])[0]!.ok;

/** The error lines of an output, without the log lines around them. */
const errorLines = (text: string) => text.split("\n").filter((l) => l.startsWith("error["));

describe("--check (offline)", () => {
  test("a Jdbc source feeding a Sql transform passes, and the output says its columns were not checked", async () => {
    const r = await runBin(["run", "--check", job("jdbc-sql"), ...vars()]);
    expect(r.stderr).not.toContain("error[");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`produces test.${schema}.src (columns known after connecting)`);
    expect(r.stdout).toContain(`columns not checked: those of "test.${schema}.src" are only known after connecting`);
    expect(r.stdout).toContain("Columns were not checked for 2 plugins: they are only known after connecting");
    expect(r.stdout).toContain(`into test.${schema}.dst on postgresql://root@127.0.0.1:5432/test`);
  });

  test("connects to nothing: a job whose servers would refuse it passes", async () => {
    const r = await runBin(["run", "--check", job("three-problems"), ...vars()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("The job file is valid: 6 plugins checked offline, nothing was run.");
  });

  test("still finds what it can check offline: a Sql syntax error at its position", async () => {
    const r = await runBin(["run", "--check", job("jdbc-sql"), ...vars("flag and")]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      "error[SQL_PARSE_FAILED]: fixtures/validate/jdbc-sql.conf:19:53 transform Sql: SQL parse failed: select id, name from src where flag and, cause: expected an expression, found the end of the query",
    ]);
  });

  test("still checks the Sql transform's functions: a misspelt one is found at its position", async () => {
    const r = await runBin(["run", "--check", job("jdbc-sql"), ...vars("flag and upperr(name) = 'X'")]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      "error[SQL_INVALID]: fixtures/validate/jdbc-sql.conf:19:54 transform Sql: Unsupported function: upperr ",
    ]);
  });

  test("does not look up a misspelt column it cannot know", async () => {
    const r = await runBin(["run", "--check", job("jdbc-sql"), ...vars("flga")]);
    expect(r.code).toBe(0);
  });

  test("a parquet directory that an earlier job fills is not known yet: --check skips its columns, validate finds it missing", async () => {
    const dir = ["-i", `dir=/tmp/${schema}-not-written-yet`];
    const offline = await runBin(["run", "--check", job("parquet-later"), ...dir]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("Columns were not checked for 2 plugins");
    const connected = await runBin(["validate", job("parquet-later"), ...dir]);
    expect(connected.code).toBe(2);
    expect(errorLines(connected.stderr)).toEqual([
      `error[CONFIG_VALUE_INVALID]: fixtures/validate/parquet-later.conf:6:3 source LocalFile: path "/tmp/${schema}-not-written-yet" does not exist`,
    ]);
  });

  test("--connect without --check is a usage error", async () => {
    const r = await runBin(["run", "--connect", job("jdbc-sql"), ...vars()]);
    expect(r.code).toBe(234);
    expect(r.stderr).toContain("error[USAGE]: --connect goes with --check");
  });
});

describe("validate (--check --connect)", () => {
  test("checks the Sql transform against the real columns and finds a misspelt one at its position", async () => {
    const ok = await runBin(["validate", job("jdbc-sql"), ...vars()]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`produces test.${schema}.src (id INT, name STRING, flag BOOLEAN)`);
    expect(ok.stdout).toContain("The job file is valid: 3 plugins checked, 2 of them against their servers");
    const typo = await runBin(["validate", job("jdbc-sql"), ...vars("flga")]);
    expect(typo.code).toBe(2);
    expect(errorLines(typo.stderr)).toEqual([
      "error[SQL_INVALID]: fixtures/validate/jdbc-sql.conf:19:45 transform Sql: can't find field [flga]",
    ]);
  });

  test("finds a refused password, a missing table and a missing column in one run", async () => {
    for (const args of [["validate"], ["run", "--check", "--connect"]]) {
      const r = await runBin([...args, job("three-problems"), ...vars()]);
      expect(r.code).toBe(2);
      const f = "fixtures/validate/three-problems.conf";
      expect(errorLines(r.stderr)).toEqual([
        `error[JDBC_CONNECT]: ${f}:6:3 source Jdbc #1: reading the catalog of mysql://root@127.0.0.1:3306/test: Access denied for user 'root'@'127.0.0.1' (using password: YES)`,
        `error[JDBC_TABLE_NOT_FOUND]: ${f}:14:3 source Jdbc #2: table "test.${schema}.missing" does not exist in database "test"`,
        `error[JDBC_COLUMN_NOT_FOUND]: ${f}:32:3 sink Jdbc: the sink table "test.${schema}.narrow" has no columns "name", "flag" for input "test.${schema}.src" (its columns: id)`,
      ]);
      expect(r.stderr).toContain("3 errors in the job file; nothing was run.");
    }
  });

  test("names every missing table of a table_list, and a run does too", async () => {
    const f = "fixtures/validate/table-list.conf";
    const missing = (t: string) =>
      `error[JDBC_TABLE_NOT_FOUND]: ${f}:5:3 source Jdbc: table "test.${schema}.${t}" does not exist in database "test"`;
    for (const args of [["validate"], ["run"]]) {
      const r = await runBin([...args, job("table-list"), ...vars()]);
      expect(r.code).toBe(2);
      expect(errorLines(r.stderr)).toEqual([missing("gone_a"), missing("gone_b")]);
    }
  });

  test("checks filters, sink tables, save modes, databases and sink queries, and writes nothing", async () => {
    const r = await runBin(["validate", job("sink-checks"), ...vars("flga")]);
    expect(r.code).toBe(2);
    const f = "fixtures/validate/sink-checks.conf";
    const lines = errorLines(r.stderr);
    expect(lines.map((l) => l.slice(0, l.indexOf(" ", l.indexOf(f) + f.length + 1)))).toEqual([
      `error[JDBC_QUERY_INVALID]: ${f}:8:3`,
      `error[CONFIG_FIELD_NOT_FOUND]: ${f}:25:3`,
      `error[JDBC_TABLE_NOT_FOUND]: ${f}:32:3`,
      `error[SINK_TABLE_NOT_EMPTY]: ${f}:42:3`,
      `error[JDBC_CONNECT]: ${f}:52:3`,
      `error[JDBC_QUERY_INVALID]: ${f}:70:3`,
    ]);
    expect(lines[0]).toContain('column "no_such_column" does not exist');
    expect(lines[1]).toContain('names field "flga", which table "test.');
    expect(lines[2]).toContain("schema_save_mode = ERROR_WHEN_SCHEMA_NOT_EXIST does not create it");
    expect(lines[4]).toContain('database "no_such_database" does not exist');
    expect(lines[5]).toContain(`column "nme" of relation "narrow" does not exist`);
    // The fourth sink's table is created by a run's save mode, not by validate.
    expect(await tableExists("fresh")).toBe(false);
    // The sink queries were planned, not run.
    expect(await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.narrow`)).toEqual([{ n: 0 }]);
  });
});

describe("connecting", () => {
  test("gives up on a server that never answers after the URL's connectTimeout", async () => {
    // Accepts connections and says nothing, as a host behind a dropping firewall seems to.
    const silent = () => Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const [pg, my] = [silent(), silent()];
    try {
      const started = performance.now();
      const r = await runBin([
        "validate",
        job("silent-servers"),
        "-i",
        `pg_port=${pg.port}`,
        "-i",
        `my_port=${my.port}`,
      ]);
      const seconds = (performance.now() - started) / 1000;
      expect(r.code).toBe(2);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toStartWith(
        `error[JDBC_CONNECT]: fixtures/validate/silent-servers.conf:6:3 source Jdbc #1: reading the catalog of postgresql://root@127.0.0.1:${pg.port}/test:`,
      );
      expect(lines[1]).toStartWith(
        `error[JDBC_CONNECT]: fixtures/validate/silent-servers.conf:13:3 source Jdbc #2: reading the catalog of mysql://root@127.0.0.1:${my.port}/test:`,
      );
      // 1 s each (the drivers' defaults are 10 s, Bun's client's 30 s); the rest is start-up.
      expect(seconds).toBeLessThan(8);
    } finally {
      pg.stop(true);
      my.stop(true);
    }
  }, 30_000);
});

describe("plan", () => {
  test("connects to show the Jdbc splits the run makes and the sink's table", async () => {
    const r = await runBin(["plan", job("jdbc-sql"), ...vars()]);
    expect(r.code).toBe(0);
    // 1000 rows, split.size = 100.
    expect(r.stdout).toContain("splits: 10 (per reader: 5, 5)");
    expect(r.stdout).toContain(`produces test.${schema}.src (id INT, name STRING)`);
    // The sink receives the Sql's table and writes it into its own, not into the source's.
    expect(r.stdout).toContain(
      `    receives test.${schema}.src (id INT, name STRING)\n      into test.${schema}.dst on postgresql://root@127.0.0.1:5432/test (upsert; created when missing)\n`,
    );
  });

  test("shows a source it cannot connect to as offline, with the reason, and plans the rest", async () => {
    const r = await runBin(["plan", job("three-problems"), ...vars()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("offline: reading the catalog of mysql://root@127.0.0.1:3306/test: Access denied");
    expect(r.stdout).toContain("splits: unknown offline (known after connecting)");
    expect(r.stdout).toContain("splits: 1 (per reader: 1)");
    expect(r.stderr).toContain("warning[JDBC_CONNECT]");
  });

  test("the job plan and validate accept runs, and writes the rows the Sql keeps", async () => {
    const r = await runBin(["run", job("jdbc-sql"), ...vars()]);
    expect(r.code).toBe(0);
    const rows = (await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.dst`)) as { n: number }[];
    expect(rows[0]!.n).toBe(500);
  });
});
