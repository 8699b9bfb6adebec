/**
 * A plain run cleans up after earlier, killed runs of the same job name: the prepared transactions
 * an exactly-once Jdbc sink left that no stored checkpoint covers (which otherwise only `-r` of that
 * job id rolls back, and which hold their rows' locks: a DROP_DATA save mode would wait on them)
 * are rolled back before the save modes run; those a stored checkpoint covers stay, for `-r`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, runBin } from "./helpers.ts";
import { ensurePreparedTransactions, ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";

const ROWS = 2500;

interface Db {
  kind: string;
  setup(): Promise<void>;
  url: string;
  driver: string;
  table(t: string): string;
  /** Prepared transaction ids of job `jobId`. */
  prepared(jobId: string): Promise<string[]>;
  rows(t: string): Promise<number>;
  cleanup(tables: string[], jobIds: string[]): Promise<void>;
}

function postgres(): Db {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  return {
    kind: "PostgreSQL",
    setup: () => ensurePreparedTransactions(20),
    url: "jdbc:postgresql://127.0.0.1:5432/test",
    driver: "org.postgresql.Driver",
    table: (t) => `public.${t}`,
    prepared: async (jobId) =>
      ((await sql.unsafe(`SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'st-${jobId}-%'`)) as { gid: string }[])
        .map((r) => r.gid)
        .sort(),
    rows: async (t) => ((await sql.unsafe(`SELECT count(*)::int AS n FROM public.${t}`)) as { n: number }[])[0]!.n,
    async cleanup(tables, jobIds) {
      for (const jobId of jobIds) {
        for (const gid of await this.prepared(jobId)) {
          await sql.unsafe(`ROLLBACK PREPARED '${gid}'`);
        }
      }
      for (const t of tables) {
        await sql.unsafe(`DROP TABLE IF EXISTS public.${t}`);
      }
      await sql.close();
    },
  };
}

function mariadb(): Db {
  const sql = new Bun.SQL(MY_URL, { max: 1 });
  return {
    kind: "MariaDB",
    setup: () => ensureService("mariadb"),
    url: "jdbc:mysql://127.0.0.1:3306/test",
    driver: "com.mysql.cj.jdbc.Driver",
    table: (t) => t,
    prepared: async (jobId) =>
      ((await sql.unsafe("XA RECOVER")) as { data: string; gtrid_length: number }[])
        .map((r) => String(r.data).slice(0, Number(r.gtrid_length)))
        .filter((xid) => xid.startsWith(`st-${jobId}-`))
        .sort(),
    rows: async (t) => Number(((await sql.unsafe(`SELECT count(*) AS n FROM test.${t}`)) as { n: number }[])[0]!.n),
    async cleanup(tables, jobIds) {
      for (const jobId of jobIds) {
        for (const xid of await this.prepared(jobId)) {
          await sql.unsafe(`XA ROLLBACK '${xid}'`);
        }
      }
      for (const t of tables) {
        await sql.unsafe(`DROP TABLE IF EXISTS test.${t}`);
      }
      await sql.close();
    },
  };
}

/** One exactly-once Jdbc sink; the table and data save mode come from -i table=... -i mode=... */
function jobFile(dir: string, db: Db, name: string): string {
  const p = join(dir, `${name}.conf`);
  writeFileSync(
    p,
    `env { job.name = "${name}", parallelism = 1, job.mode = "BATCH", checkpoint.interval = 100, job.retry.times = 0, read_limit.rows_per_second = 5000 }
source {
  FakeSource {
    row.num = ${ROWS}
    split.num = 10
    split.read-interval = 0
    seed = 5
    schema = { fields { id = bigint, name = string } }
  }
}
sink {
  Jdbc {
    url = "${db.url}"
    driver = "${db.driver}"
    user = "root"
    password = ""
    generate_sink_sql = true
    database = "test"
    table = "\${table}"
    is_exactly_once = true
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST"
    data_save_mode = "\${mode}"
  }
}
`,
  );
  return p;
}

let seq = 0;
/** Job ids of this file start with 6, apart from other tests' (crash points 9…, chaos 7…). */
const newJobId = () => String(6000000000000000000n + BigInt(Date.now() % 1_000_000_000) * 1000n + BigInt(seq++));

