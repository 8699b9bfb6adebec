/**
 * The decoding path and the text paths (lines passed on as bytes, text rows) must give the same
 * output over random rows in every value form the csv reader accepts: 100,000 rows mixing
 * integers in and out of canonical form, decimals of any scale and with fewer digits than the
 * scale, doubles, dates, times and timestamps with 0–9 fraction digits, a 'T' or a space, with or
 * without an offset, booleans, strings with quotes, tabs, CR, newlines, edge spaces and 4-byte
 * UTF-8, empty, quoted and quoted-empty fields, CRLF and LF line ends. Each file is run fused and with
 * `--no-fuse` (which always decodes), into a csv file (byte for byte) and into PostgreSQL
 * (table contents).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-csv-differential-"));
const ROWS = 100_000;

const pick = (rnd: (n: number) => number, xs: readonly string[]) => xs[rnd(xs.length)]!;
const digits = (rnd: (n: number) => number, n: number) => Array.from({ length: n }, () => rnd(10)).join("");

/** One field of each column (id, name, amount, ts, flag, score, n, d, note), in any form the reader accepts. */
const COLUMNS: ((rnd: (n: number) => number, i: number) => string)[] = [
  (rnd, i) => pick(rnd, [String(i), `-${i}`, `+${i}`, `00${i}`]),
  (rnd) =>
    pick(rnd, [
      "plain",
      "",
      "  ",
      " lead",
      "trail ",
      '"q ""x"""',
      '""',
      "emoji 😀 𝄞",
      "tab\there",
      '"multi\nline"',
      '"quoted plain"',
    ]),
  (rnd) =>
    pick(rnd, [
      `${rnd(1e6)}.${digits(rnd, 2)}`,
      `${rnd(1000)}.${digits(rnd, 1)}`,
      String(rnd(1e5)),
      "0.00",
      "-0.5",
      "1e3",
    ]),
  (rnd) => {
    const date = `20${digits(rnd, 2)}-0${1 + rnd(9)}-${10 + rnd(18)}`;
    const time = `${10 + rnd(14)}:${10 + rnd(50)}:${10 + rnd(50)}`;
    const frac = rnd(3) === 0 ? "" : `.${digits(rnd, 1 + rnd(9))}`;
    const zone = pick(rnd, ["", "", "Z", "+02:00", "-05:30"]);
    return pick(rnd, [`${date} ${time}`, `${date}T${time}${frac}${zone}`, `${date} ${time}${frac}`, ""]);
  },
  (rnd) => pick(rnd, ["true", "false", "TRUE", "yes", "", '"false"']),
  (rnd) => pick(rnd, [`${rnd(1000)}.${digits(rnd, 3)}`, "0.5", "12.50", "1e5", "-0.0", `${rnd(100)}`, ""]),
  (rnd) => pick(rnd, [String(rnd(1e6) - 5e5), "007", "+5", "-0", ""]),
  (rnd) => pick(rnd, [`2024-0${1 + rnd(9)}-${10 + rnd(18)}`, "2024-3-5", ""]),
  (rnd) => pick(rnd, ["note", '"a, b"', "back\\slash", "ünï", '"cr\rinside"', ""]),
];

function generate(seed: number): string {
  let s = seed;
  const rnd = (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  let out = "";
  for (let i = 0; i < ROWS; i++) {
    // Runs of lines in their printed form (but for timestamps: any ISO shape), which pass whole,
    // between rows of any form.
    const fields =
      Math.floor(i / 5000) % 2 === 0 && rnd(50) > 0
        ? [
            String(i),
            "plain",
            `${rnd(1e6)}.${digits(rnd, 2)}`,
            COLUMNS[3]!(rnd, i),
            "true",
            "0.5",
            "7",
            "2024-01-10",
            "x",
          ]
        : COLUMNS.map((f) => f(rnd, i));
    out += fields.join(",") + (rnd(4) === 0 ? "\r\n" : "\n");
  }
  return out;
}

let sql: Bun.SQL;
const schema = uniqueName("csv_diff");

beforeAll(async () => {
  await ensureService("postgres");
  sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  writeFileSync(join(tmp, "rows.csv"), generate(20261207));
});

afterAll(async () => {
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
});

/** Lines passed on whole, as the fused run's --verbose log counts them. */
let passedWhole = 0;

async function toCsv(name: string, extra: string[]): Promise<string> {
  const out = join(tmp, name);
  const r = await runBin([
    ...["run", join("fixtures", "file", "csv-to-csv.conf"), "-i", `csv=${join(tmp, "rows.csv")}`],
    ...["-i", `out=${out}`, "-i", `tmp=${join(tmp, "tmp")}`, "-i", "datetime_format=yyyy-MM-dd HH:mm:ss", ...extra],
  ]);
  expect(r.code).toBe(0);
  for (const m of r.stdout.matchAll(/(\d+) of \d+ line\(s\) of .* passed on as they are/g)) {
    passedWhole += Number(m[1]);
  }
  return readdirSync(out)
    .sort()
    .map((f) => readFileSync(join(out, f), "utf8"))
    .join("")
    .split("\n")
    .sort()
    .join("\n");
}

async function toPg(table: string, extra: string[]): Promise<unknown[]> {
  const r = await runBin([
    ...["run", join("fixtures", "pg", "csv-to-postgres.conf"), "-i", `csv=${join(tmp, "rows.csv")}`],
    ...["-i", `table=${schema}.${table}`, ...extra],
  ]);
  expect(r.code).toBe(0);
  const cols = "id, name, amount::text, ts::text, flag, score::text, n, d::text, note";
  return sql.unsafe(`SELECT ${cols} FROM ${schema}.${table} ORDER BY id, name, note`);
}

describe(`decoding and text paths agree on ${ROWS} random rows of every value form`, () => {
  test("csv → csv: the fused output equals the decoded output", async () => {
    const fused = await toCsv("fused", ["--verbose"]);
    // Half the rows are canonical runs: most of them pass whole, the others take the text rows.
    expect(passedWhole).toBeGreaterThan(ROWS / 4);
    const decoded = await toCsv("decoded", ["--no-fuse"]);
    expect(fused.split("\n").length).toBeGreaterThan(ROWS);
    expect(fused === decoded).toBe(true);
  }, 60_000);

  test("csv → PostgreSQL: the fused table equals the decoded table", async () => {
    const fused = await toPg("fused", []);
    const decoded = await toPg("decoded", ["--no-fuse"]);
    expect(fused.length).toBe(ROWS);
    expect(fused).toEqual(decoded);
  }, 60_000);
});
