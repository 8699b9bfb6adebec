/**
 * InMemory: SeaTunnel's test-only sink (seatunnel-e2e-common). It discards rows; its options make
 * it fail on purpose so engine tests can exercise retries, checkpoints and save modes.
 */
import { defineSink, opt } from "../../src/api/index.ts";
import { inMemorySink } from "./sink.ts";

export const inMemoryOptions = {
  throw_exception: opt.bool({
    default: false,
    doc: 'prepareCommit (each checkpoint, and the final one of a batch job) waits 4 s, then fails with "write failed"',
  }),
  throw_out_of_memory: opt.bool({ default: false, doc: "write fails as with java.lang.OutOfMemoryError" }),
  throw_runtime_exception_list: opt.list({
    of: "string",
    doc: "The n-th write call of the job fails with the n-th message; the count survives pipeline restores",
  }),
  checkpoint_sleep: opt.bool({ default: false, doc: "prepareCommit waits 5 s" }),
  throw_exception_of_committer: opt.bool({ default: false, doc: 'commit fails with "commit failed"' }),
  assert_options_key: opt.string({
    doc: "Compared with assert_options_value after sink placeholders (${table_name}...) are substituted; creating the sink fails if they differ",
  }),
  assert_options_value: opt.string({ doc: "The expected value of assert_options_key" }),
  fail_times: opt.int({
    default: 0,
    min: 0,
    doc: 'Ours: the first N write calls of the job fail ("injected failure k of N"), later ones succeed; the count survives pipeline restores, so failover can be tested',
  }),
};

const SAVEMODE = `env {
  parallelism = 1
  job.mode = "BATCH"
}

source {
  FakeSource {
    tables_configs = [
      { row.num = 1, schema = { table = "test.table1", columns = [ { name = id, type = bigint } ] } },
      { row.num = 1, schema = { table = "test.table2", columns = [ { name = id, type = bigint } ] } }
    ]
  }
}

sink {
  InMemory {
  }
}
`;

const PLACEHOLDERS = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    schema = {
      table = "db1.t1"
      fields { id = bigint, name = string }
    }
  }
}

sink {
  InMemory {
    assert_options_key = "\${database_name}.\${table_name}: \${field_names}"
    assert_options_value = "db1.t1: id,name"
  }
}
`;

export const inMemorySinkDefinition = defineSink({
  name: "InMemory",
  doc: "Discards rows (test sink). Logs `handle schema savemode with table path: <db.table>` / `handle data savemode ...` for every input table, and fails on purpose when throw_* options are set.",
  options: inMemoryOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    { title: "Save-mode log lines for two tables", conf: SAVEMODE },
    { title: "Check sink placeholder substitution", conf: PLACEHOLDERS },
  ],
  create: (o, inputs, ctx) => {
    const s = {
      throwException: o.throw_exception,
      throwOutOfMemory: o.throw_out_of_memory,
      checkpointSleep: o.checkpoint_sleep,
      throwExceptionOfCommitter: o.throw_exception_of_committer,
      ...(o.assert_options_key !== undefined ? { assertKey: o.assert_options_key } : {}),
      ...(o.assert_options_value !== undefined ? { assertValue: o.assert_options_value } : {}),
      ...(o.throw_runtime_exception_list !== undefined ? { runtimeErrors: o.throw_runtime_exception_list } : {}),
      failTimes: o.fail_times,
    };
    return inMemorySink(s, inputs, ctx);
  },
});
