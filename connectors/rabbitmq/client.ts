/** A connection and channel to the broker (amqplib), with errors that name the broker and the option to look at. */
import amqp from "amqplib";
import { JobError, type Logger } from "../../src/api/index.ts";

export interface AmqpOptions {
  host: string;
  port: number;
  virtual_host: string;
  username: string;
  password: string;
  queue_name: string;
  url?: string | undefined;
  durable: boolean;
  exclusive: boolean;
  auto_delete: boolean;
  connection_timeout?: number | undefined;
  requested_channel_max?: number | undefined;
  requested_frame_max?: number | undefined;
  requested_heartbeat?: number | undefined;
  delivery_timeout?: bigint | undefined;
  "rabbitmq.config"?: Record<string, string> | undefined;
  network_recovery_interval?: number | undefined;
  topology_recovery_enabled?: boolean | undefined;
  automatic_recovery_enabled?: boolean | undefined;
}

/** The broker as messages show it (never the password). */
export const brokerOf = (o: AmqpOptions) =>
  o.url
    ? o.url.replace(/\/\/[^@/]*@/, "//")
    : `amqp://${o.host}:${o.port}${o.virtual_host === "/" ? "/" : `/${o.virtual_host}`}`;

/** The options SeaTunnel itself ignores, said once. */
export function warnInert(o: AmqpOptions, label: string, log: Logger): void {
  const inert = [
    ...(o.delivery_timeout !== undefined ? ["delivery_timeout"] : []),
    ...(o["rabbitmq.config"] && Object.keys(o["rabbitmq.config"]).length ? ["rabbitmq.config"] : []),
    ...(o.network_recovery_interval !== undefined ||
    o.topology_recovery_enabled !== undefined ||
    o.automatic_recovery_enabled !== undefined
      ? ["the recovery options (a lost connection fails the pipeline, which restarts from its last checkpoint)"]
      : []),
  ];
  if (inert.length) {
    log.warn(`${label}: without effect here: ${inert.join(", ")}`);
  }
}

export function amqpError(o: AmqpOptions, label: string, e: unknown, doing: string): JobError {
  const msg = e instanceof Error ? e.message : String(e);
  let why = msg;
  if (/ACCESS_REFUSED|403/.test(msg)) {
    why = `access refused: the user or password is wrong, or the user may not use the virtual host (options "username", "password", "virtual_host")`;
  } else if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(`${(e as { code?: string }).code ?? ""} ${msg}`)) {
    why = `cannot connect (${msg}): is RabbitMQ running there? (options "host" and "port")`;
  } else if (/NOT_ALLOWED.*vhost|vhost .* not found/i.test(msg)) {
    why = `the virtual host does not exist (option "virtual_host")`;
  } else if (/PRECONDITION_FAILED.*inequivalent/.test(msg)) {
    why = `${msg}: the queue exists with other settings (options "durable", "exclusive", "auto_delete")`;
  }
  return new JobError("RABBITMQ_ERROR", `${label}: ${doing} on ${brokerOf(o)} (queue ${o.queue_name}): ${why}`, {
    cause: e,
  });
}

export async function connect(o: AmqpOptions, label: string): Promise<amqp.ChannelModel> {
  const target: string | amqp.Options.Connect = o.url ?? {
    protocol: "amqp",
    hostname: o.host,
    port: o.port,
    username: o.username,
    password: o.password,
    vhost: o.virtual_host,
    ...(o.requested_channel_max !== undefined ? { channelMax: o.requested_channel_max } : {}),
    ...(o.requested_frame_max !== undefined ? { frameMax: o.requested_frame_max } : {}),
    ...(o.requested_heartbeat !== undefined ? { heartbeat: o.requested_heartbeat } : {}),
  };
  try {
    return await amqp.connect(target, o.connection_timeout ? { timeout: o.connection_timeout } : {});
  } catch (e) {
    throw amqpError(o, label, e, "connecting");
  }
}

/** Declares the queue as the options say (both source and sink do, as SeaTunnel). */
export async function declare(ch: amqp.Channel, o: AmqpOptions, label: string): Promise<void> {
  try {
    await ch.assertQueue(o.queue_name, { durable: o.durable, exclusive: o.exclusive, autoDelete: o.auto_delete });
  } catch (e) {
    throw amqpError(o, label, e, `declaring the queue ${o.queue_name}`);
  }
}
