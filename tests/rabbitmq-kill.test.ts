/**
 * RabbitMQ → PostgreSQL exactly once under SIGKILL: while a producer publishes 100,000 messages
 * (each with a correlation id), a streaming job (use_correlation_id, Jdbc is_exactly_once) is
 * killed five times and resumed with `-r` each time: three SIGKILLs at random moments, and two at
 * the crash point commits-done (the sink has committed a checkpoint, its messages are not
 * acknowledged yet: the broker delivers them again, and only their correlation ids keep them out
 * of the table). At the end every message is in the table once: 100,000 rows, 100,000 distinct
 * ids, the ids' sum.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import amqp from "amqplib";
import { BIN, ROOT } from "./helpers.ts";
import { ensurePreparedTransactions, ensureService, PG_URL, uniqueName } from "./services.ts";

const MESSAGES = 100_000;
const KILLS = 5;
const queue = uniqueName("rq_kill");
const table = uniqueName("rq_kill");
let sql: InstanceType<typeof Bun.SQL> | undefined;

afterAll(async () => {
  await sql?.unsafe(`DROP TABLE IF EXISTS public.${table}`);
  await sql?.close();
  const conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue);
  await conn.close();
});

function job(dir: string): string {
  const p = join(dir, "job.conf");
  writeFileSync(
    p,
    `env { job.mode = "STREAMING", parallelism = 1, checkpoint.interval = 300, job.retry.times = 0 }
source {
  RabbitMQ {
    host = "127.0.0.1", port = 5672, virtual_host = "/", username = "guest", password = "guest"
    queue_name = "${queue}"
    use_correlation_id = true
    prefetch_count = 2000
    schema = { fields { id = bigint, name = string } }
  }
}
sink {
  Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test", driver = "org.postgresql.Driver", user = "root"
    generate_sink_sql = true, database = "test", table = "public.${table}"
    is_exactly_once = true
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST", data_save_mode = "APPEND_DATA"
  }
}
`,
  );
  return p;
}

/** Publishes the messages at about 10,000 a second, each with its correlation id. */
async function produce(): Promise<void> {
  const conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true });
  for (let i = 1; i <= MESSAGES; i++) {
    ch.sendToQueue(queue, Buffer.from(JSON.stringify({ id: i, name: `message ${i}` })), { correlationId: `m${i}` });
    if (i % 1000 === 0) {
      await ch.waitForConfirms();
      await Bun.sleep(100);
    }
  }
  await ch.waitForConfirms();
  await conn.close();
}

const counts = async () => {
  const [r] = (await sql!.unsafe(
    `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, coalesce(sum(id), 0)::text AS s FROM public.${table}`,
  )) as { n: number; d: number; s: string }[];
  return r!;
};

/** True once the run `p` has taken the job (job.json names its pid). */
async function started(ckpt: string, jobId: string, p: { pid: number; exitCode: number | null }): Promise<boolean> {
  while (p.exitCode === null) {
    try {
      if (JSON.parse(readFileSync(join(ckpt, jobId, "job.json"), "utf8")).owner?.pid === p.pid) {
        return true;
      }
    } catch {
      // Not written yet.
    }
    await Bun.sleep(20);
  }
  return false;
}

describe("RabbitMQ → PostgreSQL under SIGKILL", () => {
  test(`killed ${KILLS} times while ${MESSAGES} messages are published, resumed with -r: each message in the table once`, async () => {
    await ensureService("rabbitmq");
    await ensurePreparedTransactions();
    sql = new Bun.SQL(PG_URL, { max: 1 });
    const setup = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
    const sch = await setup.createChannel();
    await sch.assertQueue(queue, { durable: true });
    await sch.purgeQueue(queue);
    await setup.close();
    const dir = mkdtempSync(join(tmpdir(), "st-rq-kill-"));
    const ckpt = join(dir, "ckpt");
    const conf = job(dir);
    const jobId = String(7100000000000000000n + BigInt(Math.floor(Math.random() * 1e9)));
    const producing = produce();
    const seen: number[] = [];
    let args = ["run", conf, "--set-job-id", jobId, "--checkpoint-dir", ckpt];
    for (let kill = 0; kill < KILLS; kill++) {
      // Kills 2 and 4: the process kills itself once the sink has committed its 3rd checkpoint.
      const atCommit = kill % 2 === 1;
      const env = { ...process.env, ...(atCommit ? { SEATUNNEL_CRASH_AT: "commits-done:3" } : {}) };
      const p = Bun.spawn([BIN, ...args], { cwd: ROOT, stdout: "ignore", stderr: "pipe", env });
      expect(await started(ckpt, jobId, p)).toBe(true);
      if (!atCommit) {
        await Bun.sleep(800 + Math.floor(Math.random() * 800));
        p.kill("SIGKILL");
      }
      expect(await p.exited).not.toBe(0);
      expect(p.signalCode).toBe("SIGKILL");
      seen.push((await counts().catch(() => ({ n: 0 }))).n);
      args = ["run", "-r", jobId, conf, "--checkpoint-dir", ckpt];
    }
    await producing;
    // The last run takes the rest, then is stopped with a savepoint (a streaming job's end).
    const last = Bun.spawn([BIN, ...args], { cwd: ROOT, stdout: "ignore", stderr: "pipe" });
    const end = Date.now() + 120_000;
    while ((await counts().catch(() => ({ n: 0 }))).n < MESSAGES && Date.now() < end) {
      await Bun.sleep(250);
    }
    await Bun.sleep(1000);
    last.kill("SIGINT");
    const code = await last.exited;
    expect({ code, stderr: code === 0 ? "" : await new Response(last.stderr).text() }).toEqual({ code: 0, stderr: "" });
    console.log(`rabbitmq kill: rows committed at each kill: ${seen.join(", ")}`);
    expect(seen.some((n) => n > 0 && n < MESSAGES)).toBe(true);
    expect(await counts()).toEqual({ n: MESSAGES, d: MESSAGES, s: String((MESSAGES * (MESSAGES + 1)) / 2) });
  }, 300_000);
});
