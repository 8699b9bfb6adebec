/**
 * One sink subtask: rows are buffered per target table and written `batch_size` at a time inside one
 * transaction that lasts until the next checkpoint. prepareCommit() ends it: COMMIT, or with
 * is_exactly_once PREPARE TRANSACTION / XA PREPARE, which the job master's commit() completes. A
 * failed write names the table, the row (ordinal and key) and the database's message, and leaves
 * the transaction uncommitted.
 */
import type { Row, SinkWriter, WriterContext } from "../../src/api/index.ts";
import { classify, deterministic, JobError, ROW_KIND_SHORT, RowKind } from "../../src/api/index.ts";
import { plainText, type Db, type Dialect, type Session } from "./dialect.ts";
import { copySql, writeRows, type TablePlan } from "./statements.ts";
import { copyChunk } from "./copy-lines.ts";
import { CopyBytes, type ValueWriter, valueWriters } from "./copy-bytes.ts";
import type { CopyIn } from "./dialect.ts";
import { uniqueInserts } from "../common/source-text.ts";
import { type Fit, misfit, targetFits } from "./fit.ts";

export interface XaCommit {
  xid: string;
}

export interface WriterConfig {
  db: Db;
  dialect: Dialect;
  plans: Map<string, TablePlan>;
  batchSize: number;
  exactlyOnce: boolean;
  /** Retries of a failed batch (max_retries; 0 under exactly-once). */
  maxRetries: number;
  /** Prefix of transaction ids: job and subtask, so retries find their own. */
  xidPrefix: string;
  label: (p: TablePlan) => string;
}

/**
 * A COPY is one statement however many rows it carries, so batch_size does not batch it: rows go
 * out in chunks of this many, which keeps a big batch_size from holding that many rows in memory
 * (bench/jdbc.ts reports the peak RSS of the csv → PostgreSQL copy).
 */
const COPY_CHUNK_ROWS = 1024;

/** A value the target column cannot take as it is: the same row fails again however often it is written. */
const MISFIT = deterministic("value the target column cannot take");

export class JdbcWriter implements SinkWriter<XaCommit> {
  private session?: Session;
  private xid?: string;
  private readonly token = Math.random().toString(36).slice(2, 10);
  private txn = 0;
  private readonly buffers = new Map<string, Row[]>();
  private readonly done = new Map<string, number>();
  private readonly emptyAtStart = new Map<string, boolean>();
  /** Per input table: the checks of its values against the target's columns (null: none needed). */
  private readonly fits = new Map<string, (Fit | undefined)[] | null>();
  private readonly chunks: [CopyBytes, CopyBytes] = [new CopyBytes(), new CopyBytes()];
  private readonly writers = new Map<TablePlan, ValueWriter[]>();
  /** An open COPY FROM STDIN: one per table and transaction, fed batch by batch. */
  private copy?: { table: string; plan: TablePlan; stream: CopyIn; base: number };

  constructor(
    private readonly c: WriterConfig,
    private readonly ctx: WriterContext,
  ) {}

  async write(batch: Row[]): Promise<void> {
    for (const r of batch) {
      let buf = this.buffers.get(r.table);
      if (!buf) {
        if (!this.c.plans.has(r.table)) {
          throw new JobError(
            "JDBC_WRITE",
            `no target table for rows of "${r.table}" (inputs: ${[...this.c.plans.keys()].join(", ")})`,
          );
        }
        buf = [];
        this.buffers.set(r.table, buf);
      }
      buf.push(r);
      if (
        buf.length >= this.c.batchSize ||
        (buf.length >= COPY_CHUNK_ROWS && this.c.plans.get(r.table)!.mode === "copy")
      ) {
        await this.flush(r.table);
      }
    }
  }

