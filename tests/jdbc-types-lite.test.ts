/**
 * SQLite → SQLite through the binary, the sink creating the table: every declared type SeaTunnel's
 * SqliteTypeMapper reads keeps its declaration and every value its storage class and value; a
 * value outside the type SeaTunnel reads a column as fails instead of changing.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { LITE_CASES } from "./jdbc-type-cases.ts";
import {
  copyJob,
  createSql,
  Database,
  insertSql,
  type JobRun,
  liteConn,
  liteFile,
  liteTypes,
  liteValues,
} from "./jdbc-types.ts";

describe("SQLite to SQLite, every type", () => {
  const file = liteFile("same-kind-types");
  let run: JobRun;
  let db: Database;
  beforeAll(async () => {
    const setup = new Database(file);
    setup.run(createSql("src", LITE_CASES));
    setup.run(insertSql("src", LITE_CASES));
    setup.close();
    run = await copyJob(
      `${liteConn(file)}\ntable_path = "src"`,
      `${liteConn(file)}\ngenerate_sink_sql = true\ntable = "dst"`,
    );
    db = new Database(file, { safeIntegers: true });
  });

  test("the job succeeds", () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
  });

  for (const c of LITE_CASES) {
    test(`${c.type} ${c.note ?? "keeps its type and every value"}`, () => {
      expect(liteTypes(db, "dst").get(c.col)).toBe(c.created ?? liteTypes(db, "src").get(c.col));
      expect(liteValues(db, "dst", [c]).get(c.col)).toEqual(liteValues(db, "src", [c]).get(c.col)!);
    });
  }

  const fails: [string, string, string][] = [
    [
      "INTEGER",
      "2147483648",
      'column "x" value "2147483648": 2147483648 is not within INT: SQLite\'s INTEGER is read as INT',
    ],
    ["FLOAT", "0.1", 'column "x" value "0.1": 0.1 is not exactly a 4-byte float: SQLite\'s FLOAT is read as FLOAT'],
    ["BOOLEAN", "2", 'column "x" value "2": 2 is not 0 or 1: SQLite\'s BOOLEAN is read as BOOLEAN'],
    [
      "DECIMAL(20,0)",
      "9007199254740993",
      "9007199254740993 is not exactly a double: SQLite's DECIMAL is read as DOUBLE",
    ],
  ];
  for (const [type, value, message] of fails) {
    test(`a ${type} value outside the type SeaTunnel reads it as (${value}) fails naming the column`, async () => {
      const t = `f_${type.replace(/\W/g, "")}`;
      const setup = new Database(file);
      setup.run(`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, x ${type}); INSERT INTO ${t} VALUES (1, ${value})`);
      setup.close();
      const r = await copyJob(
        `${liteConn(file)}\ntable_path = "${t}"`,
        `${liteConn(file)}\ngenerate_sink_sql = true\ntable = "${t}_dst"`,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
    });
  }
});
