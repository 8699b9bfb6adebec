/**
 * Crash points (docs/crash-points.md): a job with two exactly-once sinks is killed at each named
 * step of the checkpoint / two-phase-commit protocol (SEATUNNEL_CRASH_AT), restored with `-r`, and
 * both targets must then hold exactly the rows of an uninterrupted run, for LocalFile
 * (transactional), Jdbc PostgreSQL (prepared transactions) and Jdbc MariaDB (XA), with no prepared
 * transaction and no temporary file left behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CRASH_POINTS, type CrashPoint } from "../src/checkpoint/crash-points.ts";
import { BIN, ROOT, runBin } from "./helpers.ts";
import { ensurePreparedTransactions, ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";

const ROWS_PER_SUBTASK = 2500;
const ROWS = ROWS_PER_SUBTASK * 2;

/** How each point is reached: which occurrence to die at, or a stop request (savepoint). */
const PLAN: Record<CrashPoint, { nth?: number; stop?: true; afterCrashAt?: string; elsewhere?: string }> = {
  "barrier-injected": { nth: 3 },
  // Two writers per chain, each chain counts in its own worker: the second checkpoint's first writer.
  "writer-prepared": { nth: 3 },
  "checkpoint-stored": { nth: 3 },
  "sink-committed": { nth: 2 },
  "commits-done": { nth: 2 },
  "savepoint-stored": { stop: true },
  "final-checkpoint-stored": {},
  // Crash once mid-job, then crash again inside the restore itself.
  "restore-recommitted": { afterCrashAt: "checkpoint-stored:2" },
  // Reached by incremental jobs only, which that file kills there.
  "incremental-state-stored": { elsewhere: "tests/incremental-crash.test.ts" },
  // A cluster member's own steps: that file kills members there.
  "lease-acquired": { elsewhere: "tests/cluster-crash.test.ts" },
  "assignment-written": { elsewhere: "tests/cluster-crash.test.ts" },
};

interface Target {
  kind: string;
  /** The two sink blocks of the job, named by `tag`. */
  sinks(tag: string, dir: string): string;
  /** Row count and an order-independent checksum of one sink's committed rows. */
  digest(tag: string, which: "a" | "b", dir: string): Promise<{ rows: number; sum: string }>;
  /** What the job left prepared or temporary (must be nothing). */
  leftovers(jobId: string, dir: string): Promise<string[]>;
  cleanup(tags: string[]): Promise<void>;
}

function jobText(sinks: string): string {
  return `env { parallelism = 2, job.mode = "BATCH", checkpoint.interval = 100, job.retry.times = 0, read_limit.rows_per_second = 5000 }
source {
  FakeSource {
    plugin_output = "fake"
    row.num = ${ROWS_PER_SUBTASK}
    split.num = 10
    split.read-interval = 0
    seed = 7
    schema = { fields { id = bigint, name = string, amount = "decimal(12, 2)" } }
  }
}
sink {${sinks}
}
`;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      out.push(...filesUnder(p));
    } else {
      out.push(p);
    }
  }
  return out;
}

const localFile: Target = {
  kind: "LocalFile",
  sinks: (tag, dir) =>
    ["a", "b"]
      .map(
        (w) => `
  LocalFile {
    plugin_input = "fake"
    path = "${join(dir, `${tag}_${w}`)}"
    tmp_path = "${join(dir, "tmp")}"
    file_format_type = "csv"
    is_enable_transaction = true
  }`,
      )
      .join(""),
  async digest(tag, which, dir) {
    let rows = 0;
    let sum = 0n;
    for (const f of filesUnder(join(dir, `${tag}_${which}`))) {
      for (const line of readFileSync(f, "utf8").split("\n")) {
        if (line !== "") {
          rows++;
          sum = (sum + BigInt(Bun.hash(line))) & 0xffffffffffffffffn;
        }
      }
    }
    return { rows, sum: sum.toString() };
  },
  async leftovers(_jobId, dir) {
    return filesUnder(join(dir, "tmp"));
  },
  async cleanup() {},
};

function jdbcSinks(url: string, driver: string, table: (t: string) => string, database: string) {
  return (tag: string) =>
    ["a", "b"]
      .map(
        (w) => `
  Jdbc {
    plugin_input = "fake"
    url = "${url}"
    driver = "${driver}"
    user = "root"
    password = ""
    generate_sink_sql = true
    database = "${database}"
    table = "${table(`${tag}_${w}`)}"
    is_exactly_once = true
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST"
    data_save_mode = "APPEND_DATA"
  }`,
      )
      .join("");
}

