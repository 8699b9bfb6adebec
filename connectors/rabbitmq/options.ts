/**
 * RabbitMQ options as SeaTunnel 2.3.8's RabbitmqConfig reads them (connector-rabbitmq). Where
 * SeaTunnel's own code loses an option (url is never read; automatic_recovery_enabled is read
 * only upper-case; durable, exclusive and auto_delete have no default and fail when omitted),
 * this connector does what the docs say. Options that change nothing in SeaTunnel either
 * (delivery_timeout, rabbitmq.config) are accepted and warned about.
 */
import { opt, schemaOption } from "../../src/api/index.ts";

const connection = {
  host: opt.string({ required: true, nonEmpty: true, doc: "Broker host", example: "127.0.0.1" }),
  port: opt.int({ required: true, min: 1, max: 65535, doc: "Broker port (AMQP, 5672)" }),
  virtual_host: opt.string({ required: true, doc: "Virtual host", example: "/" }),
  username: opt.string({ required: true, doc: "User name" }),
  password: opt.string({ required: true, secret: true, doc: "Password" }),
  queue_name: opt.string({
    required: true,
    nonEmpty: true,
    doc: "The queue read from, or written to when routing_key is not set",
  }),
  url: opt.string({
    secret: true,
    doc: "An AMQP URI (amqp://user:password@host:port/vhost) used instead of host, port, user, password and vhost",
  }),
  routing_key: opt.string({
    doc: "Sink: publish with this routing key to `exchange` (else to queue_name on the default exchange)",
  }),
  exchange: opt.string({ default: "", doc: "Sink: the exchange used with routing_key" }),
  durable: opt.bool({ default: true, doc: "The queue, as declared, survives a broker restart" }),
  exclusive: opt.bool({ default: false, doc: "The queue, as declared, belongs to this connection only" }),
  auto_delete: opt.bool({ default: false, doc: "The queue, as declared, is deleted when its last consumer leaves" }),
  connection_timeout: opt.int({ min: 0, doc: "Milliseconds to wait for the connection" }),
  requested_channel_max: opt.int({
    min: 0,
    max: 65535,
    doc: "Channels the connection asks for (0: the broker's limit)",
  }),
  requested_frame_max: opt.int({ min: 0, doc: "Largest frame the connection asks for, in bytes (0: the broker's)" }),
  requested_heartbeat: opt.int({ min: 0, max: 65535, doc: "Heartbeat the connection asks for, in seconds (0: none)" }),
  prefetch_count: opt.int({
    min: 1,
    doc: "Source: unacknowledged messages the broker sends ahead (basicQos); 10,000 when not set",
  }),
  network_recovery_interval: opt.int({
    min: 0,
    doc: "Accepted: a lost connection fails the pipeline, which restarts from its last checkpoint (the engine's recovery)",
  }),
  topology_recovery_enabled: opt.bool({ doc: "Accepted: see network_recovery_interval" }),
  automatic_recovery_enabled: opt.bool({
    fallbackKeys: ["AUTOMATIC_RECOVERY_ENABLED"],
    doc: "Accepted: see network_recovery_interval",
  }),
  delivery_timeout: opt.long({ doc: "Accepted and without effect, as in SeaTunnel (which never reads it)" }),
  for_e2e_testing: opt.bool({
    default: false,
    doc: "Source: a bounded read for tests, acknowledged on receipt: the job ends once the queue has been empty for a second (SeaTunnel's ends after the first message)",
  }),
  use_correlation_id: opt.bool({
    default: false,
    doc: "Source: messages carry a correlation id; one delivered again after a restore, whose first delivery a checkpoint covers, is dropped (exactly once with parallelism 1)",
  }),
  "rabbitmq.config": opt.map({ doc: "Accepted and without effect, as in SeaTunnel (which never reads it)" }),
};

export const sourceOptions = {
  ...connection,
  schema: schemaOption({ doc: "Fields of the JSON messages" }),
};

export const sinkOptions = {
  ...connection,
  multi_table_sink_replica: opt.int({ default: 1, min: 1, doc: "Accepted for compatibility: one writer per subtask" }),
};
