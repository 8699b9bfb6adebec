/**
 * Redis → PostgreSQL and RabbitMQ → PostgreSQL against a bare client reading the same data in the
 * same run: 200,000 JSON strings under a key prefix in Redis (the bare client: SCAN COUNT 1000 and
 * MGET, as the source reads them), and 100,000 JSON messages in a queue (the bare client: an
 * amqplib consumer acknowledging on receipt). The jobs write into PostgreSQL tables they create;
 * their rate is rows per second of job time. Run alone: `bun bench/queues.ts` after `make build`.
 */
import amqp from "amqplib";
import { RedisClient } from "bun";
import { runJob, writeJob } from "./lib.ts";

const KEYS = 200_000;
const MESSAGES = 100_000;
const PG = `url = "jdbc:postgresql://127.0.0.1:5432/test", driver = "org.postgresql.Driver", user = "root", database = "test"
    generate_sink_sql = true, schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST", data_save_mode = "DROP_DATA"`;
const body = (i: number) => JSON.stringify({ id: i, name: `name ${i}`, amount: (i % 1000) / 10 });

async function redisBench(): Promise<{ job: number; bare: number }> {
  const db = 3;
  const r = new RedisClient(`redis://127.0.0.1:6379/${db}`);
  await r.connect();
  for (let i = 0; i < KEYS; i += 1000) {
    await Promise.all(Array.from({ length: 1000 }, (_, k) => r.send("SET", [`stbench:${i + k}`, body(i + k)])));
  }
  const t0 = performance.now();
  let cursor = "0";
  let read = 0;
  do {
    const [next, keys] = (await r.send("SCAN", [cursor, "MATCH", "stbench:*", "COUNT", "1000", "TYPE", "string"])) as [
      string,
      string[],
    ];
    cursor = String(next);
    if (keys.length) {
      read += ((await r.send("MGET", keys)) as string[]).length;
    }
  } while (cursor !== "0");
  const bare = read / ((performance.now() - t0) / 1000);
  const conf = writeJob(
    "redis-to-pg",
    `env { job.mode = "BATCH", parallelism = 1 }
source { Redis { host = "127.0.0.1", port = 6379, db_num = ${db}, keys = "stbench:*", data_type = key, batch_size = 1000
  schema = { fields { id = bigint, name = string, amount = "decimal(10, 1)" } } } }
sink { Jdbc { ${PG}, table = "public.stbench_redis" } }`,
  );
  const res = await runJob(conf);
  const keys = (await r.send("KEYS", ["stbench:*"])) as string[];
  for (let i = 0; i < keys.length; i += 10_000) {
    await r.send("DEL", keys.slice(i, i + 10_000));
  }
  r.close();
  if (res.written !== KEYS) {
    throw new Error(`redis → pg wrote ${res.written} rows, expected ${KEYS}`);
  }
  return { job: res.written / (res.totalTimeMs / 1000), bare };
}

async function publish(ch: amqp.ConfirmChannel, queue: string): Promise<void> {
  await ch.assertQueue(queue, { durable: true });
  await ch.purgeQueue(queue);
  for (let i = 0; i < MESSAGES; i++) {
    ch.sendToQueue(queue, Buffer.from(body(i)));
    if (i % 5000 === 4999) {
      await ch.waitForConfirms();
    }
  }
  await ch.waitForConfirms();
}

async function rabbitBench(): Promise<{ job: number; bare: number }> {
  const queue = "stbench_rabbit";
  const conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
  const ch = await conn.createConfirmChannel();
  await publish(ch, queue);
  const t0 = performance.now();
  let got = 0;
  await new Promise<void>((done) => {
    void ch.consume(
      queue,
      (m) => {
        if (m && ++got === MESSAGES) {
          done();
        }
      },
      { noAck: true },
    );
  });
  const bare = MESSAGES / ((performance.now() - t0) / 1000);
  await conn.close();
  const again = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
  await publish(await again.createConfirmChannel(), queue);
  const conf = writeJob(
    "rabbitmq-to-pg",
    `env { job.mode = "STREAMING", parallelism = 1 }
source { RabbitMQ { host = "127.0.0.1", port = 5672, virtual_host = "/", username = "guest", password = "guest"
  queue_name = "${queue}", for_e2e_testing = true
  schema = { fields { id = bigint, name = string, amount = "decimal(10, 1)" } } } }
sink { Jdbc { ${PG}, table = "public.stbench_rabbit" } }`,
  );
  const res = await runJob(conf);
  const ch2 = await again.createChannel();
  await ch2.deleteQueue(queue);
  await again.close();
  if (res.written !== MESSAGES) {
    throw new Error(`rabbitmq → pg wrote ${res.written} rows, expected ${MESSAGES}`);
  }
  // The job ends once the queue has been empty for a second: that second is not reading.
  return { job: res.written / ((res.totalTimeMs - 1000) / 1000), bare };
}

export async function queuesBench(): Promise<Record<string, number>> {
  const redis = await redisBench();
  console.log(
    `queues: Redis → PostgreSQL ${Math.round(redis.job)} rows/s, a bare SCAN+MGET client ${Math.round(redis.bare)} keys/s: ${(redis.job / redis.bare).toFixed(2)}x`,
  );
  const rabbit = await rabbitBench();
  console.log(
    `queues: RabbitMQ → PostgreSQL ${Math.round(rabbit.job)} rows/s, a bare amqplib consumer ${Math.round(rabbit.bare)} messages/s: ${(rabbit.job / rabbit.bare).toFixed(2)}x`,
  );
  return {
    redis_to_pg_rows_per_s: Math.round(redis.job),
    redis_bare_keys_per_s: Math.round(redis.bare),
    rabbitmq_to_pg_rows_per_s: Math.round(rabbit.job),
    rabbitmq_bare_messages_per_s: Math.round(rabbit.bare),
  };
}

if (import.meta.main) {
  await queuesBench();
}
