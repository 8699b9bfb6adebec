/**
 * The error budget end to end, through the binary: a 1M-row csv file with 37 bad rows at random
 * places (a bad int, a bad timestamp, a bad decimal, too few and too many fields) read by two
 * readers into a csv LocalFile and a PostgreSQL table. With a budget of 100 the job finishes, the
 * reject files hold exactly the 37 records, byte for byte, with their lines, and the targets
 * exactly the other rows. With a budget of 10 the job fails with a clear message, and transactional
 * targets (LocalFile with is_enable_transaction, Jdbc with is_exactly_once over XA) hold nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { ensurePreparedTransactions, PG_URL, uniqueName } from "./services.ts";

const ROWS = 1_000_000;
const BAD = 37;
const dir = mkdtempSync(join(tmpdir(), "st-reject-"));
const csv = join(dir, "in.csv");
const tables = { ok: uniqueName("reject_ok"), over: uniqueName("reject_over") };
let sql: InstanceType<typeof Bun.SQL>;
/** Line number (1-based, the header is line 1) → the bad line as written. */
const bad = new Map<number, string>();
let goodIdSum = 0;

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BREAKS = [
  (id: number) => `${id},name ${id},12x,2024-03-01 10:00:00,1.50`,
  (id: number) => `${id},name ${id},7,2024-02-30 10:00:00,1.50`,
  (id: number) => `${id},name ${id},7,2024-03-01 10:00:00,1.5.0`,
  (id: number) => `${id},name ${id},7`,
  (id: number) => `${id},name ${id},7,2024-03-01 10:00:00,1.50,extra`,
];

