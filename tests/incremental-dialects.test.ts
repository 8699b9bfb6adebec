/**
 * Incremental column types on each database (README "Incremental syncs"): PostgreSQL timestamptz,
 * date and numeric; MariaDB datetime(6), date and decimal; SQLite integer. Each runs twice: the
 * second run reads only the row changed and the row added since the first.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { runBin } from "./helpers.ts";
import { resultOf } from "./incremental-setup.ts";
import { ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";

const dir = mkdtempSync(join(tmpdir(), "st-inc-types-"));
const pgSchema = uniqueName("inc_types");
const myTable = uniqueName("inc_types");
let pg: InstanceType<typeof Bun.SQL>;
let my: InstanceType<typeof Bun.SQL>;
let step = 0;

beforeAll(async () => {
  await ensureService("postgres");
  await ensureService("mariadb");
  pg = new Bun.SQL(PG_URL, { max: 1 });
  my = new Bun.SQL(MY_URL, { max: 1 });
  await pg.unsafe(`CREATE SCHEMA ${pgSchema}`);
  await pg.unsafe(
    `CREATE TABLE ${pgSchema}.src (id int PRIMARY KEY, ts timestamptz(6) NOT NULL, d date NOT NULL, n numeric(20, 6) NOT NULL)`,
  );
  await pg.unsafe(
    `INSERT INTO ${pgSchema}.src SELECT g, timestamptz '2024-01-01 00:00:00.000001+02' + g * interval '1.000001 second', date '2024-01-01' + g, g * 1.000001 FROM generate_series(1, 50) g`,
  );
  await my.unsafe(
    `CREATE TABLE ${myTable} (id int PRIMARY KEY, ts datetime(6) NOT NULL, d date NOT NULL, n decimal(20, 6) NOT NULL)`,
  );
  await my.unsafe(
    `INSERT INTO ${myTable} SELECT seq, '2024-01-01 00:00:00.000001' + INTERVAL seq SECOND, '2024-01-01' + INTERVAL seq DAY, seq * 1.000001 FROM seq_1_to_50`,
  );
});

afterAll(async () => {
  await pg?.unsafe(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await my?.unsafe(`DROP TABLE IF EXISTS ${myTable}, ${myTable}_dst`);
  await pg?.close();
  await my?.close();
});

function jobFile(name: string, source: string, sink: string): string {
  const path = join(dir, `${name}.conf`);
  writeFileSync(
    path,
    `env { job.mode = "BATCH", parallelism = 1, job.retry.times = 0, job.name = "${name}" }
source { Jdbc { ${source} } }
sink { Jdbc { ${sink}, generate_sink_sql = true, primary_keys = ["id"] } }
`,
  );
  return path;
}

async function readCount(conf: string): Promise<number> {
  const r = await runBin(["run", conf, "--checkpoint-dir", join(dir, "checkpoint"), "--no-progress", "--json"]);
  if (r.code !== 0) {
    throw new Error(`run exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  }
  return resultOf(r.stdout)!.read!;
}

describe("incremental column types", () => {
  for (const column of ["ts", "d", "n"]) {
    test(`PostgreSQL ${column}: the second run reads the changed and the new row`, async () => {
      const conn = `url = "jdbc:postgresql://127.0.0.1:5432/test", user = root`;
      const conf = jobFile(
        uniqueName(`pg_${column}`),
        `${conn}, table_path = "${pgSchema}.src", incremental_column = "${column}"`,
        `${conn}, database = test, table = "${pgSchema}.dst_${column}"`,
      );
      const [{ c: before }] = (await pg.unsafe(`SELECT count(*)::int AS c FROM ${pgSchema}.src`)) as [{ c: number }];
      expect(await readCount(conf)).toBe(before);
      // Values past every earlier test's: the update moves row 7 on, the insert lands one step further.
      const k = ++step * 2;
      await pg.unsafe(
        `UPDATE ${pgSchema}.src SET ts = timestamptz '2050-01-01 00:00:00.000001+02' + ${k} * interval '1 day', d = date '2050-01-01' + ${k}, n = 1000000.000001 + ${k} WHERE id = 7;
         INSERT INTO ${pgSchema}.src VALUES (${before + 1}, timestamptz '2050-01-01 00:00:00.000001+02' + ${k + 1} * interval '1 day', date '2050-01-01' + ${k + 1}, 1000000.000001 + ${k + 1})`,
      );
      expect(await readCount(conf)).toBe(2);
      expect(await readCount(conf)).toBe(0);
    }, 60_000);
  }

  for (const column of ["ts", "d", "n"]) {
    test(`MariaDB ${column}: the second run reads the changed and the new row`, async () => {
      const conn = `url = "jdbc:mysql://127.0.0.1:3306/test", user = root`;
      const conf = jobFile(
        uniqueName(`my_${column}`),
        `${conn}, table_path = "test.${myTable}", incremental_column = "${column}"`,
        `${conn}, database = test, table = "${myTable}_dst"`,
      );
      const before = Number(((await my.unsafe(`SELECT count(*) AS c FROM ${myTable}`)) as { c: number }[])[0]!.c);
      expect(await readCount(conf)).toBe(before);
      const k = ++step * 2;
      await my.unsafe(
        `UPDATE ${myTable} SET ts = '2050-01-01 00:00:00.000001' + INTERVAL ${k} DAY, d = '2050-01-01' + INTERVAL ${k} DAY, n = 1000000.000001 + ${k} WHERE id = 7`,
      );
      await my.unsafe(
        `INSERT INTO ${myTable} VALUES (${before + 1}, '2050-01-01 00:00:00.000001' + INTERVAL ${k + 1} DAY, '2050-01-01' + INTERVAL ${k + 1} DAY, 1000000.000001 + ${k + 1})`,
      );
      expect(await readCount(conf)).toBe(2);
    }, 60_000);
  }

  test("SQLite integer: the second run reads the changed and the new row", async () => {
    const file = join(dir, "lite.db");
    const db = new Database(file);
    db.run("CREATE TABLE src (id integer PRIMARY KEY, name text, v bigint NOT NULL)");
    for (let i = 1; i <= 30; i++) {
      db.run("INSERT INTO src VALUES (?, ?, ?)", [i, `n${i}`, i]);
    }
    const conf = jobFile(
      uniqueName("lite"),
      `url = "jdbc:sqlite:${file}", table_path = "src", incremental_column = "v"`,
      `url = "jdbc:sqlite:${file}", database = main, table = "dst"`,
    );
    expect(await readCount(conf)).toBe(30);
    db.run("UPDATE src SET v = 100, name = 'changed' WHERE id = 3");
    db.run("INSERT INTO src VALUES (31, 'new', 101)");
    expect(await readCount(conf)).toBe(2);
    expect(db.query("SELECT name FROM dst WHERE id = 3").get()).toEqual({ name: "changed" });
    db.close();
  }, 60_000);

  test("table_list: incremental_column per table; the others are read whole every run; a wrong one is reported where it is written", async () => {
    const file = join(dir, "list.db");
    const db = new Database(file);
    db.run("CREATE TABLE a (id integer PRIMARY KEY, v bigint NOT NULL)");
    db.run("CREATE TABLE b (id integer PRIMARY KEY, v bigint NOT NULL)");
    for (let i = 1; i <= 10; i++) {
      db.run("INSERT INTO a VALUES (?, ?)", [i, i]);
      db.run("INSERT INTO b VALUES (?, ?)", [i, i]);
    }
    const list = (col: string) =>
      `url = "jdbc:sqlite:${file}", table_list = [ { table_path = "a", incremental_column = "${col}" }, { table_path = "b" } ]`;
    const sink = `url = "jdbc:sqlite:${file}", database = main, table = "\${table_name}_dst"`;
    const conf = jobFile(uniqueName("list"), list("v"), sink);
    expect(await readCount(conf)).toBe(20);
    db.run("INSERT INTO a VALUES (11, 11)");
    expect(await readCount(conf)).toBe(11);
    db.close();
    const bad = jobFile(uniqueName("list_bad"), list("w"), sink);
    const r = await runBin(["run", bad, "--checkpoint-dir", join(dir, "checkpoint"), "--no-progress"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error[JDBC_INCREMENTAL_COLUMN]: ${bad}:2:${list("w").indexOf('"w"') + 17} source Jdbc: incremental_column "w" is not a column of "a" (id, v)`,
    );
  }, 60_000);
});
