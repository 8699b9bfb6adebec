/**
 * The checkpoint coordinator of one pipeline attempt. It sends a barrier to the pipeline's chains;
 * each chain snapshots between two batches (its split positions and its sinks' prepared commits)
 * and acks. When every chain has acked, or has finished, the checkpoint is complete: it is written
 * to storage atomically FIRST, and only then are the sinks' commits called. A crash between the
 * two is repaired on restore by committing the stored infos again (commit is idempotent).
 * When every chain has finished, a final checkpoint commits the rest, so batch jobs commit too.
 */
import type { Logger } from "../api/connector.ts";
import { crashPoint } from "./crash-points.ts";
import type { ChainCounts, ChainState, Checkpoint, CheckpointStorage, RejectState, SourcePosition } from "./storage.ts";

/** What a chain reports at a barrier, or once at its end (`final`). */
export interface ChainAck {
  checkpointId: number;
  final: boolean;
  /** Remaining splits with positions (structured-clone data); [] when final; null when the source cannot snapshot. */
  splits: unknown[] | null;
  commits: { node: number; info: unknown }[];
  /** The chain's rejected records so far and its reject files' sizes (env error_handler). */
  rejects?: RejectState;
  /** The chain's row counts at this snapshot. */
  counts?: ChainCounts;
}

export interface ChainRef {
  id: number;
  sourceNode: number;
  subtask: number;
}

export interface CoordinatorDeps {
  jobId: string;
  pipelineId: number;
  /** First checkpoint id of this attempt (after a restore: one past the restored one). */
  nextId: number;
  storage?: CheckpointStorage;
  log: Logger;
  /** Sends a barrier to the chains; `stop`: they stop after snapshotting (savepoint). */
  barrier(checkpointId: number, stop: boolean): void;
  /** Phase two for every sink with prepared infos; must be idempotent. */
  commit(commits: { node: number; infos: unknown[] }[], cp: { checkpointId: number; end: boolean }): Promise<void>;
  /** Tells the chains a checkpoint is committed (sources may drop what it covers). */
  committed?(checkpointId: number): void;
  /** Resolves when the sources' splits are confirmed (Source.confirm); no checkpoint is stored before. */
  confirm?(): Promise<void>;
  /** Throws when no checkpoint may be stored any more (the job's error budget is spent). */
  check?(): void;
  /** Throws when this run may no longer store or commit anything (RunOptions.beforeCommit). */
  guard?(): Promise<void>;
  /** Told of each checkpoint's end: stored and committed (ok), or given up (timeout, failure). */
  recorded?(c: CheckpointEvent): void;
}

/** A checkpoint's end, for the job's metrics. */
export interface CheckpointEvent {
  pipeline: number;
  id: number;
  kind: "periodic" | "savepoint" | "final";
  ok: boolean;
  startedMs: number;
  durationMs: number;
  error?: string;
}

interface ChainStatus {
  ref: ChainRef;
  splits: unknown[] | null;
  acked: number;
  finished: boolean;
  rejects?: RejectState;
  counts?: ChainCounts;
  /** Prepared commits not yet covered by a completed checkpoint. */
  pending: { node: number; info: unknown }[];
}

interface InFlight {
  id: number;
  savepoint: boolean;
  done: Promise<Checkpoint>;
  resolve: (cp: Checkpoint) => void;
  reject: (e: Error) => void;
  startedMs: number;
}

export class PipelineCoordinator {
  private readonly chains = new Map<number, ChainStatus>();
  private inFlight: InFlight | undefined;
  private nextId: number;
  last: Checkpoint | undefined;
  /** Incremental sources' ranges, by source node: restored, then set as splits are planned; in every checkpoint. */
  readonly positions = new Map<number, SourcePosition>();
  /** Resolves when the final checkpoint of the pipeline (all chains finished) is complete. */
  readonly finished: Promise<Checkpoint>;
  private readonly resolveFinished: (cp: Checkpoint) => void;
  private readonly rejectFinished: (e: Error) => void;

  constructor(
    private readonly deps: CoordinatorDeps,
    chains: ChainRef[],
    restored?: Checkpoint,
  ) {
    this.nextId = deps.nextId;
    if (restored) {
      this.last = restored;
    }
    for (const p of restored?.positions ?? []) {
      this.positions.set(p.node, p);
    }
    for (const ref of chains) {
      this.chains.set(ref.id, { ref, splits: [], acked: 0, finished: false, pending: [] });
    }
    const finished = Promise.withResolvers<Checkpoint>();
    this.finished = finished.promise;
    this.resolveFinished = finished.resolve;
    this.rejectFinished = finished.reject;
    this.finished.catch(() => {});
  }

  /** The chains this attempt runs. */
  get refs(): ChainRef[] {
    return [...this.chains.values()].map((c) => c.ref);
  }

  /** A chain's snapshot (at a barrier) or final state. */
  onAck(chainId: number, ack: ChainAck): void {
    const c = this.chains.get(chainId);
    if (!c) {
      return;
    }
    c.splits = ack.splits;
    if (ack.rejects) {
      c.rejects = ack.rejects;
    }
    if (ack.counts) {
      c.counts = ack.counts;
    }
    c.acked = Math.max(c.acked, ack.checkpointId);
    c.pending.push(...ack.commits);
    if (ack.final) {
      c.finished = true;
    }
    void this.tryComplete();
  }

