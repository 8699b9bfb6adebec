/**
 * The connector API: what a source, transform or sink declares (`define*`) and the small set of
 * objects the engine asks it for at run time. Connectors import only from src/api.
 *
 * Life cycle (who calls what):
 * - plan time (also under `--check`): the engine parses options from the spec and calls
 *   `create(options, ctx)` (sources) / `create(options, inputs, ctx)` (transforms, sinks). `create`
 *   must not touch data: it computes output tables and validates. It throws ConfigError for
 *   contradictions the option rules cannot express. Only a source may read its catalog there, and
 *   only when `ctx.checkOnly` is false.
 * - connect checks (`--check --connect`, `seatunnel validate`): after every create, `check()` of
 *   each source and sink, then `close()`; nothing runs.
 * - run time: per parallel subtask `reader()` / `writer()`.
 */
import type { ConfigError, RejectedRecord } from "./errors.ts";
import type { Opt, OptionValues, Rule } from "./options.ts";
import type { Row } from "./row.ts";
import type { TableSchema } from "./table.ts";

/** Structured, leveled logging; messages are sentences. Console's row lines use `info`. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /**
   * Many info lines at once, as one write: for a connector that logs a line per row (Console). A
   * logger without it gets the lines one `info` call each; any connector may use either.
   */
  lines?(messages: string[]): void;
}

export type JobMode = "BATCH" | "STREAMING";

/** What every `create` receives. */
export interface PluginContext {
  /** `source FakeSource` / `sink Console[1]`, for messages. */
  label: string;
  jobId: string;
  jobName: string;
  jobMode: JobMode;
  /** Parallelism of this plugin (its own `parallelism`, else env.parallelism). */
  parallelism: number;
  /** `result_table_name` / `plugin_output` of this block, if written. */
  outputName?: string;
  log: Logger;
  /**
   * True when nothing may be opened (an offline `--check`, or a source that `--connect` or
   * `seatunnel plan` could not connect, created again to check the rest): create() then opens
   * nothing, and a source whose columns come from a catalog sets `unknownColumns` on its tables.
   */
  checkOnly: boolean;
}

export interface Features {
  /** Can run in BATCH jobs (bounded) / STREAMING jobs (unbounded). */
  batch?: boolean;
  streaming?: boolean;
  /** Produces or accepts several tables. */
  multiTable?: boolean;
  exactlyOnce?: boolean;
  parallel?: boolean;
  /** Needs a network service or database to run. */
  external?: boolean;
}

export interface Example {
  title: string;
  /** A complete HOCON job file using this connector; a test runs `--check` on it. */
  conf: string;
}

interface DefinitionBase<O extends Record<string, Opt<unknown>>> {
  /** SeaTunnel's plugin name, looked up case-insensitively. */
  name: string;
  doc: string;
  options: O;
  rules?: readonly Rule[];
  /** Keys outside `options` are passed through silently (e.g. driver properties). */
  allowUnknownOptions?: boolean;
  features: Features;
  examples: readonly Example[];
}

// ---------------------------------------------------------------------------------------- sources

/**
 * A running source's reader for one parallel subtask. The engine calls `poll()` only when the
 * downstream chain has taken the previous batch (natural back-pressure).
 */
export interface SourceReader<S = unknown> {
  /** Splits handed to this reader by the enumerator. */
  addSplits(splits: S[]): void;
  /**
   * The next batch. `[]` means "nothing right now" (the engine waits a little and polls again);
   * `null` means this reader is finished (bounded sources only).
   */
  poll(): Promise<Row[] | null> | Row[] | null;
  /**
   * Remaining work as plain data (what a checkpoint stores); must survive structuredClone. Called
   * between two polls, at checkpoint `checkpointId`. A reader without it is read again from its
   * first splits after a restore (at-least-once).
   */
  snapshot?(checkpointId?: number): S[];
  /** Checkpoint `checkpointId` is stored and committed: state it covers may be dropped. */
  notifyCheckpointComplete?(checkpointId: number): void;
  close?(): Promise<void> | void;
}

export interface ReaderContext {
  subtask: number;
  parallelism: number;
  log: Logger;
  /**
   * What every consumer of this source promises about the rows it gets, when every consumer is a
   * sink the source feeds directly in the same chain (no transform, no --no-fuse, no source cache);
   * undefined otherwise. A reader may then pass rows on in a cheaper form (see RowPromises).
   */
  consumers?: RowPromises;
  /**
   * Set when the job's error handler is on (env `error_handler.mode`): a reader that meets a
   * record it cannot read hands it here and reads on, instead of failing; the record still counts
   * as read for the reader's position (a restore skips it, and does not hand it again). Throws
   * once the job's error budget is spent: the reader lets that error end the read. Unset: fail as
   * before, with rejectedMessage's text.
   */
  reject?: (r: RejectedRecord) => void;
  /**
   * Rows a poll should return at most, where the reader can cut its batches; unset: as many as it
   * likes. Set under a rate limit (env read_limit): a checkpoint barrier waits for the poll's whole
   * batch to pass the limit, so a batch of a whole file would hold every checkpoint back to its end.
   */
  batchRows?: number;
}

