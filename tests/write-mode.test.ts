/**
 * The sink's write-mode line, through the binary against PostgreSQL: a `table_path` source hands
 * its primary key on and the Jdbc sink upserts by it (a re-run changes nothing), a `query` source
 * has no key and the sink appends (a re-run duplicates rows); each run says so before any row moves.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ensureService, PG_URL, uniqueName } from "./services.ts";
import { runBin } from "./helpers.ts";

const schema = uniqueName("write_mode");
let sql: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  await sql.unsafe(`CREATE TABLE ${schema}.src (id int PRIMARY KEY, v text)`);
  await sql.unsafe(`INSERT INTO ${schema}.src VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

const run = (kind: "table" | "query", dst: string) =>
  runBin([
    "run",
    join("fixtures", "pg", `write-mode-${kind}.conf`),
    "-i",
    `src=${schema}.src`,
    "-i",
    `dst=${schema}.${dst}`,
    "--no-progress",
  ]);

/** The write-mode line, and whether it came before the first save-mode line (before any row moved). */
function modeLine(stdout: string): { line: string | undefined; beforeSaveMode: boolean } {
  const lines = stdout.split("\n");
  const at = lines.findIndex((l) => l.includes("sink Jdbc write mode: "));
  const save = lines.findIndex((l) => l.includes("handle schema savemode"));
  return { line: lines[at]?.replace(/^.* INFO {2}/, ""), beforeSaveMode: at >= 0 && at < save };
}

const count = async (table: string) =>
  Number(((await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.${table}`)) as { n: number }[])[0]!.n);

describe("the Jdbc sink's write mode", () => {
  test("a table_path source: upsert by the table's primary key, and a re-run keeps the rows once", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await run("table", "by_table");
      expect(r.code).toBe(0);
      expect(modeLine(r.stdout)).toEqual({
        line: `sink Jdbc write mode: upsert into test.${schema}.by_table by (id), the primary key of input "test.${schema}.src": a re-run updates the same rows`,
        beforeSaveMode: true,
      });
    }
    expect(await count("by_table")).toBe(3);
  }, 60_000);

  test("a query source: append without a key, and a re-run duplicates rows, as the line says", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await run("query", "by_query");
      expect(r.code).toBe(0);
      expect(modeLine(r.stdout)).toEqual({
        line: `sink Jdbc write mode: append into test.${schema}.by_query (COPY): no primary_keys, and input "test.${schema}.src" has no primary key: a re-run duplicates rows`,
        beforeSaveMode: true,
      });
    }
    expect(await count("by_query")).toBe(6);
  }, 60_000);
});
