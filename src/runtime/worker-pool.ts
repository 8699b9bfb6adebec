/**
 * Where chains run. `InProcess` runs them on this thread; `WorkerPool` starts a fixed number of
 * Bun workers (never one per table or per chain) and gives each new chain to the least loaded one,
 * so a worker interleaves many small chains (dynamic thread sharing). Both route barriers and
 * aborts to the chains of one pipeline and report each chain's acks back.
 */
import type { Logger } from "../api/connector.ts";
import { JobError } from "../api/errors.ts";
import type { BoundJob } from "../plan/bind.ts";
import type { ChainAck } from "../checkpoint/coordinator.ts";
import {
  abandonChain,
  buildChain,
  newControl,
  runChain,
  type ChainControl,
  type ChainCounters,
  type ChainSpec,
} from "./chain.ts";
import {
  applyCounters,
  type ChainEnd,
  type ErrorData,
  type FromWorker,
  type LimitSpec,
  type ToWorker,
  type WorkerInit,
} from "./protocol.ts";
import { createLimiter } from "./rate-limit.ts";

export interface ChainRun {
  id: number;
  pipeline: number;
  spec: ChainSpec;
  counters: ChainCounters;
  limit?: LimitSpec;
  onAck: (a: ChainAck) => void;
}

export interface Executor {
  /** Threads this executor started (the main thread not counted). */
  readonly threads: number;
  /** Resolves with how the chain ended; rejects with the chain's error. */
  run(r: ChainRun): Promise<ChainEnd>;
  barrier(pipeline: number, checkpointId: number, stop: boolean): void;
  committed(pipeline: number, checkpointId: number): void;
  abort(pipeline: number): void;
  close(): Promise<void>;
}

/** The chains of one thread, by id, with the control each one polls. */
export class LocalChains {
  private readonly controls = new Map<number, { pipeline: number; ctl: ChainControl }>();

  constructor(
    private readonly job: () => BoundJob,
    private readonly log: () => Logger,
  ) {}

  async run(r: Omit<ChainRun, "onAck">, onAck: (a: ChainAck) => void): Promise<ChainEnd> {
    const ctl = newControl(onAck);
    this.controls.set(r.id, { pipeline: r.pipeline, ctl });
    const limiter = r.limit ? createLimiter(r.limit) : undefined;
    // Under a rate limit a reader cuts its batches to the limiter's slices, so barriers pass between them.
    const chain = await buildChain(this.job(), r.spec, this.log(), r.counters, limiter?.sliceRows);
    try {
      const end = await runChain(chain, ctl, limiter);
      if (end === "aborted") {
        await abandonChain(chain);
      }
      return end;
    } catch (e) {
      await abandonChain(chain);
      throw e;
    } finally {
      this.controls.delete(r.id);
    }
  }

  barrier(pipeline: number, checkpointId: number, stop: boolean): void {
    for (const { pipeline: p, ctl } of this.controls.values()) {
      if (p !== pipeline) {
        continue;
      }
      ctl.barriers.push(checkpointId);
      if (stop) {
        ctl.stopAfter = checkpointId;
      }
    }
  }

  abort(pipeline: number): void {
    for (const { pipeline: p, ctl } of this.controls.values()) {
      if (p === pipeline) {
        ctl.abort = true;
      }
    }
  }

  committed(pipeline: number, checkpointId: number): void {
    for (const { pipeline: p, ctl } of this.controls.values()) {
      if (p === pipeline) {
        ctl.committed.push(checkpointId);
      }
    }
  }

  get size(): number {
    return this.controls.size;
  }

  entries(): IterableIterator<[number, { pipeline: number; ctl: ChainControl }]> {
    return this.controls.entries();
  }
}

export class InProcess implements Executor {
  readonly threads = 0;
  private readonly chains: LocalChains;

  constructor(job: BoundJob, log: Logger) {
    this.chains = new LocalChains(
      () => job,
      () => log,
    );
  }

  run(r: ChainRun): Promise<ChainEnd> {
    return this.chains.run(r, r.onAck);
  }

  barrier(pipeline: number, checkpointId: number, stop: boolean): void {
    this.chains.barrier(pipeline, checkpointId, stop);
  }

  abort(pipeline: number): void {
    this.chains.abort(pipeline);
  }

  committed(pipeline: number, checkpointId: number): void {
    this.chains.committed(pipeline, checkpointId);
  }

  async close(): Promise<void> {}
}

let workerUrl: URL | undefined;

/** The compiled binary must build the worker's URL in its entry file (see STACK-NOTES); main.ts sets it here. */
export function setWorkerUrl(url: URL): void {
  workerUrl = url;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  chains: number;
  /** The owning pool's handlers: chain messages, and the worker's death. */
  receive?: (m: FromWorker) => void;
  lost?: (e: Error) => void;
}

