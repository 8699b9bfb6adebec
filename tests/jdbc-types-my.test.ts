/**
 * MariaDB → MariaDB through the binary, the sink creating the table: every type SeaTunnel's
 * MySqlTypeConverter reads keeps its declared type (SeaTunnel creates a TIMESTAMP(n) as
 * DATETIME(n)) and every value byte for byte, at the edges of each type.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureService, MY_URL, uniqueName } from "./services.ts";
import { MY_CASES } from "./jdbc-type-cases.ts";
import { copyJob, createSql, insertSql, type JobRun, MY_CONN, myTypes, myValues } from "./jdbc-types.ts";

describe("MariaDB to MariaDB, every type", () => {
  const sql = new Bun.SQL(MY_URL, { max: 1 });
  const src = uniqueName("types_src");
  const dst = uniqueName("types_dst");
  let run: JobRun;
  let before: { types: Map<string, string>; values: Map<string, (string | null)[]> };
  let after: typeof before;
  beforeAll(async () => {
    await ensureService("mariadb");
    await sql.unsafe(createSql(`test.${src}`, MY_CASES, "`"));
    await sql.unsafe(insertSql(`test.${src}`, MY_CASES, "`"));
    run = await copyJob(
      `${MY_CONN}\ntable_path = "test.${src}"`,
      `${MY_CONN}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${dst}"`,
    );
    before = { types: await myTypes(sql, src), values: await myValues(sql, src, MY_CASES) };
    after = { types: await myTypes(sql, dst), values: await myValues(sql, dst, MY_CASES) };
  });
  afterAll(async () => {
    await sql.unsafe(`DROP TABLE IF EXISTS test.${src}, test.${dst}`);
    await sql.close();
  });

  test("the job succeeds", () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
  });

  for (const c of MY_CASES) {
    test(`${c.type} ${c.note ?? "keeps its type and every value"}`, () => {
      expect(after.types.get(c.col)).toBe(c.created ?? before.types.get(c.col));
      expect(after.values.get(c.col)).toEqual(before.values.get(c.col)!);
    });
  }
});
