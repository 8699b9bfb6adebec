/**
 * Runs a range of fuzz cases off the test's thread, so a hang can be stopped (Worker.terminate)
 * and named: the index of the case in progress is kept in shared memory.
 */
import { fuzzCase, runCase, type CorpusFile, type FuzzFailure } from "./fuzz-cases.ts";

export interface FuzzJob {
  corpus: CorpusFile[];
  seed: number;
  from: number;
  to: number;
  /** Int32Array over a SharedArrayBuffer: [0] = the index being run. */
  current: SharedArrayBuffer;
}

export interface FuzzDone {
  failures: FuzzFailure[];
  /** The slowest case, in milliseconds, and its index. */
  slowest: { index: number; ms: number };
}

declare const self: Worker;

self.onmessage = async (event: MessageEvent<FuzzJob>) => {
  const { corpus, seed, from, to, current } = event.data;
  const now = new Int32Array(current);
  const failures: FuzzFailure[] = [];
  const slowest = { index: -1, ms: 0 };
  for (let i = from; i < to; i++) {
    Atomics.store(now, 0, i);
    const c = fuzzCase(corpus, seed, i);
    const t0 = performance.now();
    const problem = await runCase(c);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) {
      Object.assign(slowest, { index: i, ms });
    }
    if (problem) {
      failures.push({ index: i, file: c.file, mutation: c.mutation, problem });
    }
  }
  const done: FuzzDone = { failures, slowest };
  postMessage(done);
};
