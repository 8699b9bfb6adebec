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
  /** Whether running again could succeed; see failureOf, which also looks at the causes. */
  readonly failure?: FailureClass;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; failure?: FailureClass },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "JobError";
    if (options?.failure) {
      this.failure = options.failure;
    }
  }
}

/**
 * Whether a failure would meet the same cause again if its pipeline ran again. The job master
 * fails a pipeline at once on a deterministic failure (a bad value, a constraint, a missing table,
 * a wrong password) and restarts it, per job.retry.times, on a transient one (a lost connection, a
 * deadlock, a busy database). Connectors set it where they know their driver's codes: on a
 * JobError they throw (its `failure` option) or on the driver's error they wrap (`classify`).
 */
export interface FailureClass {
  transient: boolean;
  /** The cause in a few words with the code it was known by: `connection terminated (PostgreSQL 57P01)`. */
  reason: string;
}

export const deterministic = (reason: string): FailureClass => ({ transient: false, reason });
export const transient = (reason: string): FailureClass => ({ transient: true, reason });

/** Marks a thrown value (an object) with its class, unless it has one already; returns it. */
export function classify<E>(e: E, failure: FailureClass | undefined): E {
  if (failure && typeof e === "object" && e !== null && !("failure" in e && e.failure)) {
    Object.defineProperty(e, "failure", { value: failure, enumerable: false, configurable: true });
  }
  return e;
}

/** Operating-system error codes (Node's `code` of a system error) whose meaning is the same everywhere. */
const SYSTEM_FAILURES: Record<string, FailureClass> = {
  ENOENT: deterministic("file not found (ENOENT)"),
  EACCES: deterministic("permission denied (EACCES)"),
  EPERM: deterministic("permission denied (EPERM)"),
  EISDIR: deterministic("a directory where a file was expected (EISDIR)"),
  ENOTDIR: deterministic("a file where a directory was expected (ENOTDIR)"),
  ECONNREFUSED: transient("connection refused (ECONNREFUSED)"),
  ECONNRESET: transient("connection reset (ECONNRESET)"),
  ECONNABORTED: transient("connection aborted (ECONNABORTED)"),
  ETIMEDOUT: transient("timed out (ETIMEDOUT)"),
  EPIPE: transient("connection closed while writing (EPIPE)"),
  EHOSTUNREACH: transient("host unreachable (EHOSTUNREACH)"),
  ENETUNREACH: transient("network unreachable (ENETUNREACH)"),
  EAI_AGAIN: transient("name lookup failed for now (EAI_AGAIN)"),
};

/**
 * The class of a failure: the first one set along the error and its causes, else a configuration
 * error's or an operating-system error code's. Undefined: nobody knows (the job master retries it,
 * as SeaTunnel retries every failure, and says so).
 */
export function failureOf(e: unknown): FailureClass | undefined {
  const seen = new Set<unknown>();
  for (let x = e; typeof x === "object" && x !== null && !seen.has(x); x = (x as { cause?: unknown }).cause) {
    seen.add(x);
    const own = (x as { failure?: FailureClass }).failure;
    if (own) {
      return own;
    }
    if (x instanceof ConfigError || x instanceof ConfigErrors) {
      return deterministic("configuration error");
    }
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && Object.hasOwn(SYSTEM_FAILURES, code)) {
      return SYSTEM_FAILURES[code];
    }
  }
  return undefined;
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

/** The error a reader fails with on a bad record when nothing takes it: deterministic, read again it is as bad. */
export function rejectedError(code: string, r: Omit<RejectedRecord, "raw">): JobError {
  return new JobError(code, rejectedMessage(r), { failure: deterministic("bad value in the input") });
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

/** A URL as shown in messages and logs: its password (`scheme://user:password@host`) as `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/@]*@/i, "$1***@");
}
