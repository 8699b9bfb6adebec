/**
 * A pool worker: binds the job from the tree the master sends, then runs every chain it is given,
 * interleaved on this one thread (many small chains share a thread), reporting counters, acks at
 * barriers, and how each chain ended.
 */
import { createLogger } from "./log.ts";
import type { BoundJob } from "../plan/bind.ts";
import { loadJobTree } from "../plan/load.ts";
import { type ChainCounters, newCounters, consumerPromises } from "./chain.ts";
import { countersData, errorData, type FromWorker, type ToWorker, type WorkerInit } from "./protocol.ts";
import { LocalChains } from "./worker-pool.ts";

declare const self: Worker;

const PROGRESS_MS = 200;
let job: BoundJob | undefined;
let log = createLogger({ verbose: false });
const live = new Map<number, ChainCounters>();
const chains = new LocalChains(
  () => job!,
  () => log,
);

const post = (m: FromWorker) => self.postMessage(m);

async function init(m: WorkerInit): Promise<void> {
  log = createLogger({ verbose: m.verbose, stderr: m.stderr === true });
  job = await loadJobTree(m.root, m.file, { jobId: m.jobId, jobName: m.jobName, log, checkOnly: false });
}

/** After init: sources do what each of their readers would do first (Source.warm), before any chain arrives. */
async function warm(j: BoundJob): Promise<void> {
  for (const [id, n] of j.nodes.entries()) {
    if (!n?.source?.warm) {
      continue;
    }
    try {
      const consumers = consumerPromises(j, id, { noFuse: false, cache: Boolean(j.job.env.source_cache) });
      await n.source.warm(consumers ? { consumers } : {});
    } catch {
      // Only a cache: the reader meets the same error and reports it.
    }
  }
}

async function run(m: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const counters = newCounters();
  live.set(m.id, counters);
  try {
    const end = await chains.run(
      { id: m.id, pipeline: m.pipeline, spec: m.spec, counters, ...(m.limit ? { limit: m.limit } : {}) },
      // Counters first: the master checks the job's error budget against them when the ack completes a checkpoint.
      (ack) => {
        post({ type: "progress", id: m.id, counters: countersData(counters) });
        post({ type: "ack", id: m.id, ack });
      },
    );
    post({ type: "done", id: m.id, counters: countersData(counters), end });
  } catch (e) {
    post({ type: "failed", id: m.id, counters: countersData(counters), error: errorData(e) });
  } finally {
    live.delete(m.id);
  }
}

setInterval(() => {
  for (const [id, c] of live) {
    post({ type: "progress", id, counters: countersData(c) });
  }
}, PROGRESS_MS);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case "init":
      init(m).then(
        () => {
          post({ type: "ready" });
          void warm(job!);
        },
        (e: unknown) => post({ type: "init-failed", error: errorData(e) }),
      );
      return;
    case "run":
      void run(m);
      return;
    case "barrier":
      chains.barrier(m.pipeline, m.checkpointId, m.stop);
      return;
    case "abort":
      chains.abort(m.pipeline);
      return;
    case "committed":
      chains.committed(m.pipeline, m.checkpointId);
  }
};
