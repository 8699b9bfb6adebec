/** Messages between the job master (main thread) and pool workers. All plain, structured-clone data. */
import { type FailureClass, failureOf } from "../api/errors.ts";
import type { ObjectNode } from "../api/tree.ts";
import type { ChainAck } from "../checkpoint/coordinator.ts";
import type { ChainCounters, ChainSpec } from "./chain.ts";

export interface WorkerInit {
  type: "init";
  /** The job file's tree after variable substitution: the worker binds the same plan from it. */
  root: ObjectNode;
  file: string;
  jobId: string;
  jobName: string;
  verbose: boolean;
  /** Every log line to stderr (run --json). */
  stderr?: boolean;
}

export interface LimitSpec {
  rowsPerSecond?: number;
  bytesPerSecond?: number;
  /** How many chains share the job's rate. */
  share: number;
}

export type ChainEnd = "finished" | "stopped" | "aborted";

export type ToWorker =
  | WorkerInit
  | { type: "run"; id: number; pipeline: number; spec: ChainSpec; limit?: LimitSpec }
  /** Snapshot every chain of the pipeline at its next batch boundary; `stop`: then stop (savepoint). */
  | { type: "barrier"; pipeline: number; checkpointId: number; stop: boolean }
  /** A chain of the pipeline failed: stop its other chains now, preparing nothing. */
  | { type: "abort"; pipeline: number }
  /** Checkpoint `checkpointId` of the pipeline is stored and committed. */
  | { type: "committed"; pipeline: number; checkpointId: number };

export interface CountersData {
  read: number;
  written: number;
  readBytes: number;
  writtenBytes: number;
  rejected: number;
  filtered: number;
  readByTable: [string, number][];
  writtenBySink: [string, [string, number][]][];
  maxInFlight: number;
}

export interface ErrorData {
  code: string;
  message: string;
  stack?: string;
  /** Known in the worker, where the connector's error and its causes are. */
  failure?: FailureClass;
}

export type FromWorker =
  | { type: "ready" }
  | { type: "init-failed"; error: ErrorData }
  | { type: "progress"; id: number; counters: CountersData }
  | { type: "ack"; id: number; ack: ChainAck }
  | { type: "done"; id: number; counters: CountersData; end: ChainEnd }
  | { type: "failed"; id: number; counters: CountersData; error: ErrorData };

export const countersData = (c: ChainCounters): CountersData => ({
  read: c.read,
  written: c.written,
  readBytes: c.readBytes,
  writtenBytes: c.writtenBytes,
  rejected: c.rejected,
  filtered: c.filtered,
  readByTable: [...c.readByTable],
  writtenBySink: [...c.writtenBySink].map(([sink, tables]) => [sink, [...tables]]),
  maxInFlight: c.maxInFlight,
});

/** Copies a worker's counters into the master's live counters object. */
export function applyCounters(into: ChainCounters, d: CountersData): void {
  into.read = d.read;
  into.written = d.written;
  into.readBytes = d.readBytes;
  into.writtenBytes = d.writtenBytes;
  into.rejected = d.rejected;
  into.filtered = d.filtered;
  into.readByTable = new Map(d.readByTable);
  into.writtenBySink = new Map(d.writtenBySink.map(([sink, tables]) => [sink, new Map(tables)]));
  into.maxInFlight = d.maxInFlight;
}

export function errorData(e: unknown): ErrorData {
  if (e instanceof Error) {
    const failure = failureOf(e);
    return {
      code: (e as { code?: string }).code ?? "JOB_FAILED",
      message: e.message,
      ...(e.stack ? { stack: e.stack } : {}),
      ...(failure ? { failure: { ...failure } } : {}),
    };
  }
  return { code: "JOB_FAILED", message: String(e) };
}
