/**
 * Redis source and sink under SeaTunnel's name and options (connector-redis, 2.3.8): keys by
 * pattern and type into rows, rows as JSON into a string, list, set, zset or hash. Bun's own Redis
 * client; one server (mode = single).
 */
import { defineSink, defineSource } from "../../src/api/index.ts";
import { sinkOptions, sourceOptions } from "./options.ts";
import { createRedisSource, type RedisSourceOptions } from "./source.ts";
import { createRedisSink, type RedisSinkOptions } from "./sink.ts";

const COPY = `env {
  job.mode = "BATCH"
}

source {
  Redis {
    host = "127.0.0.1"
    port = 6379
    keys = "user:*"
    data_type = key
    batch_size = 100
    format = json
    schema = { fields { id = bigint, name = string, age = int } }
  }
}

sink {
  Redis {
    host = "127.0.0.1"
    port = 6379
    db_num = 1
    key = "users"
    data_type = list
  }
}
`;

const BY_FIELD = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    row.num = 10
    schema = { fields { id = bigint, name = string } }
  }
}

sink {
  Redis {
    host = "127.0.0.1"
    port = 6379
    key = "name"
    data_type = key
    expire = 3600
  }
}
`;

export const redisSource = defineSource({
  name: "Redis",
  doc: "Reads the keys matching a pattern (SCAN) of one data type: each string, each element of a list, set or zset, or each hash is a row; JSON values are read by the schema's fields, others as the column content.",
  options: sourceOptions,
  // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
  rules: [{ requiredIf: { key: "mode", equals: "cluster" }, then: ["nodes"] }],
  features: { batch: true, streaming: false, multiTable: false, parallel: false },
  examples: [{ title: "Copy JSON values of user:* into one list of another database", conf: COPY }],
  create: (o, ctx) => createRedisSource(o as unknown as RedisSourceOptions, ctx),
});

export const redisSink = defineSink({
  name: "Redis",
  doc: "Writes each row as JSON: SET for key/string, LPUSH for list, SADD for set, ZADD (score 1) for zset, HSET of its fields for hash; the key is `key`, or the value of the field it names.",
  options: sinkOptions,
  // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
  rules: [{ requiredIf: { key: "mode", equals: "cluster" }, then: ["nodes"] }],
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [{ title: "One key per row, named by a field, for an hour", conf: BY_FIELD }],
  create: (o, inputs, ctx) => createRedisSink(o as unknown as RedisSinkOptions, inputs, ctx.label),
});
