/**
 * The job folders of a checkpoint directory as `seatunnel checkpoints list|prune` see them: what
 * each job was (job.json), how it ended, its checkpoints, size and last write. A folder is pruned
 * only when it has a job.json (the engine writes it first, so a folder without one is not ours or
 * a job starting this instant) and its owner is not running.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { EarlierRuns } from "../api/connector.ts";
import { ownerAlive } from "./owner.ts";
import { type Checkpoint, decodeState, type EndState, type JobMeta } from "./storage.ts";

/** running; how a run ended; crashed: its process is gone without saying (SIGKILL, power loss); unknown: no job.json. */
export type FolderState = "running" | "finished" | "failed" | "stopped" | "savepoint" | "crashed" | "unknown";

const STATE_OF: Record<EndState, FolderState> = {
  FINISHED: "finished",
  FAILED: "failed",
  CANCELED: "stopped",
  SAVEPOINT_DONE: "savepoint",
};

export interface JobFolder {
  jobId: string;
  path: string;
  jobName?: string;
  file?: string;
  state: FolderState;
  /** The running job's process. */
  pid?: number;
  /** Checkpoint files in the folder (the last few per pipeline are kept). */
  checkpoints: number;
  /** Epoch millis of the newest checkpoint. */
  lastCheckpoint?: number;
  /** Epoch millis of the newest write to anything in the folder. */
  lastWrite: number;
  bytes: number;
  /** job.json names no owner and no end (written by an engine before owners were recorded). */
  ownerless?: boolean;
}

/** An ownerless folder written this recently may belong to a job an older engine still runs. */
const OWNERLESS_GRACE_MS = 3_600_000;

const CHECKPOINT_FILE = /^(\d+)-\d+-\d+-\d+\.json$/;

/** Every job folder under `dir`, newest write first; [] when the directory does not exist. */
export function listJobFolders(dir: string): JobFolder[] {
  if (!existsSync(dir)) {
    return [];
  }
  const out: JobFolder[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // A running job writes and removes files meanwhile; a finished one removes its whole folder.
    const folder = gone(() => (lstatSync(path).isDirectory() ? inspect(name, path) : undefined));
    if (folder) {
      out.push(folder);
    }
  }
  return out.sort((a, b) => b.lastWrite - a.lastWrite || a.jobId.localeCompare(b.jobId));
}

function inspect(jobId: string, path: string): JobFolder {
  const meta = readMeta(path);
  const times = readdirSync(path)
    .map((f) => CHECKPOINT_FILE.exec(f))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const usage = diskUsage(path);
  const folder: JobFolder = {
    jobId,
    path,
    state: stateOf(meta),
    checkpoints: times.length,
    lastWrite: usage.lastWrite,
    bytes: usage.bytes,
  };
  if (meta) {
    folder.jobName = meta.jobName;
    folder.file = meta.file;
    if (!meta.owner && !meta.ended) {
      folder.ownerless = true;
    }
  }
  if (folder.state === "running" && meta?.owner) {
    folder.pid = meta.owner.pid;
  }
  if (times.length) {
    folder.lastCheckpoint = Math.max(...times);
  }
  return folder;
}

function readMeta(path: string): JobMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(path, "job.json"), "utf8")) as JobMeta;
  } catch {
    return undefined;
  }
}

function stateOf(meta: JobMeta | undefined): FolderState {
  if (!meta) {
    return "unknown";
  }
  if (meta.ended) {
    return STATE_OF[meta.ended.state] ?? "unknown";
  }
  // Folders written before owners were recorded have neither: taken as crashed.
  return meta.owner && ownerAlive(meta.owner) ? "running" : "crashed";
}

/** `f()`, or undefined when what it reads was removed meanwhile. */
function gone<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw e;
  }
}

function diskUsage(path: string): { bytes: number; lastWrite: number } {
  const st = gone(() => lstatSync(path));
  if (!st) {
    return { bytes: 0, lastWrite: 0 };
  }
  let bytes = st.isFile() ? st.size : 0;
  let lastWrite = st.mtimeMs;
  if (st.isDirectory()) {
    for (const name of gone(() => readdirSync(path)) ?? []) {
      const sub = diskUsage(join(path, name));
      bytes += sub.bytes;
      lastWrite = Math.max(lastWrite, sub.lastWrite);
    }
  }
  return { bytes, lastWrite };
}

export interface PruneResult {
  removed: JobFolder[];
  /** Folders left, with why. */
  kept: { folder: JobFolder; reason: "running" | "recent" | "ownerless" | "not a job folder" }[];
}

/**
 * Removes (unless `dryRun`) the folders of jobs not running whose last write is older than
 * `olderThanMs` (0: any). A running job's folder, and a folder without job.json, always stay.
 */
export function pruneJobFolders(dir: string, o: { olderThanMs: number; now: number; dryRun: boolean }): PruneResult {
  const result: PruneResult = { removed: [], kept: [] };
  for (const folder of listJobFolders(dir)) {
    if (folder.state === "unknown") {
      result.kept.push({ folder, reason: "not a job folder" });
    } else if (folder.state === "running") {
      result.kept.push({ folder, reason: "running" });
    } else if (o.now - folder.lastWrite < o.olderThanMs) {
      result.kept.push({ folder, reason: "recent" });
    } else if (folder.ownerless && o.now - folder.lastWrite < OWNERLESS_GRACE_MS) {
      result.kept.push({ folder, reason: "ownerless" });
    } else {
      // Looked at again just before it goes: the job may have been restored meanwhile.
      if (!o.dryRun && gone(() => inspect(folder.jobId, folder.path))?.state === "running") {
        result.kept.push({ folder, reason: "running" });
        continue;
      }
      if (!o.dryRun) {
        rmSync(folder.path, { recursive: true, force: true });
      }
      result.removed.push(folder);
    }
  }
  return result;
}

/** No process runs its job: no running owner, and a job.json with an owner or an end (not an older engine's). */
const idle = (f: JobFolder | undefined) => f && f.state !== "running" && f.state !== "unknown" && !f.ownerless;

/** The ids of the earlier runs of `jobName` under `dir` (other than `jobId`) that no process runs, oldest first. */
export function idleRunIds(dir: string, jobName: string, jobId: string): string[] {
  return listJobFolders(dir)
    .filter((f) => f.jobName === jobName && f.jobId !== jobId && idle(f))
    .map((f) => f.jobId)
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

/**
 * Earlier runs of `jobName` under `dir` (other than `jobId`) that no process runs any more: no
 * running owner, a job.json with an owner or an end (not an older engine's), so nothing they
 * prepared is in flight. What their stored checkpoints cover is read again when asked.
 */
export function earlierRuns(dir: string, jobName: string, jobId: string): EarlierRuns {
  return {
    jobIds: idleRunIds(dir, jobName, jobId),
    claimed(id) {
      const path = join(dir, id);
      if (!existsSync(path)) {
        return []; // a restore finished it meanwhile, committing what it covered: nothing can resume it
      }
      const folder = gone(() => inspect(id, path));
      if (!folder || !idle(folder)) {
        return undefined;
      }
      return (gone(() => readdirSync(path)) ?? [])
        .filter((f) => CHECKPOINT_FILE.test(f))
        .flatMap((f) => {
          const cp = gone(() => decodeState(readFileSync(join(path, f), "utf8")) as Checkpoint);
          return cp ? cp.commits.flatMap((c) => c.infos) : [];
        });
    },
  };
}
