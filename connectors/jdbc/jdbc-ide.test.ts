import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RowKind, type Row, type TableSchema } from "../../src/api/index.ts";
import { ensurePreparedTransactions, ensureService, MY_URL, PG_URL, uniqueName } from "../../tests/services.ts";
import { createSink, createSource, readAll, writeAll } from "../../src/api/testing.ts";
import { jdbcSink, jdbcSource } from "./index.ts";

/** A database under test: how to reach it, make the mixed-case source table, and look at what the sink made. */
interface Target {
  name: string;
  url: string;
  /** `table` option prefix (schema or database), empty for SQLite. */
  prefix: string;
  srcPath: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** Column names of `table` as the catalog keeps them, in order; [] when no table has exactly that name. */
  columns(table: string): Promise<string[]>;
  /** Rows of `table` ordered by its first column, selected by the given (exact-case) column names. */
  rows(table: string, cols: string[]): Promise<unknown[][]>;
}

const SRC_ROWS = [
  [1, "a", 10],
  [2, "b", 20],
  [3, "c", 30],
];

function pgTarget(): Target {
  const schema = uniqueName("jdbc_ide");
  let sql: InstanceType<typeof Bun.SQL>;
  return {
    name: "PostgreSQL",
    url: `url = "jdbc:postgresql://127.0.0.1:5432/test"\n user = root\n driver = org.postgresql.Driver`,
    prefix: `${schema}.`,
    srcPath: `test.${schema}.Src`,
    async setup() {
      await ensureService("postgres");
      sql = new Bun.SQL(PG_URL, { max: 1 });
      await sql.unsafe(`CREATE SCHEMA ${schema};
        CREATE TABLE ${schema}."Src" ("UserId" int PRIMARY KEY, "userName" varchar(20), "ALLCAPS" int);
        INSERT INTO ${schema}."Src" VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)`);
    },
    async teardown() {
      await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await sql.close();
    },
    columns: async (t) =>
      (
        await sql.unsafe(
          `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = '${t}' ORDER BY ordinal_position`,
        )
      ).map((r: { c: string }) => r.c),
    rows: async (t, cols) =>
      await sql.unsafe(`SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM ${schema}."${t}" ORDER BY 1`).values(),
  };
}

function myTarget(): Target {
  const db = uniqueName("jdbc_ide");
  let my: InstanceType<typeof Bun.SQL>;
  return {
    name: "MariaDB",
    url: `url = "jdbc:mysql://127.0.0.1:3306/${db}"\n user = root\n password = ""\n driver = com.mysql.cj.jdbc.Driver`,
    prefix: `${db}.`,
    srcPath: `${db}.Src`,
    async setup() {
      await ensureService("mariadb");
      my = new Bun.SQL(MY_URL, { max: 1 });
      await my.unsafe(`CREATE DATABASE ${db}`);
      await my.unsafe(`CREATE TABLE ${db}.Src (UserId int PRIMARY KEY, userName varchar(20), ALLCAPS int)`);
      await my.unsafe(`INSERT INTO ${db}.Src VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)`);
    },
    async teardown() {
      await my.unsafe(`DROP DATABASE ${db}`);
      await my.close();
    },
    columns: async (t) =>
      (
        await my.unsafe(
          `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db}' AND BINARY TABLE_NAME = '${t}' ORDER BY ORDINAL_POSITION`,
        )
      ).map((r: { c: string }) => r.c),
    rows: async (t, cols) =>
      await my.unsafe(`SELECT ${cols.map((c) => `\`${c}\``).join(", ")} FROM ${db}.\`${t}\` ORDER BY 1`).values(),
  };
}

