/**
 * The source cache (env `source_cache = true`): a producer loop reads the real source as fast as
 * it can and appends each batch, encoded, to an on-disk segment log; the chain consumes batches
 * from the log. So while a sink is slow, blocked or restarting, the source keeps reading.
 *
 * Exactly once: after every append the producer records the source's snapshot together with the
 * log's end, so a checkpoint stores a consistent pair (source position P, log end E) plus the
 * consumer's position C. A restore truncates the log to E, replays [C, E) from disk and lets the
 * source continue from P. Segments behind C are deleted once that checkpoint has committed.
 * When unconsumed data exceeds `maxBytes` the pipeline fails with SOURCE_CACHE_FULL.
 */
import type { Row } from "../../api/row.ts";
import type { Logger, SourceReader } from "../../api/connector.ts";
import { JobError } from "../../api/errors.ts";
import type { TableSchema } from "../../api/table.ts";
import { decodeBatch, encodeBatch } from "../codec.ts";
import { comparePos, SegmentLog, type SegPos } from "./segments.ts";

export interface CacheSpec {
  dir: string;
  maxBytes: number;
}

/** What a checkpoint stores for a cached chain, in place of the source's own splits. */
export interface CacheState {
  $cache: { inner: unknown[] | null; end: SegPos; consumer: SegPos };
}

export const isCacheState = (splits: unknown[]): splits is [CacheState] =>
  splits.length === 1 && typeof splits[0] === "object" && splits[0] !== null && "$cache" in (splits[0] as object);

const IDLE_MAX_MS = 50;

export class CachedReader implements SourceReader<unknown> {
  private readonly log: SegmentLog;
  private consumer: SegPos;
  private lastInner: unknown[] | null = null;
  private lastEnd: SegPos;
  private producerDone = false;
  private producerError: Error | undefined;
  private stopped = false;
  private unconsumed = 0;
  private readonly atCheckpoint = new Map<number, SegPos>();
  private producing: Promise<void> | undefined;
  private produced = 0;
  private consumed = 0;

  constructor(
    private readonly inner: SourceReader<unknown>,
    private readonly tables: TableSchema[],
    private readonly spec: CacheSpec,
    private readonly logger: Logger,
    restored?: CacheState,
    /** Called whenever the source's position is taken: what else the checkpoint keeps of the source is taken with it. */
    private readonly onSourceSnapshot?: () => void,
  ) {
    this.log = new SegmentLog(spec.dir);
    if (restored) {
      this.log.truncate(restored.$cache.end);
      this.consumer = restored.$cache.consumer;
      this.lastInner = restored.$cache.inner;
    } else {
      this.log.truncate({ seg: 1, off: 0 });
      this.consumer = { seg: 1, off: 0 };
    }
    this.lastEnd = this.log.position;
    this.unconsumed = this.log.bytesAfter(this.consumer);
  }

  addSplits(splits: unknown[]): void {
    this.inner.addSplits(splits);
    this.lastInner = this.inner.snapshot?.() ?? null;
    this.onSourceSnapshot?.();
    this.producing ??= this.produce();
  }

  private async produce(): Promise<void> {
    let idle = 1;
    try {
      while (!this.stopped) {
        if (this.unconsumed > this.spec.maxBytes) {
          throw new JobError(
            "SOURCE_CACHE_FULL",
            `the source cache holds more than source_cache.max_bytes = ${this.spec.maxBytes} bytes the sink has not taken yet; raise the limit or make the sink keep up`,
          );
        }
        const polled = this.inner.poll();
        const batch = polled instanceof Promise ? await polled : polled;
        if (batch === null) {
          this.producerDone = true;
          this.logger.info(
            `source cache: the source was read to its end (${this.produced} rows cached in this run) while the pipeline had taken ${this.consumed} of them.`,
          );
          return;
        }
        if (batch.length === 0) {
          await Bun.sleep(idle);
          idle = Math.min(idle * 2, IDLE_MAX_MS);
          continue;
        }
        idle = 1;
        const bytes = encodeBatch(batch, this.tables);
        // Append and snapshot with no await between them: the pair (source position, log end) stays consistent.
        this.lastEnd = this.log.append(bytes);
        this.lastInner = this.inner.snapshot?.() ?? null;
        this.onSourceSnapshot?.();
        this.unconsumed += bytes.length + 4;
        this.produced += batch.length;
        await new Promise<void>((r) => setImmediate(r));
      }
    } catch (e) {
      this.producerError = e instanceof Error ? e : new Error(String(e));
    }
  }

  poll(): Row[] | null {
    if (this.producerError) {
      throw this.producerError;
    }
    const r = this.log.read(this.consumer);
    if (r) {
      this.unconsumed -= comparePos(r.next, this.consumer) === 0 ? 0 : r.record.length + 4;
      this.consumer = r.next;
      const rows = decodeBatch(r.record, this.tables);
      this.consumed += rows.length;
      return rows;
    }
    return this.producerDone ? null : [];
  }

  snapshot(checkpointId?: number): unknown[] {
    if (checkpointId !== undefined) {
      this.atCheckpoint.set(checkpointId, { ...this.consumer });
    }
    const state: CacheState = {
      $cache: { inner: this.lastInner, end: { ...this.lastEnd }, consumer: { ...this.consumer } },
    };
    return [state];
  }

  notifyCheckpointComplete(checkpointId: number): void {
    const pos = this.atCheckpoint.get(checkpointId);
    if (!pos) {
      return;
    }
    for (const id of this.atCheckpoint.keys()) {
      if (id <= checkpointId) {
        this.atCheckpoint.delete(id);
      }
    }
    this.log.deleteBefore(pos);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.producing;
    await this.inner.close?.();
    // Segments stay until the job finishes: the final checkpoint may not be stored yet.
    this.log.close();
  }
}
