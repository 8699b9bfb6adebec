import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Decimal, LocalDate, type LocalDateTime, type LocalTime, RowKind, type Row } from "../../src/api/index.ts";
import { ensurePreparedTransactions, ensureService, PG_URL, uniqueName } from "../../tests/services.ts";
import {
  createSink,
  createSource,
  readAll,
  recordingLogger,
  sinkConformance,
  writeAll,
} from "../../src/api/testing.ts";
import { jdbcSink, jdbcSource } from "./index.ts";

const schema = uniqueName("jdbc_pg");
const url = `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n driver = org.postgresql.Driver`;
let sql: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.src (id bigint PRIMARY KEY, amount numeric(12,2), big numeric(38,10), i2 int2, i4 int4, f4 float4, f8 float8, ok bool,
      ts timestamp(6), tstz timestamptz, d date, t time(6), b bytea, j jsonb, ja json, ints int4[], texts text[], u uuid, name varchar(20), note text);
    INSERT INTO ${schema}.src VALUES
      (9007199254740993, 12345678.90, 12345678901234567890.0123456789, -32768, 2147483647, 1.5, 3.141592653589793, true,
       '2024-02-29 23:59:59.123456', '2024-01-01 12:00:00+02', '0001-01-01', '13:14:15.000001', '\\x00ff10', '{"a": [1, 2]}', '{"b":1}',
       '{1,NULL,3}', '{"a b","c,d",NULL,"q\\"t"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'tab\there', E'line1\\nline2 \\\\ back'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO ${schema}.src (id, amount) SELECT g, g / 100.0 FROM generate_series(10, 5009) g;`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

describe("Jdbc source on PostgreSQL", () => {
  test("reads every type exactly: numeric scale, bigint, microsecond timestamps, bytea, json, arrays", async () => {
    const source = await createSource(
      jdbcSource,
      `${url}\n query = "select * from ${schema}.src where id < 10 or id > 100000 order by id desc"`,
    );
    expect(source.tables[0]!.columns.map((c) => `${c.name}:${c.type.kind}`).slice(0, 4)).toEqual([
      "id:bigint",
      "amount:decimal",
      "big:decimal",
      "i2:smallint",
    ]);
    const rows = await readAll(source);
    await source.close?.();
    expect(rows.length).toBe(2);
    const f = rows[0]!.fields;
    expect(f[0]).toBe(9007199254740993n);
    expect(f[1]).toEqual(new Decimal(1234567890n, 2));
    expect((f[2] as Decimal).toString()).toBe("12345678901234567890.0123456789");
    expect(f.slice(3, 8)).toEqual([-32768, 2147483647, 1.5, Math.PI, true]);
    expect((f[8] as LocalDateTime).toString()).toBe("2024-02-29T23:59:59.123456");
    expect((f[9] as LocalDateTime).toString()).toBe("2024-01-01T10:00");
    expect(f[10]).toEqual(new LocalDate(1, 1, 1));
    expect((f[11] as LocalTime).toString()).toBe("13:14:15.000001");
    expect([...(f[12] as Uint8Array)]).toEqual([0, 255, 16]);
    expect(f[13]).toBe('{"a": [1, 2]}');
    expect(f[14]).toBe('{"b":1}');
    expect(f[15]).toEqual([1, null, 3]);
    expect(f[16]).toEqual(["a b", "c,d", null, 'q"t']);
    expect(f.slice(17)).toEqual(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "tab\there", "line1\nline2 \\ back"]);
    expect(rows[1]!.fields.slice(1).every((x) => x === null)).toBe(true);
  });

  test("splits a table_path by its key into split.size chunks and reads every row once with parallelism 3", async () => {
    const source = await createSource(jdbcSource, `${url}\n table_path = "test.${schema}.src"\n split.size = 1000`, {
      parallelism: 3,
    });
    const splits = await source.splits(3);
    expect(splits.flat().length).toBeGreaterThan(4);
    const rows = await readAll(source, 3);
    await source.close?.();
    const ids = rows.map((r) => r.fields[0] as bigint).sort((a, b) => (a < b ? -1 : 1));
    expect(ids.length).toBe(5002);
    expect(new Set(ids).size).toBe(5002);
    expect(rows[0]!.table).toBe(`test.${schema}.src`);
  });

  test("partition_column with bounds reads only the rows inside them", async () => {
    const source = await createSource(
      jdbcSource,
      `${url}\n query = "select id from ${schema}.src"\n partition_column = id\n partition_lower_bound = 100\n partition_upper_bound = 199\n partition_num = 4`,
    );
    const rows = await readAll(source, 2);
    await source.close?.();
    expect(rows.length).toBe(100);
  });
});

