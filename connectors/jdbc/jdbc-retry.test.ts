import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RowKind, type Row, type TableSchema } from "../../src/api/index.ts";
import { ensureService, MY_URL, PG_URL, uniqueName } from "../../tests/services.ts";
import { createSink, writeAll } from "../../src/api/testing.ts";
import { jdbcSink } from "./index.ts";

const schema = uniqueName("jdbc_retry");
const pgUrl = `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n driver = org.postgresql.Driver`;
const myUrl = `url = "jdbc:mysql://127.0.0.1:3306/${schema}"\n user = root\n password = ""\n driver = com.mysql.cj.jdbc.Driver`;
let pg: InstanceType<typeof Bun.SQL>;
let my: InstanceType<typeof Bun.SQL>;

const input: TableSchema = {
  id: "t",
  path: { table: "t" },
  columns: [
    { name: "id", type: { kind: "int" }, nullable: true },
    { name: "v", type: { kind: "string" }, nullable: true },
  ],
};
const row = (id: number, v: string, kind: RowKind = RowKind.INSERT): Row => ({ kind, table: "t", fields: [id, v] });
const FOUR = [
  [row(1, "a"), row(2, "b")],
  [row(3, "c"), row(4, "d")],
];

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: Error) => e.message,
  );

beforeAll(async () => {
  await ensureService("postgres");
  await ensureService("mariadb");
  pg = new Bun.SQL(PG_URL, { max: 1 });
  my = new Bun.SQL(MY_URL, { max: 1 });
  await pg.unsafe(`CREATE SCHEMA ${schema}`);
  await my.unsafe(`CREATE DATABASE ${schema}`);
});

afterAll(async () => {
  await pg.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await my.unsafe(`DROP DATABASE ${schema}`);
  await pg.close();
  await my.close();
});

/** A PostgreSQL table whose `failOn`-th INSERT statement fails (a sequence counts them: it is not rolled back). */
async function pgFlaky(name: string, failOn: string): Promise<void> {
  await pg.unsafe(`CREATE SEQUENCE ${schema}.${name}_n;
    CREATE TABLE ${schema}.${name} (id int, v text);
    CREATE FUNCTION ${schema}.${name}_f() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('${schema}.${name}_n') ${failOn} THEN RAISE EXCEPTION 'transient failure'; END IF; RETURN NULL; END $$;
    CREATE TRIGGER ${name}_t BEFORE INSERT ON ${schema}.${name} FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.${name}_f()`);
}

/** A MariaDB table whose `failOn`-th inserted row fails (a MyISAM counter: not rolled back). */
async function myFlaky(name: string, failOn: string): Promise<void> {
  await my.unsafe(`CREATE TABLE ${schema}.${name}_n (n int) ENGINE=MyISAM`);
  await my.unsafe(`INSERT INTO ${schema}.${name}_n VALUES (0)`);
  await my.unsafe(`CREATE TABLE ${schema}.${name} (id int, v text)`);
  await my.unsafe(`CREATE TRIGGER ${schema}.${name}_t BEFORE INSERT ON ${schema}.${name} FOR EACH ROW BEGIN
    UPDATE ${schema}.${name}_n SET n = n + 1;
    IF (SELECT n FROM ${schema}.${name}_n) ${failOn} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'transient failure'; END IF;
  END`);
}

const count = async (db: InstanceType<typeof Bun.SQL>, t: string) =>
  Number((await db.unsafe(`SELECT count(*) AS n FROM ${schema}.${t}`))[0].n);