function postgres(): Target {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  return {
    kind: "Jdbc PostgreSQL",
    sinks: jdbcSinks("jdbc:postgresql://127.0.0.1:5432/test", "org.postgresql.Driver", (t) => `public.${t}`, "test"),
    async digest(tag, which) {
      const t = `public.${tag}_${which}`;
      const exists = (await sql.unsafe(`SELECT to_regclass('${t}') IS NOT NULL AS ok`)) as { ok: boolean }[];
      if (!exists[0]!.ok) {
        return { rows: 0, sum: "0" };
      }
      const r = (await sql.unsafe(
        `SELECT count(*)::int AS n, coalesce(sum(hashtext(x::text)::bigint), 0)::text AS h FROM ${t} x`,
      )) as { n: number; h: string }[];
      return { rows: r[0]!.n, sum: r[0]!.h };
    },
    async leftovers(jobId) {
      const r = (await sql.unsafe(`SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'st-${jobId}-%'`)) as {
        gid: string;
      }[];
      return r.map((x) => x.gid);
    },
    async cleanup(tags) {
      for (const { gid } of (await sql.unsafe(`SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'st-9%'`)) as {
        gid: string;
      }[]) {
        await sql.unsafe(`ROLLBACK PREPARED '${gid}'`);
      }
      for (const tag of tags) {
        await sql.unsafe(`DROP TABLE IF EXISTS public.${tag}_a, public.${tag}_b`);
      }
      await sql.close();
    },
  };
}