  private async begin(): Promise<Session> {
    if (this.session && (this.xid || !this.c.exactlyOnce)) {
      return this.session;
    }
    this.session ??= await this.c.db.session();
    if (this.c.exactlyOnce) {
      // The random part keeps ids unique across restarts and restores of the same job.
      this.xid = `${this.c.xidPrefix}-${this.ctx.subtask}-${this.token}-${this.txn++}`;
      await this.c.dialect.beginXa!(this.session, this.xid);
    } else {
      await this.session.exec("BEGIN");
    }
    return this.session;
  }

  private async flush(table: string): Promise<void> {
    const rows = this.buffers.get(table);
    if (!rows?.length) {
      return;
    }
    this.buffers.set(table, []);
    const plan = this.c.plans.get(table)!;
    const s = await this.begin();
    const base = this.done.get(table) ?? 0;
    this.done.set(table, base + rows.length);
    const fits = await this.fitsOf(s, table, plan);
    // A COPY spans batches, so a failed one cannot be retried alone: with max_retries each batch is its own statement.
    const streamCopy = s.copyIn && this.c.maxRetries === 0;
    const copy = streamCopy && (plan.mode === "copy" || (await this.copySafe(s, table, plan, rows)));
    // The COPY text is made first: it checks what it can on the bytes, leaving the other rows to the values.
    const chunk = copy ? copyChunk(rows, fits, this.nextChunk(), this.writersOf(plan)) : undefined;
    const bad = fits && misfit(rows, plan.columns, fits, chunk?.unchecked);
    if (bad) {
      await this.abandon(s);
      throw this.failure(plan, rows, base, bad.at, classify(new Error(bad.message), MISFIT));
    }
    if (chunk) {
      return this.copyBatch(s, table, plan, rows, chunk.bytes, base);
    }
    await this.endCopy();
    await this.writeBatch(s, plan, rows, base);
  }

  /**
   * One batch under a savepoint. A failure is retried max_retries times (SeaTunnel's
   * JdbcOutputFormat.flush: retry n after n-1 seconds) when rolling back to the savepoint shows the
   * transaction survived it; otherwise, or when the attempts are spent, the job fails naming the row.
   */
  private async writeBatch(s: Session, plan: TablePlan, rows: Row[], base: number): Promise<void> {
    const d = this.c.dialect;
    const savepoint = d.savepointBatches || this.c.maxRetries > 0;
    for (let attempt = 0; ; attempt++) {
      try {
        if (savepoint) {
          await s.exec("SAVEPOINT st_batch");
        }
        await writeRows(s, d, plan, rows);
        return;
      } catch (e) {
        // A value the statement builder could not write fails the same way again (SeaTunnel converts
        // values before executeBatch, outside its retries).
        const unwritable = rowWithFields(rows, e) !== undefined;
        const more = attempt < this.c.maxRetries && !unwritable;
        if (more && (await this.rewind(s))) {
          this.ctx.log.warn(
            `writing ${this.c.label(plan)}: rows ${base + 1}-${base + rows.length} failed (attempt ${attempt + 1} of ${this.c.maxRetries + 1}), retrying: ${messageOf(e)}`,
          );
          await Bun.sleep(1000 * attempt);
          continue;
        }
        const at =
          rowWithFields(rows, e) ??
          rowWithFields(rows, e, "failedFields") ??
          (d.savepointBatches ? await this.findRow(s, plan, rows).catch(() => undefined) : rowOf(e, rows.length));
        // Closing the connection rolls the transaction back: nothing after the last checkpoint stays.
        await this.abandon(s);
        const note = more
          ? " (not retried: the transaction did not survive the error)"
          : attempt > 0
            ? ` (after ${attempt + 1} attempts)`
            : "";
        throw this.failure(plan, rows, base, at, unwritable ? classify(e, MISFIT) : e, note);
      }
    }
  }

  /** Rolls the open transaction back to the batch's savepoint; false when the transaction is gone. */
  private async rewind(s: Session): Promise<boolean> {
    try {
      await s.exec("ROLLBACK TO SAVEPOINT st_batch");
      return true;
    } catch {
      return false;
    }
  }

