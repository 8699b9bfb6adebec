/**
 * Csv into PostgreSQL through the binary: a fused job passes checked field text straight into
 * COPY (LazyRow text rows); `--no-fuse` decodes every value first. Both must store exactly the
 * same rows, and a bad value must still fail at the reader with file, line and column.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureService, PG_URL, uniqueName } from "./services.ts";
import { ROOT, runBin } from "./helpers.ts";

const schema = uniqueName("csv_pg");
const JOB = join("fixtures", "pg", "csv-to-postgres.conf");
const DATA = join(ROOT, "fixtures", "data", "csv-to-postgres");
let sql: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

const run = (csv: string, table: string, extra: string[] = []) =>
  runBin([
    "run",
    JOB,
    "-i",
    `csv=${csv.includes("/") ? csv : join(DATA, csv)}`,
    "-i",
    `table=${schema}.${table}`,
    "--verbose",
    ...extra,
  ]);

describe("csv → PostgreSQL", () => {
  test("text rows and decoded rows store identical values for canonical and non-canonical fields", async () => {
    const fused = await run("mixed.csv", "fused");
    expect(fused.code).toBe(0);
    const decoded = await run("mixed.csv", "decoded", ["--no-fuse"]);
    expect(decoded.code).toBe(0);
    expect(fused.stdout).toContain("Source[0]-LocalFile may pass rows on as their source text");
    expect(decoded.stdout).not.toContain("as their source text");
    const cols = "id, name, amount::text, ts::text, flag, score::text, n, d::text, note";
    const a = await sql.unsafe(`SELECT ${cols} FROM ${schema}.fused ORDER BY id`);
    const b = await sql.unsafe(`SELECT ${cols} FROM ${schema}.decoded ORDER BY id`);
    expect(a.length).toBe(6);
    expect(a).toEqual(b);
    // Spot checks against SeaTunnel's csv rules: a quoted empty string stays "", an empty field is
    // null, a string of spaces stays spaces (as `psql \copy` keeps it), a blank number is null, booleans are Java's parseBoolean, decimals keep their scale, leading zeros are dropped.
    expect(a[0]).toEqual({
      id: "1",
      name: "plain",
      amount: "12.30",
      ts: "2024-02-29 23:59:59",
      flag: true,
      score: "0.5",
      n: 7,
      d: "2024-02-29",
      note: 'a, "quoted" note',
    });
    expect([a[1]!.name, a[1]!.flag, a[1]!.n, a[1]!.note]).toEqual(["", true, 7, "multi\nline"]);
    expect([a[2]!.name, a[2]!.flag, a[2]!.score, a[2]!.n, a[2]!.note]).toEqual([
      null,
      false,
      "100000",
      5,
      "back\\slash\ttab",
    ]);
    // A string of spaces stays spaces; "-0" is Java's -0.0 (Double.parseDouble), which keeps its sign in a float8 column.
    expect([a[3]!.name, a[3]!.amount, a[3]!.ts, a[3]!.score, a[3]!.note]).toEqual(["  ", "1.50", null, "-0", null]);
    expect([a[4]!.flag, a[4]!.score, a[4]!.d, a[4]!.note]).toEqual([false, "1e-07", "0999-01-01", '"only quotes"']);
    expect([a[5]!.name, a[5]!.amount, a[5]!.flag, a[5]!.note]).toEqual(["NULL", "123456789012.34", false, "ünïcödé ✓"]);
  });

  test("lines passed on whole keep a decimal's scale in a numeric column without one", async () => {
    // Unquoted canonical lines are checked as bytes (line-check.ts); with a database consumer a
    // decimal's trailing zeros must reach COPY, since a plain numeric column keeps the scale.
    const csv = join(mkdtempSync(join(tmpdir(), "st-csv-pg-")), "lines.csv");
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      lines.push(
        `${i},name${i},${i % 3 === 0 ? "12.30" : `${i}.5`},2024-02-29 23:59:59,${i % 2 === 0},${i % 5 === 0 ? "0.50" : "1.25"},${i},2024-01-31,note ${i}`,
      );
    }
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const ddl =
      "(id bigint, name text, amount numeric, ts timestamp, flag boolean, score double precision, n int, d date, note text)";
    await sql.unsafe(`CREATE TABLE ${schema}.lines_fused ${ddl}`);
    await sql.unsafe(`CREATE TABLE ${schema}.lines_decoded ${ddl}`);
    const fused = await run(csv, "lines_fused");
    expect(fused.code).toBe(0);
    // Every line passes whole, those with a "12.30" (one in three) too: COPY takes the digits as written.
    expect(fused.stdout).toMatch(/2000 of 2000 line\(s\) of .* passed on as they are/);
    expect((await run(csv, "lines_decoded", ["--no-fuse"])).code).toBe(0);
    const cols = "id, name, amount::text, ts::text, flag, score, n, d::text, note";
    const a = await sql.unsafe(`SELECT ${cols} FROM ${schema}.lines_fused ORDER BY id`);
    const b = await sql.unsafe(`SELECT ${cols} FROM ${schema}.lines_decoded ORDER BY id`);
    expect(a.length).toBe(2000);
    expect(a).toEqual(b);
    expect(a[3]).toEqual({
      id: "3",
      name: "name3",
      amount: "12.30",
      ts: "2024-02-29 23:59:59",
      flag: false,
      score: 1.25,
      n: 3,
      d: "2024-01-31",
      note: "note 3",
    });
  });

  test("an invalid date still fails the job at the reader with file, line and column", async () => {
    const r = await run("bad-date.csv", "bad");
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('bad-date.csv" line 2, column 4 ("ts")');
    const [{ n }] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.bad`);
    expect(n).toBe(0);
  });
});

/** Lines copied into COPY as bytes (connectors/jdbc/copy-lines.ts) into columns narrower than the values may be. */
const NARROW =
  "(id bigint, name varchar(3), amount numeric(4,2), ts timestamp(2), flag boolean, score double precision, n int, d date, note text)";
