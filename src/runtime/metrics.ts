/**
 * Job metrics: the sum of every chain's counters, per pipeline and per table. Chains update their
 * own counters (in this thread, or copied from a worker's progress messages); nothing on the data
 * path touches a shared structure. A retried or restored chain starts from the counts its checkpoint
 * kept (or from 0 without one), so only each chain's latest attempt counts: the counts are those of
 * the final outcome, and what failed attempts read again is counted apart (`reread`).
 */
import type { CheckpointEvent } from "../checkpoint/coordinator.ts";
import type { ChainCounters } from "./chain.ts";

export interface PipelineMetrics {
  read: number;
  written: number;
  rejected: number;
}

interface Tracked {
  pipeline: number;
  counters: ChainCounters;
  chain?: string;
  /** Rows read when the attempt started: its checkpoint's count, 0 without one. */
  base: number;
  /** A later attempt of the same chain counts on from this one's checkpoint (or from 0). */
  superseded?: boolean;
}

/** A pipeline's rows and bytes read and written. */
export interface PipelineRows {
  read: number;
  written: number;
  readBytes: number;
  writtenBytes: number;
}

/** How many of the latest checkpoints' ends a job keeps for its page. */
const RECENT_CHECKPOINTS = 20;

export class Metrics {
  private readonly chains: Tracked[] = [];
  /** Checkpoints stored and committed, and given up, over every pipeline; the latest ends. */
  readonly checkpoints = { completed: 0, failed: 0, recent: [] as CheckpointEvent[] };

  checkpointEnded(c: CheckpointEvent): void {
    this.checkpoints[c.ok ? "completed" : "failed"]++;
    this.checkpoints.recent.push(c);
    if (this.checkpoints.recent.length > RECENT_CHECKPOINTS) {
      this.checkpoints.recent.shift();
    }
  }

  /**
   * Counts a chain's counters in, as they are when its attempt starts (seeded from the checkpoint
   * it resumes). `chain` names the source subtask: a later attempt of it replaces this one.
   */
  track(pipeline: number, counters: ChainCounters, chain?: string): void {
    if (chain !== undefined) {
      for (const t of this.chains) {
        if (t.chain === chain) {
          t.superseded = true;
        }
      }
    }
    this.chains.push({ pipeline, counters, base: counters.read, ...(chain !== undefined ? { chain } : {}) });
  }

  /** The latest attempt of every chain. */
  private get latest(): Tracked[] {
    return this.chains.filter((c) => !c.superseded);
  }

  /** Rows read and written per pipeline (the latest attempt of each chain). */
  get byPipeline(): Record<string, PipelineRows> {
    const out: Record<string, PipelineRows> = {};
    for (const c of this.latest) {
      const p = (out[c.pipeline] ??= { read: 0, written: 0, readBytes: 0, writtenBytes: 0 });
      p.read += c.counters.read;
      p.written += c.counters.written;
      p.readBytes += c.counters.readBytes;
      p.writtenBytes += c.counters.writtenBytes;
    }
    return out;
  }

  get totalRead(): number {
    return this.latest.reduce((n, c) => n + c.counters.read, 0);
  }

  get totalReadBytes(): number {
    return this.latest.reduce((n, c) => n + c.counters.readBytes, 0);
  }

  get totalWrittenBytes(): number {
    return this.latest.reduce((n, c) => n + c.counters.writtenBytes, 0);
  }

  get totalWritten(): number {
    return this.latest.reduce((n, c) => n + c.counters.written, 0);
  }

  /** Records readers rejected (env error_handler). */
  get totalRejected(): number {
    return this.latest.reduce((n, c) => n + c.counters.rejected, 0);
  }

  /** Rows transforms dropped (a WHERE, a row-kind filter). */
  get totalFiltered(): number {
    return this.latest.reduce((n, c) => n + c.counters.filtered, 0);
  }

  /** Rows read in this run when the job started: the restored checkpoints' counts (`-r`). */
  get restoredRead(): number {
    const first = new Map<string | Tracked, number>();
    for (const c of this.chains) {
      const key = c.chain ?? c;
      if (!first.has(key)) {
        first.set(key, c.base);
      }
    }
    return [...first.values()].reduce((a, b) => a + b, 0);
  }

  /**
   * Rows read more than once in this run: what failed attempts read past the checkpoint the next
   * attempt resumed from. Every attempt's rows, less the rows the final outcome read in this run.
   */
  get reread(): number {
    const all = this.chains.reduce((n, c) => n + c.counters.read - c.base, 0);
    return Math.max(0, all - (this.totalRead - this.restoredRead));
  }

  get maxInFlight(): number {
    return this.chains.reduce((n, c) => Math.max(n, c.counters.maxInFlight), 0);
  }

  get pipelines(): Map<number, PipelineMetrics> {
    const out = new Map<number, PipelineMetrics>();
    for (const c of this.latest) {
      const p = out.get(c.pipeline) ?? { read: 0, written: 0, rejected: 0 };
      p.read += c.counters.read;
      p.written += c.counters.written;
      p.rejected += c.counters.rejected;
      out.set(c.pipeline, p);
    }
    return out;
  }

  pipeline(id: number): PipelineMetrics {
    return this.pipelines.get(id) ?? { read: 0, written: 0, rejected: 0 };
  }

  get readByTable(): Map<string, number> {
    return merge(this.latest.map((c) => c.counters.readByTable));
  }

  /** Sink name → table id → rows written, in the order the sinks first wrote. */
  get writtenBySink(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const c of this.latest) {
      for (const [sink, tables] of c.counters.writtenBySink) {
        out.set(sink, merge([out.get(sink) ?? new Map(), tables]));
      }
    }
    return out;
  }
}

function merge(maps: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) {
    for (const [k, v] of m) {
      out.set(k, (out.get(k) ?? 0) + v);
    }
  }
  return out;
}
