/**
 * `read_limit.rows_per_second` / `read_limit.bytes_per_second`: a token bucket per limit. The job's
 * rate is divided evenly over its chains, so the whole job stays under it wherever chains run.
 * The clock is injected so tests never sleep for real.
 */
import type { Row } from "../api/row.ts";
import type { BoundJob } from "../plan/bind.ts";
import type { LimitSpec } from "./protocol.ts";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => performance.now(), sleep: (ms) => Bun.sleep(ms) };

/**
 * A bucket of `rate` tokens per second, holding at most one second of tokens saved while idle.
 * It starts empty, as Guava's SmoothBursty RateLimiter that SeaTunnel uses: a job never starts
 * with a one-second burst, so N rows take N / rate seconds.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = 0;
    this.last = clock.now();
  }

  /** Takes `n` tokens, waiting as long as the debt needs. A request larger than the bucket runs into debt. */
  async take(n: number): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= n;
    if (this.tokens < 0) {
      await this.clock.sleep((-this.tokens * 1000) / this.rate);
    }
  }
}

export interface RateLimiter {
  /** Rows per slice: a batch is cut so one slice never asks for more than a tenth of a second. */
  readonly sliceRows: number;
  acquire(batch: Row[]): Promise<void>;
}

/** Approximate size of a row as SeaTunnel's getBytesSize counts it (strings by length, numbers 8). */
export function rowBytes(r: Row): number {
  let n = 0;
  for (const f of r.fields) {
    if (f === null || f === undefined) {
      continue;
    }
    if (typeof f === "string") {
      n += f.length;
    } else if (f instanceof Uint8Array) {
      n += f.length;
    } else if (typeof f === "boolean") {
      n += 1;
    } else if (typeof f === "number") {
      n += 4;
    } else {
      n += 8;
    }
  }
  return n;
}

export function createLimiter(o: {
  rowsPerSecond?: number;
  bytesPerSecond?: number;
  share: number;
  clock?: Clock;
}): RateLimiter | undefined {
  if (!o.rowsPerSecond && !o.bytesPerSecond) {
    return undefined;
  }
  const rows = o.rowsPerSecond ? new TokenBucket(o.rowsPerSecond / o.share, o.clock) : undefined;
  const bytes = o.bytesPerSecond ? new TokenBucket(o.bytesPerSecond / o.share, o.clock) : undefined;
  const sliceRows = Math.max(1, Math.floor((rows ? rows.rate : Number.POSITIVE_INFINITY) / 10));
  return {
    sliceRows: Number.isFinite(sliceRows) ? sliceRows : 1024,
    async acquire(batch) {
      if (rows) {
        await rows.take(batch.length);
      }
      if (bytes) {
        let n = 0;
        for (const r of batch) {
          n += rowBytes(r);
        }
        await bytes.take(n);
      }
    },
  };
}

/** The job's read limits (env read_limit.*) for a chain, shared evenly over `share` chains. */
export function limitOf(env: BoundJob["job"]["env"], share: number): { limit?: LimitSpec } {
  const rows = env["read_limit.rows_per_second"];
  const bytes = env["read_limit.bytes_per_second"];
  if (!rows && !bytes) {
    return {};
  }
  return { limit: { share, ...(rows ? { rowsPerSecond: rows } : {}), ...(bytes ? { bytesPerSecond: bytes } : {}) } };
}
