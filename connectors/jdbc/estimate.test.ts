/** Row estimates of the Jdbc source (Source.estimateRows) on PostgreSQL, from the table's statistics. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureService, PG_URL, uniqueName } from "../../tests/services.ts";
import { createSource } from "../../src/api/testing.ts";
import { jdbcSource } from "./index.ts";

const schema = uniqueName("jdbc_estimate");
const url = `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n driver = org.postgresql.Driver`;
let sql: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.t (id int PRIMARY KEY, v text);
    INSERT INTO ${schema}.t SELECT g, 'v' || g FROM generate_series(1, 5000) g;
    ANALYZE ${schema}.t;`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

const estimateOf = async (body: string) => {
  const source = await createSource(jdbcSource, `${url}\n${body}`);
  try {
    return await source.estimateRows!();
  } finally {
    await source.close?.();
  }
};

describe("Jdbc source row estimate on PostgreSQL", () => {
  test("a table read is estimated from pg_class.reltuples", async () => {
    expect(await estimateOf(`table_path = "test.${schema}.t"`)).toBe(5000);
  });

  test("a query or a where_condition has no estimate", async () => {
    expect(await estimateOf(`query = "SELECT * FROM ${schema}.t WHERE id < 10"`)).toBeUndefined();
    expect(await estimateOf(`table_path = "test.${schema}.t"\nwhere_condition = "where id < 10"`)).toBeUndefined();
  });
});
