/**
 * Bytes of rows as SeaTunnel counts them for its SourceReceivedBytes and SinkWriteBytes
 * (SeaTunnelRow.getBytesSize: a string its length, a number 8, a boolean 1, bytes their length,
 * arrays and maps the sum of their parts, null 0). A fused chain never serializes its rows, and
 * sizing every one would cost a fifth of a fast chain's time, so a ByteEstimator sizes SAMPLE rows
 * spread over every EVERY-th batch (and the first ones) and counts the batches between at that
 * mean. A row that keeps its source text measures itself (Row.byteSize) without being decoded.
 */
import type { Row } from "./row.ts";

const SAMPLE = 32;
const EVERY = 16;

function valueBytes(v: unknown): number {
  switch (typeof v) {
    case "string":
      return v.length;
    case "number":
    case "bigint":
      return 8;
    case "boolean":
      return 1;
    case "object":
      return v === null ? 0 : objectBytes(v);
    default:
      return 0;
  }
}

function objectBytes(v: object): number {
  if (v instanceof Uint8Array) {
    return v.byteLength;
  }
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) {
      n += valueBytes(x);
    }
    return n;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) {
      n += valueBytes(k) + valueBytes(x);
    }
    return n;
  }
  // Dates, times and decimals: SeaTunnel's fixed sizes are 12 to 48; 16 stands for them.
  return 16;
}

/** The bytes of values as SeaTunnel counts them. */
export function fieldsBytes(fields: readonly unknown[]): number {
  let n = 0;
  for (const v of fields) {
    n += valueBytes(v);
  }
  return n;
}

/** A row's bytes: its own measure where it has one (a row not decoded yet), else its fields'. */
export const rowBytes = (r: Row): number => (r.byteSize ? r.byteSize() : fieldsBytes(r.fields));

/** The bytes of `batch`: exact up to SAMPLE rows, else its sampled rows' mean times its length. */
export function batchBytes(batch: readonly Row[]): number {
  const n = batch.length;
  let total = 0;
  if (n <= SAMPLE) {
    for (const r of batch) {
      total += rowBytes(r);
    }
    return total;
  }
  for (let i = 0; i < SAMPLE; i++) {
    total += rowBytes(batch[Math.floor(((i + 0.5) * n) / SAMPLE)]!);
  }
  return Math.round((total / SAMPLE) * n);
}

/** Counts the bytes of a stream of batches, sizing one batch in EVERY (and the first few). */
export class ByteEstimator {
  private batches = 0;
  private perRow = 0;

  add(batch: readonly Row[]): number {
    if (batch.length === 0) {
      return 0;
    }
    if (this.batches++ % EVERY === 0 || this.batches <= 4) {
      const bytes = batchBytes(batch);
      this.perRow = bytes / batch.length;
      return bytes;
    }
    return Math.round(this.perRow * batch.length);
  }
}
