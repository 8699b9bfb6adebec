/**
 * Values from csv files that ordinary exports hold, through the binary into a csv file and into
 * PostgreSQL: a CRLF file whose field holds only spaces keeps the spaces (it was read as NULL),
 * and timestamps with a fraction, a 'T' or an offset read as SeaTunnel reads them, with the
 * dropped offset and the dropped fraction said in the log before or as rows move.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const JOB = join("fixtures", "file", "csv-fidelity.conf");
const DATA = join("fixtures", "data", "csv-fidelity");
const schema = uniqueName("csv_fidelity");
let sql: Bun.SQL;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

async function run(csv: string, vtype: string, skip: number, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "st-csv-fidelity-"));
  const table = `${schema}.${csv.replace(/\W/g, "_")}${extra.length ? "_nofuse" : ""}`;
  const r = await runBin([
    "run",
    JOB,
    ...["-i", `csv=${join(DATA, csv)}`, "-i", `out=${join(dir, "out")}`, "-i", `tmp=${join(dir, "tmp")}`],
    ...["-i", `table=${table}`, "-i", `skip=${skip}`, "-i", `vtype=${vtype}`, "--no-progress", ...extra],
  ]);
  expect(r.code).toBe(0);
  const out = readdirSync(join(dir, "out")).map((f) => readFileSync(join(dir, "out", f), "utf8"));
  const rows = await sql.unsafe(`SELECT id, v::text AS v FROM ${table} ORDER BY id`);
  return { log: r.stdout + r.stderr, csv: out.join(""), rows: rows.map((x: { v: string | null }) => x.v) };
}

describe("csv values from ordinary exports", () => {
  for (const extra of [[], ["--no-fuse"]]) {
    test(`a CRLF field of spaces keeps its spaces; only an empty field is null ${extra.join(" ")}`, async () => {
      const r = await run("crlf-spaces.csv", "string", 1, extra);
      expect(r.rows).toEqual(["     ", "  x  ", null, ""]);
      expect(r.csv).toBe('1,"     "\n2,"  x  "\n3,\n4,""\n');
    });

    test(`timestamps with a fraction, a 'T' or an offset; the offset and the dropped fraction are logged ${extra.join(" ")}`, async () => {
      const r = await run("offsets.csv", "timestamp", 0, extra);
      expect(r.rows).toEqual(["2020-11-17 12:58:07.976", "2020-11-17 12:58:07.123456", "2020-11-17 12:58:07"]);
      expect(r.csv).toBe("1,2020-11-17 12:58:07\n2,2020-11-17 12:58:07\n3,2020-11-17 12:58:07\n");
      expect(r.log).toContain('timestamp column(s) "v" are written with datetime_format "yyyy-MM-dd HH:mm:ss"');
      expect(r.log).toContain('2 timestamp(s) of "fixtures/data/csv-fidelity/offsets.csv" carry a UTC offset');
    });
  }
});
