/**
 * Job metrics: the sum of every chain's counters, per pipeline and per table. Chains update their
 * own counters (in this thread, or copied from a worker's progress messages); nothing on the data
 * path touches a shared structure.
 */
import type { ChainCounters } from "./chain.ts";

export interface PipelineMetrics {
  read: number;
  written: number;
}

export class Metrics {
  private readonly chains: { pipeline: number; counters: ChainCounters }[] = [];

  track(pipeline: number, counters: ChainCounters): void {
    this.chains.push({ pipeline, counters });
  }

  get totalRead(): number {
    return this.chains.reduce((n, c) => n + c.counters.read, 0);
  }

  get totalWritten(): number {
    return this.chains.reduce((n, c) => n + c.counters.written, 0);
  }

  get maxInFlight(): number {
    return this.chains.reduce((n, c) => Math.max(n, c.counters.maxInFlight), 0);
  }

  get pipelines(): Map<number, PipelineMetrics> {
    const out = new Map<number, PipelineMetrics>();
    for (const c of this.chains) {
      const p = out.get(c.pipeline) ?? { read: 0, written: 0 };
      p.read += c.counters.read;
      p.written += c.counters.written;
      out.set(c.pipeline, p);
    }
    return out;
  }

  pipeline(id: number): PipelineMetrics {
    return this.pipelines.get(id) ?? { read: 0, written: 0 };
  }

  get readByTable(): Map<string, number> {
    return merge(this.chains.map((c) => c.counters.readByTable));
  }

  get writtenByTable(): Map<string, number> {
    return merge(this.chains.map((c) => c.counters.writtenByTable));
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
