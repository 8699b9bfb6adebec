/**
 * The RabbitMQ source and sink against the machine's broker (queues named for this run): rows as
 * JSON both ways, a message acknowledged only once its checkpoint is committed, one delivered
 * again after a restore dropped by its correlation id, for_e2e_testing ending on an empty queue,
 * and the errors a user meets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import amqp from "amqplib";
import { Decimal, row, type Row, type SourceReader, T, type TableSchema } from "../../src/api/index.ts";
import { createSink, createSource, readAll, writeAll } from "../../src/api/testing.ts";
import { ensureService, uniqueName } from "../../tests/services.ts";
import { rabbitSink, rabbitSource } from "./index.ts";

const Q = uniqueName("rq");
const broker = `host = "127.0.0.1"\n port = 5672\n virtual_host = "/"\n username = guest\n password = guest`;
const schema = `schema = { fields { id = bigint, item = string, amount = "decimal(10, 2)" } }`;
let conn: amqp.ChannelModel;
let ch: amqp.Channel;
const queues: string[] = [];

beforeAll(async () => {
  await ensureService("rabbitmq");
  conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672/");
  ch = await conn.createChannel();
});

afterAll(async () => {
  for (const q of queues) {
    await ch.deleteQueue(q);
  }
  await conn.close();
});

async function queue(name: string): Promise<string> {
  const q = `${Q}_${name}`;
  queues.push(q);
  await ch.assertQueue(q, { durable: true });
  await ch.purgeQueue(q);
  return q;
}

function publish(q: string, n: number, from = 1): void {
  for (let i = from; i < from + n; i++) {
    ch.sendToQueue(q, Buffer.from(JSON.stringify({ id: i, item: `item ${i}`, amount: i + 0.5 })), {
      correlationId: `c${i}`,
    });
  }
}

const streaming = { jobMode: "STREAMING" as const };

/** Polls `reader` until it has `n` rows (or 5 s pass). */
async function rowsOf(reader: SourceReader, n: number): Promise<Row[]> {
  const out: Row[] = [];
  const end = Date.now() + 5000;
  while (out.length < n && Date.now() < end) {
    out.push(...((await reader.poll()) ?? []));
    await Bun.sleep(10);
  }
  return out;
}

describe("RabbitMQ source", () => {
  test("a message is acknowledged only once its checkpoint is committed", async () => {
    const q = await queue("ack");
    publish(q, 3);
    const source = await createSource(rabbitSource, `${broker}\n queue_name = "${q}"\n ${schema}`, streaming);
    const first = await source.reader({ subtask: 0, parallelism: 1, log: console });
    first.addSplits([{ covered: [] }]);
    const rows = await rowsOf(first, 3);
    expect(rows.map((r) => r.fields)).toEqual([
      [1n, "item 1", new Decimal(15n, 1)],
      [2n, "item 2", new Decimal(25n, 1)],
      [3n, "item 3", new Decimal(35n, 1)],
    ]);
    first.snapshot?.(1);
    await first.close?.();
    // Not committed: the broker has all three again.
    const again = await source.reader({ subtask: 0, parallelism: 1, log: console });
    again.addSplits([{ covered: [] }]);
    expect((await rowsOf(again, 3)).length).toBe(3);
    again.snapshot?.(1);
    again.notifyCheckpointComplete?.(1);
    await Bun.sleep(100);
    await again.close?.();
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });

  test("use_correlation_id: after a restore, a message its checkpoint covers is dropped, the others read again", async () => {
    const q = await queue("dedup");
    publish(q, 4);
    const body = `${broker}\n queue_name = "${q}"\n use_correlation_id = true\n ${schema}`;
    const source = await createSource(rabbitSource, body, streaming);
    const first = await source.reader({ subtask: 0, parallelism: 1, log: console });
    first.addSplits([{ covered: [] }]);
    expect((await rowsOf(first, 4)).length).toBe(4);
    // Checkpoint 1 covers all four; the job dies before it is committed and acknowledged.
    const state = first.snapshot?.(1) as { covered: string[] }[];
    expect(state[0]!.covered).toEqual(["c1", "c2", "c3", "c4"]);
    publish(q, 2, 5);
    await rowsOf(first, 2);
    await first.close?.();
    const restored = await source.reader({ subtask: 0, parallelism: 1, log: console });
    restored.addSplits(structuredClone(state));
    const again = await rowsOf(restored, 2);
    expect(again.map((r) => r.fields[0])).toEqual([5n, 6n]);
    restored.snapshot?.(2);
    restored.notifyCheckpointComplete?.(2);
    await Bun.sleep(100);
    await restored.close?.();
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });

  test("for_e2e_testing reads the queue until it is empty; a batch job is refused", async () => {
    const q = await queue("e2e");
    publish(q, 7);
    const source = await createSource(
      rabbitSource,
      `${broker}\n queue_name = "${q}"\n for_e2e_testing = true\n ${schema}`,
      streaming,
    );
    expect((await readAll(source)).length).toBe(7);
    await expect(createSource(rabbitSource, `${broker}\n queue_name = "${q}"\n ${schema}`)).rejects.toThrow(
      'RabbitMQ is a streaming source: set env job.mode = "STREAMING"',
    );
  });
});

const table: TableSchema = {
  id: "t",
  path: { table: "t" },
  columns: [
    { name: "id", type: T.bigint, nullable: false },
    { name: "amount", type: T.decimal(10, 2), nullable: true },
  ],
};

describe("RabbitMQ sink", () => {
  test("publishes each row as SeaTunnel's JSON, confirmed by the broker at the checkpoint", async () => {
    const q = await queue("out");
    const sink = await createSink(rabbitSink, `${broker}\n queue_name = "${q}"`, [table]);
    await writeAll(sink, [[row("t", [1n, new Decimal(1050n, 2)]), row("t", [2n, null])]]);
    const bodies: string[] = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
      bodies.push(m.content.toString());
    }
    expect(bodies).toEqual(['{"id":1,"amount":10.50}', '{"id":2,"amount":null}']);
  });

  test("a wrong password: one line naming the options", async () => {
    const sink = await createSink(
      rabbitSink,
      `host = "127.0.0.1"\n port = 5672\n virtual_host = "/"\n username = guest\n password = nope\n queue_name = "${Q}_x"`,
      [table],
    );
    await expect(writeAll(sink, [[row("t", [1n, null])]])).rejects.toThrow(
      "sink RabbitMQ: connecting on amqp://127.0.0.1:5672/ (queue " +
        `${Q}_x): access refused: the user or password is wrong`,
    );
  });
});
