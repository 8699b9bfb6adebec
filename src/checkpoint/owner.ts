/**
 * Which process owns a job's checkpoint folder, so that `seatunnel checkpoints prune` never removes
 * the folder of a job that is running. job.json records the owner's pid, host and (on Linux) the
 * process's start time from /proc: a pid alone may be reused by another process after a crash, the
 * pair is not.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface Owner {
  pid: number;
  host: string;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22); absent off Linux. */
  started?: number;
}

/** This process as a folder's owner. */
export function currentOwner(): Owner {
  const started = startTicks(process.pid);
  return { pid: process.pid, host: hostname(), ...(started !== undefined ? { started } : {}) };
}

/**
 * Whether the owner may still be running. When that cannot be told (another host sharing the
 * directory, no permission to look) the answer is yes: a folder is kept rather than lost.
 */
export function ownerAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) {
    return true;
  }
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") {
      return false;
    }
  }
  const stat = procStat(owner.pid);
  if (stat === undefined) {
    return true;
  }
  // A zombie has exited; another start time means the pid now belongs to another process.
  return stat.state !== "Z" && (owner.started === undefined || stat.started === owner.started);
}

function startTicks(pid: number): number | undefined {
  return procStat(pid)?.started;
}

/** State letter and start time from /proc/<pid>/stat; the command name in parentheses may hold spaces. */
function procStat(pid: number): { state: string; started: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const started = Number(fields[19]);
  return Number.isFinite(started) ? { state: fields[0] ?? "", started } : undefined;
}