function liteTarget(): Target {
  const file = join(tmpdir(), `${uniqueName("jdbc_ide")}.db`);
  const open = <T>(f: (d: Database) => T): T => {
    const d = new Database(file);
    try {
      return f(d);
    } finally {
      d.close();
    }
  };
  return {
    name: "SQLite",
    url: `url = "jdbc:sqlite:${file}"\n driver = org.sqlite.JDBC`,
    prefix: "",
    srcPath: "Src",
    setup: async () =>
      open((d) => {
        d.run(`CREATE TABLE "Src" ("UserId" INTEGER PRIMARY KEY, "userName" VARCHAR(20), "ALLCAPS" INTEGER)`);
        d.run(`INSERT INTO "Src" VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)`);
      }),
    teardown: async () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        rmSync(f, { force: true });
      }
    },
    columns: async (t) =>
      open((d) => {
        const exact = d.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").all(t);
        return exact.length
          ? (d.query(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((r) => r.name)
          : [];
      }),
    rows: async (t, cols) =>
      open((d) => d.query(`SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM "${t}" ORDER BY 1`).values()),
  };
}

const CASES = [
  { ide: undefined, table: "Copy_N", made: "Copy_N", cols: ["UserId", "userName", "ALLCAPS"] },
  { ide: "ORIGINAL", table: "Copy_O", made: "Copy_O", cols: ["UserId", "userName", "ALLCAPS"] },
  { ide: "uppercase", table: "Copy_U", made: "COPY_U", cols: ["USERID", "USERNAME", "ALLCAPS"] },
  { ide: "LOWERCASE", table: "Copy_L", made: "copy_l", cols: ["userid", "username", "allcaps"] },
] as const;

for (const make of [pgTarget, myTarget, liteTarget]) {
  const t = make();
  describe(`Jdbc sink field_ide on ${t.name}`, () => {
    let input: TableSchema[];
    let rows: Row[];
    beforeAll(async () => {
      await t.setup();
      const source = await createSource(jdbcSource, `${t.url}\n table_path = "${t.srcPath}"`);
      input = source.tables;
      rows = await readAll(source);
      await source.close?.();
    });
    afterAll(() => t.teardown());

    for (const c of CASES) {
      test(`field_ide = ${c.ide ?? "(absent)"} creates "${c.made}" (${c.cols.join(", ")}), copies, upserts, deletes and truncates through those names`, async () => {
        const body = `${t.url}\n generate_sink_sql = true\n table = "${t.prefix}${c.table}"${c.ide ? `\n field_ide = ${c.ide}` : ""}`;
        const first = await createSink(jdbcSink, body, input);
        await writeAll(first, [rows]);
        await first.close?.();
        expect(await t.columns(c.made)).toEqual([...c.cols]);
        expect(await t.rows(c.made, [...c.cols])).toEqual(SRC_ROWS);
        // Again with DROP_DATA (truncate), then CDC changes: an upsert of a new value and a delete by key.
        const again = await createSink(jdbcSink, `${body}\n data_save_mode = DROP_DATA\n batch_size = 3`, input);
        const id = input[0]!.id;
        await writeAll(again, [
          [...rows],
          [
            { kind: RowKind.UPDATE_AFTER, table: id, fields: [1, "a2", 11] },
            { kind: RowKind.DELETE, table: id, fields: [2, "b", 20] },
          ],
        ]);
        await again.close?.();
        expect(await t.rows(c.made, [...c.cols])).toEqual([
          [1, "a2", 11],
          [3, "c", 30],
        ]);
      });
    }
  });
}

describe("Jdbc sink field_ide with exactly-once", () => {
  for (const make of [pgTarget, myTarget]) {
    const t = make();
    test(`${t.name}: the prepared transaction writes through the converted names`, async () => {
      if (t.name === "PostgreSQL") {
        await ensurePreparedTransactions();
      }
      await t.setup();
      try {
        const source = await createSource(jdbcSource, `${t.url}\n table_path = "${t.srcPath}"`);
        const rows = await readAll(source);
        await source.close?.();
        const sink = await createSink(
          jdbcSink,
          `${t.url}\n generate_sink_sql = true\n table = "${t.prefix}Xa_Copy"\n field_ide = UPPERCASE\n is_exactly_once = true`,
          source.tables,
          { jobId: uniqueName("job") },
        );
        await writeAll(sink, [rows]);
        await sink.close?.();
        expect(await t.columns("XA_COPY")).toEqual(["USERID", "USERNAME", "ALLCAPS"]);
        expect(await t.rows("XA_COPY", ["USERID", "USERNAME", "ALLCAPS"])).toEqual(SRC_ROWS);
      } finally {
        await t.teardown();
      }
    });
  }
});