/** A worker that loads the engine and binds the job of `init` at once; it reports to whichever pool adopts it. */
function launch(init: Omit<WorkerInit, "type">): Slot {
  const url = workerUrl ?? new URL("./worker-entry.ts", import.meta.url);
  const worker = new Worker(url.href);
  const { promise, resolve: ready, reject: failed } = Promise.withResolvers<void>();
  const slot: Slot = { worker, chains: 0, ready: promise };
  // A pre-started worker may fail before any pool awaits it; the pool sees the rejection when it does.
  slot.ready.catch(() => {});
  worker.onmessage = (ev: MessageEvent<FromWorker>) => {
    const m = ev.data;
    if (m.type === "ready") {
      ready();
    } else if (m.type === "init-failed") {
      failed(toError(m.error));
    } else {
      slot.receive?.(m);
    }
  };
  worker.onerror = (ev) => {
    const e = new JobError("WORKER_FAILED", `a pool worker stopped: ${ev.message}`);
    failed(e);
    slot.lost?.(e);
  };
  worker.postMessage({ type: "init", ...init } satisfies ToWorker);
  return slot;
}

let prestarted: { jobId: string; slots: Slot[] } | undefined;

/**
 * The pool size of a job with `chains` source subtasks: 0 when it runs on this thread (one
 * chain), else one worker per chain up to `workers` (default: the core count).
 */
export function poolSizeOf(chains: number, workers: number | undefined): number {
  const size = Math.min(workers ?? navigator.hardwareConcurrency, chains);
  return chains > 1 && size >= 1 ? size : 0;
}

/**
 * Starts the workers of a job as soon as its file is read, before this thread binds it: their
 * start-up (a JavaScript VM each, loading the engine, binding the same job) then overlaps this
 * thread's. The job's WorkerPool adopts them; a process that never runs the job exits with them.
 */
export function prestartWorkers(size: number, init: Omit<WorkerInit, "type">): void {
  prestarted = { jobId: init.jobId, slots: Array.from({ length: size }, () => launch(init)) };
}

interface Pending {
  run: ChainRun;
  resolve: (end: ChainEnd) => void;
  reject: (e: Error) => void;
}

export class WorkerPool implements Executor {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly size: number,
    private readonly init: Omit<WorkerInit, "type">,
  ) {}

  get threads(): number {
    return this.slots.length;
  }

  /**
   * Starts every worker now, so that their start-up (loading the engine, binding the job)
   * overlaps what the main thread does before the first chain runs: sink save modes, split
   * enumeration (which may scan a large file).
   */
  warm(): void {
    while (this.slots.length < this.size) {
      this.slots.push(this.start());
    }
  }

  private start(): Slot {
    const slot = (prestarted?.jobId === this.init.jobId ? prestarted.slots.shift() : undefined) ?? launch(this.init);
    slot.receive = (m) => this.receive(slot, m);
    slot.lost = (e) => {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(e);
      }
    };
    return slot;
  }

  private receive(slot: Slot, m: FromWorker): void {
    if (m.type === "ready" || m.type === "init-failed") {
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) {
      return;
    }
    if (m.type === "ack") {
      return p.run.onAck(m.ack);
    }
    applyCounters(p.run.counters, m.counters);
    if (m.type === "progress") {
      return;
    }
    this.pending.delete(m.id);
    slot.chains--;
    if (m.type === "done") {
      p.resolve(m.end);
    } else {
      p.reject(toError(m.error));
    }
  }

  private pick(): Slot {
    if (this.slots.length < this.size) {
      const s = this.start();
      this.slots.push(s);
      return s;
    }
    return this.slots.reduce((a, b) => (b.chains < a.chains ? b : a));
  }

  async run(r: ChainRun): Promise<ChainEnd> {
    const slot = this.pick();
    slot.chains++;
    await slot.ready;
    return new Promise<ChainEnd>((resolve, reject) => {
      this.pending.set(r.id, { run: r, resolve, reject });
      slot.worker.postMessage({
        type: "run",
        id: r.id,
        pipeline: r.pipeline,
        spec: r.spec,
        ...(r.limit ? { limit: r.limit } : {}),
      } satisfies ToWorker);
    });
  }

  barrier(pipeline: number, checkpointId: number, stop: boolean): void {
    for (const s of this.slots) {
      s.worker.postMessage({ type: "barrier", pipeline, checkpointId, stop } satisfies ToWorker);
    }
  }

  abort(pipeline: number): void {
    for (const s of this.slots) {
      s.worker.postMessage({ type: "abort", pipeline } satisfies ToWorker);
    }
  }

  committed(pipeline: number, checkpointId: number): void {
    for (const s of this.slots) {
      s.worker.postMessage({ type: "committed", pipeline, checkpointId } satisfies ToWorker);
    }
  }

  async close(): Promise<void> {
    for (const s of this.slots) {
      s.worker.terminate();
    }
    if (prestarted?.jobId === this.init.jobId) {
      for (const s of prestarted.slots) {
        s.worker.terminate();
      }
      prestarted = undefined;
    }
  }
}

function toError(e: ErrorData): Error {
  const err = new JobError(e.code, e.message, e.failure ? { failure: e.failure } : undefined);
  if (e.stack) {
    err.stack = e.stack;
  }
  return err;
}
