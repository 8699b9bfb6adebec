/**
 * Values a created (or chosen) column cannot hold as they are fail their row, naming the table,
 * the row's ordinal and key, the column and the value, instead of being rounded, cut or turned
 * into NULL; `column_types` chooses a column's created type (and a name that is no column fails).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";
import { copyJob, liteConn, liteFile, MY_CONN, PG_CONN } from "./jdbc-types.ts";

const pg = new Bun.SQL(PG_URL, { max: 1 });
const my = new Bun.SQL(MY_URL, { max: 1 });
const ns = uniqueName("narrow");
const lite = liteFile(ns);

beforeAll(async () => {
  await ensureService("postgres");
  await ensureService("mariadb");
  await pg.unsafe(`CREATE SCHEMA ${ns}`);
});
afterAll(async () => {
  await pg.unsafe(`DROP SCHEMA IF EXISTS ${ns} CASCADE`);
  const tables = (await my.unsafe(
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME LIKE '${ns}%'`,
  )) as { t: string }[];
  for (const { t } of tables) {
    await my.unsafe(`DROP TABLE test.${t}`);
  }
  await pg.close();
  await my.close();
});

/** A PostgreSQL source table `name` with `id int` and `columns`, holding `rows`. */
async function pgTable(name: string, columns: string, rows: string): Promise<string> {
  await pg.unsafe(
    `CREATE TABLE ${ns}.${name} (id int PRIMARY KEY, ${columns}); INSERT INTO ${ns}.${name} VALUES ${rows}`,
  );
  return `${PG_CONN}\ntable_path = "test.${ns}.${name}"`;
}

const pgSink = (name: string, extra = "") =>
  `${PG_CONN}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${ns}.${name}_dst"\n${extra}`;
const mySink = (name: string, extra = "") =>
  `${MY_CONN}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${ns}_${name}"\n${extra}`;
const liteSink = (extra = "") =>
  `${liteConn(lite)}\ngenerate_sink_sql = true\ntable = "dst_${uniqueName("t")}"\n${extra}`;

describe("a value the target column cannot hold fails its row", () => {
  const cases: [string, () => Promise<[string, string]>, string][] = [
    [
      "PostgreSQL numeric without precision into the numeric(38,10) SeaTunnel creates for it",
      async () => [await pgTable("nu", "nu numeric", "(1, 1.5), (2, 0.12345678901)"), pgSink("nu")],
      'row 2 (+I key (id)=(2)): column "nu" value 0.12345678901 has 11 fraction digits; numeric(38,10) holds 10',
    ],
    [
      "numeric(1000,500) into MariaDB's DECIMAL(65,0)",
      async () => [await pgTable("n1000", "n numeric(1000,500)", "(1, 0.5)"), mySink("n1000")],
      `row 1 (+I key (id)=(1)): column "n" value 0.${"5".padEnd(38, "0")}… has 1 fraction digits; decimal(65,0) holds 0`,
    ],
    [
      "trailing spaces past a chosen varchar(3) (MariaDB would cut them without an error)",
      async () => [
        await pgTable("sp", "v varchar(10)", "(1, 'abc   ')"),
        mySink("sp", 'column_types = { v = "varchar(3)" }'),
      ],
      'row 1 (+I key (id)=(1)): column "v" value "abc   " has 6 characters; varchar(3) holds 3',
    ],
    [
      "microseconds into a chosen datetime(3)",
      async () => [
        await pgTable("fr", "ts timestamp", "(1, '2020-01-01 00:00:00.123456')"),
        mySink("fr", 'column_types = { ts = "datetime(3)" }'),
      ],
      'column "ts" value 2020-01-01T00:00:00.123456 has 6 fraction digits of a second; datetime(3) keeps 3',
    ],
    [
      "-0 into MariaDB",
      async () => [await pgTable("nz", "f float8", "(1, '-0')"), mySink("nz")],
      'row 1 (+I key (id)=(1)): column "f" value 0 is -0, which MariaDB stores as 0',
    ],
    [
      "NaN into SQLite",
      async () => [await pgTable("nan", "f float8", "(1, 1), (2, 'NaN')"), liteSink()],
      'row 2 (+I key (id)=(2)): column "f" value NaN is NaN, which SQLite stores as NULL',
    ],
    [
      "a decimal SQLite would keep as an inexact float",
      async () => [await pgTable("dd", "d numeric(20,2)", "(1, 123456789012345678.91)"), liteSink()],
      'column "d" value 123456789012345678.91 is not exact as the 8-byte float DECIMAL(20,2) stores',
    ],
  ];
  for (const [name, setup, message] of cases) {
    test(name, async () => {
      const [source, sink] = await setup();
      const r = await copyJob(source, sink);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
    });
  }

  test("MariaDB decimal(65,30) into the numeric(38,18) SeaTunnel reads it as: warned of, and a wider value fails", async () => {
    const t = `${ns}_dsrc`;
    await my.unsafe(
      `CREATE TABLE test.${t} (id int PRIMARY KEY, d decimal(65,30)); INSERT INTO test.${t} VALUES (1, 1.5), (2, ${"9".repeat(25)})`,
    );
    const r = await copyJob(`${MY_CONN}\ntable_path = "test.${t}"`, pgSink("dwide"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '"d" decimal(65,30) → numeric(38,18) holds 20 integer and 18 fraction digits of the source\'s 35 and 30: values with more fail',
    );
    expect(r.stderr).toContain(
      `row 2 (+I key (id)=(2)): column "d" value ${"9".repeat(25)}.${"0".repeat(14)}… has 25 integer digits; numeric(38,18) holds 20`,
    );
  });
});

describe("column_types", () => {
  test("chooses a column's created type: numeric without precision stays numeric and keeps every digit", async () => {
    const source = await pgTable("keep", "nu numeric", "(1, 0.12345678901234567890123)");
    const r = await copyJob(source, pgSink("keep", 'column_types = { nu = "numeric" }'));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const [row] = await pg.unsafe(
      `SELECT nu::text AS v, format_type(atttypid, atttypmod) AS t FROM ${ns}.keep_dst, pg_attribute WHERE attrelid = '${ns}.keep_dst'::regclass AND attname = 'nu'`,
    );
    expect(row).toEqual({ v: "0.12345678901234567890123", t: "numeric" });
  });

  test("a jsonb chosen as MariaDB's json gets its validity check, and the job does not warn of it", async () => {
    const source = await pgTable("js", 'j jsonb, "u" uuid', `(1, '{"a": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')`);
    const r = await copyJob(source, mySink("js", 'column_types = { j = "json" }'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"u" uuid → VARCHAR(128) keeps each value\'s text, not the uuid type');
    expect(r.stderr).not.toContain('"j" ');
    const checks = await my.unsafe(
      `SELECT CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'test' AND TABLE_NAME = '${ns}_js'`,
    );
    expect(checks).toEqual([{ c: "json_valid(`j`)" }]);
  });

  test("a name that is no column of the input fails the job before it runs, at the key's position", async () => {
    const source = await pgTable("unk", "amount numeric(10,2)", "(1, 1)");
    const r = await copyJob(source, pgSink("unk", 'column_types = { amout = "numeric(20,2)" }'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `error\\[CONFIG_OPTION_INVALID\\]: \\S+\\.conf:\\d+:\\d+ .*column_types names "amout", which is not a column of "test\\.${ns}\\.unk" \\(id, amount\\); did you mean "amount"\\?`,
      ),
    );
  });
});
