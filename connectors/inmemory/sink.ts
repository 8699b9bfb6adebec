/**
 * InMemory's behaviour (SeaTunnel's test-only sink from seatunnel-e2e-common: InMemorySinkFactory,
 * InMemorySink, InMemorySinkWriter, InMemoryAggregatedCommitter, InMemorySaveModeHandler): it
 * discards rows and fails on purpose where its options say so, so engine tests can exercise
 * retries, checkpoints and save modes.
 */
import type { Logger, PluginContext, Row, Sink, SinkWriter, TableSchema } from "../../src/api/index.ts";
import { ConfigError, JobError, replacePlaceholders, tableId } from "../../src/api/index.ts";

export interface InMemorySettings {
  throwException: boolean;
  throwOutOfMemory: boolean;
  checkpointSleep: boolean;
  throwExceptionOfCommitter: boolean;
  assertKey?: string;
  assertValue?: string;
  runtimeErrors?: string[];
  /** Ours: the first N write calls of the job fail. */
  failTimes: number;
}

export interface InMemoryDeps {
  /** Waits this many milliseconds (tests pass a fake). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * How many rows have hit `throw_runtime_exception_list`, per job. SeaTunnel keeps this counter
 * static, so it survives pipeline restores: run 1 throws item 0, the first restore item 1, ...
 */
const runtimeErrorCalls = new Map<string, number>();

/** `fail_times` (ours): failures injected so far, per job. */
const injectedFailures = new Map<string, number>();

/** Forgets the counters of a job (tests; a finished job no longer needs them). */
export function resetRuntimeErrors(jobId: string): void {
  runtimeErrorCalls.delete(jobId);
  injectedFailures.delete(jobId);
}

/** InMemorySinkFactory.createSink: `assert_options_key` must equal `assert_options_value` per table. */
function checkAssertOptions(s: InMemorySettings, inputs: readonly TableSchema[]): void {
  if (s.assertKey === undefined) {
    return;
  }
  // The engine substitutes sink placeholders per table; substituting again is a no-op then, and
  // covers a multi-table sink whose options still hold them.
  for (const t of inputs.length > 0 ? inputs : [undefined]) {
    const key = t ? replacePlaceholders(s.assertKey, t) : s.assertKey;
    const value = s.assertValue === undefined ? undefined : t ? replacePlaceholders(s.assertValue, t) : s.assertValue;
    if (key !== value) {
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `sink InMemory: assert key and value not match! key = ${key}, value = ${value ?? "null"}`,
      );
    }
  }
}

class InMemoryWriter implements SinkWriter<Record<string, never>> {
  constructor(
    private readonly s: InMemorySettings,
    private readonly jobId: string,
    private readonly deps: InMemoryDeps,
  ) {}

  write(batch: Row[]): void {
    if (batch.length === 0) {
      return;
    }
    if (this.s.throwOutOfMemory) {
      // SeaTunnel throws java.lang.OutOfMemoryError (an Error, not an Exception): the job must fail, not hang.
      throw new JobError("SINK_OUT_OF_MEMORY", "java.lang.OutOfMemoryError (InMemory throw_out_of_memory = true)");
    }
    if (this.s.failTimes > 0) {
      const n = (injectedFailures.get(this.jobId) ?? 0) + 1;
      if (n <= this.s.failTimes) {
        injectedFailures.set(this.jobId, n);
        throw new JobError("SINK_WRITE_FAILED", `injected failure ${n} of ${this.s.failTimes}`);
      }
    }
    const list = this.s.runtimeErrors;
    if (list) {
      // The Java writer throws on the first row of every write call, i.e. the first row of the batch.
      const n = (runtimeErrorCalls.get(this.jobId) ?? -1) + 1;
      runtimeErrorCalls.set(this.jobId, n);
      const message = list[n];
      if (message === undefined) {
        throw new JobError("SINK_WRITE_FAILED", `Index ${n} out of bounds for length ${list.length}`);
      }
      throw new JobError("SINK_WRITE_FAILED", message);
    }
  }

  async prepareCommit(): Promise<Record<string, never>> {
    if (this.s.throwException) {
      await this.deps.sleep(4000);
      throw new JobError("SINK_WRITE_FAILED", "write failed");
    }
    if (this.s.checkpointSleep) {
      await this.deps.sleep(5000);
    }
    return {};
  }

  close(): void {}
}

/**
 * Builds the sink. Throws ConfigError when `assert_options_key` and `assert_options_value` differ
 * after placeholder substitution. `prepare()` logs SeaTunnel's save-mode lines for every table.
 */
export function inMemorySink(
  s: InMemorySettings,
  inputs: readonly TableSchema[],
  ctx: Pick<PluginContext, "jobId" | "log">,
  deps: InMemoryDeps = { sleep: (ms) => Bun.sleep(ms) },
): Sink<Record<string, never>> {
  checkAssertOptions(s, inputs);
  const log: Logger = ctx.log;
  return {
    prepare() {
      for (const t of inputs) {
        const path = tableId(t.path);
        log.info(`handle schema savemode with table path: ${path}`);
        log.info(`handle data savemode with table path: ${path}`);
      }
    },
    describeWrite: () => "discards every row (a test sink); nothing is stored",
    writer: () => new InMemoryWriter(s, ctx.jobId, deps),
    commit() {
      if (s.throwExceptionOfCommitter) {
        throw new JobError("SINK_COMMIT_FAILED", "commit failed");
      }
    },
  };
}
