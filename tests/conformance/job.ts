// Running the binary: its own process group, output into an OutputBuffer, stop and kill sequences.
import type { Subprocess } from "bun";
import type { OutputBuffer } from "./output.ts";

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface Job {
  pid: number;
  done: boolean;
  exit: ExitInfo | undefined;
  /** Resolves when the process has exited (its output may still be draining). */
  exited: Promise<ExitInfo>;
  /** Resolves when the process has exited and its output has been read (or given up on). */
  finished: Promise<ExitInfo>;
}

/** Groups of jobs that are running, so the runner can kill them when it is interrupted. */
export const activeGroups = new Set<number>();

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  // Only the group: after the leader is reaped its pid may be reused, while a group id of a
  // session leader's pid is not handed out again while the group has members.
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pump(stream: ReadableStream<Uint8Array>, output: OutputBuffer, name: string): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    output.append(decoder.decode(chunk, { stream: true }), name);
  }
  output.append(decoder.decode(), name);
}

/** Starts `argv` in a new process group (setsid) with stdout and stderr going to `output`. */
export function startJob(
  argv: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; output: OutputBuffer },
): Job {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(argv, {
    cwd: opts.cwd,
    env: opts.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  activeGroups.add(proc.pid);
  const reading = Promise.all([pump(proc.stdout, opts.output, "out"), pump(proc.stderr, opts.output, "err")]);
  const job: Job = {
    pid: proc.pid,
    done: false,
    exit: undefined,
    exited: proc.exited.then(() => {
      const signal = proc.signalCode;
      const exit: ExitInfo = {
        code: signal === null ? proc.exitCode : null,
        signal: signal === null ? null : String(signal),
      };
      job.exit = exit;
      job.done = true;
      return exit;
    }),
    finished: Promise.resolve({ code: null, signal: null }),
  };
  job.finished = job.exited.then(async (exit) => {
    // A leftover child may hold the pipes open: give the output 2 s, then kill the group.
    const drained = await Promise.race([reading.then(() => true), sleep(2000).then(() => false)]);
    killGroup(job.pid, "SIGKILL");
    if (!drained) {
      await Promise.race([reading, sleep(1000)]);
    }
    activeGroups.delete(job.pid);
    return exit;
  });
  return job;
}

/** Waits for the job to exit, at most `ms`; true when it has exited. */
export async function waitExit(job: Job, ms: number): Promise<boolean> {
  if (job.done) {
    return true;
  }
  return Promise.race([job.exited.then(() => true), sleep(ms).then(() => job.done)]);
}

/**
 * Stops a job the way the README asks: SIGINT, then SIGTERM after `graceMs` (15 s), then SIGKILL after
 * `termMs` (5 s) more; all sent to the job's process group. Returns the last signal that was needed.
 */
export async function stopJob(job: Job, graceMs = 15_000, termMs = 5_000): Promise<NodeJS.Signals | undefined> {
  if (job.done) {
    return undefined;
  }
  killGroup(job.pid, "SIGINT");
  if (await waitExit(job, graceMs)) {
    return "SIGINT";
  }
  killGroup(job.pid, "SIGTERM");
  if (await waitExit(job, termMs)) {
    return "SIGTERM";
  }
  killGroup(job.pid, "SIGKILL");
  await job.exited;
  return "SIGKILL";
}

/** Ends a job that ran over its time limit: SIGTERM to the group, SIGKILL 5 s later. */
export async function killJob(job: Job): Promise<void> {
  if (job.done) {
    return;
  }
  killGroup(job.pid, "SIGTERM");
  if (await waitExit(job, 5_000)) {
    return;
  }
  killGroup(job.pid, "SIGKILL");
  await job.exited;
}

/** Compares the exit with expect_exit (`nonzero` = 1..127 and not a signal). */
export function exitMatches(exit: ExitInfo, expected: "nonzero" | number): boolean {
  if (exit.signal !== null || exit.code === null) {
    return false;
  }
  if (expected === "nonzero") {
    return exit.code >= 1 && exit.code <= 127;
  }
  return exit.code === expected;
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code ?? "?"}`;
}
