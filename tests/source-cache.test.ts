/**
 * The source cache through the binary: the source is read to its end while a slow sink has taken
 * only part of the rows, a sink that fails and recovers still gets every row exactly once, and a
 * full cache fails the job with a clear error.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, runBin } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const tmp = mkdtempSync(join(tmpdir(), "st-cache-"));

function job(name: string, env: string, rows: number, sinks: string): string {
  const p = join(tmp, name);
  writeFileSync(
    p,
    `env { ${env} }
source {
  FakeSource { result_table_name = "a", row.num = ${rows}, split.num = 20, split.read-interval = 0, seed = 5, schema = { fields { id = bigint, name = string } } }
}
sink {${sinks}
}`,
  );
  return p;
}

const exact = (n: number) => `
  Assert { source_table_name = "a", rules { row_rules = [ { rule_type = MIN_ROW, rule_value = ${n} }, { rule_type = MAX_ROW, rule_value = ${n} } ] } }`;

describe("source cache", () => {
  test("the source is read to its end while a slow sink is still writing", async () => {
    const conf = job(
      "slow.conf",
      "source_cache = true",
      400,
      `\n  Console { source_table_name = "a", log.print.data = false, log.print.delay.ms = 2 }${exact(400)}`,
    );
    const r = await runBin(["run", conf, "--checkpoint-dir", join(tmp, "ckpt")]);
    expect(r.code).toBe(0);
    const m = /read to its end \((\d+) rows cached in this run\) while the pipeline had taken (\d+) of them/.exec(
      r.stdout,
    );
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(400);
    expect(Number(m![2])).toBeLessThan(400);
  });

  test("a sink that fails twice gets every row exactly once from the cache", async () => {
    const conf = job(
      "failing.conf",
      "source_cache = true, checkpoint.interval = 20, job.retry.interval.seconds = 0",
      30000,
      `\n  InMemory { source_table_name = "a", fail_times = 2 }${exact(30000)}`,
    );
    const dir = join(tmp, "ckpt2");
    const r = await runBin(["run", conf, "--json", "--checkpoint-dir", dir]);
    if (r.code !== 0) {
      console.error(r.stdout.slice(-3000), r.stderr);
    }
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Restore time 2");
    const jobId = (JSON.parse(r.stdout) as { jobId: string }).jobId;
    // A finished job leaves no cache segments behind.
    expect(existsSync(join(dir, jobId, "cache"))).toBe(false);
  });

  test("a cache that outgrows source_cache.max_bytes fails the job with SOURCE_CACHE_FULL", async () => {
    const conf = job(
      "full.conf",
      "source_cache = true, source_cache.max_bytes = 1000, job.retry.times = 0",
      5000,
      `\n  Console { source_table_name = "a", log.print.data = false, log.print.delay.ms = 1 }`,
    );
    const r = await runBin(["run", conf, "--checkpoint-dir", join(tmp, "ckpt3")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("SOURCE_CACHE_FULL");
    expect(r.stderr).toContain("source_cache.max_bytes = 1000");
  });
});

describe("source cache against PostgreSQL", () => {
  test("while the sink table is locked the source reads on into the cache; after the lock every row is written exactly once", async () => {
    await ensureService("postgres");
    const table = uniqueName("cache_locked");
    const sql = new Bun.SQL(PG_URL, { max: 2 });
    await sql.unsafe(`CREATE TABLE public.${table} (id bigint, name text)`);
    const locker = await sql.reserve();
    try {
      await locker.unsafe("BEGIN");
      await locker.unsafe(`LOCK TABLE public.${table} IN ACCESS EXCLUSIVE MODE`);
      const conf = job(
        "locked.conf",
        "source_cache = true, checkpoint.interval = 100",
        20000,
        `\n  Jdbc { source_table_name = "a", url = "jdbc:postgresql://127.0.0.1:5432/test", driver = "org.postgresql.Driver", user = "root", generate_sink_sql = true, database = "test", table = "public.${table}", schema_save_mode = "IGNORE", data_save_mode = "APPEND_DATA" }`,
      );
      const proc = Bun.spawn([BIN, "run", conf, "--checkpoint-dir", join(tmp, "ckpt-pg")], {
        cwd: ROOT,
        stdout: "pipe",
        stderr: "pipe",
      });
      const out = watch(proc.stdout);
      // The source finishes reading while the sink cannot write a single row.
      const line = await out.until(
        /read to its end \((\d+) rows cached in this run\) while the pipeline had taken (\d+) of them/,
        60_000,
      );
      expect(Number(line[1])).toBe(20000);
      expect(Number(line[2])).toBeLessThan(20000);
      const during = (await sql.unsafe(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
      )) as { n: number }[];
      expect(during[0]!.n).toBeGreaterThan(0);
      await locker.unsafe("COMMIT");
      expect(await proc.exited).toBe(0);
      const r = (await sql.unsafe(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM public.${table}`)) as {
        n: number;
        d: number;
      }[];
      expect(r[0]).toEqual({ n: 20000, d: 20000 });
    } finally {
      locker.release();
      await sql.unsafe(`DROP TABLE IF EXISTS public.${table}`);
      await sql.close();
    }
  }, 120_000);
});

/** Collects a process's output and waits for a pattern to appear in it. */
function watch(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: (() => void)[] = [];
  void (async () => {
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      text += dec.decode(chunk);
      for (const w of waiters.splice(0)) {
        w();
      }
    }
  })();
  return {
    async until(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(text);
        if (m) {
          return m;
        }
        if (Date.now() > deadline) {
          throw new Error(`no ${re} in the output:\n${text.slice(-2000)}`);
        }
        await Promise.race([new Promise<void>((r) => waiters.push(r)), Bun.sleep(200)]);
      }
    },
  };
}
