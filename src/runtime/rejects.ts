/**
 * The error budget (env `error_handler`): records a reader cannot read are rejected instead of
 * failing the job (ReaderContext.reject), counted, and logged (LOG) or written to reject files
 * (ROUTE). Each chain writes its own pair of files, so parallel readers never interleave a line:
 *
 *   <dir>/reject-<source node>-<subtask>.dat   each rejected record exactly as read, one after the other
 *                                               (a last line without a line ending gets a `\n`)
 *   <dir>/reject-<source node>-<subtask>.log   one JSON object per record, in the same order:
 *                                               file, line, column, field, reason, offset, length
 *
 * A chain's count and file sizes are part of its checkpoint state: a restored or retried chain
 * cuts its files back to what the checkpoint covers and counts on from there, so the reader, which
 * skips what the checkpoint covers, hands no record twice. More rejected rows than
 * `max_error_records` fail the job: at once in the chain that counts past it, and at every
 * checkpoint over the whole job, before anything is committed. The failure is never retried.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { deterministic, JobError, type RejectedRecord, rejectedMessage } from "../api/errors.ts";
import type { RejectState } from "../checkpoint/storage.ts";

export const REJECT_LIMIT_EXCEEDED = "REJECT_LIMIT_EXCEEDED";

/** The job's error handler, from env. */
export interface RejectPolicy {
  mode: "LOG" | "ROUTE";
  /** More rejected rows than this fail the job; 0: no limit. */
  max: number;
  /** ROUTE: the directory of the reject files. */
  dir?: string;
}

/** A chain's part of the policy: its file names, and its state when it resumes a checkpoint. */
export interface RejectSpec extends RejectPolicy {
  name: string;
  state?: RejectState;
}

const NEWLINE = new Uint8Array([10]);
const FILE = /^reject-\d+-\d+\.(dat|log)$/;

type HandlerEnv = {
  "error_handler.mode": string;
  "error_handler.max_error_records": bigint;
  "error_handler.reject_dir"?: string;
};

/**
 * The job's policy from env, said in the log; a new run (not a restore) first removes the reject
 * files an earlier run left in the directory.
 */
export function startRejects(
  env: HandlerEnv,
  defaultDir: string,
  restore: boolean,
  log: Logger,
): RejectPolicy | undefined {
  const mode = env["error_handler.mode"];
  if (mode !== "LOG" && mode !== "ROUTE") {
    return undefined;
  }
  const max = Number(env["error_handler.max_error_records"]);
  const p: RejectPolicy =
    mode === "ROUTE" ? { mode, max, dir: env["error_handler.reject_dir"] ?? defaultDir } : { mode, max };
  const limit = max > 0 ? `more than ${max} fail the job` : "with no limit (error_handler.max_error_records = 0)";
  const where = p.dir ? `written to reject files under ${p.dir}` : "logged";
  log.info(`error handler is on (${mode}): rows that readers cannot read are ${where} and skipped, ${limit}.`);
  if (p.dir && !restore && existsSync(p.dir)) {
    for (const f of readdirSync(p.dir)) {
      if (FILE.test(f)) {
        rmSync(join(p.dir, f), { force: true });
      }
    }
  }
  return p;
}

/** Where the rows readers rejected went, once the job is over. */
export function reportRejects(p: RejectPolicy | undefined, rejected: number, log: Logger): void {
  if (!p || rejected === 0) {
    return;
  }
  const where = p.dir
    ? `each record as read is in ${p.dir}/reject-<source>-<subtask>.dat, its file, line, column and reason in the .log beside it`
    : "each one is in the log above";
  log.warn(`${rejected} row(s) could not be read and were rejected: ${where}.`);
}

/** The job-wide check (at every checkpoint, before storing it): the total over every chain. */
export function checkBudget(p: RejectPolicy | undefined, rejected: number): void {
  if (p && p.max > 0 && rejected > p.max) {
    throw budgetError(p, rejected);
  }
}

