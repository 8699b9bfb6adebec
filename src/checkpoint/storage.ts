/**
 * Checkpoint storage on local disk, in SeaTunnel's namespace layout:
 * `<dir>/<jobId>/<epochMillis>-<rand>-<pipelineId>-<checkpointId>.json`, plus `job.json` (what the
 * job was, to refuse an incompatible restore). Each file is written to a temp name, fsynced (on
 * the thread pool) and renamed, so a crash leaves either the old set or the new one. The newest
 * file per pipeline wins; older ones beyond `retained` are deleted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "../api/types.ts";
import type { Owner } from "./owner.ts";

/** `--checkpoint-dir`, else $SEATUNNEL_CHECKPOINT_DIR, else `seatunnel/checkpoint` in the OS temp directory (TMPDIR). */
export function checkpointDir(flag?: string): string {
  return flag || process.env.SEATUNNEL_CHECKPOINT_DIR || join(tmpdir(), "seatunnel", "checkpoint");
}

/** How a job that keeps its folder ended (SeaTunnel's job states); a finished job's folder goes. */
export type EndState = "FINISHED" | "FAILED" | "CANCELED" | "SAVEPOINT_DONE";

/** The sub-folder a finished job leaves behind when it holds rejected rows (env error_handler ROUTE). */
export const KEPT_AFTER_FINISH = "reject";

/** A chain's rejected records (env error_handler) at a checkpoint: the count and its reject files' sizes. */
export interface RejectState {
  count: number;
  dat: number;
  log: number;
}

/**
 * A chain's row counts at a checkpoint: what its split positions have read, and what its sinks
 * were handed up to there. A retry or a restore (`-r`) counts on from them, so the job's counts
 * are those of its final outcome, never every attempt's added up.
 */
export interface ChainCounts {
  read: number;
  written: number;
  /** Absent in checkpoints written before bytes were counted. */
  readBytes?: number;
  writtenBytes?: number;
  filtered: number;
  readByTable: [string, number][];
  /** Sink name → [table id, rows] */
  writtenBySink: [string, [string, number][]][];
}

/** Split positions of one chain (source subtask) at a checkpoint. */
export interface ChainState {
  sourceNode: number;
  subtask: number;
  /** Remaining splits with their positions; [] when the chain had finished; null when its source cannot snapshot (a restore reads it again from the start). */
  splits: unknown[] | null;
  /** The chain's rejected records and reject file sizes at this checkpoint (env error_handler). */
  rejects?: RejectState;
  /** The chain's row counts at this checkpoint (absent in older files: counted from 0). */
  counts?: ChainCounts;
}

export interface Checkpoint {
  jobId: string;
  pipelineId: number;
  checkpointId: number;
  /** Epoch millis when it completed. */
  time: number;
  /** Every chain of the pipeline had finished: a restore has nothing left to read. */
  finished: boolean;
  savepoint: boolean;
  chains: ChainState[];
  /** Prepared commits this checkpoint covers, per sink node; committing them again is harmless. */
  commits: { node: number; infos: unknown[] }[];
  /** Incremental sources: the stored position this run started from and the one it reads up to. */
  positions?: SourcePosition[];
}

/** One incremental source's range in a run (Source.position); `from` is null on a first or reset run. */
export interface SourcePosition {
  node: number;
  from: unknown;
  to: unknown;
}

export interface JobMeta {
  jobId: string;
  jobName: string;
  file: string;
  /** Plan shape: node names, parallelism and tables. A restore needs the same. */
  fingerprint: string;
  /**
   * False while the sinks' save modes run (no row has gone through a sink yet): a restore of a
   * run killed then runs them as a new run would. Absent in older files: taken as done.
   */
  prepared?: boolean;
  /** The process running the job now (absent once it ended): a running job's folder is never pruned. */
  owner?: Owner;
  /** How the last run ended, with the epoch millis; absent while it runs or when it was killed. */
  ended?: { state: EndState; time: number };
}

/** JSON that keeps bigint, bytes, Decimal and temporal values (split states may hold them). */
export function encodeState(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (typeof raw === "bigint") {
      return { $bigint: raw.toString() };
    }
    if (raw instanceof Uint8Array) {
      return { $bytes: Buffer.from(raw).toString("base64") };
    }
    if (raw instanceof Decimal) {
      return { $decimal: raw.toString() };
    }
    if (raw instanceof LocalDateTime) {
      return { $timestamp: raw.toString() };
    }
    if (raw instanceof LocalDate) {
      return { $date: raw.toString() };
    }
    if (raw instanceof LocalTime) {
      return { $time: raw.toString() };
    }
    return v;
  });
}

export function decodeState(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      return v;
    }
    const o = v as Record<string, string>;
    if (typeof o.$bigint === "string") {
      return BigInt(o.$bigint);
    }
    if (typeof o.$bytes === "string") {
      return new Uint8Array(Buffer.from(o.$bytes, "base64"));
    }
    if (typeof o.$decimal === "string") {
      return Decimal.parse(o.$decimal);
    }
    if (typeof o.$timestamp === "string") {
      return LocalDateTime.parse(o.$timestamp);
    }
    if (typeof o.$date === "string") {
      return LocalDate.parse(o.$date);
    }
    if (typeof o.$time === "string") {
      return LocalTime.parse(o.$time);
    }
    return v;
  });
}

/** fsync of a file or directory on the thread pool: the caller's thread runs on while the disk works. */
async function syncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes `text` to `path` atomically: temp file, fsync (with `alsoSync`, files in the same
 * directory), rename, fsync of the directory. The fsyncs wait on the thread pool, not on the
 * caller's thread: one may take tens of milliseconds while the disk writes a sink's files, and a
 * chain on the main thread keeps running meanwhile.
 */
