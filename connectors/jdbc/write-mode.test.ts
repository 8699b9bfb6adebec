import { describe, expect, test } from "bun:test";
import { createSink, table } from "../../src/api/testing.ts";
import { T } from "../../src/api/index.ts";
import { jdbcSink } from "./index.ts";

const keyed = table("test.s", [
  ["id", T.int],
  ["v", T.string],
]);
keyed.primaryKey = { name: "pk", columnNames: ["id"] };
const keyless = table("test.q", [
  ["id", T.int],
  ["v", T.string],
]);

const describeWith = async (url: string, body: string, input = keyed) =>
  (await createSink(jdbcSink, `url = "${url}"\ngenerate_sink_sql = true\n${body}`, [input], { checkOnly: true }))
    .describeWrite!();

const PG = "jdbc:postgresql://127.0.0.1:5432/test";
const MY = "jdbc:mysql://127.0.0.1:3306/test";
const LITE = "jdbc:sqlite:/tmp/x.db";

describe("Jdbc sink write mode", () => {
  test("upserts by the input's primary key in every dialect, or by primary_keys when given", async () => {
    for (const url of [PG, MY, LITE]) {
      expect(await describeWith(url, 'table = "t"')).toMatch(
        /^upsert into \S*t by \(id\), the primary key of input "test\.s": a re-run updates the same rows$/,
      );
    }
    expect(await describeWith(PG, 'table = "public.t"\nprimary_keys = ["v"]', keyless)).toBe(
      "upsert into test.public.t by (v), from primary_keys: a re-run updates the same rows",
    );
  });

  test("appends without a key, with COPY on PostgreSQL and INSERT elsewhere, and says what a re-run does", async () => {
    expect(await describeWith(PG, 'table = "public.t"', keyless)).toBe(
      'append into test.public.t (COPY): no primary_keys, and input "test.q" has no primary key: a re-run duplicates rows',
    );
    expect(await describeWith(MY, 'table = "t"\ndata_save_mode = DROP_DATA', keyless)).toBe(
      'append into test.t (INSERT): no primary_keys, and input "test.q" has no primary key: a re-run empties the table first (data_save_mode = DROP_DATA)',
    );
  });

  test("a key that is not upserted by is named with the option that turned upserts off", async () => {
    expect(await describeWith(LITE, 'table = "t"\nenable_upsert = false')).toMatch(
      /^append into \S+ \(INSERT\) though rows have a key \(id\), the primary key of input "test\.s", because enable_upsert = false: a re-run fails on the target's key or duplicates rows$/,
    );
  });

  test("a sink of many tables lists five and counts the others", async () => {
    const inputs = Array.from({ length: 7 }, (_, i) => table(`test.q${i}`, [["id", T.int]]));
    const sink = await createSink(
      jdbcSink,
      `url = "${PG}"\ngenerate_sink_sql = true\ntable = "public.\${table_name}"`,
      inputs,
      {
        checkOnly: true,
      },
    );
    const parts = sink.describeWrite!().split("; ");
    expect(parts).toHaveLength(6);
    expect(parts[4]).toStartWith("append into test.public.q4 (COPY)");
    expect(parts[5]).toBe("and 2 more table(s)");
  });

  test("a query and exactly-once are described", async () => {
    expect(await describeWith(PG, 'query = "INSERT INTO t VALUES (?, ?)"\nis_exactly_once = true')).toBe(
      'the query for every row of input "test.s" (what a re-run does depends on the query); exactly-once: XA transactions committed at each checkpoint',
    );
  });
});