export function budgetError(p: RejectPolicy, rejected: number): JobError {
  const where = p.mode === "ROUTE" ? `they are in ${p.dir}` : "the log names each one";
  return new JobError(
    REJECT_LIMIT_EXCEEDED,
    `${rejected} rows rejected, more than error_handler.max_error_records = ${p.max} allows (${where})`,
    // A retry would meet the same rows from the same checkpoint.
    { failure: deterministic("error budget spent") },
  );
}

/** One chain's rejects: counts them into the chain's counters and logs or writes each one. */
export class ChainRejects {
  private count: number;
  private dat: { fd?: number; size: number; path: string } | undefined;
  private log: { fd?: number; size: number; path: string } | undefined;
  private dirty = false;
  /** The state at the source position a checkpoint keeps, where that is not now (the source cache reads ahead). */
  private marked: RejectState | undefined;
  /** The budget error once this chain counted past it: the chain fails with it, whatever wraps it. */
  exceeded: JobError | undefined;

  constructor(
    private readonly spec: RejectSpec,
    private readonly counters: { rejected: number },
    private readonly logger: Logger,
  ) {
    const s = spec.state ?? { count: 0, dat: 0, log: 0 };
    this.count = s.count;
    counters.rejected = s.count;
    if (spec.mode === "ROUTE") {
      this.dat = { size: s.dat, path: join(spec.dir!, `${spec.name}.dat`) };
      this.log = { size: s.log, path: join(spec.dir!, `${spec.name}.log`) };
      // What an earlier attempt wrote past the checkpoint this one resumes goes.
      for (const f of [this.dat, this.log]) {
        if (existsSync(f.path)) {
          truncateSync(f.path, f.size);
        }
      }
    }
  }

  reject(r: RejectedRecord): void {
    this.count++;
    this.counters.rejected = this.count;
    const message = rejectedMessage(r);
    if (this.dat && this.log) {
      const offset = this.dat.size;
      append(this.dat, this.spec.dir!, r.raw);
      // A last line without its line ending still ends a line here.
      if (r.raw[r.raw.length - 1] !== 10) {
        append(this.dat, this.spec.dir!, NEWLINE);
      }
      const { file, line, column, field, reason } = r;
      const entry = { file, line, column, field, reason, offset, length: r.raw.length };
      append(this.log, this.spec.dir!, Buffer.from(`${JSON.stringify(entry)}\n`));
      this.dirty = true;
      this.logger.debug(`Rejected row ${this.count}, written to ${this.dat.path}: ${message}`);
    } else {
      this.logger.warn(`Rejected row ${this.count}: ${message}`);
    }
    if (this.spec.max > 0 && this.count > this.spec.max) {
      this.exceeded = budgetError(this.spec, this.count);
      throw this.exceeded;
    }
  }

  /** Takes the state now, for snapshot() to give: the source's position was just taken. */
  mark(): void {
    this.marked = { count: this.count, dat: this.dat?.size ?? 0, log: this.log?.size ?? 0 };
  }

  /** The state a checkpoint keeps (as of the last mark, if any); what it covers is on disk first. */
  snapshot(): RejectState {
    if (this.dirty) {
      for (const f of [this.dat, this.log]) {
        if (f?.fd !== undefined) {
          fsyncSync(f.fd);
        }
      }
      this.dirty = false;
    }
    return this.marked ?? { count: this.count, dat: this.dat?.size ?? 0, log: this.log?.size ?? 0 };
  }

  close(): void {
    for (const f of [this.dat, this.log]) {
      if (f?.fd !== undefined) {
        closeSync(f.fd);
        f.fd = undefined;
      }
    }
  }
}

/** Appends synchronously: the bytes of `raw` are only valid during the reject call. */
function append(f: { fd?: number; size: number; path: string }, dir: string, bytes: Uint8Array): void {
  if (f.fd === undefined) {
    mkdirSync(dir, { recursive: true });
    f.fd = openSync(f.path, "a");
  }
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(f.fd, bytes, done, bytes.length - done);
  }
  f.size += bytes.length;
}
