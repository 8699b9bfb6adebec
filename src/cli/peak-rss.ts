/**
 * Peak resident memory of this job's process. getrusage's ru_maxrss is not it on Linux: the
 * kernel carries it across fork and execve, so a job started by a big parent (a test runner, a
 * bench harness, a scheduler) reports the parent's peak, not its own (tests/runtime.test.ts
 * bounds what a job spawned by the test runner reports). VmHWM in /proc/self/status is the
 * high-water mark of this address space alone, worker threads included. It restarts at execve, so the image that re-executes
 * itself (gc-tuning.ts) hands its own peak over in PRE_EXEC_PEAK_VAR.
 */
import { readFileSync } from "node:fs";

export const PRE_EXEC_PEAK_VAR = "SEATUNNEL_PRE_EXEC_PEAK_KB";

/** VmHWM in kB from the text of /proc/<pid>/status, or undefined when it has none. */
export function vmHwmKb(status: string): number | undefined {
  const m = /^VmHWM:\s*(\d+)\s*kB$/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** The replaced image's peak, taken out of the environment so that no child process inherits it. */
const handedOver = Number(process.env[PRE_EXEC_PEAK_VAR]);
delete process.env[PRE_EXEC_PEAK_VAR];

/** This process's peak RSS in kB, including the image it replaced when it re-executed itself. */
export function peakRssKb(before = handedOver): number {
  let own: number | undefined;
  try {
    own = vmHwmKb(readFileSync("/proc/self/status", "utf8"));
  } catch {
    own = undefined;
  }
  if (own === undefined) {
    return process.resourceUsage().maxRSS;
  }
  return Number.isFinite(before) && before > own ? before : own;
}