describe("Jdbc sink max_retries on PostgreSQL", () => {
  test("a batch that fails once is rolled back to its savepoint and written again; earlier batches stay", async () => {
    await pgFlaky("once", "= 2");
    const body = `${pgUrl}\n table = "${schema}.once"\n batch_size = 2\n max_retries = 1`;
    expect(await outcome(writeAll(await createSink(jdbcSink, body, [input]), FOUR))).toBeUndefined();
    expect(await pg.unsafe(`SELECT id, v FROM ${schema}.once ORDER BY id`).values()).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
      [4, "d"],
    ]);
  });

  test("without max_retries a failure fails the job and nothing is committed", async () => {
    // Without retries the inserts stream through one COPY: its one statement is the one that fails.
    await pgFlaky("never", "= 1");
    const body = `${pgUrl}\n table = "${schema}.never"\n batch_size = 2`;
    const err = await outcome(writeAll(await createSink(jdbcSink, body, [input]), FOUR));
    expect(err).toContain("transient failure");
    expect(await count(pg, "never")).toBe(0);
  });

  test("when every attempt fails, the error says how many were made", async () => {
    await pgFlaky("always", ">= 2");
    const body = `${pgUrl}\n table = "${schema}.always"\n batch_size = 2\n max_retries = 1`;
    const err = await outcome(writeAll(await createSink(jdbcSink, body, [input]), FOUR));
    expect(err).toMatch(/row 3 \(\+I\): transient failure \(after 2 attempts\)$/);
    expect(await count(pg, "always")).toBe(0);
  });
});

describe("Jdbc sink max_retries on MariaDB", () => {
  test("a batch that fails once is written again; earlier batches stay", async () => {
    await myFlaky("once", "= 3");
    const body = `${myUrl}\n table = "${schema}.once"\n batch_size = 2\n max_retries = 1`;
    expect(await outcome(writeAll(await createSink(jdbcSink, body, [input]), FOUR))).toBeUndefined();
    expect(await my.unsafe(`SELECT id, v FROM ${schema}.once ORDER BY id`).values()).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
      [4, "d"],
    ]);
  });

  test("when every attempt fails, the job fails and nothing is committed", async () => {
    await myFlaky("always", ">= 3");
    const body = `${myUrl}\n table = "${schema}.always"\n batch_size = 2\n max_retries = 1`;
    const err = await outcome(writeAll(await createSink(jdbcSink, body, [input]), FOUR));
    expect(err).toMatch(/rows 3-4: transient failure \(after 2 attempts\)$/);
    expect(await count(my, "always")).toBe(0);
  });

  test("a value the database cannot hold is not retried: it would fail the same way", async () => {
    await my.unsafe(`CREATE TABLE ${schema}.nan (id int, x double)`);
    const t: TableSchema = {
      ...input,
      columns: [input.columns[0]!, { name: "x", type: { kind: "double" }, nullable: true }],
    };
    const body = `${myUrl}\n table = "${schema}.nan"\n max_retries = 2`;
    const err = await outcome(
      writeAll(await createSink(jdbcSink, body, [t]), [
        [{ kind: RowKind.INSERT, table: "t", fields: [1, Number.NaN] }],
      ]),
    );
    // Checked against the column before any statement (fit.ts): no attempt, so no "after n attempts".
    expect(err).toEndWith(
      'row 1 (+I): column "x" value NaN is NaN, which MySQL and MariaDB floating-point columns cannot hold',
    );
  });
});

describe("Jdbc sink compatible_mode = postgresLow", () => {
  const cdc = [
    [row(1, "A"), row(2, "B")],
    [row(1, "A2", RowKind.UPDATE_AFTER), row(2, "B", RowKind.DELETE), row(3, "C")],
  ];

  test("upserts by UPDATE then INSERT, so a key without a unique index works", async () => {
    await pg.unsafe(`CREATE TABLE ${schema}.low (id int, v text); INSERT INTO ${schema}.low VALUES (9, 'Z')`);
    const body = `${pgUrl}\n table = "${schema}.low"\n primary_keys = [id]\n compatible_mode = postgresLow`;
    expect(await outcome(writeAll(await createSink(jdbcSink, body, [input]), cdc))).toBeUndefined();
    expect(await pg.unsafe(`SELECT id, v FROM ${schema}.low ORDER BY id`).values()).toEqual([
      [1, "A2"],
      [3, "C"],
      [9, "Z"],
    ]);
  });

  test("without it the upsert is ON CONFLICT, which needs that index", async () => {
    await pg.unsafe(`CREATE TABLE ${schema}.high (id int, v text); INSERT INTO ${schema}.high VALUES (9, 'Z')`);
    const body = `${pgUrl}\n table = "${schema}.high"\n primary_keys = [id]`;
    expect(await outcome(writeAll(await createSink(jdbcSink, body, [input]), cdc))).toContain("ON CONFLICT");
  });
});
