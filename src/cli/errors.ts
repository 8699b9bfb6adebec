/**
 * Exit codes and the one place that prints errors: `error[CODE]: file:line:col message`, one per
 * line, no stack trace unless --verbose; with --json also as the one object on stdout.
 */
import { ConfigError, ConfigErrors, JobError } from "../api/errors.ts";
import { UsageError } from "./args.ts";

export const EXIT = {
  ok: 0,
  /** The job ran and failed (SeaTunnel's client exits 1 too). */
  jobFailed: 1,
  /** The job file or its options are invalid; nothing ran. */
  config: 2,
  /** A batch job stopped by SIGINT/SIGTERM before it finished. */
  interrupted: 130,
  /** Bad command line or -h (SeaTunnel's usage exit code). */
  usage: 234,
} as const;

/** Prints an error the way users should see it and returns the exit code that belongs to it. */
export function printErrors(e: unknown, verbose: boolean): number {
  const out = (s: string) => process.stderr.write(`${s}\n`);
  if (e instanceof ConfigErrors) {
    for (const x of e.errors) {
      out(x.format());
    }
    out(`${e.errors.length} error${e.errors.length === 1 ? "" : "s"} in the job file; nothing was run.`);
    return EXIT.config;
  }
  if (e instanceof ConfigError) {
    out(e.format());
    return EXIT.config;
  }
  if (e instanceof UsageError) {
    out(`error[USAGE]: ${e.message}`);
    out(
      e.hint ??
        (e.command === "help"
          ? "Run `seatunnel help` for the commands."
          : `Run \`seatunnel ${e.command} --help\` for its usage.`),
    );
    return EXIT.usage;
  }
  if (e instanceof JobError) {
    out(`error[${e.code}]: ${e.message}`);
    if (verbose && e.cause instanceof Error && e.cause.stack) {
      out(e.cause.stack);
    }
    return EXIT.jobFailed;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  out(`error[INTERNAL]: ${err.message}`);
  if (verbose && err.stack) {
    out(err.stack);
  } else {
    out("This is a bug in seatunnel; run again with --verbose for the stack trace.");
  }
  return EXIT.jobFailed;
}

export interface ErrorJson {
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

const positioned = (x: ConfigError): ErrorJson => ({
  code: x.code,
  ...(x.pos ? { file: x.pos.file, line: x.pos.line, col: x.pos.col } : {}),
  message: x.message,
});

/** An error as --json shows it: its code, its position where known, and its message without them. */
export function errorJson(e: unknown): ErrorJson {
  if (e instanceof ConfigError) {
    return positioned(e);
  }
  if (e instanceof UsageError) {
    return { code: "USAGE", message: e.message };
  }
  if (e instanceof JobError) {
    return { code: e.code, message: e.message };
  }
  return { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
}

/** The --json object of a command that ended before (or without) running a job. */
export function failureJson(e: unknown, exitCode: number): Record<string, unknown> {
  if (e instanceof ConfigErrors || e instanceof ConfigError) {
    const errors = e instanceof ConfigErrors ? e.errors : [e];
    return { status: "INVALID", exitCode, errors: errors.map(positioned) };
  }
  const status = e instanceof UsageError ? "USAGE_ERROR" : "FAILED";
  return { status, exitCode, error: errorJson(e) };
}

/** The one line --json writes to stdout. */
export function writeJson(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}
