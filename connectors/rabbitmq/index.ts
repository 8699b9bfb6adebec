/**
 * RabbitMQ source and sink under SeaTunnel's name and options (connector-rabbitmq, 2.3.8), with
 * amqplib: JSON messages of a queue into rows of a streaming job, acknowledged once a checkpoint
 * covers them; rows published as JSON with broker confirms.
 */
import { defineSink, defineSource } from "../../src/api/index.ts";
import { sinkOptions, sourceOptions } from "./options.ts";
import { createRabbitSource, type RabbitSourceOptions } from "./source.ts";
import { createRabbitSink, type RabbitSinkOptions } from "./sink.ts";

const QUEUE_TO_QUEUE = `env {
  job.mode = "STREAMING"
  parallelism = 1
  checkpoint.interval = 5000
}

source {
  RabbitMQ {
    host = "127.0.0.1"
    port = 5672
    virtual_host = "/"
    username = "guest"
    password = "guest"
    queue_name = "orders"
    use_correlation_id = true
    schema = { fields { id = bigint, item = string, amount = "decimal(10, 2)" } }
  }
}

sink {
  RabbitMQ {
    host = "127.0.0.1"
    port = 5672
    virtual_host = "/"
    username = "guest"
    password = "guest"
    queue_name = "orders_copy"
  }
}
`;

export const rabbitSource = defineSource({
  name: "RabbitMQ",
  doc: "Consumes a queue's JSON messages as rows of a streaming job; a message is acknowledged once the checkpoint covering it is committed, and with use_correlation_id one delivered again after a restore is dropped.",
  options: sourceOptions,
  features: { batch: false, streaming: true, multiTable: false, parallel: true },
  examples: [{ title: "Copy one queue into another", conf: QUEUE_TO_QUEUE }],
  create: (o, ctx) => createRabbitSource(o as unknown as RabbitSourceOptions, ctx),
});

export const rabbitSink = defineSink({
  name: "RabbitMQ",
  doc: "Publishes each row as JSON to a queue (or an exchange with a routing key), waiting at every checkpoint for the broker's confirms.",
  options: sinkOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [{ title: "Copy one queue into another", conf: QUEUE_TO_QUEUE }],
  create: (o, inputs, ctx) => createRabbitSink(o as unknown as RabbitSinkOptions, inputs, ctx.label, ctx.log),
});