function mariadb(): Target {
  const sql = new Bun.SQL(MY_URL, { max: 1 });
  const prepared = async (prefix: string) =>
    ((await sql.unsafe("XA RECOVER")) as { data: string; gtrid_length: number }[])
      .map((r) => String(r.data).slice(0, Number(r.gtrid_length)))
      .filter((xid) => xid.startsWith(prefix));
  return {
    kind: "Jdbc MariaDB",
    sinks: jdbcSinks("jdbc:mysql://127.0.0.1:3306/test", "com.mysql.cj.jdbc.Driver", (t) => t, "test"),
    async digest(tag, which) {
      const t = `${tag}_${which}`;
      const exists = (await sql.unsafe(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'test' AND table_name = '${t}'`,
      )) as { n: number }[];
      if (Number(exists[0]!.n) === 0) {
        return { rows: 0, sum: "0" };
      }
      const r = (await sql.unsafe(
        `SELECT count(*) AS n, CAST(coalesce(sum(crc32(concat_ws('|', id, name, amount))), 0) AS CHAR) AS h FROM test.${t}`,
      )) as { n: number; h: string }[];
      return { rows: Number(r[0]!.n), sum: String(r[0]!.h) };
    },
    leftovers: (jobId) => prepared(`st-${jobId}-`),
    async cleanup(tags) {
      for (const xid of await prepared("st-9")) {
        await sql.unsafe(`XA ROLLBACK '${xid}'`);
      }
      for (const tag of tags) {
        await sql.unsafe(`DROP TABLE IF EXISTS test.${tag}_a, test.${tag}_b`);
      }
      await sql.close();
    },
  };
}

let jobSeq = 0;
/** Job ids of this run: 9… so leftovers are told apart from other tests' (chaos uses 7…). */
const newJobId = () => String(9000000000000000000n + BigInt(Date.now() % 1_000_000_000) * 1000n + BigInt(jobSeq++));

/**
 * Starts the job with a crash point set and returns once the process is gone; asserts it died there.
 * `stopWhen`: send SIGINT (a stop request, which takes a savepoint) once it holds.
 */
async function runToCrash(
  conf: string,
  ckpt: string,
  jobId: string,
  crashAt: string,
  stopWhen?: () => Promise<boolean>,
  restore = false,
) {
  const args = restore ? ["run", "-r", jobId, conf] : ["run", conf, "--set-job-id", jobId];
  const proc = Bun.spawn([BIN, ...args, "--checkpoint-dir", ckpt, "--no-progress"], {
    cwd: ROOT,
    env: { ...process.env, TZ: "UTC", SEATUNNEL_CRASH_AT: crashAt },
    stdout: "pipe",
    stderr: "pipe",
  });
  if (stopWhen) {
    while (proc.exitCode === null && !(await stopWhen())) {
      await Bun.sleep(5);
    }
    proc.kill("SIGINT");
  }
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  const point = crashAt.split(":")[0];
  if (!err.includes(`crash point ${point} reached`)) {
    throw new Error(
      `the job did not die at ${crashAt} (exit ${proc.exitCode}):\n${out.slice(-2000)}\n${err.slice(-2000)}`,
    );
  }
  expect(proc.signalCode).toBe("SIGKILL");
}

/** Restores the job; its counts are the whole job's, the part before the crash included. */
async function restore(conf: string, ckpt: string, jobId: string): Promise<void> {
  const r = await runBin(["run", "-r", jobId, conf, "--checkpoint-dir", ckpt, "--no-progress", "--json"]);
  if (r.code !== 0) {
    throw new Error(`restore exited ${r.code}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
  expect(JSON.parse(r.stdout)).toMatchObject({ status: "FINISHED", read: ROWS, written: 2 * ROWS, reread: 0 });
}

const TARGETS: { kind: string; setup: () => Promise<void>; make: () => Target }[] = [
  { kind: "LocalFile", setup: async () => {}, make: () => localFile },
  { kind: "Jdbc PostgreSQL", setup: () => ensurePreparedTransactions(20), make: postgres },
  { kind: "Jdbc MariaDB", setup: () => ensureService("mariadb"), make: mariadb },
];

for (const { kind, setup, make } of TARGETS) {
  describe(`crash points: ${kind}`, () => {
    let t: Target;
    const dir = mkdtempSync(join(tmpdir(), "st-crash-"));
    const ckpt = join(dir, "ckpt");
    const tags: string[] = [];
    let want: { rows: number; sum: string };

    beforeAll(async () => {
      await setup();
      t = make();
      const tag = uniqueName("crash_clean");
      tags.push(tag);
      const conf = join(dir, `${tag}.conf`);
      writeFileSync(conf, jobText(t.sinks(tag, dir)));
      const r = await runBin(["run", conf, "--checkpoint-dir", ckpt, "--no-progress"]);
      expect(r.code).toBe(0);
      want = await t.digest(tag, "a", dir);
      expect(want.rows).toBe(ROWS);
      expect(await t.digest(tag, "b", dir)).toEqual(want);
    }, 120_000);

    afterAll(async () => {
      await t?.cleanup(tags);
    });

    for (const point of (Object.keys(CRASH_POINTS) as CrashPoint[]).filter((p) => !PLAN[p].elsewhere)) {
      test(`killed at ${point}, restored with -r: both sinks hold every row exactly once, nothing left prepared`, async () => {
        const plan = PLAN[point];
        const tag = uniqueName(`crash_${point.replaceAll("-", "_")}`);
        tags.push(tag);
        const conf = join(dir, `${tag}.conf`);
        writeFileSync(conf, jobText(t.sinks(tag, dir)));
        const jobId = newJobId();
        if (plan.afterCrashAt) {
          await runToCrash(conf, ckpt, jobId, plan.afterCrashAt);
          await runToCrash(conf, ckpt, jobId, point, undefined, true);
        } else {
          // The savepoint is taken once the pipeline runs and has committed a checkpoint.
          const running = async () => (await t.digest(tag, "a", dir)).rows > 0;
          await runToCrash(
            conf,
            ckpt,
            jobId,
            plan.nth ? `${point}:${plan.nth}` : point,
            plan.stop ? running : undefined,
          );
        }
        // The crash left the job's checkpoint folder; the restore that finishes removes it.
        expect(existsSync(join(ckpt, jobId, "job.json"))).toBe(true);
        await restore(conf, ckpt, jobId);
        expect(existsSync(join(ckpt, jobId))).toBe(false);
        expect(await t.digest(tag, "a", dir)).toEqual(want);
        expect(await t.digest(tag, "b", dir)).toEqual(want);
        expect(await t.leftovers(jobId, dir)).toEqual([]);
      }, 120_000);
    }
  });
}

test("docs/crash-points.md lists every crash point as the code names it", () => {
  const doc = readFileSync(join(ROOT, "docs", "crash-points.md"), "utf8");
  const listed = [...doc.matchAll(/^- `([a-z-]+)`: (.+)$/gm)].map((m) => [m[1], m[2]]);
  expect(listed).toEqual(Object.entries(CRASH_POINTS));
});

test("a SEATUNNEL_CRASH_AT that names no crash point fails before the job starts", async () => {
  const r = await runBin(["run", "fixtures/jobs/demo.conf"], { env: { SEATUNNEL_CRASH_AT: "nowhere" } });
  expect(r.code).toBe(234);
  expect(r.stderr).toContain(
    'error[USAGE]: SEATUNNEL_CRASH_AT="nowhere" names no crash point (known: barrier-injected,',
  );
});