  /** Two buffers take turns: a chunk's bytes are sent before the chunk after next is made (CopyIn.write). */
  private nextChunk(): CopyBytes {
    this.chunks.reverse();
    return this.chunks[0];
  }

  /** How a table's values are written into COPY text, by their columns' types (once per table). */
  private writersOf(plan: TablePlan): ValueWriter[] {
    let w = this.writers.get(plan);
    if (w === undefined) {
      w = valueWriters(plan.schema.map((c) => c.type));
      this.writers.set(plan, w);
    }
    return w;
  }

  /** The checks of a table's values, from the target's columns as the catalog describes them (once per table). */
  private async fitsOf(s: Session, table: string, plan: TablePlan): Promise<(Fit | undefined)[] | undefined> {
    let fits = this.fits.get(table);
    if (fits === undefined) {
      fits = null;
      if (plan.target && this.c.dialect.fit) {
        // A catalog query cannot run while a COPY is open on the session.
        await this.endCopy();
        const t = await this.c.dialect.describeTable(s, plan.target);
        fits = (t && targetFits(this.c.dialect, plan.schema, t.native)) ?? null;
      }
      this.fits.set(table, fits);
    }
    return fits ?? undefined;
  }

  /**
   * An upsert is a plain insert when the target was empty at this writer's first batch and every row
   * is an INSERT read from a table whose primary key is the sink's key: then COPY is safe.
   */
  private async copySafe(s: Session, table: string, plan: TablePlan, rows: Row[]): Promise<boolean> {
    if (plan.mode !== "upsert" || !plan.target) {
      return false;
    }
    const names = plan.keys.map((k) => plan.columns[k]!);
    if (!uniqueInserts(rows, names, RowKind.INSERT)) {
      return false;
    }
    let empty = this.emptyAtStart.get(table);
    if (empty === undefined) {
      if (this.copy?.table !== table) {
        await this.endCopy();
      }
      empty = (await s.query(`SELECT 1 AS x FROM ${this.c.dialect.qualify(plan.target)} LIMIT 1`)).length === 0;
      this.emptyAtStart.set(table, empty);
    }
    return empty;
  }

  private async copyBatch(
    s: Session,
    table: string,
    plan: TablePlan,
    rows: Row[],
    text: Uint8Array,
    base: number,
  ): Promise<void> {
    if (this.copy?.table !== table) {
      await this.endCopy();
      this.copy = { table, plan, stream: s.copyIn!(copySql(this.c.dialect, plan)), base };
    }
    const copy = this.copy;
    try {
      await copy.stream.write(text);
    } catch (e) {
      await this.abandon(s);
      throw this.failure(plan, rows, base, rowOf(e, Number.MAX_SAFE_INTEGER, copy.base - base), e);
    }
  }

  /** Ends the open COPY; the server checks the rows here, so a bad row fails here. */
  private async endCopy(): Promise<void> {
    const copy = this.copy;
    if (!copy) {
      return;
    }
    this.copy = undefined;
    try {
      await copy.stream.end();
    } catch (e) {
      const n = rowOf(e, Number.MAX_SAFE_INTEGER);
      if (this.session) {
        await this.abandon(this.session);
      }
      const at =
        n === undefined
          ? `rows ${copy.base + 1}-${this.done.get(copy.table) ?? copy.base}`
          : `row ${copy.base + n + 1} (+I)`;
      const err = e as { message?: string; detail?: string };
      throw new JobError(
        "JDBC_WRITE",
        `writing ${this.c.label(copy.plan)}: ${at}: ${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ""}`,
        { cause: e },
      );
    }
  }

  private async abandon(s: Session): Promise<void> {
    this.session = undefined;
    this.xid = undefined;
    this.copy = undefined;
    await s.discard().catch(() => {});
  }