type Over = Partial<Record<"name" | "amount" | "ts" | "note", string>>;
const narrowLine = (i: number, o: Over = {}) =>
  `${i},${o.name ?? "abc"},${o.amount ?? "12.5"},${o.ts ?? "2024-02-29 23:59:59.25"},true,0.5,${i},2024-01-31,${o.note ?? `note ${i}`}`;

/** 300 lines in the form that passes whole, but for the lines of `bad`. */
function narrowFile(name: string, bad: Record<number, Over>): string {
  const csv = join(mkdtempSync(join(tmpdir(), "st-csv-pg-narrow-")), `${name}.csv`);
  const lines = Array.from({ length: 300 }, (_, i) => narrowLine(i + 1, bad[i + 1] ?? {}));
  writeFileSync(csv, `${lines.join("\n")}\n`);
  return csv;
}

describe("csv → PostgreSQL, lines copied as bytes into narrower columns", () => {
  test("what fits is stored exactly, though only the value can tell", async () => {
    // Fits, though only the value can tell (5 bytes, 3 characters); a line COPY must escape; no fraction; a negative amount.
    const ok = narrowFile("ok", {
      2: { name: "héé" },
      3: { note: "back\\slash" },
      4: { ts: "2024-02-29 23:59:59" },
      5: { amount: "-99.99" },
    });
    await sql.unsafe(`CREATE TABLE ${schema}.narrow_ok ${NARROW}`);
    const r = await run(ok, "narrow_ok");
    expect(r.code).toBe(0);
    const passed = [...r.stdout.matchAll(/(\d+) of 300 line\(s\) of .* passed on as they are/g)];
    expect(Number(passed[0]?.[1])).toBeGreaterThanOrEqual(299);
    const rows = await sql.unsafe(`SELECT id, name, amount::text, ts::text, note FROM ${schema}.narrow_ok ORDER BY id`);
    expect(rows.length).toBe(300);
    expect(rows.slice(0, 5)).toEqual([
      { id: "1", name: "abc", amount: "12.50", ts: "2024-02-29 23:59:59.25", note: "note 1" },
      { id: "2", name: "héé", amount: "12.50", ts: "2024-02-29 23:59:59.25", note: "note 2" },
      { id: "3", name: "abc", amount: "12.50", ts: "2024-02-29 23:59:59.25", note: "back\\slash" },
      { id: "4", name: "abc", amount: "12.50", ts: "2024-02-29 23:59:59", note: "note 4" },
      { id: "5", name: "abc", amount: "-99.99", ts: "2024-02-29 23:59:59.25", note: "note 5" },
    ]);
  });

  test("a value that does not fit fails the job naming its row, and nothing is stored", async () => {
    const cases: [string, Record<number, Over>, string][] = [
      [
        "amount",
        { 7: { amount: "123.5" } },
        'row 7 (+I): column "amount" value 123.5 has 3 integer digits; numeric(4,2) holds 2',
      ],
      [
        "name",
        { 9: { name: "abcd" } },
        'row 9 (+I): column "name" value "abcd" has 4 characters; character varying(3) holds 3',
      ],
      [
        "ts",
        { 250: { ts: "2024-02-29 23:59:59.125" } },
        'row 250 (+I): column "ts" value 2024-02-29T23:59:59.125 has 3 fraction digits of a second',
      ],
    ];
    for (const [name, bad, message] of cases) {
      await sql.unsafe(`CREATE TABLE ${schema}.narrow_${name} ${NARROW}`);
      const failed = await run(narrowFile(name, bad), `narrow_${name}`);
      expect(failed.code).toBe(1);
      expect(failed.stdout + failed.stderr).toContain(message);
      const [{ n }] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${schema}.narrow_${name}`);
      expect(n).toBe(0);
    }
  });
});
