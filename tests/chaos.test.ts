/**
 * Chaos: a deterministic 1M-row FakeSource job writing files with exactly-once on is killed with
 * SIGKILL at random points at least ten times and resumed each time with `-r <jobId>`; the
 * committed output must hold every row exactly once — compared with an uninterrupted run of the
 * same job by row count and an order-independent checksum. Each kill lands a random 0–500 ms after
 * the run has taken the job (its pid is the owner in the job's job.json), so a loaded machine that
 * starts the binary slowly never kills a first run before there is a job to resume; at least three
 * kills must find the output partly committed (killed mid-job).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT } from "./helpers.ts";
import { ensurePreparedTransactions, PG_URL, uniqueName } from "./services.ts";

const ROWS = 1_000_000;
const KILLS = 10;

const fileSink = (dir: string, out: string) => `
  LocalFile {
    path = "${join(dir, out)}"
    tmp_path = "${join(dir, "tmp")}"
    file_format_type = "csv"
    is_enable_transaction = true
  }`;

const pgSink = (table: string) => `
  Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = "root"
    generate_sink_sql = true
    database = "test"
    table = "public.${table}"
    is_exactly_once = true
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST"
    data_save_mode = "APPEND_DATA"
  }`;

function jobFile(dir: string, out: string, sink: string = fileSink(dir, out)): string {
  const p = join(dir, `${out}.conf`);
  writeFileSync(
    p,
    `env { parallelism = 2, checkpoint.interval = 150, job.retry.times = 0, read_limit.rows_per_second = 250000 }
source {
  FakeSource {
    row.num = ${ROWS / 2}
    split.num = 50
    split.read-interval = 0
    seed = 11
    schema = { fields { id = bigint, name = string, amount = "decimal(12, 2)", ok = boolean } }
  }
}
sink {${sink}
}
`,
  );
  return p;
}

/** Row count and a sum of 64-bit line hashes: equal for the same multiset of lines, whatever the order or file split. */
function digest(dir: string): { rows: number; sum: bigint } {
  let rows = 0;
  let sum = 0n;
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else {
        for (const line of readFileSync(p, "utf8").split("\n")) {
          if (line === "") {
            continue;
          }
          rows++;
          sum = (sum + BigInt(Bun.hash(line))) & 0xffffffffffffffffn;
        }
      }
    }
  };
  if (existsSync(dir)) {
    walk(dir);
  }
  return { rows, sum };
}

/**
 * Waits until the process `pid` owns the job's checkpoint folder (job.json names it: the run has
 * started the job, and `-r` can resume it), or has exited. False if it exited first.
 */
async function jobStarted(ckpt: string, jobId: string, p: { pid: number; exitCode: number | null }): Promise<boolean> {
  const meta = join(ckpt, jobId, "job.json");
  while (p.exitCode === null) {
    try {
      if (JSON.parse(readFileSync(meta, "utf8")).owner?.pid === p.pid) {
        return true;
      }
    } catch {
      // Not written yet.
    }
    await Bun.sleep(10);
  }
  return false;
}

function spawn(args: string[]) {
  return Bun.spawn([BIN, ...args], { cwd: ROOT, stdout: "ignore", stderr: "pipe", env: { ...process.env, TZ: "UTC" } });
}

/**
 * Runs `conf`, SIGKILLs it at random moments KILLS times, resuming with `-r` each time, then lets
 * it finish. Returns how many kills there were and how many found the output partly committed.
 */
async function killAndResume(
  conf: string,
  ckpt: string,
  committedRows: () => number | Promise<number>,
): Promise<{ kills: number; partial: number }> {
  const jobId = String(7000000000000000000n + BigInt(Math.floor(Math.random() * 1e9)));
  let kills = 0;
  let partial = 0;
  const progress: number[] = [];
  let args = ["run", conf, "--set-job-id", jobId, "--checkpoint-dir", ckpt];
  let random = 12345;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  for (let attempt = 0; attempt < 60; attempt++) {
    const p = spawn(args);
    if (kills < KILLS && (await jobStarted(ckpt, jobId, p))) {
      await Bun.sleep(Math.floor(next() * 500));
      if (p.exitCode === null) {
        p.kill("SIGKILL");
        kills++;
        await p.exited;
        const seen = await committedRows();
        progress.push(seen);
        if (seen > 0 && seen < ROWS) {
          partial++;
        }
      }
    }
    const code = await p.exited;
    args = ["run", "-r", jobId, conf, "--checkpoint-dir", ckpt];
    if (code === 0 && kills >= KILLS) {
      break;
    }
    if (code !== 0 && p.signalCode !== "SIGKILL") {
      throw new Error(`run exited ${code}: ${await new Response(p.stderr).text()}`);
    }
  }
  // How far the job had committed at each kill: a failure shows whether the kills landed mid-job.
  console.log(`chaos: ${kills} kills; committed rows at each: ${progress.join(", ")}`);
  return { kills, partial };
}

