/**
 * The Redis sink (SeaTunnel's RedisSinkWriter): every row as JSON (SeaTunnel's json format), to
 * the key `key` (or, when `key` names a field, that field's value): SET for key/string, LPUSH for
 * list, SADD for set, ZADD with score 1 for zset, HSET of the row's fields for hash; with
 * `expire`, EXPIRE after each write. Rows are written batch_size at a time, pipelined, and every
 * row is written before a checkpoint completes (SeaTunnel writes its last rows only at close).
 */
import type { RedisClient } from "bun";
import { JobError, type Row, type Sink, type SinkWriter, type TableSchema } from "../../src/api/index.ts";
import { valueFormatter } from "../../src/api/format.ts";
import { jsonWriter, rowWriter } from "../file-common/json-values.ts";
import { checkMode, connect, type RedisConn, redisError } from "./client.ts";
import type { DataType } from "./options.ts";

export interface RedisSinkOptions extends RedisConn {
  nodes?: string[] | undefined;
  key: string;
  data_type: DataType;
  batch_size: number;
  expire: bigint;
}

/** How one input table's rows become a key and a value. */
interface TableWriter {
  key: (fields: unknown[]) => string;
  /** The row as JSON text. */
  json: (fields: unknown[]) => string;
  /** The row as hash fields (HSET's field value pairs). */
  hash: (fields: unknown[]) => string[];
}

function tableWriter(t: TableSchema, o: RedisSinkOptions, label: string): TableWriter {
  const columns = t.columns.map((c) => ({ name: c.name, type: c.type }));
  const at = t.columns.findIndex((c) => c.name === o.key);
  const show = at >= 0 ? valueFormatter(t.columns[at]!.type) : undefined;
  const key = (f: unknown[]): string => {
    if (at < 0) {
      return o.key;
    }
    const v = f[at];
    if (v === null || v === undefined) {
      throw new JobError("REDIS_KEY_NULL", `${label}: a row's "${o.key}" (the key) is null: ${JSON.stringify(f)}`);
    }
    return show!(v);
  };
  const values = columns.map((c) => jsonWriter(c.type));
  const nested = new Set(["array", "map", "row"]);
  const hash = (f: unknown[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (nested.has(c.type.kind)) {
        throw new JobError(
          "REDIS_VALUE_INVALID",
          `${label}: field "${c.name}" is a ${c.type.kind}: a hash holds text values`,
        );
      }
      if (f[i] === null || f[i] === undefined) {
        throw new JobError("REDIS_VALUE_INVALID", `${label}: field "${c.name}" is null: a hash cannot hold null`);
      }
      const text = values[i]!(f[i]);
      out.push(c.name, text.startsWith('"') ? (JSON.parse(text) as string) : text);
    }
    return out;
  };
  return { key, json: rowWriter(columns), hash };
}

class RedisWriter implements SinkWriter {
  private client: RedisClient | undefined;
  private readonly tables = new Map<string, TableWriter>();
  private pending: { key: string; args: string[] }[] = [];

  constructor(
    private readonly o: RedisSinkOptions,
    private readonly inputs: readonly TableSchema[],
    private readonly label: string,
  ) {
    for (const t of inputs) {
      this.tables.set(t.id, tableWriter(t, o, label));
    }
  }

  private writerOf(r: Row): TableWriter {
    const w = this.tables.get(r.table) ?? (this.inputs.length === 1 ? this.tables.get(this.inputs[0]!.id) : undefined);
    if (w === undefined) {
      throw new JobError("REDIS_TABLE_UNKNOWN", `${this.label}: a row of table ${r.table}, which is not an input`);
    }
    return w;
  }

  async write(batch: Row[]): Promise<void> {
    const t = this.o.data_type;
    for (const r of batch) {
      const w = this.writerOf(r);
      const key = w.key(r.fields);
      const args = t === "hash" ? w.hash(r.fields) : t === "zset" ? ["1", w.json(r.fields)] : [w.json(r.fields)];
      this.pending.push({ key, args });
      if (this.pending.length >= this.o.batch_size) {
        await this.flush();
      }
    }
  }

  /** Writes the pending rows, pipelined (Bun's client sends commands issued together at once). */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) {
      return;
    }
    const rows = this.pending;
    this.pending = [];
    const c = (this.client ??= await connect(this.o, this.label));
    const command = { key: "SET", string: "SET", list: "LPUSH", set: "SADD", zset: "ZADD", hash: "HSET" }[
      this.o.data_type
    ];
    const expire = this.o.expire > 0n ? String(this.o.expire) : undefined;
    const sent: Promise<unknown>[] = [];
    for (const { key, args } of rows) {
      sent.push(c.send(command, [key, ...args]));
      if (expire !== undefined) {
        sent.push(c.send("EXPIRE", [key, expire]));
      }
    }
    try {
      await Promise.all(sent);
    } catch (e) {
      throw redisError(this.o, this.label, e, `writing ${rows.length} row(s) with ${command}`);
    }
  }

  async prepareCommit(): Promise<undefined> {
    await this.flush();
    return undefined;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.client?.close();
    }
  }

  abort(): void {
    this.pending = [];
    this.client?.close();
  }
}

export function createRedisSink(o: RedisSinkOptions, inputs: readonly TableSchema[], label: string): Sink {
  checkMode(o, label);
  return {
    describeWrite: () =>
      `writes each row as JSON to ${o.data_type} "${o.key}" on Redis ${o.host}:${o.port}/${o.db_num}${o.expire > 0n ? `, expiring after ${o.expire} s` : ""}`,
    writer: () => new RedisWriter(o, inputs, label),
  };
}
