/**
 * Job metrics: the sum of every chain's counters, per pipeline and per table. Chains update their
 * own counters (in this thread, or copied from a worker's progress messages); nothing on the data
 * path touches a shared structure.
 */
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
  /** A later attempt of the same chain counts its rejected rows on from this one's checkpoint. */
  superseded?: boolean;
}

export class Metrics {
  private readonly chains: Tracked[] = [];

  /**
   * Counts a chain's counters in. `chain` names the source subtask: a retried or restored chain
   * starts from its checkpoint's rejected count, so only its latest attempt counts rejected rows
   * (read and written count every attempt's rows).
   */
  track(pipeline: number, counters: ChainCounters, chain?: string): void {
    if (chain !== undefined) {
      for (const t of this.chains) {
        if (t.chain === chain) {
          t.superseded = true;
        }
      }
    }
    this.chains.push({ pipeline, counters, ...(chain !== undefined ? { chain } : {}) });
  }

  get totalRead(): number {
    return this.chains.reduce((n, c) => n + c.counters.read, 0);
  }

  get totalWritten(): number {
    return this.chains.reduce((n, c) => n + c.counters.written, 0);
  }

  /** Records readers rejected (env error_handler), over every chain's latest attempt. */
  get totalRejected(): number {
    return this.chains.reduce((n, c) => n + (c.superseded ? 0 : c.counters.rejected), 0);
  }

  /** Rows transforms dropped (a WHERE, a row-kind filter). */
  get totalFiltered(): number {
    return this.chains.reduce((n, c) => n + c.counters.filtered, 0);
  }

  get maxInFlight(): number {
    return this.chains.reduce((n, c) => Math.max(n, c.counters.maxInFlight), 0);
  }

  get pipelines(): Map<number, PipelineMetrics> {
    const out = new Map<number, PipelineMetrics>();
    for (const c of this.chains) {
      const p = out.get(c.pipeline) ?? { read: 0, written: 0, rejected: 0 };
      p.read += c.counters.read;
      p.written += c.counters.written;
      p.rejected += c.superseded ? 0 : c.counters.rejected;
      out.set(c.pipeline, p);
    }
    return out;
  }

  pipeline(id: number): PipelineMetrics {
    return this.pipelines.get(id) ?? { read: 0, written: 0, rejected: 0 };
  }

  get readByTable(): Map<string, number> {
    return merge(this.chains.map((c) => c.counters.readByTable));
  }

  /** Sink name → table id → rows written, in the order the sinks first wrote. */
  get writtenBySink(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const c of this.chains) {
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