describe("Jdbc sink on PostgreSQL: table creation and CDC", () => {
  test("creates the table from the source schema and copies rows that compare equal", async () => {
    const source = await createSource(jdbcSource, `${url}\n table_path = "${schema}.src"`);
    const rows = await readAll(source);
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.copy"`,
      source.tables,
    );
    await writeAll(sink, [rows.slice(0, 3000), rows.slice(3000)]);
    await sink.close?.();
    await source.close?.();
    // Same kind of database: every column keeps its declared type, so rows compare as text.
    const src = `SELECT s::text AS r FROM ${schema}.src s`;
    const copy = `SELECT c::text AS r FROM ${schema}.copy c`;
    const diff = await sql.unsafe(
      `SELECT count(*)::int AS n FROM ((${src} EXCEPT ${copy}) UNION ALL (${copy} EXCEPT ${src})) x`,
    );
    expect(diff[0].n).toBe(0);
    const types = (t: string) =>
      sql.unsafe(
        `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = '${schema}.${t}'::regclass AND attnum > 0 ORDER BY attnum`,
      );
    expect(await types("copy")).toEqual(await types("src"));
  });

  test("applies CDC row kinds by primary key: upsert, update, delete", async () => {
    await sql.unsafe(`CREATE TABLE ${schema}.cdc (pk bigint PRIMARY KEY, name varchar(20), score int)`);
    const table = {
      id: "fake",
      path: { table: "fake" },
      columns: [
        { name: "pk", type: { kind: "bigint" }, nullable: false },
        { name: "name", type: { kind: "string" }, nullable: true },
        { name: "score", type: { kind: "int" }, nullable: true },
      ],
    } as const;
    const r = (kind: RowKind, f: unknown[]): Row => ({ kind, table: "fake", fields: f });
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.cdc"\n primary_keys = [pk]\n batch_size = 2`,
      [structuredClone(table) as never],
    );
    await writeAll(sink, [
      [r(RowKind.INSERT, [1n, "A", 100]), r(RowKind.INSERT, [2n, "B", 100]), r(RowKind.INSERT, [3n, "C", 100])],
      [
        r(RowKind.UPDATE_BEFORE, [1n, "A", 100]),
        r(RowKind.UPDATE_AFTER, [1n, "A_1", 100]),
        r(RowKind.DELETE, [2n, "B", 100]),
      ],
    ]);
    await sink.close?.();
    expect(await sql.unsafe(`SELECT pk::int, name, score FROM ${schema}.cdc ORDER BY pk`).values()).toEqual([
      [1, "A_1", 100],
      [3, "C", 100],
    ]);
  });
});

