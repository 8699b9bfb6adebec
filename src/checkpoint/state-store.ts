/**
 * The state store of incremental syncs: one small JSON file per job name,
 * `<state dir>/<jobName>.json`, holding where each incremental source's last finished run read up
 * to. The state dir is $SEATUNNEL_STATE_DIR, else `state` beside the checkpoint directory
 * (`/tmp/seatunnel/state` for the default `/tmp/seatunnel/checkpoint`). A file is replaced
 * atomically (temp file, fsync, rename, fsync of the directory), so a crash leaves the old
 * positions or the new ones, never half of a file.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { decodeState, encodeState, writeAtomic } from "./storage.ts";

export const STATE_DIR_ENV = "SEATUNNEL_STATE_DIR";

/** What one job name's file holds. */
export interface JobState {
  jobName: string;
  /** The run whose final checkpoint stored the newest of these positions. */
  jobId: string;
  /** ISO time of the last write. */
  time: string;
  /** Position per source block, keyed by its plugin_output, else its label (`source Jdbc`, `source Jdbc #2`). */
  sources: Record<string, unknown>;
}

/** The state dir for a checkpoint dir: $SEATUNNEL_STATE_DIR, else `state` beside it. */
export function stateDirOf(checkpointDir: string): string {
  return process.env[STATE_DIR_ENV] || join(dirname(checkpointDir), "state");
}

export class StateStore {
  constructor(readonly dir: string) {}

  /** The file of a job name; the name is percent-encoded where it is not a plain file name. */
  path(jobName: string): string {
    return join(this.dir, `${encodeURIComponent(jobName)}.json`);
  }

  /** The job name's state, or undefined before its first finished run. Throws on a file that is not ours. */
  read(jobName: string): JobState | undefined {
    const path = this.path(jobName);
    if (!existsSync(path)) {
      return undefined;
    }
    let state: unknown;
    try {
      state = decodeState(readFileSync(path, "utf8"));
    } catch (e) {
      throw new Error(`reading the incremental state ${path}: ${(e as Error).message}`);
    }
    const s = state as Partial<JobState> | null;
    if (s === null || typeof s !== "object" || typeof s.sources !== "object" || s.sources === null) {
      throw new Error(
        `reading the incremental state ${path}: it has no "sources" object; delete the file to start over`,
      );
    }
    return s as JobState;
  }

  async write(state: JobState): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await writeAtomic(this.path(state.jobName), encodeState(state));
  }
}
