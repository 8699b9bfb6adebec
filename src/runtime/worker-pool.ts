/**
 * Where chains run. `InProcess` runs them on this thread; `WorkerPool` starts a fixed number of
 * Bun workers (never one per table or per chain) and gives each new chain to the least loaded one,
 * so a worker interleaves many small chains (dynamic thread sharing).
 */
import type { Logger } from "../api/connector.ts";
import { JobError } from "../api/errors.ts";
import type { BoundJob } from "../plan/bind.ts";
import { buildChain, finishChain, newCounters, runChain, type ChainCounters, type ChainSpec, type StopFlag } from "./chain.ts";
import { applyCounters, type ErrorData, type FromWorker, type LimitSpec, type ToWorker, type WorkerInit } from "./protocol.ts";
import { createLimiter } from "./rate-limit.ts";

export interface ChainOutcome {
  commits: { node: number; info: unknown }[];
}

export interface Executor {
  /** Threads this executor started (the main thread not counted). */
  readonly threads: number;
  run(spec: ChainSpec, counters: ChainCounters, limit?: LimitSpec): Promise<ChainOutcome>;
  /** drain: let chains finish what they hold; abort: a pipeline failed, stop now. */
  stop(mode: "drain" | "abort"): void;
  close(): Promise<void>;
}

export class InProcess implements Executor {
  readonly threads = 0;
  private readonly flag: StopFlag = { requested: false };
  private aborted = false;

  constructor(
    private readonly job: BoundJob,
    private readonly log: Logger,
  ) {}

  async run(spec: ChainSpec, counters: ChainCounters, limit?: LimitSpec): Promise<ChainOutcome> {
    const chain = await buildChain(this.job, spec, this.log, counters);
    try {
      await runChain(chain, this.flag, limit ? createLimiter(limit) : undefined);
      if (this.aborted) throw new JobError("JOB_STOPPED", "stopped because another part of the job failed");
      return { commits: await finishChain(chain) };
    } catch (e) {
      await Promise.resolve(chain.reader.close?.()).catch(() => {});
      throw e;
    }
  }

  stop(mode: "drain" | "abort"): void {
    this.flag.requested = true;
    this.aborted ||= mode === "abort";
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
}

export class WorkerPool implements Executor {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { counters: ChainCounters; resolve: (o: ChainOutcome) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(
    readonly size: number,
    private readonly init: Omit<WorkerInit, "type">,
  ) {}

  get threads(): number {
    return this.slots.length;
  }

  private start(): Slot {
    const url = workerUrl ?? new URL("./worker-entry.ts", import.meta.url);
    const worker = new Worker(url.href);
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const slot: Slot = { worker, chains: 0, ready: new Promise<void>((res, rej) => ((ready = res), (failed = rej))) };
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === "ready") return ready();
      if (m.type === "init-failed") return failed(toError(m.error));
      const p = this.pending.get(m.id);
      if (!p) return;
      applyCounters(p.counters, m.counters);
      if (m.type === "progress") return;
      this.pending.delete(m.id);
      slot.chains--;
      if (m.type === "done") p.resolve({ commits: m.commits });
      else p.reject(toError(m.error));
    };
    worker.onerror = (ev) => {
      const e = new JobError("WORKER_FAILED", `a pool worker stopped: ${ev.message}`);
      failed(e);
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(e);
      }
    };
    worker.postMessage({ type: "init", ...this.init } satisfies ToWorker);
    return slot;
  }

  private pick(): Slot {
    if (this.slots.length < this.size) {
      const s = this.start();
      this.slots.push(s);
      return s;
    }
    return this.slots.reduce((a, b) => (b.chains < a.chains ? b : a));
  }

  async run(spec: ChainSpec, counters: ChainCounters, limit?: LimitSpec): Promise<ChainOutcome> {
    const slot = this.pick();
    slot.chains++;
    await slot.ready;
    const id = this.nextId++;
    return new Promise<ChainOutcome>((resolve, reject) => {
      this.pending.set(id, { counters, resolve, reject });
      slot.worker.postMessage({ type: "run", id, spec, ...(limit ? { limit } : {}) } satisfies ToWorker);
    });
  }

  stop(mode: "drain" | "abort"): void {
    for (const s of this.slots) s.worker.postMessage({ type: "stop", mode } satisfies ToWorker);
  }

  async close(): Promise<void> {
    for (const s of this.slots) s.worker.terminate();
  }
}

function toError(e: ErrorData): Error {
  const err = new JobError(e.code, e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

export { newCounters };
