import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAll } from "../../connectors/index.ts";
import { defineSink, type Logger, opt, type RejectedRecord } from "../api/index.ts";
import { readJob } from "../config/read.ts";
import { loadJobTree } from "../plan/load.ts";
import { Registry } from "../registry/index.ts";
import { newCounters } from "./chain.ts";
import { runJob } from "./job-master.ts";
import { Metrics } from "./metrics.ts";
import { ChainRejects, checkBudget, REJECT_LIMIT_EXCEEDED } from "./rejects.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };
const bytes = (s: string) => Buffer.from(s);
const bad = (line: number, raw: string, column?: number): RejectedRecord => ({
  raw: bytes(raw),
  file: "/data/in.csv",
  line,
  ...(column !== undefined ? { column, field: `c${column}` } : {}),
  reason: "expects int",
});

describe("ChainRejects", () => {
  test("writes each record as read to the .dat file and its position and reason to the .log file", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-rejects-"));
    const counters = newCounters();
    const r = new ChainRejects({ mode: "ROUTE", max: 0, dir, name: "reject-0-1" }, counters, quiet);
    r.reject(bad(7, "x,1\r\n", 1));
    r.reject(bad(9, 'a,"b\nc",d\n'));
    r.reject(bad(12, "last,line"));
    r.close();
    expect(counters.rejected).toBe(3);
    expect(readFileSync(join(dir, "reject-0-1.dat"), "utf8")).toBe('x,1\r\na,"b\nc",d\nlast,line\n');
    const log = readFileSync(join(dir, "reject-0-1.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(log).toEqual([
      { file: "/data/in.csv", line: 7, column: 1, field: "c1", reason: "expects int", offset: 0, length: 5 },
      { file: "/data/in.csv", line: 9, reason: "expects int", offset: 5, length: 10 },
      { file: "/data/in.csv", line: 12, reason: "expects int", offset: 15, length: 9 },
    ]);
  });

  test("a chain resuming a checkpoint cuts its files back to it and counts on from its count", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-rejects-"));
    const spec = { mode: "ROUTE" as const, max: 0, dir, name: "reject-0-0" };
    const first = new ChainRejects(spec, newCounters(), quiet);
    first.reject(bad(1, "a\n"));
    const state = first.snapshot();
    first.reject(bad(2, "b\n"));
    first.close();
    const counters = newCounters();
    const again = new ChainRejects({ ...spec, state }, counters, quiet);
    expect(counters.rejected).toBe(1);
    again.reject(bad(3, "c\n"));
    again.close();
    expect(readFileSync(join(dir, "reject-0-0.dat"), "utf8")).toBe("a\nc\n");
    expect(readFileSync(join(dir, "reject-0-0.log"), "utf8").match(/"line":\d+/g)).toEqual(['"line":1', '"line":3']);
    expect(counters.rejected).toBe(2);
  });

  test("with a mark (the source cache reads ahead), a checkpoint keeps the state as of the mark", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-rejects-"));
    const r = new ChainRejects({ mode: "ROUTE", max: 0, dir, name: "reject-0-0" }, newCounters(), quiet);
    r.reject(bad(1, "a\n"));
    r.mark();
    r.reject(bad(2, "b\n"));
    const firstLog = readFileSync(join(dir, "reject-0-0.log"), "utf8").split("\n")[0]!;
    expect(r.snapshot()).toEqual({ count: 1, dat: 2, log: Buffer.byteLength(firstLog) + 1 });
    r.close();
  });

  test("counting past max_error_records throws the budget error, and keeps it for the chain", () => {
    const logged: string[] = [];
    const log = { ...quiet, warn: (m: string) => logged.push(m) };
    const r = new ChainRejects({ mode: "LOG", max: 1, name: "reject-0-0" }, newCounters(), log);
    r.reject(bad(1, "a\n", 2));
    expect(() => r.reject(bad(2, "b\n"))).toThrow(
      "2 rows rejected, more than error_handler.max_error_records = 1 allows (the log names each one)",
    );
    expect(r.exceeded?.code).toBe(REJECT_LIMIT_EXCEEDED);
    expect(logged[0]).toBe('Rejected row 1: reading "/data/in.csv" line 1, column 2 ("c2"): expects int');
  });

  test("the job-wide check counts only the latest attempt of each chain", () => {
    const m = new Metrics();
    const a = newCounters();
    const b = newCounters();
    const retried = newCounters();
    m.track(1, a, "0-0");
    m.track(1, b, "0-1");
    a.rejected = 4;
    b.rejected = 3;
    m.track(1, retried, "0-0");
    retried.rejected = 5;
    expect(m.totalRejected).toBe(8);
    expect(m.pipeline(1).rejected).toBe(8);
    expect(() => checkBudget({ mode: "LOG", max: 8 }, m.totalRejected)).not.toThrow();
    expect(() => checkBudget({ mode: "LOG", max: 7 }, m.totalRejected)).toThrow(/8 rows rejected/);
    expect(() => checkBudget({ mode: "LOG", max: 0 }, 1_000_000)).not.toThrow();
  });
});

