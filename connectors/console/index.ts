/**
 * Console: logs every row it receives, in SeaTunnel's exact line format (ConsoleSinkFactory /
 * ConsoleSinkWriter), so job output can be compared with SeaTunnel's line by line.
 */
import { defineSink, opt } from "../../src/api/index.ts";
import { consoleSink } from "./sink.ts";

export const consoleOptions = {
  "log.print.data": opt.bool({
    default: true,
    doc: "Log every row (INFO); false prints only the row type, e.g. for throughput tests",
  }),
  "log.print.delay.ms": opt.int({
    default: 0,
    min: 0,
    doc: "Milliseconds to sleep after each row (slows a job down for demos)",
  }),
  multi_table_sink_replica: opt.int({
    default: 1,
    min: 1,
    doc: "Writers per table in a multi-table sink (accepted for compatibility; rows are printed by one writer per subtask)",
  }),
};

const SIMPLE = `env {
  parallelism = 1
  job.mode = "BATCH"
}

source {
  FakeSource {
    result_table_name = "fake"
    row.num = 3
    schema = {
      fields {
        name = "string"
        age = "int"
      }
    }
  }
}

sink {
  Console {
    source_table_name = "fake"
  }
}
`;

const QUIET = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    row.num = 100000
    schema = { fields { id = bigint, score = double } }
  }
}

sink {
  Console {
    log.print.data = false
  }
}
`;

export const consoleSinkDefinition = defineSink({
  name: "Console",
  doc: "Logs each row as `subtaskIndex=0  rowIndex=1:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=INSERT : a, 1`, after one `output rowType: ...` line per input table.",
  options: consoleOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    { title: "Print generated rows", conf: SIMPLE },
    { title: "Discard rows without printing (throughput)", conf: QUIET },
  ],
  create: (o, inputs) => consoleSink({ printData: o["log.print.data"], delayMs: o["log.print.delay.ms"] }, inputs),
});
