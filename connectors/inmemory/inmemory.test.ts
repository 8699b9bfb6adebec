import { describe, expect, test } from "bun:test";
import type { Logger, Sink, SinkDefinition, TableSchema } from "../../src/api/index.ts";
import { ConfigError, JobError, T, row } from "../../src/api/index.ts";
import { createSink, hoconTree } from "../../src/api/testing.ts";
import { inMemorySinkDefinition } from "./index.ts";
import { inMemorySink, resetRuntimeErrors } from "./sink.ts";

const def = inMemorySinkDefinition as SinkDefinition;

function logger(): Logger & { infos: string[] } {
  const infos: string[] = [];
  return { infos, info: (m) => infos.push(m), warn: () => {}, error: () => {}, debug: () => {} };
}

const t1: TableSchema = {
  id: "test.table1",
  path: { database: "test", table: "table1" },
  columns: [{ name: "id", type: T.bigint, nullable: true }],
};
const t2: TableSchema = {
  id: "test.table2",
  path: { database: "test", table: "table2" },
  columns: [{ name: "id", type: T.bigint, nullable: true }],
};

async function create(block: string, inputs: TableSchema[], log: Logger = logger(), jobId = "job-1"): Promise<Sink> {
  return createSink(def, hoconTree(block, "mem.conf"), inputs, { jobId, log });
}

const one = [row("test.table1", [1n])];
const noSleep = { sleep: async () => {} };

describe("InMemory writes, save modes and runtime errors", () => {
  test("discards rows and succeeds with no options", async () => {
    const sink = await create("", [t1]);
    const w = await sink.writer({ subtask: 0, parallelism: 1, log: logger() });
    await w.write(one);
    expect(await w.prepareCommit?.(1)).toEqual({});
    await w.close();
    await sink.commit?.([{}]);
  });

  test("logs both save-mode lines for every input table from prepare()", async () => {
    const log = logger();
    const sink = await create("", [t1, t2], log);
    await sink.prepare?.();
    expect(log.infos).toEqual([
      "handle schema savemode with table path: test.table1",
      "handle data savemode with table path: test.table1",
      "handle schema savemode with table path: test.table2",
      "handle data savemode with table path: test.table2",
    ]);
  });

  test("fails write on throw_out_of_memory", async () => {
    const sink = await create("throw_out_of_memory = true", [t1]);
    const w = await sink.writer({ subtask: 0, parallelism: 1, log: logger() });
    expect(() => w.write(one)).toThrow(JobError);
  });

  test("throws the n-th runtime error of the job, counting across restores", async () => {
    const block = `throw_runtime_exception_list = ["runtime error 1", "runtime error 2"]`;
    resetRuntimeErrors("job-rt");
    const messages: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const sink = await create(block, [t1], logger(), "job-rt");
      const w = await sink.writer({ subtask: 0, parallelism: 1, log: logger() });
      try {
        await w.write(one);
      } catch (e) {
        messages.push((e as Error).message);
      }
    }
    expect(messages).toEqual(["runtime error 1", "runtime error 2", "Index 2 out of bounds for length 2"]);
    resetRuntimeErrors("job-rt");
  });

  test("keeps runtime error counters apart per job", async () => {
    const block = `throw_runtime_exception_list = ["first", "second"]`;
    for (const job of ["job-a", "job-b"]) {
      resetRuntimeErrors(job);
      const w = await (await create(block, [t1], logger(), job)).writer({ subtask: 0, parallelism: 1, log: logger() });
      expect(() => w.write(one)).toThrow("first");
      resetRuntimeErrors(job);
    }
  });
});

describe("InMemory checkpoint and commit failures", () => {
  test("waits 4 s then fails prepareCommit on throw_exception", async () => {
    const waits: number[] = [];
    const sink = inMemorySink(
      {
        throwException: true,
        throwOutOfMemory: false,
        checkpointSleep: false,
        throwExceptionOfCommitter: false,
        failTimes: 0,
      },
      [t1],
      { jobId: "j", log: logger() },
      { sleep: async (ms) => void waits.push(ms) },
    );
    const w = await sink.writer({ subtask: 0, parallelism: 1, log: logger() });
    await expect(Promise.resolve(w.prepareCommit?.(1))).rejects.toThrow("write failed");
    expect(waits).toEqual([4000]);
  });

  test("waits 5 s in prepareCommit on checkpoint_sleep", async () => {
    const waits: number[] = [];
    const sink = inMemorySink(
      {
        throwException: false,
        throwOutOfMemory: false,
        checkpointSleep: true,
        throwExceptionOfCommitter: false,
        failTimes: 0,
      },
      [t1],
      { jobId: "j", log: logger() },
      { sleep: async (ms) => void waits.push(ms) },
    );
    const w = await sink.writer({ subtask: 0, parallelism: 1, log: logger() });
    expect(await w.prepareCommit?.(1)).toEqual({});
    expect(waits).toEqual([5000]);
  });

  test("fails commit on throw_exception_of_committer", async () => {
    const sink = inMemorySink(
      {
        throwException: false,
        throwOutOfMemory: false,
        checkpointSleep: false,
        throwExceptionOfCommitter: true,
        failTimes: 0,
      },
      [t1],
      { jobId: "j", log: logger() },
      noSleep,
    );
    expect(() => sink.commit?.([{}])).toThrow("commit failed");
  });
});

describe("InMemory assert options", () => {
  test("accepts assert options that match after placeholder substitution", async () => {
    const table: TableSchema = {
      id: "test_db1.test_schema1.test_table1",
      path: { database: "test_db1", schema: "test_schema1", table: "test_table1" },
      columns: [
        { name: "id", type: T.bigint, nullable: true },
        { name: "name", type: T.string, nullable: true },
      ],
      primaryKey: { name: "pk", columnNames: ["id", "name"] },
    };
    await create(
      `assert_options_key = "\${table_full_name} \${primary_key} \${field_names}"\nassert_options_value = "test_db1.test_schema1.test_table1 id,name id,name"`,
      [table],
    );
  });

  test("rejects assert options that differ, with SeaTunnel's message", async () => {
    await expect(create(`assert_options_key = "a"\nassert_options_value = "b"`, [t1])).rejects.toThrow(
      new ConfigError("CONFIG_OPTION_INVALID", "sink InMemory: assert key and value not match! key = a, value = b"),
    );
  });
});