  /** Starts a checkpoint unless one is running; resolves when it is stored and committed. */
  trigger(savepoint = false): Promise<Checkpoint> | undefined {
    if (this.inFlight) {
      return savepoint ? this.inFlight.done : undefined;
    }
    if ([...this.chains.values()].every((c) => c.finished)) {
      return undefined;
    }
    const id = this.nextId++;
    const { promise: done, resolve, reject } = Promise.withResolvers<Checkpoint>();
    this.inFlight = { id, savepoint, done, resolve, reject, startedMs: Date.now() };
    this.deps.barrier(id, savepoint);
    crashPoint("barrier-injected");
    void this.tryComplete();
    return done;
  }

  /** Gives up the running checkpoint (timeout or failure); its prepared commits stay pending. */
  cancel(reason: Error): void {
    const f = this.inFlight;
    this.inFlight = undefined;
    if (f) {
      this.record(f.id, f.savepoint ? "savepoint" : "periodic", f.startedMs, reason);
    }
    f?.reject(reason);
    this.rejectFinished(reason);
  }

  private record(id: number, kind: CheckpointEvent["kind"], startedMs: number, error?: Error): void {
    this.deps.recorded?.({
      pipeline: this.deps.pipelineId,
      id,
      kind,
      ok: error === undefined,
      startedMs,
      durationMs: Date.now() - startedMs,
      ...(error ? { error: error.message } : {}),
    });
  }

  /** Prepared commits no completed checkpoint covers: the caller aborts them after a failure. */
  uncommitted(): { node: number; infos: unknown[] }[] {
    return group([...this.chains.values()].flatMap((c) => c.pending));
  }

  private completing = false;

  private async tryComplete(): Promise<void> {
    if (this.completing) {
      return;
    }
    const all = [...this.chains.values()];
    const allFinished = all.every((c) => c.finished);
    const f = this.inFlight;
    if (f && !all.every((c) => c.finished || c.acked >= f.id)) {
      return;
    }
    if (!f && !allFinished) {
      return;
    }
    this.completing = true;
    const id = f ? f.id : this.nextId++;
    const kind = f?.savepoint ? "savepoint" : allFinished ? "final" : "periodic";
    const startedMs = f?.startedMs ?? Date.now();
    try {
      const cp = await this.complete(id, all, allFinished, f?.savepoint ?? false);
      this.record(id, kind, startedMs);
      this.inFlight = undefined;
      f?.resolve(cp);
      if (allFinished) {
        this.resolveFinished(cp);
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.record(id, kind, startedMs, err);
      this.inFlight = undefined;
      f?.reject(err);
      this.rejectFinished(err);
    } finally {
      this.completing = false;
    }
    // Acks that arrived while this one was being stored may complete the next checkpoint.
    if (!allFinished && [...this.chains.values()].every((c) => c.finished)) {
      void this.tryComplete();
    }
  }

  private async complete(id: number, all: ChainStatus[], finished: boolean, savepoint: boolean): Promise<Checkpoint> {
    // Splits cut on an assumption still being checked: nothing may be stored, let alone committed,
    // before it holds (the prepared work stays pending, so a failure aborts it).
    await this.deps.confirm?.();
    // Before taking the prepared commits: a failure here leaves them pending, and they are aborted.
    this.deps.check?.();
    const taken = all.map((c) => c.pending.splice(0));
    const commits = group(taken.flat());
    const chains: ChainState[] = all.map((c) => ({
      sourceNode: c.ref.sourceNode,
      subtask: c.ref.subtask,
      splits: c.finished ? [] : c.splits,
      ...(c.rejects ? { rejects: c.rejects } : {}),
      ...(c.counts ? { counts: c.counts } : {}),
    }));
    const cp: Checkpoint = {
      jobId: this.deps.jobId,
      pipelineId: this.deps.pipelineId,
      checkpointId: id,
      time: Date.now(),
      finished,
      savepoint,
      chains,
      commits,
      ...(this.positions.size ? { positions: [...this.positions.values()] } : {}),
    };
    await this.deps.guard?.();
    try {
      await this.deps.storage?.write(cp);
    } catch (e) {
      all.forEach((c, i) => c.pending.unshift(...taken[i]!));
      throw new Error(
        `writing checkpoint ${id} of pipeline ${this.deps.pipelineId}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.last = cp;
    crashPoint("checkpoint-stored");
    if (savepoint) {
      crashPoint("savepoint-stored");
    }
    if (finished) {
      crashPoint("final-checkpoint-stored");
    }
    this.deps.log.debug(
      `Checkpoint ${id} of pipeline ${this.deps.pipelineId} is stored (${commits.reduce((n, c) => n + c.infos.length, 0)} prepared commits); committing.`,
    );
    await this.deps.commit(commits, { checkpointId: id, end: finished || savepoint });
    crashPoint("commits-done");
    this.deps.committed?.(id);
    return cp;
  }
}

function group(list: { node: number; info: unknown }[]): { node: number; infos: unknown[] }[] {
  const by = new Map<number, unknown[]>();
  for (const { node, info } of list) {
    by.set(node, [...(by.get(node) ?? []), info]);
  }
  return [...by].map(([node, infos]) => ({ node, infos }));
}
