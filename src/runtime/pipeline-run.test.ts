import { beforeEach, describe, expect, test } from "bun:test";
import { loadAll } from "../../connectors/index.ts";
import { defineSink, deterministic, JobError, opt, transient } from "../api/index.ts";
import { recordingLogger } from "../api/testing.ts";
import { readJob } from "../config/read.ts";
import { loadJobTree } from "../plan/load.ts";
import { Registry } from "../registry/index.ts";
import { runJob } from "./job-master.ts";
import { retryDelay } from "./pipeline-run.ts";

/** What the flaky sink's writers saw, across the attempts of one job (it runs in-process). */
const seen = { writers: 0, aborted: 0, abortedBeforeNextWriter: true };

const FAILURES = {
  deterministic: deterministic("constraint violation (test 23)"),
  transient: transient("connection lost (test 08)"),
  unknown: undefined,
};

const flakySink = defineSink({
  name: "FlakySink",
  doc: "Test sink whose first writers fail with a classified (or unclassified) error",
  options: {
    fail_first: opt.int({ default: 1, doc: "How many writers fail" }),
    failure: opt.enum({ values: ["deterministic", "transient", "unknown"], default: "unknown", doc: "Its class" }),
  },
  examples: [],
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  create(o) {
    return {
      writer: () => {
        // The writer of the failed attempt released what it held before this one opened.
        seen.abortedBeforeNextWriter &&= seen.aborted === seen.writers;
        const n = ++seen.writers;
        return {
          write() {
            if (n <= o.fail_first) {
              const failure = FAILURES[o.failure];
              throw new JobError("TEST_WRITE", `write ${n} failed`, failure ? { failure } : undefined);
            }
          },
          close() {},
          async abort() {
            await Bun.sleep(20);
            seen.aborted++;
          },
        };
      },
    };
  },
});

async function run(failure: keyof typeof FAILURES, failFirst = 1, o: { interval?: number; stopOn?: string } = {}) {
  const text = `env { parallelism = 1, job.mode = "BATCH", job.retry.times = 3, job.retry.interval.seconds = ${o.interval ?? 0} }
source { FakeSource { row.num = 5, schema = { fields { id = bigint } } } }
sink { FlakySink { failure = ${failure}, fail_first = ${failFirst} } }`;
  const log = recordingLogger();
  const stop = new AbortController();
  const info = log.info;
  log.info = (m: string) => {
    info(m);
    if (o.stopOn && m.includes(o.stopOn)) {
      stop.abort();
    }
  };
  const root = await readJob(text, "flaky.conf", { variables: new Map(), env: {} });
  const registry = new Registry([...(await loadAll()), flakySink]);
  const job = await loadJobTree(root, "flaky.conf", { jobId: "1", jobName: "flaky", log, checkOnly: false, registry });
  const result = await runJob(job, { log, workers: 0, signal: stop.signal });
  return { result, messages: log.messages.join("\n") };
}

beforeEach(() => {
  Object.assign(seen, { writers: 0, aborted: 0, abortedBeforeNextWriter: true });
});

describe("pipeline retries by the failure's class", () => {
  test("a deterministic failure fails the job at once, saying why it is not restarted", async () => {
    const { result, messages } = await run("deterministic");
    expect(result.status).toBe("FAILED");
    expect(result.error?.message).toContain("write 1 failed");
    expect(seen.writers).toBe(1);
    expect(messages).toContain("is not restarted: constraint violation (test 23) would fail the same way again.");
    expect(messages).not.toContain("Restore time");
  });

  test("a transient failure is retried with its reason, after the failed writer was aborted", async () => {
    const { result, messages } = await run("transient", 2);
    expect(result.status).toBe("FINISHED");
    expect(seen.writers).toBe(3);
    expect(seen.abortedBeforeNextWriter).toBe(true);
    expect(messages).toContain(
      "retry 1/3 in 0s from the beginning (no checkpoint was completed): connection lost (test 08).",
    );
    expect(messages).toContain("retry 2/3 in 0s");
    expect(messages).not.toContain("retry 3/3");
  });

  test("an unclassified failure is retried as SeaTunnel retries every failure, and the log says so", async () => {
    const { result, messages } = await run("unknown", 4);
    expect(result.status).toBe("FAILED");
    expect(seen.writers).toBe(4);
    expect(messages).toContain(
      "retry 3/3 in 0s from the beginning (no checkpoint was completed): unclassified failure",
    );
  });

  test("a stop request ends the wait before a retry (which may be a minute) and starts no new attempt", async () => {
    const { result, messages } = await run("transient", 1, { interval: 60, stopOn: "retry 1/3 in 60s" });
    expect(result.status).toBe("FAILED");
    expect(seen.writers).toBe(1);
    expect(messages).toContain("retry 1/3 in 60s");
  });
});

describe("retryDelay", () => {
  test("doubles from job.retry.interval.seconds and stops at a minute, or at the interval when that is longer", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(3000, n))).toEqual([
      3000, 6000, 12000, 24000, 48000, 60000, 60000,
    ]);
    expect(retryDelay(90_000, 3)).toBe(90_000);
    expect(retryDelay(0, 5)).toBe(0);
  });
});
