/**
 * Row counters: per pipeline and per table, read (rows sources produced) and written (rows sinks
 * accepted). Counting is per batch; rows are looked at one by one only for multi-table batches.
 */
import type { Row } from "../api/row.ts";

export interface PipelineMetrics {
  read: number;
  written: number;
}

export class Metrics {
  readonly readByTable = new Map<string, number>();
  readonly writtenByTable = new Map<string, number>();
  readonly pipelines = new Map<number, PipelineMetrics>();
  totalRead = 0;
  totalWritten = 0;

  pipeline(id: number): PipelineMetrics {
    let p = this.pipelines.get(id);
    if (!p) this.pipelines.set(id, (p = { read: 0, written: 0 }));
    return p;
  }

  read(pipeline: number, batch: Row[], table?: string): void {
    this.totalRead += batch.length;
    this.pipeline(pipeline).read += batch.length;
    count(this.readByTable, batch, table);
  }

  written(pipeline: number, batch: Row[], table?: string): void {
    this.totalWritten += batch.length;
    this.pipeline(pipeline).written += batch.length;
    count(this.writtenByTable, batch, table);
  }
}

function count(map: Map<string, number>, batch: Row[], table: string | undefined): void {
  if (table !== undefined) {
    map.set(table, (map.get(table) ?? 0) + batch.length);
    return;
  }
  for (const r of batch) map.set(r.table, (map.get(r.table) ?? 0) + 1);
}