describe("Jdbc sink on PostgreSQL: errors", () => {
  test("a constraint violation fails with the table, the row's ordinal and key, and commits nothing", async () => {
    await sql.unsafe(`CREATE TABLE ${schema}.strict (id bigint PRIMARY KEY, v int NOT NULL)`);
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [
        { name: "id", type: { kind: "bigint" }, nullable: false },
        { name: "v", type: { kind: "int" }, nullable: true },
      ],
    };
    const rows: Row[] = [1n, 2n, 3n].map((id) => ({
      kind: RowKind.INSERT,
      table: "t",
      fields: [id, id === 3n ? null : 1],
    }));
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.strict"\n primary_keys = [id]`,
      [table as never],
    );
    const err = await writeAll(sink, [rows]).then(
      () => undefined,
      (e: Error) => e,
    );
    await sink.close?.();
    expect(err?.message).toContain(`table "test.${schema}.strict"`);
    expect(err?.message).toContain("row 3 (+I key (id)=(3))");
    expect(err?.message).toContain("null value");
    expect((await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.strict`))[0].n).toBe(0);
  });

  test("COPY reports the failing line as the row ordinal", async () => {
    await sql.unsafe(`CREATE TABLE ${schema}.nokey (v int CHECK (v < 5))`);
    const table = { id: "t", path: { table: "t" }, columns: [{ name: "v", type: { kind: "int" }, nullable: true }] };
    const rows: Row[] = [1, 2, 7, 3].map((v) => ({ kind: RowKind.INSERT, table: "t", fields: [v] }));
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.nokey"`,
      [table as never],
    );
    const err = await writeAll(sink, [rows]).then(
      () => undefined,
      (e: Error) => e,
    );
    await sink.close?.();
    expect(err?.message).toMatch(/row 3 \(\+I\).*check constraint/);
  });
});

describe("Jdbc sink on PostgreSQL: exactly once", () => {
  test("is_exactly_once prepares a transaction that only commit() makes visible, and commit is idempotent", async () => {
    await ensurePreparedTransactions();
    await sql.unsafe(`CREATE TABLE ${schema}.xa (id bigint)`);
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [{ name: "id", type: { kind: "bigint" }, nullable: true }],
    };
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.xa"\n is_exactly_once = true`,
      [table as never],
      { jobId: uniqueName("job") },
    );
    const infos = await writeAll(sink, [[{ kind: RowKind.INSERT, table: "t", fields: [1n] }]], { commit: false });
    expect(infos.length).toBe(1);
    expect((await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.xa`))[0].n).toBe(0);
    await sink.commit?.(infos);
    await sink.commit?.(infos);
    await sink.close?.();
    expect((await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.xa`))[0].n).toBe(1);
  });

  test("is_exactly_once keeps the two-phase-commit contract of the test kit", async () => {
    await ensurePreparedTransactions();
    await sql.unsafe(`CREATE TABLE ${schema}.xa_kit (id bigint)`);
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [{ name: "id", type: { kind: "bigint" }, nullable: true }],
    };
    const jobId = uniqueName("job");
    const row = (id: bigint): Row => ({ kind: RowKind.INSERT, table: "t", fields: [id] });
    await sinkConformance({
      make: () =>
        createSink(
          jdbcSink,
          `${url}\n generate_sink_sql = true\n database = test\n table = "${schema}.xa_kit"\n is_exactly_once = true`,
          [table as never],
          { jobId },
        ),
      batches: [[row(1n), row(2n)], [row(3n)]],
      count: async () => (await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.xa_kit`))[0].n,
    });
    const left = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_prepared_xacts WHERE gid LIKE 'st-${jobId}-%'`);
    expect(left[0].n).toBe(0);
  });
});

describe("Jdbc source on PostgreSQL: time with time zone", () => {
  test("is read as TIME, and the source says before any row moves that its offset is kept only by an untouched copy", async () => {
    await sql.unsafe(`CREATE TABLE ${schema}.tz (id int PRIMARY KEY, t timetz, t3 time(3) with time zone);
      INSERT INTO ${schema}.tz VALUES (1, '12:34:56.123456+05:30', '00:00:00-14')`);
    for (const from of [`table_path = "test.${schema}.tz"`, `query = "select * from ${schema}.tz"`]) {
      const log = recordingLogger();
      const source = await createSource(jdbcSource, `${url}\n ${from}`, { log });
      expect(source.tables[0]!.columns.map((c) => c.type.kind)).toEqual(["int", "time", "time"]);
      expect(log.messages.filter((m) => m.includes("time with time zone"))).toEqual([
        expect.stringContaining("t, t3 are time with time zone, read as TIME"),
      ]);
      await source.close?.();
    }
  });
});
