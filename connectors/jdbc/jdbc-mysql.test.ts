import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Decimal, LocalDate, type LocalDateTime, type LocalTime, RowKind, type Row } from "../../src/api/index.ts";
import { ensureService, MY_URL, PG_URL, uniqueName } from "../../tests/services.ts";
import { createSink, createSource, readAll, writeAll } from "../../src/api/testing.ts";
import { jdbcSink, jdbcSource } from "./index.ts";

const db = uniqueName("jdbc_my");
const url = `url = "jdbc:mysql://127.0.0.1:3306/${db}"\n user = root\n password = ""\n driver = com.mysql.cj.jdbc.Driver`;
let my: InstanceType<typeof Bun.SQL>;
let pg: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("mariadb");
  await ensureService("postgres");
  my = new Bun.SQL(MY_URL, { max: 1 });
  pg = new Bun.SQL(PG_URL, { max: 1 });
  await my.unsafe(`CREATE DATABASE ${db}`);
  await my.unsafe(`CREATE TABLE ${db}.src (id BIGINT UNSIGNED PRIMARY KEY, b1 BIT(1), b8 BIT(8), flag TINYINT(1), t TINYINT, tu TINYINT UNSIGNED, su SMALLINT UNSIGNED,
    iu INT UNSIGNED, d DECIMAL(30,10), du DECIMAL(10,2) UNSIGNED, f FLOAT, y YEAR, dt DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(6), day DATE, j JSON, blb BLOB, vb VARBINARY(10), name VARCHAR(20) COMMENT 'the name')`);
  await my.unsafe(`INSERT INTO ${db}.src VALUES (18446744073709551615, b'1', b'10100101', 1, -128, 255, 65535, 4294967295, 12345678901234567890.0123456789, 99999999.99, 1.5, 2024,
    '2024-02-29 23:59:59.123456', '2024-01-01 10:00:00.123', '23:59:59.000001', '2024-12-31', '{"k": [1, 2]}', X'00FF', X'0102', 'it''s\\ttab'),
    (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(async () => {
  await my.unsafe(`DROP DATABASE ${db}`);
  await pg.unsafe(`DROP TABLE IF EXISTS public.${db}_copy`);
  await my.close();
  await pg.close();
});

describe("Jdbc source on MariaDB", () => {
  test("maps unsigned, bit, year and decimal types as SeaTunnel does and keeps values exact", async () => {
    const source = await createSource(jdbcSource, `${url}\n table_path = "${db}.src"`);
    const kinds = source.tables[0]!.columns.map((c) =>
      c.type.kind === "decimal" ? `decimal(${c.type.precision},${c.type.scale})` : c.type.kind,
    );
    expect(kinds).toEqual([
      "decimal(20,0)",
      "boolean",
      "bytes",
      "boolean",
      "tinyint",
      "smallint",
      "int",
      "bigint",
      "decimal(30,10)",
      "decimal(11,2)",
      "float",
      "int",
      "timestamp",
      "timestamp",
      "time",
      "date",
      "string",
      "bytes",
      "bytes",
      "string",
    ]);
    const rows = await readAll(source);
    await source.close?.();
    const f = rows.find((r) => (r.fields[0] as Decimal).unscaled > 1n)!.fields;
    expect((f[0] as Decimal).toString()).toBe("18446744073709551615");
    expect(f.slice(1, 8)).toEqual([true, new Uint8Array([0xa5]), true, -128, 255, 65535, 4294967295n]);
    expect((f[8] as Decimal).toString()).toBe("12345678901234567890.0123456789");
    expect(f[10]).toBe(1.5);
    expect(f[11]).toBe(2024);
    expect((f[12] as LocalDateTime).toString()).toBe("2024-02-29T23:59:59.123456");
    expect((f[13] as LocalDateTime).toString()).toBe("2024-01-01T10:00:00.123");
    expect(f[15]).toEqual(new LocalDate(2024, 12, 31));
    expect(f[16]).toBe('{"k": [1, 2]}');
    expect([...(f[17] as Uint8Array)]).toEqual([0, 255]);
    expect(f[19]).toBe("it's\ttab");
    expect(source.tables[0]!.columns[19]!.comment).toBe("the name");
    const empty = rows.find((r) => (r.fields[0] as Decimal).unscaled === 1n)!;
    expect(empty.fields.slice(1).every((x) => x === null)).toBe(true);
    expect((f[14] as LocalTime).toString()).toBe("23:59:59.000001");
  });

  test("copies a table into PostgreSQL, creating it there from the MariaDB schema", async () => {
    await my.unsafe(`CREATE TABLE ${db}.many (id INT PRIMARY KEY, amount DECIMAL(12,2), at DATETIME(6), note TEXT)`);
    await my.unsafe(
      `INSERT INTO ${db}.many SELECT seq, seq / 100, '2024-01-01 00:00:00.000001' + INTERVAL seq SECOND, CONCAT('n,"', seq) FROM seq_1_to_3000`,
    );
    const source = await createSource(jdbcSource, `${url}\n table_path = "${db}.many"\n split.size = 500`);
    const rows = await readAll(source, 2);
    const sink = await createSink(
      jdbcSink,
      `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n generate_sink_sql = true\n database = test\n table = "public.${db}_copy"`,
      source.tables,
    );
    await writeAll(sink, [rows]);
    await sink.close?.();
    await source.close?.();
    const got = await pg.unsafe(
      `SELECT count(*)::int AS n, sum(amount)::text AS s, max(at)::text AS m, min(note) AS note FROM public.${db}_copy`,
    );
    expect(got[0]).toEqual({ n: 3000, s: "45015.00", m: "2024-01-01 00:50:00.000001", note: 'n,"1' });
  });
});

describe("Jdbc sink on MariaDB", () => {
  test("upserts by primary key and deletes CDC rows", async () => {
    await my.unsafe(`CREATE TABLE ${db}.cdc (pk BIGINT PRIMARY KEY, name VARCHAR(20))`);
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [
        { name: "pk", type: { kind: "bigint" }, nullable: false },
        { name: "name", type: { kind: "string" }, nullable: true },
      ],
    };
    const r = (kind: RowKind, f: unknown[]): Row => ({ kind, table: "t", fields: f });
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = ${db}\n table = cdc\n primary_keys = [pk]`,
      [table as never],
    );
    await writeAll(sink, [
      [
        r(RowKind.INSERT, [1n, "a"]),
        r(RowKind.INSERT, [2n, "b"]),
        r(RowKind.UPDATE_AFTER, [1n, "a2"]),
        r(RowKind.DELETE, [2n, "b"]),
        r(RowKind.INSERT, [3n, "c"]),
      ],
    ]);
    await sink.close?.();
    expect(await my.unsafe(`SELECT pk, name FROM ${db}.cdc ORDER BY pk`).values()).toEqual([
      [1, "a2"],
      [3, "c"],
    ]);
  });

  test("a bad value fails with the row ordinal and nothing is committed", async () => {
    await my.unsafe(`CREATE TABLE ${db}.strict (v TINYINT NOT NULL)`);
    await my.unsafe(`SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, '')`);
    const table = { id: "t", path: { table: "t" }, columns: [{ name: "v", type: { kind: "int" }, nullable: true }] };
    const sink = await createSink(jdbcSink, `${url}\n generate_sink_sql = true\n database = ${db}\n table = strict`, [
      table as never,
    ]);
    const rows: Row[] = [1, 2, 1000, 4].map((v) => ({ kind: RowKind.INSERT, table: "t", fields: [v] }));
    const err = await writeAll(sink, [rows]).then(
      () => undefined,
      (e: Error) => e,
    );
    await sink.close?.();
    expect(err?.message).toContain(`table "${db}.strict"`);
    expect(err?.message).toMatch(/row 3 \(\+I\): Out of range value/);
    expect((await my.unsafe(`SELECT count(*) AS n FROM ${db}.strict`))[0].n).toBe(0);
  });

  test("is_exactly_once uses XA: rows appear only after commit()", async () => {
    await my.unsafe(`CREATE TABLE ${db}.xa (id BIGINT)`);
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [{ name: "id", type: { kind: "bigint" }, nullable: true }],
    };
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n database = ${db}\n table = xa\n is_exactly_once = true`,
      [table as never],
      { jobId: uniqueName("j") },
    );
    const infos = await writeAll(sink, [[{ kind: RowKind.INSERT, table: "t", fields: [7n] }]], { commit: false });
    expect((await my.unsafe(`SELECT count(*) AS n FROM ${db}.xa`))[0].n).toBe(0);
    await sink.commit?.(infos);
    await sink.commit?.(infos);
    await sink.close?.();
    expect((await my.unsafe(`SELECT count(*) AS n FROM ${db}.xa`))[0].n).toBe(1);
  });
});
