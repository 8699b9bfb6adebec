/**
 * Data nobody here wrote, loaded by the binary (as text and with every row decoded) and by
 * `psql \copy` from the same file, compared row by row: pgbench's accounts (pgbench -i, exported
 * with COPY ... TO (FORMAT csv); a filler of 84 spaces in a char(84) column) and Debian
 * iso-codes' ISO 3166-1 list (names with commas, quotes and accents, flags of 4-byte UTF-8, empty
 * optional fields), cut for two readers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-public-data-"));
const schema = uniqueName("public_data");
const pgbenchDb = uniqueName("st_pgbench");
const ISO = "/usr/share/iso-codes/json/iso_3166-1.json";
let sql: InstanceType<typeof Bun.SQL>;

function sh(cmd: string[]): string {
  const r = Bun.spawnSync(cmd, { stderr: "pipe" });
  if (r.exitCode !== 0) {
    throw new Error(`${cmd.join(" ")}: ${r.stderr.toString()}`);
  }
  return r.stdout.toString();
}

const psql = (db: string, command: string) =>
  sh(["psql", "-h", "127.0.0.1", "-U", "root", "-d", db, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command]);

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  await sql.unsafe(`CREATE DATABASE ${pgbenchDb}`);
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.unsafe(`DROP DATABASE IF EXISTS ${pgbenchDb}`);
  await sql.close();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Loads `csv` into two tables of `ddl`, by the binary (its lines passed on as text, and again with
 * `--no-fuse`, every row decoded: lines the scan passes from their bytes, the others by the record
 * splitter) and by psql; returns the tables' row counts and the rows only one side has.
 */
async function both(name: string, ddl: string, csv: string, conf: string, split: number) {
  await sql.unsafe(`CREATE TABLE ${schema}.${name}_st ${ddl}; CREATE TABLE ${schema}.${name}_psql ${ddl}`);
  let decoded = 0;
  for (const flags of [[], ["--no-fuse", "--verbose"]]) {
    const r = await runBin([
      "run",
      join("fixtures", "pg", conf),
      ...flags,
      "-i",
      `csv=${csv}`,
      "-i",
      `split=${split}`,
      "-i",
      `table=${schema}.${name}_st`,
    ]);
    expect(r.code).toBe(0);
    for (const m of r.stdout.matchAll(
      /(\d+) of \d+ line\(s\) of .* read by lines decoded straight from their bytes/g,
    )) {
      decoded += Number(m[1]);
    }
  }
  psql("test", `\\copy ${schema}.${name}_psql FROM '${csv}' WITH (FORMAT csv)`);
  const [counts] = await sql.unsafe(
    `SELECT (SELECT count(*)::int FROM ${schema}.${name}_st) AS st, (SELECT count(*)::int FROM ${schema}.${name}_psql) AS psql`,
  );
  const differ = await sql.unsafe(
    `WITH twice AS (SELECT * FROM ${schema}.${name}_psql UNION ALL SELECT * FROM ${schema}.${name}_psql)
     (SELECT 'st' AS side, * FROM ${schema}.${name}_st EXCEPT ALL SELECT 'st', * FROM twice)
     UNION ALL (SELECT 'psql', * FROM twice EXCEPT ALL SELECT 'psql', * FROM ${schema}.${name}_st) LIMIT 5`,
  );
  return { counts, differ, decoded };
}

describe("public data: the binary loads what psql \\copy loads", () => {
  test("pgbench_accounts (100,000 rows, a filler of 84 spaces) as pgbench made it", async () => {
    sh(["pgbench", "-i", "-q", "-s", "1", "-h", "127.0.0.1", "-U", "root", pgbenchDb]);
    const csv = join(tmp, "accounts.csv");
    psql(pgbenchDb, `\\copy pgbench_accounts TO '${csv}' WITH (FORMAT csv)`);
    // The filler is all spaces: a blank field the csv reader must keep, not read as null.
    expect(readFileSync(csv, "utf8").split("\n")[0]).toBe(`1,1,0,${" ".repeat(84)}`);
    const ddl = "(aid int NOT NULL, bid int, abalance int, filler char(84))";
    const { counts, differ } = await both("accounts", ddl, csv, "pgbench-accounts-csv.conf", 1 << 20);
    expect(counts).toEqual({ st: 200_000, psql: 100_000 });
    expect(differ).toEqual([]);
    const [{ nulls }] = await sql.unsafe(
      `SELECT count(*)::int AS nulls FROM ${schema}.accounts_st WHERE filler IS NULL`,
    );
    expect(nulls).toBe(0);
  }, 60_000);

  test("ISO 3166-1 from Debian's iso-codes, written as csv with every awkward field quoted, cut every 4 KB", async () => {
    const list = (JSON.parse(readFileSync(ISO, "utf8")) as Record<string, Record<string, string>[]>)["3166-1"]!;
    const cols = ["alpha_2", "alpha_3", "flag", "name", "numeric", "official_name", "common_name"];
    const field = (v: string | undefined) =>
      v === undefined ? "" : /[",\n]|^\s|\s$/.test(v) || v === "" ? `"${v.replaceAll('"', '""')}"` : v;
    const text = `${list.map((c) => cols.map((k) => field(c[k])).join(",")).join("\n")}\n`;
    // The file has what makes csv hard: quoted commas, 4-byte characters, empty optional fields.
    expect(text).toMatch(/"[^"\n]*, [^"\n]*"/);
    expect([...text].some((ch) => ch.codePointAt(0)! > 0xffff)).toBe(true);
    const csv = join(tmp, "iso3166.csv");
    writeFileSync(csv, text);
    const ddl = `(${cols.map((k) => `${k} text`).join(", ")})`;
    const { counts, differ, decoded } = await both("iso", ddl, csv, "iso-3166-csv.conf", 4096);
    expect(counts).toEqual({ st: 2 * list.length, psql: list.length });
    // Most lines have no field that needs quotes: decoded from their bytes, 4-byte flags and all.
    expect(decoded).toBeGreaterThan(list.length / 2);
    expect(differ).toEqual([]);
  }, 60_000);
});
