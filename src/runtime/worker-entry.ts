/**
 * A pool worker: binds the job from the tree the master sends, then runs every chain it is given,
 * interleaved on this one thread (many small chains share a thread), reporting counters and, at
 * the end of each chain, the sinks' prepared commits.
 */
import { ConfigErrors } from "../api/errors.ts";
import { buildJob } from "../config/job.ts";
import { bindJob, type BoundJob } from "../plan/bind.ts";
import { buildDag } from "../plan/logical.ts";
import { builtinRegistry } from "../registry/index.ts";
import { createLogger } from "../cli/log.ts";
import { buildChain, finishChain, runChain, type ChainCounters } from "./chain.ts";
import { countersData, errorData, type FromWorker, type ToWorker, type WorkerInit } from "./protocol.ts";
import { createLimiter } from "./rate-limit.ts";

declare const self: Worker;

const PROGRESS_MS = 200;
const stop = { requested: false };
let aborted = false;
let job: BoundJob | undefined;
let log = createLogger({ verbose: false });
const live = new Map<number, ChainCounters>();

const post = (m: FromWorker) => self.postMessage(m);

async function init(m: WorkerInit): Promise<void> {
  log = createLogger({ verbose: m.verbose });
  const built = buildJob(m.root, m.file);
  if (!built.job) throw new ConfigErrors(built.errors);
  const planned = buildDag(built.job);
  if (!planned.dag) throw new ConfigErrors(planned.errors);
  const bound = await bindJob(built.job, planned.dag, await builtinRegistry(), { jobId: m.jobId, jobName: m.jobName, log, checkOnly: false });
  if (!bound.bound) throw new ConfigErrors(bound.errors);
  job = bound.bound;
}

async function run(m: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const chain = await buildChain(job!, m.spec, log);
  live.set(m.id, chain.counters);
  try {
    await runChain(chain, stop, m.limit ? createLimiter(m.limit) : undefined);
    if (aborted) throw new Error("stopped because another part of the job failed");
    const commits = await finishChain(chain);
    post({ type: "done", id: m.id, counters: countersData(chain.counters), commits });
  } catch (e) {
    await Promise.resolve(chain.reader.close?.()).catch(() => {});
    post({ type: "failed", id: m.id, counters: countersData(chain.counters), error: errorData(e) });
  } finally {
    live.delete(m.id);
  }
}

setInterval(() => {
  for (const [id, c] of live) post({ type: "progress", id, counters: countersData(c) });
}, PROGRESS_MS);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === "init") {
    init(m).then(
      () => post({ type: "ready" }),
      (e: unknown) => post({ type: "init-failed", error: errorData(e) }),
    );
  } else if (m.type === "run") {
    void run(m);
  } else {
    stop.requested = true;
    aborted = m.mode === "abort";
  }
};
