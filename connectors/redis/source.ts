/**
 * The Redis source (SeaTunnel's RedisSourceReader): one reader SCANs the keys matching `keys`
 * (COUNT batch_size, TYPE data_type on Redis 6+), reads each batch's values (MGET, HGETALL,
 * LRANGE 0 -1, SMEMBERS, ZRANGE 0 -1), and makes rows: without a schema each value (each element
 * of a list, set or zset; a hash as JSON text with its key in `hash_key`) is one row of the string
 * column `content`; with a schema each value is a JSON object read by field name. Its position is
 * the SCAN cursor: a restore scans on from the last checkpoint's cursor.
 */
import type { RedisClient } from "bun";
import {
  catalogTable,
  type Column,
  JobError,
  type PluginContext,
  type Row,
  RowKind,
  type SchemaSpec,
  type Source,
  type SourceReader,
  T,
  type TableSchema,
} from "../../src/api/index.ts";
import { jsonRowReader } from "../file-common/json-values.ts";
import { FieldError } from "../file-common/text-values.ts";
import { checkMode, connect, type RedisConn, redisError } from "./client.ts";
import type { DataType } from "./options.ts";

export interface RedisSourceOptions extends RedisConn {
  nodes?: string[] | undefined;
  keys: string;
  data_type: DataType;
  batch_size: number;
  schema?: SchemaSpec | undefined;
  hash_key_parse_mode: "all" | "kv";
}

/** The one split: where the SCAN is. */
interface ScanSplit {
  cursor: string;
  done: boolean;
}

const CONTENT: Column = { name: "content", type: T.string, nullable: true };

/** Redis's TYPE names for SCAN ... TYPE (key is a string). */
const TYPE_NAME: Record<DataType, string> = {
  key: "string",
  string: "string",
  hash: "hash",
  list: "list",
  set: "set",
  zset: "zset",
};

export function createRedisSource(o: RedisSourceOptions, ctx: PluginContext): Source<ScanSplit> {
  checkMode(o, ctx.label);
  const table: TableSchema = o.schema
    ? catalogTable(o.schema, ctx.outputName)
    : catalogTable({ columns: [CONTENT] } as SchemaSpec, ctx.outputName);
  return {
    tables: [table],
    bounded: true,
    splits: (parallelism) =>
      Array.from({ length: parallelism }, (_, i) => (i === 0 ? [{ cursor: "0", done: false }] : [])),
    reader: (rctx) => new RedisReader(o, table, ctx.label, rctx.log),
  };
}

class RedisReader implements SourceReader<ScanSplit> {
  private split: ScanSplit | undefined;
  private client: RedisClient | undefined;
  private typed: boolean | undefined;
  private readonly toRow: (value: string, key: string) => unknown[] | undefined;

  constructor(
    private readonly o: RedisSourceOptions,
    private readonly table: TableSchema,
    private readonly label: string,
    private readonly log: { info(m: string): void },
  ) {
    this.toRow = o.schema ? jsonRows(table, label) : (v) => [v];
  }

  addSplits(splits: ScanSplit[]): void {
    this.split = splits[0] ? { ...splits[0] } : this.split;
  }

  snapshot(): ScanSplit[] {
    return this.split ? [{ ...this.split }] : [];
  }

  async poll(): Promise<Row[] | null> {
    const s = this.split;
    if (s === undefined || s.done) {
      return null;
    }
    const c = (this.client ??= await connect(this.o, this.label));
    let keys: string[];
    try {
      keys = await this.scan(c, s);
    } catch (e) {
      throw redisError(this.o, this.label, e, `scanning keys "${this.o.keys}"`);
    }
    const values = await this.values(c, keys);
    const rows: Row[] = [];
    for (let i = 0; i < keys.length; i++) {
      for (const v of values[i]!) {
        const fields = this.toRow(v, keys[i]!);
        if (fields !== undefined) {
          rows.push({ kind: RowKind.INSERT, table: this.table.id, fields });
        }
      }
    }
    return rows;
  }

  /** The next SCAN batch of keys of the data type; the cursor moves on (done at "0"). */
  private async scan(c: RedisClient, s: ScanSplit): Promise<string[]> {
    const type = TYPE_NAME[this.o.data_type];
    if (this.typed === undefined) {
      const info = String(await c.send("INFO", ["server"]));
      const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
      this.typed = major > 5;
      this.log.info(`${this.label}: scanning keys "${this.o.keys}" of type ${type} on Redis ${major}`);
    }
    const args = [s.cursor, "MATCH", this.o.keys, "COUNT", String(this.o.batch_size)];
    const [next, found] = (await c.send("SCAN", this.typed ? [...args, "TYPE", type] : args)) as [string, string[]];
    s.cursor = String(next);
    s.done = s.cursor === "0";
    if (this.typed) {
      return found;
    }
    const types = await Promise.all(found.map((k) => c.send("TYPE", [k])));
    return found.filter((_, i) => String(types[i]).toLowerCase() === type);
  }

  /** Each key's values as text: one for a string or hash, every element for a list, set or zset. */
  private async values(c: RedisClient, keys: string[]): Promise<string[][]> {
    if (keys.length === 0) {
      return [];
    }
    const t = this.o.data_type;
    try {
      if (t === "key" || t === "string") {
        const got = (await c.send("MGET", keys)) as (string | null)[];
        // A key gone between SCAN and MGET has no value (SeaTunnel fails on it; nothing to read here).
        return got.map((v) => (v === null ? [] : [v]));
      }
      if (t === "hash") {
        const maps = await Promise.all(keys.map((k) => c.send("HGETALL", [k])));
        return maps.map((m, i) => [hashJson(m, keys[i]!)]);
      }
      const command = t === "list" ? "LRANGE" : t === "set" ? "SMEMBERS" : "ZRANGE";
      const extra = t === "set" ? [] : ["0", "-1"];
      return (await Promise.all(keys.map((k) => c.send(command, [k, ...extra])))) as string[][];
    } catch (e) {
      throw redisError(this.o, this.label, e, `reading ${t} values`);
    }
  }

  close(): void {
    this.client?.close();
  }
}

/** A hash as SeaTunnel gives it: its fields as a JSON object, with the key itself in `hash_key`. */
function hashJson(m: unknown, key: string): string {
  const o: Record<string, string> = {};
  if (Array.isArray(m)) {
    for (let i = 0; i + 1 < m.length; i += 2) {
      o[String(m[i])] = String(m[i + 1]);
    }
  } else if (m && typeof m === "object") {
    Object.assign(o, m);
  }
  o.hash_key = key;
  return JSON.stringify(o);
}

/** Reads JSON values by the schema's field names; a JSON null is no row, bad JSON fails naming the key. */
function jsonRows(table: TableSchema, label: string): (value: string, key: string) => unknown[] | undefined {
  const read = jsonRowReader(table.columns);
  return (value, key) => {
    try {
      return read(value);
    } catch (e) {
      throw e instanceof FieldError ? new JobError("REDIS_VALUE_INVALID", `${label}: key "${key}": ${e.message}`) : e;
    }
  };
}