/** Fails its first run once, after `fail_after` batches: the pipeline then restarts from its last checkpoint. */
let failures = 0;
const flakySink = defineSink({
  name: "FlakySink",
  doc: "Test sink that fails once and is slow enough for checkpoints to land between batches",
  options: { fail_after: opt.int({ default: 3, doc: "Batches before the one failure" }) },
  examples: [],
  features: { batch: true, parallel: true },
  create(o) {
    let batches = 0;
    return {
      transactional: true,
      writer: () => ({
        async write() {
          await Bun.sleep(3);
          if (++batches > o.fail_after && failures === 0) {
            failures++;
            throw new Error("the sink failed once");
          }
        },
        prepareCommit: () => ({}),
        close() {},
      }),
    };
  },
});

describe("the error handler in a job", () => {
  // Whether the restart resumes a checkpoint (as it mostly does: the sink is slow) or the start, the
  // reject file holds each bad record once.
  for (const cache of [false, true]) {
    test(`a pipeline restarted after a failure hands no rejected record twice${cache ? " (source cache)" : ""}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "st-rejects-job-"));
      // A row per line, a batch per 256 KB block of lines the scan passes: lines of 1 KB make a dozen batches.
      const pad = "x".repeat(1000);
      const lines = Array.from({ length: 3000 }, (_, i) => (i % 97 === 5 ? `${i},bad,${pad}` : `${i},${i * 2},${pad}`));
      writeFileSync(join(dir, "in.csv"), `${lines.join("\n")}\n`);
      const text = `env { parallelism = 1, checkpoint.interval = 5, job.retry.times = 1, job.retry.interval.seconds = 0, source_cache = ${cache}
  error_handler { mode = ROUTE, reject_dir = "${dir}/rej" } }
source { LocalFile { path = "${dir}/in.csv", file_format_type = csv, schema = { fields { a = int, b = int, c = string } } } }
sink { FlakySink { fail_after = 8 } }`;
      const root = await readJob(text, "job.conf", { variables: new Map(), env: {} });
      const registry = new Registry([...(await loadAll()), flakySink]);
      const job = await loadJobTree(root, "job.conf", {
        jobId: "77",
        jobName: "r",
        log: quiet,
        checkOnly: false,
        registry,
      });
      failures = 0;
      const r = await runJob(job, { log: quiet, workers: 0, checkpoint: { dir: join(dir, "cp"), retained: 3 } });
      expect(r.status).toBe("FINISHED");
      expect(failures).toBe(1);
      const want = lines.filter((l) => l.includes(",bad,"));
      expect(r.metrics.totalRejected).toBe(want.length);
      expect(readFileSync(join(dir, "rej", "reject-0-0.dat"), "utf8")).toBe(`${want.join("\n")}\n`);
      expect(existsSync(join(dir, "rej", "reject-0-1.dat"))).toBe(false);
    });
  }
});
