/**
 * The RabbitMQ source (SeaTunnel's RabbitmqSourceReader), a streaming job's: each reader consumes
 * queue_name (competing consumers), each message a JSON row by the schema. A message is
 * acknowledged only once the checkpoint that covers it is committed, so a crash before that
 * brings it back. With use_correlation_id the checkpoint also keeps the correlation ids it covers
 * and not yet acknowledged: one of them delivered again after a restore is dropped (exactly once,
 * with parallelism 1). for_e2e_testing reads what is there, acknowledged on receipt, and ends
 * once the queue has stayed empty for a second.
 */
import type amqp from "amqplib";
import {
  catalogTable,
  JobError,
  type Logger,
  type PluginContext,
  type Row,
  RowKind,
  type SchemaSpec,
  type Source,
  type SourceReader,
  type TableSchema,
} from "../../src/api/index.ts";
import { jsonRowReader } from "../file-common/json-values.ts";
import { FieldError } from "../file-common/text-values.ts";
import { type AmqpOptions, amqpError, connect, declare, warnInert } from "./client.ts";

export interface RabbitSourceOptions extends AmqpOptions {
  schema: SchemaSpec;
  prefetch_count?: number | undefined;
  for_e2e_testing: boolean;
  use_correlation_id: boolean;
}

/** A reader's state: the correlation ids of messages a checkpoint covers and that may not be acknowledged yet. */
interface RabbitSplit {
  covered: string[];
}

const DEFAULT_PREFETCH = 10_000;
/** Rows per poll at most. */
const BATCH = 1000;
/** for_e2e_testing: the queue empty this long ends the read. */
const DRAINED_MS = 1000;

