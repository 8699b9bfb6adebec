import type { Pos } from "./tree.ts";

/**
 * A problem in what the user wrote (job file, option, flag). Carries a stable code and, where known,
 * the position. The CLI prints it as `error[CODE]: file:line:col message` and exits with the
 * usage/config exit code. Connectors throw it from `create()` when options contradict each other.
 */
export class ConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly pos?: Pos,
  ) {
    super(message);
    this.name = "ConfigError";
  }

  /** `error[CODE]: file:line:col message` (position omitted when unknown). */
  format(): string {
    return `error[${this.code}]: ${this.pos ? `${formatPos(this.pos)} ` : ""}${this.message}`;
  }
}

/**
 * The code of a plan-time error about a column the input table lacks. When the input has
 * `unknownColumns` (an offline `--check` of a database table), the engine reports such an error of
 * a transform or sink as a column check it could not make offline, not as a problem of the job.
 */
export const FIELD_NOT_FOUND = "CONFIG_FIELD_NOT_FOUND";

/** Several config errors found in one stage; reported together before failing. */
export class ConfigErrors extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.format()).join("\n"));
    this.name = "ConfigErrors";
  }
}

/**
 * A failure while the job runs (a connector could not read, a rule failed). The CLI prints
 * `error[CODE]: message` and exits with the job-failure exit code. `context` is a gerund phrase
 * (`reading split "part-3"`) prepended by whoever catches and rethrows.
 */
export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "JobError";
  }
}

/**
 * An assumption a source's splits were cut on did not hold (see Source.confirm): the pipeline runs
 * again from the start with splits enumerated anew, which the source then cuts knowing better.
 */
export class SplitsRejected extends JobError {
  constructor(message: string) {
    super("SPLITS_REJECTED", message);
    this.name = "SplitsRejected";
  }
}

/**
 * A record a reader could not make a row of (a bad value, a wrong field count, broken quoting),
 * with where it was read. A reader builds one where it would otherwise fail; see
 * ReaderContext.reject for who takes it, and rejectedMessage for the error it becomes otherwise.
 */
export interface RejectedRecord {
  /** The record as read: its bytes, line ending included. Only valid during the call that takes it. */
  raw: Uint8Array;
  /** The file (an archive entry as `archive!entry`). */
  file: string;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** 1-based column of the value to blame and its field name, when one value is to blame. */
  column?: number;
  field?: string;
  /** Why the record cannot be read, without its position. */
  reason: string;
}

/** `reading "f.csv" line 7, column 3 ("age"): <reason>`: a bad record's error message, or its log line. */
export function rejectedMessage(r: Omit<RejectedRecord, "raw">): string {
  const column = r.column !== undefined ? `, column ${r.column}${r.field !== undefined ? ` ("${r.field}")` : ""}` : "";
  return `reading "${r.file}" line ${r.line}${column}: ${r.reason}`;
}

export function formatPos(p: Pos): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/**
 * The one wording of a name nobody knows (STYLE.md), for commands, flags, connectors and options:
 * `flag "--jsn" is not a known flag; did you mean "--json"?`. `orElse` (say, the names there are)
 * follows when no candidate is close. Called by the CLI and option parsing when they build an error.
 */
export function notKnown(
  what: string,
  name: string,
  kind: string,
  candidates: Iterable<string>,
  orElse?: string,
): string {
  const hint = didYouMean(name, candidates);
  return `${what} "${name}" is not a known ${kind}${hint ? `; did you mean "${hint}"?` : orElse ? `; ${orElse}` : ""}`;
}

/**
 * The one wording of a SeaTunnel name this build lacks: `flag "-s" is a SeaTunnel flag this build
 * does not support yet (it needs cluster mode); run jobs locally (-m local)`. `instead` says what to do.
 */
export function notSupported(what: string, name: string, kind: string, instead: string, why?: string): string {
  return `${what} "${name}" is a SeaTunnel ${kind} this build does not support yet${why ? ` (${why})` : ""}; ${instead}`;
}

/** Levenshtein-based did-you-mean: the closest candidate within a small distance, or undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const a = input.toLowerCase();
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(a.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(a, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
