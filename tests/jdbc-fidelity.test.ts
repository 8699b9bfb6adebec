/**
 * Values and types through Jdbc copies, run through the binary against the real PostgreSQL, MariaDB
 * and a SQLite file: a copy between two databases of the same kind, with the sink creating the
 * table, keeps each column's declared type (SeaTunnel keeps the source's column type then) and
 * every value; across kinds nothing is narrowed or dropped without a word.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";

const dir = mkdtempSync(join(tmpdir(), "st-same-kind-"));

async function copy(source: string, sink: string): Promise<{ code: number; stderr: string }> {
  const conf = join(dir, `${uniqueName("copy")}.conf`);
  writeFileSync(
    conf,
    `env { parallelism = 1, job.mode = "BATCH", job.retry.times = 0 }\nsource { Jdbc {\n${source}\n} }\nsink { Jdbc {\n${sink}\n} }\n`,
  );
  const r = await runBin(["run", conf, "--no-progress"]);
  return { code: r.code, stderr: r.stderr };
}

describe("PostgreSQL to PostgreSQL", () => {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  const src = uniqueName("kind_src");
  const dst = uniqueName("kind_dst");
  const url = `url = "jdbc:postgresql://127.0.0.1:5432/test"\ndriver = "org.postgresql.Driver"\nuser = root`;
  beforeAll(() => ensureService("postgres"));
  afterAll(async () => {
    await sql.unsafe(`DROP TABLE IF EXISTS public.${src}, public.${dst}`);
    await sql.close();
  });

  test("the created table has the source's declared types and the same rows", async () => {
    await sql.unsafe(`CREATE TABLE public.${src} (id int PRIMARY KEY, c84 character(84), v50 varchar(50),
      n numeric(10,2), tz timestamptz, t3 time(3), ts timestamp, u uuid, j jsonb, b bytea, arr int[], d date,
      f8 float8, bo bool)`);
    await sql.unsafe(`INSERT INTO public.${src} VALUES
      (1, ' a ', 'hello', 12.30, '2020-11-17 12:58:07.976+02', '12:00:01.123', '2020-01-01 00:01:00.123456',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": [1, 2]}', '\\xdeadbeef', '{1,2,3}', '2024-02-29', 'NaN', true),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-Infinity', NULL)`);
    const r = await copy(
      `${url}\ntable_path = "test.public.${src}"`,
      `${url}\ngenerate_sink_sql = true\ndatabase = test\ntable = "public.${dst}"`,
    );
    expect(r).toEqual({ code: 0, stderr: "" });
    const types = async (t: string) =>
      (await sql.unsafe(
        `SELECT attname, format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'public.${t}'::regclass AND attnum > 0 ORDER BY attnum`,
      )) as { attname: string; t: string }[];
    expect(await types(dst)).toEqual(await types(src));
    expect((await types(dst)).map((c) => c.t)).toContain("character(84)");
    const diff = await sql.unsafe(
      `SELECT count(*)::int AS n FROM ((TABLE public.${src} EXCEPT ALL TABLE public.${dst}) UNION ALL (TABLE public.${dst} EXCEPT ALL TABLE public.${src})) x`,
    );
    expect(diff[0].n).toBe(0);
  });
});

describe("MariaDB to MariaDB", () => {
  const sql = new Bun.SQL(MY_URL, { max: 1 });
  const src = uniqueName("kind_src");
  const dst = uniqueName("kind_dst");
  const url = `url = "jdbc:mysql://127.0.0.1:3306/test"\ndriver = "com.mysql.cj.jdbc.Driver"\nuser = root\npassword = ""`;
  const columns = ["id", "c84", "v50", "n", "u", "dt", "t3", "ts", "b", "bl", "tx", "d", "f8", "bo", "e", "bi", "y"];
  beforeAll(() => ensureService("mariadb"));
  afterAll(async () => {
    await sql.unsafe(`DROP TABLE IF EXISTS test.${src}, test.${dst}`);
    await sql.close();
  });

  test("the created table has the source's declared types and the same rows", async () => {
    await sql.unsafe(`CREATE TABLE test.${src} (id int PRIMARY KEY, c84 char(84), v50 varchar(50), n decimal(10,2),
      u decimal(20,0) unsigned, dt datetime(6), t3 time(3), ts timestamp(3) NULL, b varbinary(100), bl blob, tx text,
      d date, f8 double, bo tinyint(1), e enum('a','b'), bi bigint unsigned, y year)`);
    await sql.unsafe(`INSERT INTO test.${src} VALUES
      (1, 'a', 'hello ', 12.30, 18446744073709551615, '2020-01-01 00:01:00.123456', '12:00:01.123',
       '2020-11-17 12:58:07.976', x'deadbeef', x'00ff', 'x', '2024-02-29', 1.5, 1, 'b', 18446744073709551615, 2024),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
    const r = await copy(
      `${url}\ntable_path = "test.${src}"`,
      `${url}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${dst}"`,
    );
    expect(r).toEqual({ code: 0, stderr: "" });
    const types = async (t: string) =>
      (await sql.unsafe(
        `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = '${t}' ORDER BY ORDINAL_POSITION`,
      )) as { c: string; t: string }[];
    // SeaTunnel creates a TIMESTAMP(n) as DATETIME(n) (MysqlCreateTableSqlBuilder reconverts time types).
    const want = (await types(src)).map((c) => (c.c === "ts" ? { ...c, t: "datetime(3)" } : c));
    expect(await types(dst)).toEqual(want);
    const same = columns.map((c) => `s.${c} <=> d.${c}`).join(" AND ");
    const n = await sql.unsafe(`SELECT count(*) AS n FROM test.${src} s JOIN test.${dst} d ON ${same}`);
    expect(Number(n[0].n)).toBe(2);
  });
});

describe("SQLite to SQLite", () => {
  const file = join(dir, "same-kind.db");
  const url = `url = "jdbc:sqlite:${file}"\ndriver = "org.sqlite.JDBC"`;

  test("the created table has the source's declared types and the same rows", async () => {
    const db = new Database(file);
    db.run("CREATE TABLE src (id INTEGER PRIMARY KEY, v VARCHAR(50), d DATE, ts DATETIME, b BLOB, r REAL, t TEXT)");
    db.run("INSERT INTO src VALUES (1, 'hello', '2024-02-29', '2020-01-01 00:01:00', x'0102', 1.5, ' x ')");
    db.close();
    const r = await copy(`${url}\ntable_path = "src"`, `${url}\ngenerate_sink_sql = true\ntable = "dst"`);
    expect(r).toEqual({ code: 0, stderr: "" });
    const check = new Database(file);
    const declared = (t: string) =>
      (check.query(`PRAGMA table_info(${t})`).all() as { name: string; type: string }[]).map(
        (c) => `${c.name} ${c.type}`,
      );
    expect(declared("dst")).toEqual(declared("src"));
    expect(check.query("SELECT * FROM dst").all()).toEqual(check.query("SELECT * FROM src").all());
    check.close();
  });

  test("a NUMERIC value with a fraction fails the job instead of losing it (SeaTunnel reads NUMERIC as BIGINT)", async () => {
    const db = new Database(file);
    db.run("CREATE TABLE nsrc (id INTEGER PRIMARY KEY, n NUMERIC(10,2))");
    db.run("INSERT INTO nsrc VALUES (1, 12.3)");
    db.close();
    const r = await copy(`${url}\ntable_path = "nsrc"`, `${url}\ngenerate_sink_sql = true\ntable = "ndst"`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`column "n" value "12.3": 12.3 is not an integer: SQLite's NUMERIC is read as BIGINT`);
  });
});

describe("PostgreSQL to MariaDB: nothing narrowed silently", () => {
  const pg = new Bun.SQL(PG_URL, { max: 1 });
  const my = new Bun.SQL(MY_URL, { max: 1 });
  const src = uniqueName("cross_src");
  const dst = uniqueName("cross_dst");
  const source = `url = "jdbc:postgresql://127.0.0.1:5432/test"\ndriver = "org.postgresql.Driver"\nuser = root\ntable_path = "test.public.${src}"`;
  const sink = `url = "jdbc:mysql://127.0.0.1:3306/test"\ndriver = "com.mysql.cj.jdbc.Driver"\nuser = root\npassword = ""
generate_sink_sql = true\ndatabase = test\ntable = "${dst}"\nschema_save_mode = "RECREATE_SCHEMA"`;
  beforeAll(async () => {
    await ensureService("postgres");
    await ensureService("mariadb");
    await pg.unsafe(`CREATE TABLE public.${src} (id int PRIMARY KEY, f8 float8, ts timestamp, t time, b bytea)`);
  });
  afterAll(async () => {
    await pg.unsafe(`DROP TABLE IF EXISTS public.${src}`);
    await my.unsafe(`DROP TABLE IF EXISTS test.${dst}`);
    await pg.close();
    await my.close();
  });

  test("timestamps without a declared precision keep their microseconds, and unbounded bytea takes 40 KB", async () => {
    await pg.unsafe(`INSERT INTO public.${src} VALUES (1, 1.5, '2020-01-01 00:01:00.123456', '00:01:00.654321',
      decode(repeat('ab', 40000), 'hex'))`);
    const r = await copy(source, sink);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"f8" double precision → DOUBLE cannot hold NaN, ±Infinity or -0: rows with them fail');
    const rows = await my.unsafe(
      `SELECT CAST(ts AS CHAR) AS ts, CAST(t AS CHAR) AS t, length(b) AS n FROM test.${dst} WHERE id = 1`,
    );
    expect(rows[0]).toEqual({ ts: "2020-01-01 00:01:00.123456", t: "00:01:00.654321", n: 40000 });
  });

  test("a NaN fails the job and names its row, instead of arriving as NULL", async () => {
    await pg.unsafe(`INSERT INTO public.${src} VALUES (2, 'NaN', NULL, NULL, NULL)`);
    const r = await copy(source, sink);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'row 2 (+I key (id)=(2)): column "f8" value NaN is NaN, which MySQL and MariaDB floating-point columns cannot hold',
    );
  });
});
