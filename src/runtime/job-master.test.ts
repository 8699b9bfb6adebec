import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAll } from "../../connectors/index.ts";
import { defineSink, type Logger, opt } from "../api/index.ts";
import { readJob } from "../config/read.ts";
import { loadJobTree } from "../plan/load.ts";
import { Registry } from "../registry/index.ts";
import { CheckpointStorage } from "../checkpoint/storage.ts";
import { fingerprint } from "../plan/explain.ts";
import { runJob } from "./job-master.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Counts the calls the job master makes on the sink (the job runs in-process, so they are visible here). */
const calls = { prepare: 0, recover: 0, commits: 0 };

const countingSink = defineSink({
  name: "CountingSink",
  doc: "Test sink that counts prepare() and recover() calls",
  options: { with_prepare: opt.bool({ default: false, doc: "Declare a save-mode prepare() as well" }) },
  examples: [],
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  create(o) {
    return {
      ...(o.with_prepare
        ? {
            prepare() {
              calls.prepare++;
            },
          }
        : {}),
      recover() {
        calls.recover++;
      },
      commit() {
        calls.commits++;
      },
      writer: () => ({
        write() {},
        prepareCommit: () => ({ rows: 1 }),
        close() {},
      }),
    };
  },
});

async function bind(withPrepare: boolean, jobId: string) {
  const text = `env { parallelism = 1, job.mode = "BATCH" }
source { FakeSource { row.num = 5, schema = { fields { id = bigint } } } }
sink { CountingSink { with_prepare = ${withPrepare} } }`;
  const root = await readJob(text, "recover.conf", { variables: new Map(), env: {} });
  const registry = new Registry([...(await loadAll()), countingSink]);
  return loadJobTree(root, "recover.conf", { jobId, jobName: "recover", log: quiet, checkOnly: false, registry });
}

/** What a run killed right after its final checkpoint was stored leaves: job.json and that checkpoint. */
async function killedAfterFinalCheckpoint(dir: string, jobId: string, withPrepare: boolean) {
  const job = await bind(withPrepare, jobId);
  const storage = new CheckpointStorage(dir, jobId, 3);
  storage.writeMeta({ jobId, jobName: "recover", file: "recover.conf", fingerprint: fingerprint(job), prepared: true });
  const node = job.nodes.findIndex((n) => n?.sink);
  const chains = [{ sourceNode: 0, subtask: 0, splits: [] }];
  const commits = [{ node, infos: [{ rows: 1 }] }];
  await storage.write({
    jobId,
    pipelineId: 1,
    checkpointId: 1,
    time: Date.now(),
    finished: true,
    savepoint: false,
    chains,
    commits,
  });
  return job;
}

describe("job master: save modes and recover", () => {
  for (const withPrepare of [false, true]) {
    test(`recover() runs once on a restore and never on a fresh run (sink ${withPrepare ? "with" : "without"} prepare)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "st-recover-"));
      const jobId = `4242${withPrepare ? 1 : 0}`;
      Object.assign(calls, { prepare: 0, recover: 0, commits: 0 });
      const fresh = await runJob(await bind(withPrepare, jobId), {
        log: quiet,
        workers: 0,
        checkpoint: { dir, retained: 3 },
      });
      expect(fresh.status).toBe("FINISHED");
      expect(calls).toEqual({ prepare: withPrepare ? 1 : 0, recover: 0, commits: 1 });
      // A finished job leaves no checkpoint folder.
      expect(fresh.checkpoints).toEqual({ dir: join(dir, jobId), kept: false });
      expect(existsSync(join(dir, jobId))).toBe(false);

      Object.assign(calls, { prepare: 0, recover: 0, commits: 0 });
      const job = await killedAfterFinalCheckpoint(dir, jobId, withPrepare);
      const restored = await runJob(job, { log: quiet, workers: 0, checkpoint: { dir, retained: 3 }, restore: true });
      expect(restored.status).toBe("FINISHED");
      // The restored (final) checkpoint is committed again once, then recover() runs; save modes do not.
      expect(calls).toEqual({ prepare: 0, recover: 1, commits: 1 });
      // Nothing was read again: the pipeline had finished before the restore.
      expect(restored.pipelines.map((p) => [p.id, p.read])).toEqual([[1, 0]]);
      expect(existsSync(join(dir, jobId))).toBe(false);
    });
  }

  test("a restore of a run killed before its save modes ended runs them, as a new run would", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-recover-"));
    const jobId = "424299";
    // What a run killed inside prepare() leaves: job.json, marked not prepared, and no checkpoint.
    const storage = new CheckpointStorage(dir, jobId, 3);
    const job = await bind(true, jobId);
    storage.writeMeta({
      jobId,
      jobName: "recover",
      file: "recover.conf",
      fingerprint: fingerprint(job),
      prepared: false,
    });
    Object.assign(calls, { prepare: 0, recover: 0, commits: 0 });
    const restored = await runJob(job, { log: quiet, workers: 0, checkpoint: { dir, retained: 3 }, restore: true });
    expect(restored.status).toBe("FINISHED");
    expect(calls).toEqual({ prepare: 1, recover: 0, commits: 1 });
  });
});
