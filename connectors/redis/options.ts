/**
 * Redis options as SeaTunnel 2.3.8's RedisConfig declares them (connector-redis): one set for the
 * source and the sink, each reading what applies to it. `mode = cluster` is refused: Bun's client
 * talks to one server (and SeaTunnel's own cluster mode sends SCAN, SELECT and EXPIRE to
 * localhost). `format` has only JSON, as in SeaTunnel (`text` is refused there too).
 */
import { opt, schemaOption } from "../../src/api/index.ts";

export const DATA_TYPES = ["key", "string", "hash", "list", "set", "zset"] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const connectionOptions = {
  host: opt.string({ required: true, nonEmpty: true, doc: "Redis host", example: "127.0.0.1" }),
  port: opt.int({ required: true, min: 1, max: 65535, doc: "Redis port", example: "6379" }),
  auth: opt.string({
    default: "",
    secret: true,
    doc: "Password (AUTH); with `user`, the ACL user's password",
  }),
  user: opt.string({
    default: "",
    doc: "ACL user (Redis 6+) to log in as with `auth`. SeaTunnel sends ACL SETUSER instead, which creates a user and logs nobody in; here the user logs in",
  }),
  db_num: opt.int({ default: 0, min: 0, doc: "Database number (SELECT)" }),
  mode: opt.enum({
    values: ["single", "cluster"] as const,
    default: "single",
    doc: "single: one server. cluster is not supported yet (the job fails saying so)",
  }),
  nodes: opt.list({ of: "string", doc: "Cluster nodes host:port (mode = cluster only)" }),
  format: opt.enum({ values: ["json"] as const, default: "json", doc: "Value format: JSON, SeaTunnel's only one" }),
  data_type: opt.enum({
    values: DATA_TYPES,
    required: true,
    doc: "key/string: a string value per key; hash, list, set, zset: those Redis types",
  }),
  batch_size: opt.int({
    default: 10,
    min: 1,
    doc: "Source: keys per SCAN (COUNT). Sink: rows per pipelined write",
  }),
};

export const sourceOptions = {
  ...connectionOptions,
  keys: opt.string({
    required: true,
    nonEmpty: true,
    doc: "Key pattern (SCAN MATCH glob): `key_test*`",
    example: "user:*",
  }),
  schema: schemaOption({
    required: false,
    doc: "Fields of the JSON values (format json); without it each value is one row of a string column `content`",
  }),
  hash_key_parse_mode: opt.enum({
    values: ["all", "kv"] as const,
    default: "all",
    doc: "hash with a schema: kv reads the hash's fields by the schema's names (the Redis key in the field hash_key); all (SeaTunnel's default) gives the whole hash as JSON text in one column",
  }),
  key: opt.string({ doc: "A sink option; the source does not use it" }),
  expire: opt.long({ default: -1n, doc: "A sink option; the source does not use it" }),
};

export const sinkOptions = {
  ...connectionOptions,
  key: opt.string({
    required: true,
    nonEmpty: true,
    doc: "The key written: a field's name takes that field's value, anything else is the key itself",
    example: "user_list",
  }),
  expire: opt.long({
    default: -1n,
    doc: "Seconds the key lives (EXPIRE after every write); -1: forever",
  }),
  keys: opt.string({ doc: "A source option; the sink does not use it" }),
  multi_table_sink_replica: opt.int({
    default: 1,
    min: 1,
    doc: "Writers per table in a multi-table sink (accepted; one writer per subtask writes every table)",
  }),
};
