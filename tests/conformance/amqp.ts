// AMQP steps and checks against amqp://guest:guest@127.0.0.1:5672/ (amqplib, imported lazily).
import type { Channel, ChannelModel, ConfirmChannel } from "amqplib";

export const AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/";

/** One connection per row or sequence; messages read from a queue are kept for the checks. */
export class AmqpSession {
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  /** Messages taken from each queue since its `amqp-consume:` step (or the first read). */
  readonly messages = new Map<string, string[]>();

  private async open(): Promise<Channel & ConfirmChannel> {
    if (this.channel !== undefined) {
      return this.channel;
    }
    const amqp = await import("amqplib");
    this.model = await amqp.connect(AMQP_URL);
    this.channel = await this.model.createConfirmChannel();
    return this.channel;
  }

  /** Declares the queue (durable, not exclusive, no auto-delete) and purges it. */
  async declarePurge(queue: string): Promise<void> {
    const ch = await this.open();
    await ch.assertQueue(queue, { durable: true, exclusive: false, autoDelete: false });
    await ch.purgeQueue(queue);
    this.messages.set(queue, []);
  }

  /** `amqp-publish:` — declares and purges, then publishes `body` `count` times with routing key QUEUE. */
  async publish(queue: string, body: string, count: number): Promise<void> {
    await this.declarePurge(queue);
    const ch = await this.open();
    for (let i = 0; i < count; i++) {
      ch.sendToQueue(queue, Buffer.from(body, "utf8"));
    }
    await ch.waitForConfirms();
    this.messages.delete(queue);
  }

  /** Takes every message now on the queue and returns all messages seen on it so far. */
  async drain(queue: string): Promise<string[]> {
    const ch = await this.open();
    const seen = this.messages.get(queue) ?? [];
    this.messages.set(queue, seen);
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg === false) {
        break;
      }
      seen.push(msg.content.toString("utf8"));
    }
    return seen;
  }

  async close(): Promise<void> {
    try {
      await this.model?.close();
    } catch {
      // the broker may already be gone
    }
    this.model = undefined;
    this.channel = undefined;
  }
}

/** The first line of a file that is not blank and does not start with `#`. */
export function firstDataLine(text: string): string | undefined {
  return text.split(/\r?\n/).find((l) => l.trim() !== "" && !l.startsWith("#"));
}