export function createRabbitSource(o: RabbitSourceOptions, ctx: PluginContext): Source<RabbitSplit> {
  if (ctx.jobMode !== "STREAMING") {
    throw new JobError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: RabbitMQ is a streaming source: set env job.mode = "STREAMING" (for_e2e_testing = true makes it end once the queue is empty)`,
    );
  }
  warnInert(o, ctx.label, ctx.log);
  const table = catalogTable(o.schema, ctx.outputName);
  return {
    tables: [table],
    bounded: o.for_e2e_testing,
    splits: (parallelism) => Array.from({ length: parallelism }, () => [{ covered: [] }]),
    reader: (rctx) => new RabbitReader(o, table, ctx.label, rctx.log),
  };
}

interface Pending {
  msg: amqp.ConsumeMessage;
  id: string | undefined;
}

class RabbitReader implements SourceReader<RabbitSplit> {
  private conn: amqp.ChannelModel | undefined;
  private ch: amqp.Channel | undefined;
  private readonly inbox: Pending[] = [];
  private failure: Error | undefined;
  /** Delivered and emitted since the last snapshot: the last delivery tag, the correlation ids. */
  private lastTag: number | undefined;
  private ids: string[] = [];
  /** Per checkpoint not yet committed: its last delivery tag and its ids. */
  private readonly byCheckpoint = new Map<number, { tag: number | undefined; ids: string[] }>();
  /** Ids a restored checkpoint covers: such a message delivered again is dropped. */
  private restored = new Set<string>();
  private lastMessageAt = Date.now();
  /** The highest delivery tag acknowledged (a checkpoint with no new message has its predecessor's tag). */
  private acked = 0;
  private readonly toRow: (body: Buffer) => unknown[] | undefined;

  constructor(
    private readonly o: RabbitSourceOptions,
    private readonly table: TableSchema,
    private readonly label: string,
    private readonly log: Logger,
  ) {
    this.toRow = jsonRows(table, label);
  }

  addSplits(splits: RabbitSplit[]): void {
    for (const s of splits) {
      for (const id of s.covered) {
        this.restored.add(id);
      }
    }
  }

  private async start(): Promise<void> {
    const o = this.o;
    this.conn = await connect(o, this.label);
    this.conn.on("error", (e: Error) => void (this.failure ??= amqpError(o, this.label, e, "reading")));
    this.conn.on("close", () => void (this.failure ??= amqpError(o, this.label, "the connection closed", "reading")));
    const ch = await this.conn.createChannel();
    this.ch = ch;
    await declare(ch, o, this.label);
    await ch.prefetch(o.prefetch_count ?? DEFAULT_PREFETCH);
    await ch.consume(
      o.queue_name,
      (msg) => {
        if (msg === null) {
          this.failure ??= amqpError(o, this.label, "the broker cancelled the consumer (queue deleted?)", "reading");
          return;
        }
        this.inbox.push({ msg, id: msg.properties.correlationId as string | undefined });
      },
      { noAck: o.for_e2e_testing },
    );
    this.log.info(
      `${this.label}: consuming queue ${o.queue_name}${o.for_e2e_testing ? " (for_e2e_testing: until it is empty)" : ""}`,
    );
  }

  async poll(): Promise<Row[] | null> {
    if (this.ch === undefined) {
      await this.start();
    }
    if (this.failure) {
      throw this.failure;
    }
    if (this.inbox.length === 0) {
      return this.o.for_e2e_testing && Date.now() - this.lastMessageAt > DRAINED_MS ? null : [];
    }
    this.lastMessageAt = Date.now();
    const rows: Row[] = [];
    for (const { msg, id } of this.inbox.splice(0, BATCH)) {
      if (this.o.use_correlation_id && !this.o.for_e2e_testing) {
        if (id === undefined) {
          throw new JobError(
            "RABBITMQ_NO_CORRELATION_ID",
            `${this.label}: use_correlation_id is set, but a message of queue ${this.o.queue_name} has no correlation id`,
          );
        }
        if (this.restored.has(id)) {
          // Delivered before the restore and covered by its checkpoint: already in the sink.
          this.ch!.ack(msg);
          continue;
        }
        this.ids.push(id);
      }
      this.lastTag = msg.fields.deliveryTag;
      const fields = this.toRow(msg.content);
      if (fields !== undefined) {
        rows.push({ kind: RowKind.INSERT, table: this.table.id, fields });
      }
    }
    return rows;
  }

  snapshot(checkpointId?: number): RabbitSplit[] {
    if (checkpointId !== undefined) {
      this.byCheckpoint.set(checkpointId, { tag: this.lastTag, ids: this.ids });
    }
    this.ids = [];
    const covered = [...this.restored, ...[...this.byCheckpoint.values()].flatMap((c) => c.ids)];
    return [{ covered }];
  }

  notifyCheckpointComplete(checkpointId: number): void {
    let tag: number | undefined;
    for (const [id, c] of [...this.byCheckpoint]) {
      if (id <= checkpointId) {
        tag = c.tag ?? tag;
        this.byCheckpoint.delete(id);
      }
    }
    if (tag !== undefined && tag > this.acked && this.ch && !this.o.for_e2e_testing) {
      // Every message up to this tag: this channel's deliveries are acknowledged in order.
      this.ch.ack({ fields: { deliveryTag: tag } } as amqp.Message, true);
      this.acked = tag;
    }
    // Redeliveries come first after a restore: once a checkpoint is committed they are past.
    this.restored.clear();
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      conn.removeAllListeners("close");
      await conn.close().catch(() => undefined);
    }
  }
}

/** A message body as a row of the schema (JSON by field name); a JSON null is no row; bad JSON fails naming the queue. */
function jsonRows(table: TableSchema, label: string): (body: Buffer) => unknown[] | undefined {
  const read = jsonRowReader(table.columns);
  return (body) => {
    try {
      return read(body.toString("utf8"));
    } catch (e) {
      throw e instanceof FieldError ? new JobError("RABBITMQ_MESSAGE_INVALID", `${label}: a message: ${e.message}`) : e;
    }
  };
}
