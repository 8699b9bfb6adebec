import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, RowKind, type Row } from "../../src/api/index.ts";
import { uniqueName } from "../../tests/services.ts";
import { createSink, createSource, readAll, writeAll } from "../../src/api/testing.ts";
import { jdbcSink, jdbcSource } from "./index.ts";

const file = join(tmpdir(), `${uniqueName("jdbc_sqlite")}.db`);
const url = `url = "jdbc:sqlite:${file}"\n driver = org.sqlite.JDBC`;

afterAll(() => {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    rmSync(f, { force: true });
  }
});

describe("Jdbc on SQLite: reading, writing and upserts", () => {
  test("reads a table with SeaTunnel's SQLite types and writes it back through a created table", async () => {
    const db = new Database(file);
    db.run(
      "CREATE TABLE src (id INTEGER PRIMARY KEY, flag BOOLEAN, big BIGINT, amount DOUBLE, name VARCHAR(10), data BLOB)",
    );
    const ins = db.prepare("INSERT INTO src VALUES (?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      for (let i = 1; i <= 2500; i++) {
        ins.run(i, i % 2, 9007199254740993n + BigInt(i), i / 4, `n${i}`, new Uint8Array([i % 256]));
      }
    })();
    db.close();
    const source = await createSource(jdbcSource, `${url}\n table_path = "src"\n split.size = 1000`);
    expect(source.tables[0]!.columns.map((c) => c.type.kind)).toEqual([
      "int",
      "boolean",
      "bigint",
      "double",
      "string",
      "bytes",
    ]);
    const rows = await readAll(source, 2);
    expect(rows.length).toBe(2500);
    const one = rows.find((r) => r.fields[0] === 1)!;
    expect(one.fields).toEqual([1, true, 9007199254740994n, 0.25, "n1", new Uint8Array([1])]);
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n table = "copy"\n primary_keys = [id]`,
      source.tables,
    );
    await writeAll(sink, [rows.slice(0, 1200), rows.slice(1200)]);
    await sink.close?.();
    await source.close?.();
    const check = new Database(file);
    expect(check.query("SELECT count(*) AS n, sum(big = 9007199254740993 + id) AS same FROM copy").get()).toEqual({
      n: 2500,
      same: 2500,
    });
    check.close();
  });

  test("upserts and deletes by key with prepared statements", async () => {
    const table = {
      id: "t",
      path: { table: "t" },
      columns: [
        { name: "k", type: { kind: "int" }, nullable: false },
        { name: "v", type: { kind: "string" }, nullable: true },
      ],
    };
    const r = (kind: RowKind, f: unknown[]): Row => ({ kind, table: "t", fields: f });
    const sink = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n table = "kv"\n primary_keys = [k]\n schema_save_mode = RECREATE_SCHEMA`,
      [table as never],
    );
    await writeAll(sink, [
      [r(RowKind.INSERT, [1, "a"]), r(RowKind.INSERT, [2, "b"])],
      [r(RowKind.UPDATE_AFTER, [1, "z"]), r(RowKind.DELETE, [2, "b"])],
    ]);
    await sink.close?.();
    const check = new Database(file);
    expect(check.query("SELECT k, v FROM kv").all()).toEqual([{ k: 1, v: "z" }]);
    check.close();
  });
});

describe("Jdbc on SQLite: save modes and exactly once", () => {
  test("data_save_mode drops data, runs custom SQL or fails when data exists; ERROR_WHEN_SCHEMA_NOT_EXIST fails on a missing table", async () => {
    const table = { id: "t", path: { table: "t" }, columns: [{ name: "k", type: { kind: "int" }, nullable: false }] };
    const db = new Database(file);
    db.run("CREATE TABLE saved (k INTEGER); INSERT INTO saved VALUES (1), (2)");
    db.close();
    const count = () => {
      const c = new Database(file);
      const n = (c.query("SELECT count(*) AS n FROM saved").get() as { n: number }).n;
      c.close();
      return n;
    };
    const prepare = async (modes: string) =>
      (
        await createSink(jdbcSink, `${url}\n generate_sink_sql = true\n table = "saved"\n ${modes}`, [table as never])
      ).prepare?.();
    const err = await prepare("data_save_mode = ERROR_WHEN_DATA_EXISTS").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain("The sink table saved has data");
    await prepare(`data_save_mode = CUSTOM_PROCESSING\n custom_sql = "DELETE FROM saved WHERE k = 1"`);
    expect(count()).toBe(1);
    await prepare("data_save_mode = DROP_DATA");
    expect(count()).toBe(0);
    const missing = await createSink(
      jdbcSink,
      `${url}\n generate_sink_sql = true\n table = "absent"\n schema_save_mode = ERROR_WHEN_SCHEMA_NOT_EXIST`,
      [table as never],
    );
    expect(
      await Promise.resolve(missing.prepare?.()).then(
        () => "",
        (e: Error) => e.message,
      ),
    ).toContain("does not exist");
  });

  test("refuses is_exactly_once: SQLite has no prepared transactions", async () => {
    const err = await createSink(jdbcSink, `${url}\n table = "x"\n is_exactly_once = true`, []).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
  });
});
