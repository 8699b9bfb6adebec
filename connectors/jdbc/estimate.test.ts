/** Row estimates of the Jdbc source (Source.estimateRows) from the tables' statistics. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureService, MY_URL, PG_URL, uniqueName } from "../../tests/services.ts";
import { createSource } from "../../src/api/testing.ts";
import { jdbcSource } from "./index.ts";

const schema = uniqueName("jdbc_estimate");
const url = `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n driver = org.postgresql.Driver`;
const myUrl = `url = "jdbc:mysql://127.0.0.1:3306/${schema}"\n user = root\n password = ""\n driver = com.mysql.cj.jdbc.Driver`;
let sql: InstanceType<typeof Bun.SQL>;
let my: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.t (id int PRIMARY KEY, v text);
    INSERT INTO ${schema}.t SELECT g, 'v' || g FROM generate_series(1, 5000) g;
    ANALYZE ${schema}.t;`);
  await ensureService("mariadb");
  my = new Bun.SQL(MY_URL, { max: 1 });
  await my.unsafe(`CREATE DATABASE ${schema}`);
  await my.unsafe(`CREATE TABLE ${schema}.t (id INT PRIMARY KEY, v TEXT)`);
  await my.unsafe(`INSERT INTO ${schema}.t SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
  await my.unsafe(`DROP DATABASE ${schema}`);
  await my.close();
});

const estimateOf = async (body: string, conn = url) => {
  const source = await createSource(jdbcSource, `${conn}\n${body}`);
  try {
    return await source.estimateRows!();
  } finally {
    await source.close?.();
  }
};

describe("Jdbc source row estimate", () => {
  test("a table read is estimated from pg_class.reltuples", async () => {
    expect(await estimateOf(`table_path = "test.${schema}.t"`)).toBe(5000);
  });

  test("a MariaDB table read is estimated (counted while information_schema's estimate is small)", async () => {
    expect(await estimateOf(`table_path = "${schema}.t"`, myUrl)).toBe(3000);
  });

  test("SQLite has no statistics, so no estimate (a count would read the whole table)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "st-estimate-")), "x.db");
    const lite = new Database(file);
    lite.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    lite.run("INSERT INTO t VALUES (1, 'a')");
    lite.close();
    expect(await estimateOf('table_path = "t"', `url = "jdbc:sqlite:${file}"`)).toBeUndefined();
  });

  test("a query or a where_condition has no estimate", async () => {
    expect(await estimateOf(`query = "SELECT * FROM ${schema}.t WHERE id < 10"`)).toBeUndefined();
    expect(await estimateOf(`table_path = "test.${schema}.t"\nwhere_condition = "where id < 10"`)).toBeUndefined();
  });
});