export async function writeAtomic(path: string, text: string, alsoSync: string[] = []): Promise<void> {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  // Files synced together share the disk's journal commit.
  await Promise.all([tmp, ...alsoSync].map(syncPath));
  renameSync(tmp, path);
  await syncPath(join(path, ".."));
}

const NAME = /^(\d+)-(\d+)-(\d+)-(\d+)\.json$/;

/**
 * A copy of the job's folder elsewhere (a cluster's store): after each checkpoint is written, and
 * before its commits, `sync` is given the name of every file the folder keeps and the files that
 * changed; the copy then holds exactly the folder.
 */
export interface CheckpointMirror {
  sync(keep: readonly string[], put: readonly { name: string; body: string }[]): Promise<void>;
}

export class CheckpointStorage {
  readonly jobDir: string;
  private metaSynced = true;
  /** Set by a cluster member's job process: the folder is copied into the cluster store. */
  mirror: CheckpointMirror | undefined;

  constructor(
    readonly dir: string,
    readonly jobId: string,
    readonly retained = 3,
  ) {
    this.jobDir = join(dir, jobId);
  }

  /**
   * Writes job.json (temp name, then rename) without waiting for the disk: the first checkpoint
   * makes it durable with its own (see write). An fsync as the job starts waits for whatever the
   * disk is still writing (after a large file was written, bench/checkpoint.ts) and nothing can be
   * restored before the first checkpoint anyway.
   */
  writeMeta(meta: JobMeta): void {
    mkdirSync(this.jobDir, { recursive: true });
    const path = join(this.jobDir, "job.json");
    writeFileSync(`${path}.tmp`, JSON.stringify(meta, null, 2));
    renameSync(`${path}.tmp`, path);
    this.metaSynced = false;
  }

  readMeta(): JobMeta | undefined {
    const p = join(this.jobDir, "job.json");
    return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as JobMeta) : undefined;
  }

  async write(cp: Checkpoint): Promise<void> {
    mkdirSync(this.jobDir, { recursive: true });
    // job.json's bytes are synced with the first checkpoint's; its rename with the same directory fsync.
    const meta = this.metaSynced ? [] : [join(this.jobDir, "job.json")];
    const rand = Math.floor(Math.random() * 1000);
    const name = `${cp.time}-${rand}-${cp.pipelineId}-${cp.checkpointId}.json`;
    const text = encodeState(cp);
    await writeAtomic(join(this.jobDir, name), text, meta);
    this.metaSynced = true;
    this.prune(cp.pipelineId);
    if (this.mirror !== undefined) {
      const keep = readdirSync(this.jobDir).filter((n) => NAME.test(n) || n === "job.json");
      const jobJson = readFileSync(join(this.jobDir, "job.json"), "utf8");
      await this.mirror.sync(keep, [
        { name: "job.json", body: jobJson },
        { name, body: text },
      ]);
    }
  }

  /** Files of one pipeline, newest first (by checkpoint id, then time). */
  private files(pipelineId: number): { name: string; time: number; id: number }[] {
    if (!existsSync(this.jobDir)) {
      return [];
    }
    return readdirSync(this.jobDir)
      .map((name) => ({ name, m: NAME.exec(name) }))
      .filter((f) => f.m && Number(f.m[3]) === pipelineId)
      .map((f) => ({ name: f.name, time: Number(f.m![1]), id: Number(f.m![4]) }))
      .sort((a, b) => b.id - a.id || b.time - a.time);
  }

  latest(pipelineId: number): Checkpoint | undefined {
    const f = this.files(pipelineId)[0];
    return f ? (decodeState(readFileSync(join(this.jobDir, f.name), "utf8")) as Checkpoint) : undefined;
  }

  /** Removes every checkpoint file (an earlier run's, when a new run reuses its job id). */
  dropCheckpoints(): void {
    if (existsSync(this.jobDir)) {
      for (const name of readdirSync(this.jobDir).filter((n) => NAME.test(n))) {
        rmSync(join(this.jobDir, name), { force: true });
      }
    }
  }

  private prune(pipelineId: number): void {
    for (const f of this.files(pipelineId).slice(this.retained)) {
      rmSync(join(this.jobDir, f.name), { force: true });
    }
  }

  /** Removes the job's checkpoints (after it finished and nothing is left to restore). */
  clear(): void {
    rmSync(this.jobDir, { recursive: true, force: true });
  }

  /**
   * A finished job's folder goes: its checkpoints, job.json, the source cache. Only rejected rows
   * written under it stay (they are the user's to read), with job.json saying the job finished.
   * Returns the path of what stays, if anything.
   */
  removeFinished(): string | undefined {
    const kept = join(this.jobDir, KEPT_AFTER_FINISH);
    if (!existsSync(kept) || readdirSync(kept).length === 0) {
      this.clear();
      return undefined;
    }
    const meta = this.readMeta();
    for (const name of readdirSync(this.jobDir)) {
      if (name !== KEPT_AFTER_FINISH) {
        rmSync(join(this.jobDir, name), { recursive: true, force: true });
      }
    }
    if (meta) {
      const { owner: _, ...rest } = meta;
      this.writeMeta({ ...rest, ended: { state: "FINISHED", time: Date.now() } });
    }
    return kept;
  }

  /** Records how the job ended (no owner any more), so `seatunnel checkpoints list` can say it. */
  markEnded(state: EndState): void {
    const meta = this.readMeta();
    if (meta) {
      const { owner: _, ...rest } = meta;
      this.writeMeta({ ...rest, ended: { state, time: Date.now() } });
    }
  }
}