function writeInput(): void {
  const next = random(20240301);
  const at = new Set<number>();
  while (at.size < BAD) {
    at.add(1 + Math.floor(next() * ROWS));
  }
  const parts = ["id,name,n,ts,amount\n"];
  let chunk = "";
  for (let id = 1; id <= ROWS; id++) {
    let line: string;
    if (at.has(id)) {
      line = BREAKS[id % BREAKS.length]!(id);
      bad.set(id + 1, line);
    } else {
      line = `${id},name ${id},${id % 1000},2024-03-01 ${String(id % 24).padStart(2, "0")}:00:00,${id % 100}.25`;
      goodIdSum += id;
    }
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  writeFileSync(csv, parts.join(""));
}

function jobFile(name: string, o: { budget: number; table: string; out: string; transactional: boolean }): string {
  const p = join(dir, `${name}.conf`);
  writeFileSync(
    p,
    `env {
  parallelism = 2
  job.retry.times = 3
  error_handler { mode = "ROUTE", max_error_records = ${o.budget}, reject_dir = "${join(dir, name, "rejects")}" }
}
source {
  LocalFile {
    plugin_output = "rows"
    path = "${csv}"
    file_format_type = "csv"
    skip_header_row_number = 1
    ragged_rows = "error"
    file_split_size = 8388608
    schema = { fields { id = bigint, name = string, n = int, ts = timestamp, amount = "decimal(10, 2)" } }
  }
}
sink {
  LocalFile {
    plugin_input = "rows"
    path = "${o.out}"
    tmp_path = "${join(dir, name, "tmp")}"
    file_format_type = "csv"
    is_enable_transaction = ${o.transactional}
  }
  Jdbc {
    plugin_input = "rows"
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = "root"
    generate_sink_sql = true
    database = "test"
    table = "public.${o.table}"
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST"
    data_save_mode = "APPEND_DATA"
    ${o.transactional ? 'is_exactly_once = true\n    xa_data_source_class_name = "org.postgresql.xa.PGXADataSource"' : ""}
  }
}
`,
  );
  return p;
}

/** Rows and the sum of their first field over every file under `root`. */
function csvRows(root: string): { rows: number; idSum: number } {
  let rows = 0;
  let idSum = 0;
  if (!existsSync(root)) {
    return { rows, idSum };
  }
  for (const f of readdirSync(root, { recursive: true }) as string[]) {
    const p = join(root, f);
    if (!statSync(p).isFile()) {
      continue;
    }
    for (const line of readFileSync(p, "utf8").split("\n")) {
      if (line !== "") {
        rows++;
        idSum += Number(line.slice(0, line.indexOf(",")));
      }
    }
  }
  return { rows, idSum };
}

interface LogEntry {
  file: string;
  line: number;
  column?: number;
  reason: string;
  offset: number;
  length: number;
}

/** Every rejected record: its log entry and its bytes in the .dat file beside it. */
function rejects(root: string): { entry: LogEntry; raw: string }[] {
  const out: { entry: LogEntry; raw: string }[] = [];
  for (const f of readdirSync(root).filter((x) => x.endsWith(".log"))) {
    const dat = readFileSync(join(root, f.replace(/\.log$/, ".dat")));
    for (const l of readFileSync(join(root, f), "utf8").trim().split("\n")) {
      const entry = JSON.parse(l) as LogEntry;
      out.push({ entry, raw: dat.subarray(entry.offset, entry.offset + entry.length).toString("utf8") });
    }
  }
  return out.sort((a, b) => a.entry.line - b.entry.line);
}

beforeAll(async () => {
  await ensurePreparedTransactions();
  sql = new Bun.SQL(PG_URL, { max: 1 });
  writeInput();
});

afterAll(async () => {
  for (const t of Object.values(tables)) {
    await sql.unsafe(`DROP TABLE IF EXISTS public.${t}`);
  }
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("error budget end to end", () => {
  test(`${BAD} bad rows in ${ROWS} with a budget of 100: the job finishes, every bad row is in the reject files as read, every other row in the targets`, async () => {
    const out = join(dir, "ok", "out");
    const r = await runBin(
      ["run", jobFile("ok", { budget: 100, table: tables.ok, out, transactional: false }), "--json", "--no-progress"],
      { timeoutMs: 120_000 },
    );
    expect(r.stderr).not.toContain("error[");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, number>;
    expect([json.read, json.rejected]).toEqual([ROWS - BAD, BAD]);
    expect(r.stderr).toMatch(/Total Failed Count\s+:\s+37\n/);
    expect(r.stderr).toMatch(/Rejected \(error_handler\)\s+:\s+37\n/);
    const got = rejects(join(dir, "ok", "rejects"));
    expect(readdirSync(join(dir, "ok", "rejects")).sort()).toEqual([
      "reject-0-0.dat",
      "reject-0-0.log",
      "reject-0-1.dat",
      "reject-0-1.log",
    ]);
    expect(got.map((x) => [x.entry.line, x.raw])).toEqual(
      [...bad].sort((a, b) => a[0] - b[0]).map(([l, t]) => [l, `${t}\n`]),
    );
    expect(new Set(got.map((x) => x.entry.file))).toEqual(new Set([csv]));
    expect(got.find((x) => x.raw.includes(",12x,"))!.entry).toMatchObject({
      column: 3,
      reason: 'expects int, received "12x"',
    });
    expect(csvRows(out)).toEqual({ rows: ROWS - BAD, idSum: goodIdSum });
    const [pg] = (await sql.unsafe(
      `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, sum(id)::float8 AS sum FROM public.${tables.ok}`,
    )) as { rows: number; ids: number; sum: number }[];
    expect(pg).toEqual({ rows: ROWS - BAD, ids: ROWS - BAD, sum: goodIdSum });
  }, 120_000);

  test("with a budget of 10 the job fails at once with a clear message, and the transactional targets hold nothing", async () => {
    const out = join(dir, "over", "out");
    const started = Date.now();
    const r = await runBin(
      ["run", jobFile("over", { budget: 10, table: tables.over, out, transactional: true }), "--no-progress"],
      { timeoutMs: 120_000 },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error\[REJECT_LIMIT_EXCEEDED\]: .*11 rows rejected, more than error_handler\.max_error_records = 10 allows \(they are in .*over\/rejects\)/,
    );
    // A budget overflow is not retried: the same rows would be rejected again.
    expect(r.stdout).not.toContain("Restore time");
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(csvRows(out).rows).toBe(0);
    const [pg] = (await sql.unsafe(`SELECT count(*)::int AS rows FROM public.${tables.over}`)) as { rows: number }[];
    expect(pg!.rows).toBe(0);
    const [xa] = (await sql.unsafe("SELECT count(*)::int AS n FROM pg_prepared_xacts WHERE database = 'test'")) as {
      n: number;
    }[];
    expect(xa!.n).toBe(0);
  }, 120_000);
});
