/**
 * The RabbitMQ sink (SeaTunnel's RabbitmqSinkWriter): each row as JSON (SeaTunnel's json format),
 * published to queue_name on the default exchange, or with routing_key to `exchange`. The channel
 * is a confirm channel: a checkpoint completes only once the broker has every message published
 * before it (SeaTunnel publishes without confirms), so a crash loses none; a restore may publish
 * again what came after the last checkpoint (at least once).
 */
import type amqp from "amqplib";
import { JobError, type Logger, type Row, type Sink, type SinkWriter, type TableSchema } from "../../src/api/index.ts";
import { rowWriter } from "../file-common/json-values.ts";
import { type AmqpOptions, amqpError, brokerOf, connect, declare, warnInert } from "./client.ts";

export interface RabbitSinkOptions extends AmqpOptions {
  routing_key?: string | undefined;
  exchange: string;
}

class RabbitWriter implements SinkWriter {
  private conn: amqp.ChannelModel | undefined;
  private ch: amqp.ConfirmChannel | undefined;
  private failure: Error | undefined;
  private readonly json = new Map<string, (v: unknown) => string>();

  constructor(
    private readonly o: RabbitSinkOptions,
    private readonly inputs: readonly TableSchema[],
    private readonly label: string,
  ) {
    for (const t of inputs) {
      this.json.set(t.id, rowWriter(t.columns.map((c) => ({ name: c.name, type: c.type }))));
    }
  }

  private async channel(): Promise<amqp.ConfirmChannel> {
    if (this.ch) {
      return this.ch;
    }
    const o = this.o;
    this.conn = await connect(o, this.label);
    this.conn.on("error", (e: Error) => void (this.failure ??= amqpError(o, this.label, e, "publishing")));
    const ch = await this.conn.createConfirmChannel();
    await declare(ch, o, this.label);
    this.ch = ch;
    return ch;
  }

  private writerOf(r: Row): (v: unknown) => string {
    const w = this.json.get(r.table) ?? (this.inputs.length === 1 ? this.json.get(this.inputs[0]!.id) : undefined);
    if (w === undefined) {
      throw new JobError("RABBITMQ_TABLE_UNKNOWN", `${this.label}: a row of table ${r.table}, which is not an input`);
    }
    return w;
  }

  async write(batch: Row[]): Promise<void> {
    const ch = await this.channel();
    if (this.failure) {
      throw this.failure;
    }
    const { exchange, routing_key, queue_name } = this.o;
    for (const r of batch) {
      const body = Buffer.from(this.writerOf(r)(r.fields));
      const ok = routing_key ? ch.publish(exchange, routing_key, body) : ch.sendToQueue(queue_name, body);
      if (!ok) {
        // The socket's buffer is full: wait until it drains.
        await new Promise<void>((resolve) => ch.once("drain", () => resolve()));
      }
    }
  }

  async prepareCommit(): Promise<undefined> {
    await this.confirmed();
    return undefined;
  }

  /** Waits until the broker has confirmed every message published so far. */
  private async confirmed(): Promise<void> {
    if (!this.ch) {
      return;
    }
    try {
      await this.ch.waitForConfirms();
    } catch (e) {
      throw amqpError(this.o, this.label, e, "waiting for the broker to confirm messages");
    }
    if (this.failure) {
      throw this.failure;
    }
  }

  async close(): Promise<void> {
    try {
      await this.confirmed();
    } finally {
      await this.conn?.close().catch(() => undefined);
    }
  }

  async abort(): Promise<void> {
    await this.conn?.close().catch(() => undefined);
  }
}

export function createRabbitSink(
  o: RabbitSinkOptions,
  inputs: readonly TableSchema[],
  label: string,
  log: Logger,
): Sink {
  warnInert(o, label, log);
  return {
    describeWrite: () =>
      `publishes each row as JSON to ${o.routing_key ? `exchange "${o.exchange}" with routing key ${o.routing_key}` : `queue ${o.queue_name}`} on ${brokerOf(o)}, confirmed by the broker at every checkpoint`,
    writer: () => new RabbitWriter(o, inputs, label),
  };
}
