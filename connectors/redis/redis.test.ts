/**
 * The Redis source and sink against the machine's Redis (database 2, keys under a prefix of this
 * run): every data type read and written, JSON by schema, keys named by a field, expiry, a
 * checkpoint flushing the writer, and the errors a user meets (no server, a bad database, bad
 * JSON, cluster mode).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RedisClient } from "bun";
import { LocalDateTime, RowKind, row, type TableSchema, T } from "../../src/api/index.ts";
import { createSink, createSource, pluginContext, readAll, writeAll } from "../../src/api/testing.ts";
import { ensureService, uniqueName } from "../../tests/services.ts";
import { redisSink, redisSource } from "./index.ts";

const P = uniqueName("rd");
const DB = 2;
const conn = `host = "127.0.0.1"\nport = 6379\ndb_num = ${DB}`;
let redis: RedisClient;

beforeAll(async () => {
  await ensureService("redis");
  redis = new RedisClient(`redis://127.0.0.1:6379/${DB}`);
  await redis.connect();
});

afterAll(async () => {
  const keys = (await redis.send("KEYS", [`${P}*`])) as string[];
  if (keys.length) {
    await redis.send("DEL", keys);
  }
  redis.close();
});

const contents = async (body: string) =>
  (await readAll(await createSource(redisSource, `${conn}\n${body}`))).map((r) => r.fields[0]).sort();

describe("Redis source", () => {
  test("each data type, without a schema: one row of content per string, element or hash", async () => {
    for (let i = 0; i < 25; i++) {
      await redis.send("SET", [`${P}:s:${i}`, `v${i}`]);
    }
    await redis.send("RPUSH", [`${P}:l:1`, "a", "b"]);
    await redis.send("RPUSH", [`${P}:l:2`, "c"]);
    await redis.send("SADD", [`${P}:set`, "x", "y"]);
    await redis.send("ZADD", [`${P}:z`, "2", "second", "1", "first"]);
    await redis.send("HSET", [`${P}:h`, "name", "ann", "age", "7"]);
    const strings = await contents(`keys = "${P}:s:*"\n data_type = key\n batch_size = 4`);
    expect(strings).toEqual(Array.from({ length: 25 }, (_, i) => `v${i}`).sort());
    // Another type under the pattern is not read (SCAN ... TYPE).
    expect(await contents(`keys = "${P}*"\n data_type = string`)).toEqual(strings);
    expect(await contents(`keys = "${P}:l:*"\n data_type = list`)).toEqual(["a", "b", "c"]);
    expect(await contents(`keys = "${P}:set"\n data_type = set`)).toEqual(["x", "y"]);
    expect(await contents(`keys = "${P}:z"\n data_type = zset`)).toEqual(["first", "second"]);
    const [hash] = await contents(`keys = "${P}:h"\n data_type = hash`);
    expect(JSON.parse(String(hash))).toEqual({ name: "ann", age: "7", hash_key: `${P}:h` });
  });

  test("JSON values by the schema; a hash by its fields; bad JSON names its key", async () => {
    await redis.send("SET", [`${P}:j:1`, '{"id":1,"name":"ann","at":"2024-10-15T10:00:00"}']);
    await redis.send("SET", [`${P}:j:2`, '{"id":9007199254740993,"name":null}']);
    const source = await createSource(
      redisSource,
      `${conn}\n keys = "${P}:j:*"\n data_type = key\n format = json\n schema = { fields { id = bigint, name = string, at = timestamp } }`,
    );
    const rows = (await readAll(source)).map((r) => r.fields).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      [1n, "ann"],
      [9007199254740993n, null],
    ]);
    expect(rows[0]![2]).toBeInstanceOf(LocalDateTime);
    expect(rows[1]![2]).toBeNull();
    expect(String(rows[0]![2])).toBe("2024-10-15T10:00");
    const hashed = await createSource(
      redisSource,
      `${conn}\n keys = "${P}:h"\n data_type = hash\n hash_key_parse_mode = kv\n schema = { fields { hash_key = string, name = string, age = int } }`,
    );
    expect((await readAll(hashed)).map((r) => r.fields)).toEqual([[`${P}:h`, "ann", 7]]);
    await redis.send("SET", [`${P}:bad:1`, "{not json"]);
    const bad = await createSource(
      redisSource,
      `${conn}\n keys = "${P}:bad:*"\n data_type = key\n schema = { fields { id = int } }`,
    );
    await expect(readAll(bad)).rejects.toThrow(`source Redis: key "${P}:bad:1": not valid JSON`);
  });
});

const table: TableSchema = {
  id: "t",
  path: { table: "t" },
  columns: [
    { name: "id", type: T.bigint, nullable: false },
    { name: "name", type: T.string, nullable: true },
    { name: "score", type: T.double, nullable: true },
  ],
};
const rows = [row("t", [1n, "ann", 1.5]), row("t", [2n, "bob", 2]), row("t", [3n, "cy", null], RowKind.INSERT)];

async function sink(body: string, batch = 2) {
  return createSink(redisSink, `${conn}\n batch_size = ${batch}\n ${body}`, [table]);
}

describe("Redis sink", () => {
  test("list (LPUSH), set, zset (score 1) and key: each row as SeaTunnel's JSON", async () => {
    await writeAll(await sink(`key = "${P}:out:list"\n data_type = list`), [rows]);
    expect(await redis.send("LRANGE", [`${P}:out:list`, "0", "-1"])).toEqual([
      '{"id":3,"name":"cy","score":null}',
      '{"id":2,"name":"bob","score":2.0}',
      '{"id":1,"name":"ann","score":1.5}',
    ]);
    await writeAll(await sink(`key = "${P}:out:set"\n data_type = set`), [rows, rows]);
    expect(await redis.send("SCARD", [`${P}:out:set`])).toBe(3);
    await writeAll(await sink(`key = "${P}:out:z"\n data_type = zset`), [rows]);
    expect(await redis.send("ZSCORE", [`${P}:out:z`, '{"id":1,"name":"ann","score":1.5}'])).toBe(1);
    await writeAll(await sink(`key = "${P}:out:k"\n data_type = key`), [rows]);
    expect(await redis.get(`${P}:out:k`)).toBe('{"id":3,"name":"cy","score":null}');
  });

  test("a key named by a field, hash fields, expiry", async () => {
    const named: TableSchema = {
      ...table,
      columns: [{ name: "k", type: T.string, nullable: false }, ...table.columns],
    };
    const s = await createSink(redisSink, `${conn}\n key = "k"\n data_type = hash\n expire = 100`, [named]);
    await writeAll(s, [[row("t", [`${P}:user:1`, 1n, "ann", 1.5])]]);
    expect(await redis.send("HGETALL", [`${P}:user:1`])).toEqual({
      k: `${P}:user:1`,
      id: "1",
      name: "ann",
      score: "1.5",
    });
    const ttl = Number(await redis.send("TTL", [`${P}:user:1`]));
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    const nulls = await createSink(redisSink, `${conn}\n key = "${P}:h2"\n data_type = hash`, [table]);
    await expect(writeAll(nulls, [[rows[2]!]])).rejects.toThrow('field "score" is null: a hash cannot hold null');
  });

  test("a checkpoint writes every row given so far", async () => {
    const s = await sink(`key = "${P}:out:cp"\n data_type = list`, 100);
    const w = await s.writer({ subtask: 0, parallelism: 1, log: pluginContext("x").log });
    await w.write(rows);
    expect(await redis.send("LLEN", [`${P}:out:cp`])).toBe(0);
    await w.prepareCommit?.(1);
    expect(await redis.send("LLEN", [`${P}:out:cp`])).toBe(3);
    await w.close();
  });
});

describe("Redis errors", () => {
  test("no server, a database that does not exist, cluster mode: one line naming the option", async () => {
    const none = await createSource(redisSource, `host = "127.0.0.1"\n port = 1\n keys = "x"\n data_type = key`);
    await expect(readAll(none)).rejects.toThrow(
      'source Redis: connecting on Redis 127.0.0.1:1/0: cannot connect (Connection closed): is Redis running there? (options "host" and "port")',
    );
    const db = await createSource(
      redisSource,
      `host = "127.0.0.1"\n port = 6379\n db_num = 99\n keys = "x"\n data_type = key`,
    );
    await expect(readAll(db)).rejects.toThrow(
      'source Redis: selecting the database on Redis 127.0.0.1:6379/99: database 99 does not exist on the server (option "db_num")',
    );
    await expect(
      createSink(redisSink, `${conn}\n key = "x"\n data_type = list\n mode = cluster\n nodes = ["a:1"]`, [table]),
    ).rejects.toThrow('sink Redis: option "mode" = cluster is not supported yet');
  });
});