/** Runs the job with a crash point set; asserts it died there. */
async function crash(args: string[], crashAt: string): Promise<void> {
  const proc = Bun.spawn([BIN, ...args, "--no-progress"], {
    cwd: ROOT,
    env: { ...process.env, TZ: "UTC", SEATUNNEL_CRASH_AT: crashAt },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [err] = await Promise.all([new Response(proc.stderr).text(), new Response(proc.stdout).text(), proc.exited]);
  expect(err).toContain(`crash point ${crashAt.split(":")[0]} reached`);
  expect(proc.signalCode).toBe("SIGKILL");
}

for (const make of [postgres, mariadb]) {
  const db = make();
  describe(`earlier runs' prepared transactions: ${db.kind}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "st-earlier-"));
    const ckpt = join(dir, "ckpt");
    const tables: string[] = [];
    const jobIds: string[] = [];
    const run = (conf: string, table: string, mode: string, extra: string[]) =>
      runBin(
        ["run", conf, "-i", `table=${db.table(table)}`, "-i", `mode=${mode}`, "--checkpoint-dir", ckpt, ...extra],
        { timeoutMs: 60_000 },
      );

    afterAll(() => db.cleanup(tables, jobIds));

    test("a plain run rolls back what a killed run prepared and no checkpoint covers, so DROP_DATA does not wait on it", async () => {
      await db.setup();
      const name = uniqueName("earlier_a");
      const conf = jobFile(dir, db, name);
      tables.push(name);
      const killed = newJobId();
      jobIds.push(killed);
      const args = ["run", conf, "-i", `table=${db.table(name)}`, "-i", "mode=APPEND_DATA", "--checkpoint-dir", ckpt];
      // Checkpoint 1 is stored and committed; the transaction prepared for checkpoint 2 is covered by none.
      await crash([...args, "--set-job-id", killed], "writer-prepared:2");
      expect((await db.prepared(killed)).length).toBe(1);
      const rerun = await run(conf, name, "DROP_DATA", ["--no-progress"]);
      if (rerun.code !== 0) {
        console.error(rerun.stderr.slice(-3000));
      }
      expect(rerun.code).toBe(0);
      expect(rerun.stdout + rerun.stderr).toContain(
        `Rolled back 1 prepared transaction(s) that earlier, killed runs of job ${name} left and no checkpoint of theirs covers.`,
      );
      expect(await db.prepared(killed)).toEqual([]);
      expect(await db.rows(name)).toBe(ROWS);
    }, 120_000);

    test("what a stored checkpoint of the killed run covers stays prepared, and -r of that run commits it", async () => {
      const name = uniqueName("earlier_b");
      const conf = jobFile(dir, db, name);
      const other = `${name}_other`;
      tables.push(name, other);
      const killed = newJobId();
      jobIds.push(killed);
      const args = ["run", conf, "-i", `table=${db.table(name)}`, "-i", "mode=APPEND_DATA", "--checkpoint-dir", ckpt];
      // Checkpoint 2 is stored, its commit not yet done: its prepared transaction is the checkpoint's.
      await crash([...args, "--set-job-id", killed], "checkpoint-stored:2");
      const covered = await db.prepared(killed);
      expect(covered.length).toBe(1);
      const plain = await run(conf, other, "APPEND_DATA", ["--no-progress"]);
      expect(plain.code).toBe(0);
      expect(plain.stdout + plain.stderr).not.toContain("Rolled back");
      expect(await db.rows(other)).toBe(ROWS);
      expect(await db.prepared(killed)).toEqual(covered);
      const resumed = await runBin([
        "run",
        "-r",
        killed,
        conf,
        "-i",
        `table=${db.table(name)}`,
        "-i",
        "mode=APPEND_DATA",
        "--checkpoint-dir",
        ckpt,
        "--no-progress",
      ]);
      expect(resumed.code).toBe(0);
      expect(await db.prepared(killed)).toEqual([]);
      expect(await db.rows(name)).toBe(ROWS);
    }, 120_000);
  });
}