  /** After a failed multi-row statement: the first row that fails alone (PostgreSQL, under a savepoint). */
  private async findRow(s: Session, plan: TablePlan, rows: Row[]): Promise<number | undefined> {
    await s.exec("ROLLBACK TO SAVEPOINT st_batch");
    for (let i = 0; i < rows.length; i++) {
      try {
        await writeRows(s, this.c.dialect, plan, [rows[i]!]);
      } catch {
        return i;
      }
    }
    return undefined;
  }

  private failure(plan: TablePlan, rows: Row[], base: number, at: number | undefined, e: unknown, note = ""): JobError {
    const msg = `${messageOf(e)}${note}`;
    let where = `rows ${base + 1}-${base + rows.length}`;
    if (at !== undefined && rows[at]) {
      const r = rows[at];
      const key = plan.keys.length
        ? ` key (${plan.keys.map((k) => plan.columns[k]).join(", ")})=(${plan.keys.map((k) => plainText(r.fields[k] ?? "NULL")).join(", ")})`
        : "";
      where = `row ${base + at + 1} (${ROW_KIND_SHORT[r.kind]}${key})`;
    }
    return new JobError("JDBC_WRITE", `writing ${this.c.label(plan)}: ${where}: ${msg}`, { cause: e });
  }

  async prepareCommit(): Promise<XaCommit | undefined> {
    for (const t of this.buffers.keys()) {
      await this.flush(t);
    }
    await this.endCopy();
    const s = this.session;
    if (!s) {
      return undefined;
    }
    this.session = undefined;
    try {
      if (this.c.exactlyOnce) {
        const xid = this.xid!;
        this.xid = undefined;
        await this.c.dialect.prepareXa!(s, xid);
        await this.c.dialect.releasePrepared!(s);
        return { xid };
      }
      await s.exec("COMMIT");
      await s.release();
      return undefined;
    } catch (e) {
      await s.discard().catch(() => {});
      throw new JobError(
        "JDBC_COMMIT",
        `committing the transaction of subtask ${this.ctx.subtask}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  /**
   * The chain failed (here or elsewhere in the pipeline): the open transaction is rolled back by
   * closing its connection, awaited, so the next attempt finds no lock of this one (on SQLite the
   * whole file's write lock).
   */
  async abort(): Promise<void> {
    this.buffers.clear();
    const copy = this.copy;
    const s = this.session;
    this.copy = undefined;
    this.session = undefined;
    this.xid = undefined;
    await copy?.stream.abort().catch(() => {});
    await s?.discard().catch(() => {});
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    // Only reached with an open transaction when the job stopped without a final checkpoint.
    if (s) {
      await s.discard().catch(() => {});
    }
  }
}

/** The database's message with its detail (PostgreSQL's DETAIL line). */
function messageOf(e: unknown): string {
  const err = e as { message?: string; detail?: string };
  return `${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ""}`;
}

/**
 * The row whose value the database could not take, when the statement builder said (statements.ts),
 * or, with `failedFields`, the row a statement run row by row failed on (Session.runMany).
 */
function rowWithFields(rows: Row[], e: unknown, key: "fields" | "failedFields" = "fields"): number | undefined {
  const fields = (e as Record<string, unknown[] | undefined>)[key];
  const at = fields ? rows.findLastIndex((r) => r.fields === fields) : -1;
  return at >= 0 ? at : undefined;
}

/** The failing row from the database's message: COPY's `line N`, MySQL's `at row N`. */
function rowOf(e: unknown, count: number, shift = 0): number | undefined {
  const err = e as { message?: string; where?: string };
  const m = /COPY [^,]+, line (\d+)/.exec(err.where ?? "") ?? / at row (\d+)/.exec(err.message ?? "");
  const n = m ? Number(m[1]) - 1 + shift : undefined;
  return n !== undefined && n >= 0 && n < count ? n : undefined;
}