describe("chaos", () => {
  test(`killed ${KILLS} times with SIGKILL and resumed with -r, the job writes every one of ${ROWS} rows exactly once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-chaos-"));
    const ckpt = join(dir, "ckpt");
    const clean = spawn(["run", jobFile(dir, "clean"), "--checkpoint-dir", ckpt]);
    expect(await clean.exited).toBe(0);
    const want = digest(join(dir, "clean"));
    expect(want.rows).toBe(ROWS);

    const conf = jobFile(dir, "chaos");
    const { kills, partial } = await killAndResume(conf, ckpt, () => digest(join(dir, "chaos")).rows);
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(partial).toBeGreaterThanOrEqual(3);
    const got = digest(join(dir, "chaos"));
    expect(got.rows).toBe(want.rows);
    expect(got.sum).toBe(want.sum);
  }, 300_000);
});

describe("chaos against PostgreSQL", () => {
  test(`killed ${KILLS} times with SIGKILL and resumed with -r, the exactly-once Jdbc sink holds every one of ${ROWS} rows once`, async () => {
    await ensurePreparedTransactions(20);
    const dir = mkdtempSync(join(tmpdir(), "st-chaos-pg-"));
    const ckpt = join(dir, "ckpt");
    const clean = uniqueName("chaos_clean");
    const chaos = uniqueName("chaos_kill");
    const sql = new Bun.SQL(PG_URL, { max: 1 });
    try {
      const first = spawn(["run", jobFile(dir, clean, pgSink(clean)), "--checkpoint-dir", ckpt]);
      expect(await first.exited).toBe(0);
      const rows = async (t: string) =>
        Number(((await sql.unsafe(`SELECT count(*) AS n FROM public.${t}`)) as { n: string }[])[0]!.n);
      const { kills, partial } = await killAndResume(jobFile(dir, chaos, pgSink(chaos)), ckpt, async () =>
        (await tableExists(sql, chaos)) ? rows(chaos) : 0,
      );
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(partial).toBeGreaterThanOrEqual(3);
      const digestOf = async (t: string) =>
        (
          (await sql.unsafe(
            `SELECT count(*)::text AS n, coalesce(sum(hashtext(x::text)::bigint), 0)::text AS h FROM public.${t} x`,
          )) as { n: string; h: string }[]
        )[0]!;
      expect(await digestOf(chaos)).toEqual(await digestOf(clean));
      expect((await digestOf(clean)).n).toBe(String(ROWS));
      const left = (await sql.unsafe(`SELECT count(*)::int AS n FROM pg_prepared_xacts WHERE gid LIKE 'st-7%'`)) as {
        n: number;
      }[];
      expect(left[0]!.n).toBe(0);
    } finally {
      // Leftover prepared transactions would hold the tables: roll them back so DROP cannot hang.
      for (const { gid } of (await sql.unsafe(`SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'st-7%'`)) as {
        gid: string;
      }[]) {
        await sql.unsafe(`ROLLBACK PREPARED '${gid}'`);
      }
      await sql.unsafe(`DROP TABLE IF EXISTS public.${clean}, public.${chaos}`);
      await sql.close();
    }
  }, 300_000);
});

async function tableExists(sql: InstanceType<typeof Bun.SQL>, t: string): Promise<boolean> {
  const r = (await sql.unsafe(`SELECT to_regclass('public.${t}') IS NOT NULL AS ok`)) as { ok: boolean }[];
  return r[0]!.ok;
}