/**
 * What a sink's writers promise about the rows they are given (Sink.rows). The engine hands a
 * source's readers what all its consumers promise (ReaderContext.consumers); each promise stands
 * alone, and one that is absent is not made.
 */
export interface RowPromises {
  /**
   * Where a row still has the text its source read (connectors/common/source-text.ts), the
   * writers write that text as it is; so a reader may pass rows that decode only when read.
   */
  sourceText?: boolean;
  /**
   * The writers print every value in SeaTunnel's text form, as its text and csv writers do: a
   * decimal's scale then shows only through its text, so a reader may drop trailing zeros early.
   */
  seaTunnelText?: boolean;
  /**
   * The writers keep no row of a batch once write() returns: a reader may use the same row
   * objects and buffers again for its next batch.
   */
  releasesRows?: boolean;
}

/** What the engine tells Source.splits(). */
export interface SplitsOptions {
  /** Every sink downstream is transactional: the source may cut on an assumption (see confirm). */
  speculate?: boolean;
  /** Incremental sources: the position the job name's last finished run stored (see position); undefined at first. */
  from?: unknown;
}

export interface Source<S = unknown> {
  /** Tables this source produces (plan time). */
  tables: TableSchema[];
  /** False for unbounded (streaming) sources. */
  bounded: boolean;
  /**
   * All splits, grouped per reader index (`length === parallelism`). Called on the job master, once
   * per run of the pipeline. With `speculate` (every sink downstream is transactional, so a
   * rerun from scratch leaves no trace) the source may cut on an assumption it checks while the
   * readers run; confirm() reports the outcome.
   */
  splits(parallelism: number, o?: SplitsOptions): S[][] | Promise<S[][]>;
  /**
   * Incremental sources only (a Jdbc source with incremental_column): where the splits of the last
   * splits() call read up to, as plain data. The engine keeps it in every checkpoint and, once the
   * pipeline's final checkpoint is committed, stores it for the job name; the next run of that job
   * name gets it back as SplitsOptions.from.
   */
  position?(): unknown;
  /**
   * Resolves once every assumption of the last splits() held; rejects with SplitsRejected when one
   * did not. No checkpoint is stored (and so nothing is committed) before it resolves.
   */
  confirm?(): Promise<void>;
  reader(ctx: ReaderContext): SourceReader<S> | Promise<SourceReader<S>>;
  /**
   * About how many rows the source reads in all (a table's statistics, file sizes), for the
   * progress display's percentage and ETA; undefined when it cannot tell cheaply. Called at most
   * once, on the job master while the job runs; a rejection only means there is no estimate.
   */
  estimateRows?(): Promise<number | undefined> | number | undefined;
  /**
   * Work every reader does first, done ahead in a pool worker that has bound the job while the
   * master still enumerates splits (a file source compiles its line scan). Only a cache: errors
   * are left for the readers to meet.
   */
  warm?(ctx: Pick<ReaderContext, "consumers">): void | Promise<void>;
  /**
   * `--check --connect` / `seatunnel validate`, on the main thread after create() ran connected:
   * what only the server can tell that create() did not find already (a query or filter that does
   * not run: prepare it with LIMIT 0). Returns every problem found, reads no data; a ConfigError
   * without a position is placed at the plugin's block. close() follows.
   */
  check?(): Promise<ConfigError[]>;
  close?(): Promise<void> | void;
}

export interface SourceDefinition<O extends Record<string, Opt<unknown>> = Record<string, Opt<unknown>>>
  extends DefinitionBase<O> {
  kind: "source";
  create(options: OptionValues<O>, ctx: PluginContext): Source | Promise<Source>;
}

// ------------------------------------------------------------------------------------- transforms

/** A transform instance for one parallel subtask. `process` may return the same array it got. */
export interface Transform {
  /** Output tables, computed at plan time from the inputs. */
  outputs: TableSchema[];
  process(batch: Row[]): Row[];
  close?(): void;
}

export interface TransformDefinition<O extends Record<string, Opt<unknown>> = Record<string, Opt<unknown>>>
  extends DefinitionBase<O> {
  kind: "transform";
  /** Called at plan time and again once per subtask at run time (state is per instance). */
  create(options: OptionValues<O>, inputs: TableSchema[], ctx: PluginContext): Transform;
}

// ------------------------------------------------------------------------------------------ sinks

export interface WriterContext {
  subtask: number;
  parallelism: number;
  log: Logger;
}

/** One parallel subtask's writer. */
export interface SinkWriter<C = unknown> {
  write(batch: Row[]): void | Promise<void>;
  /** Phase one of two-phase commit: flush and return what `commit` needs (checkpoint issue). */
  prepareCommit?(checkpointId: number): Promise<C | undefined> | C | undefined;
  /** End of input (bounded job finished, or stop): flush and release. Assert checks counts here. */
  close(): void | Promise<void>;
  /** The chain failed: discard what was written since the last prepareCommit, where the writer can. */
  abort?(): void | Promise<void>;
}

export interface Sink<C = unknown> {
  /** What the writers promise about the rows they are given (see RowPromises). */
  rows?: RowPromises;
  /**
   * Nothing the writers write is visible before commit, and abort() (or a writer closed without
   * prepareCommit) discards it: a pipeline run again from scratch leaves no trace of the first run.
   */
  transactional?: boolean;
  /** Runs once before any writer opens (save modes: create/drop tables or files). Not run under --check or on restore. */
  prepare?(): void | Promise<void>;
  /**
   * How the sink writes, for the log line the engine writes once per sink before any row moves
   * (on the job master, before prepare): where to, append or upsert by which key and why, and what
   * running the job again does, e.g. `upsert into "public.t" by (id), the primary key of input
   * "public.s"`. Plan-time knowledge only: no I/O.
   */
  describeWrite?(): string;
  writer(ctx: WriterContext): SinkWriter<C> | Promise<SinkWriter<C>>;
  /**
   * Phase two, on the job master, after checkpoint `checkpointId` was stored: make the prepared
   * work visible. Idempotent: after a restore the same infos may come again. `end` is true for the
   * pipeline's last checkpoint (its input finished, or it stopped with a savepoint).
   */
  commit?(infos: C[], info?: CommitContext): Promise<void> | void;
  abort?(infos: C[]): Promise<void> | void;
  /**
   * On the job master when a job is restored (`-r`), after the restored checkpoints' commits were
   * committed again and before any writer opens: undo work an earlier run prepared but never got
   * to commit (e.g. prepared transactions left by a crash).
   */
  recover?(): Promise<void> | void;
  /**
   * On the job master at the start of a new run (not a restore), before prepare: undo what earlier
   * runs of this job name, killed or ended, prepared and no stored checkpoint of theirs covers
   * (prepared transactions a killed run left, which otherwise only `-r` of that job id rolls back).
   */
  recoverEarlier?(runs: EarlierRuns): Promise<void> | void;
  /**
   * `--check --connect` / `seatunnel validate`, on the main thread: connects and checks
   * credentials, that every target exists or its save mode will create it, and that its columns
   * take the input's by name (inputs with `unknownColumns` aside). Returns every problem found and
   * writes nothing; a ConfigError without a position is placed at the plugin's block. close() follows.
   */
  check?(): Promise<ConfigError[]>;
  /**
   * Where each input table goes, by input table id, in the sink's words for `seatunnel plan`
   * (`test.public.orders, created when missing (schema_save_mode = CREATE_SCHEMA_WHEN_NOT_EXIST)`).
   */
  targets?: Record<string, string>;
  close?(): Promise<void> | void;
}

/**
 * Earlier runs of the same job name in the same checkpoint directory that no process runs any
 * more (crashed, failed, stopped or finished; never a running one), for Sink.recoverEarlier.
 */
export interface EarlierRuns {
  jobIds: string[];
  /**
   * Asked again right before anything is undone: undefined when a process has taken the job
   * meanwhile (a `-r` of it), else every commit info (of any sink) its stored checkpoints cover,
   * which a later `-r` of it commits: those must stay.
   */
  claimed(jobId: string): unknown[] | undefined;
}

export interface CommitContext {
  checkpointId: number;
  end: boolean;
}

export interface SinkDefinition<O extends Record<string, Opt<unknown>> = Record<string, Opt<unknown>>>
  extends DefinitionBase<O> {
  kind: "sink";
  create(options: OptionValues<O>, inputs: TableSchema[], ctx: PluginContext): Sink | Promise<Sink>;
}

export type Definition = SourceDefinition | TransformDefinition | SinkDefinition;
export type PluginKind = Definition["kind"];

/** Declares a source; the returned object goes into connectors/index.ts. */
export function defineSource<O extends Record<string, Opt<unknown>>>(
  def: Omit<SourceDefinition<O>, "kind">,
): SourceDefinition {
  return { kind: "source", ...def } as unknown as SourceDefinition;
}

/** Declares a transform; the returned object goes into connectors/index.ts. */
export function defineTransform<O extends Record<string, Opt<unknown>>>(
  def: Omit<TransformDefinition<O>, "kind">,
): TransformDefinition {
  return { kind: "transform", ...def } as unknown as TransformDefinition;
}

/** Declares a sink; the returned object goes into connectors/index.ts. */
export function defineSink<O extends Record<string, Opt<unknown>>>(
  def: Omit<SinkDefinition<O>, "kind">,
): SinkDefinition {
  return { kind: "sink", ...def } as unknown as SinkDefinition;
}
