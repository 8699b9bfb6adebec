/**
 * One table's files in one sink subtask (AbstractWriteStrategy): rows go to a file per partition
 * directory inside the transaction directory
 * `<tmp_path>/seatunnel/<jobId>/<uuid>/T_<jobId>_<uuid>_<subtask>_<checkpointId>/`; a new file
 * part starts every batch_size rows; prepare() closes the files and returns the moves that commit
 * performs, then a new transaction begins for the next checkpoint.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, copyFileSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Column, DataType, Row } from "../../src/api/index.ts";
import { tokenize } from "../file-common/temporal.ts";
import { javaToString } from "../file-common/text-values.ts";
import type { FileFormat, SinkOptions } from "./options.ts";
import { CODEC_SUFFIX, type FormatWriter, type OpenWriter, SUFFIX } from "./writers.ts";

/** Plain data (crosses threads): what commit moves and which transaction directory it removes. */
export interface TableCommit {
  transactionDir: string;
  moves: [string, string][];
}

export interface TableSinkConfig {
  path: string;
  format: FileFormat;
  o: SinkOptions;
  /** Indexes of the row fields written to files, in order. */
  writeIndexes: number[];
  /** Index and type of each partition column. */
  partitions: { index: number; name: string; type: DataType }[];
  writtenColumns: Column[];
}

export interface TxnNames {
  jobId: string;
  uuid: string;
  subtask: number;
}

export const NON_PARTITION = "NON_PARTITION";

/** `${name}` → value for names in `values`; others stay (commons-text StringSubstitutor). */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Formats now with a Java pattern (filename_time_format), in local time. */
export function formatNow(pattern: string, now = new Date()): string {
  const v: Record<string, number> = {
    y: now.getFullYear(),
    M: now.getMonth() + 1,
    d: now.getDate(),
    H: now.getHours(),
    m: now.getMinutes(),
    s: now.getSeconds(),
    S: now.getMilliseconds(),
  };
  return tokenize(pattern)
    .map((t) =>
      "lit" in t
        ? t.lit
        : t.field === "S"
          ? String(v.S).padStart(3, "0").slice(0, t.width).padEnd(t.width, "0")
          : String(v[t.field]).padStart(t.width, "0"),
    )
    .join("");
}

export class TableWriter {
  private checkpointId = 1;
  private partId = 0;
  private inPart = 0;
  private rowsInTxn = 0;
  private readonly files = new Map<string, { tmp: string; target: string; w: FormatWriter }>();
  private moves: [string, string][] = [];
  private readonly identity: boolean;

  constructor(
    private readonly cfg: TableSinkConfig,
    private readonly names: TxnNames,
    private readonly open: OpenWriter,
  ) {
    this.identity = cfg.writeIndexes.every((x, i) => x === i) && cfg.writeIndexes.length === cfg.writtenColumns.length;
  }

  get transactionId(): string {
    const n = this.names;
    return `T_${n.jobId}_${n.uuid}_${n.subtask}_${this.checkpointId}`;
  }

  get transactionDir(): string {
    return join(this.cfg.o.tmp_path, "seatunnel", this.names.jobId, this.names.uuid, this.transactionId);
  }

  async write(rows: Row[]): Promise<void> {
    const o = this.cfg.o;
    const limit = o.single_file_mode ? Infinity : o.batch_size;
    for (let i = 0; i < rows.length; ) {
      if (this.inPart >= limit) {
        await this.roll();
      }
      const n = Math.min(rows.length - i, limit - this.inPart);
      await this.writeSlice(rows, i, i + n);
      this.inPart += n;
      this.rowsInTxn += n;
      i += n;
    }
  }

  private async writeSlice(rows: Row[], from: number, to: number): Promise<void> {
    const idx = this.cfg.writeIndexes;
    const project = (r: Row): unknown[] => (this.identity ? r.fields : idx.map((k) => r.fields[k]));
    if (this.cfg.partitions.length === 0) {
      const w = await this.file(NON_PARTITION);
      if (w.writeRows) {
        return w.writeRows(rows, from, to, this.identity ? undefined : idx);
      }
      const out = new Array<unknown[]>(to - from);
      for (let i = from; i < to; i++) {
        out[i - from] = project(rows[i]!);
      }
      await w.write(out);
      return;
    }
    const groups = new Map<string, unknown[][]>();
    for (let i = from; i < to; i++) {
      const dir = this.partitionDir(rows[i]!);
      let g = groups.get(dir);
      if (!g) {
        groups.set(dir, (g = []));
      }
      g.push(project(rows[i]!));
    }
    for (const [dir, g] of groups) {
      await (await this.file(dir)).write(g);
    }
  }

  private partitionDir(r: Row): string {
    const values: Record<string, string> = {};
    this.cfg.partitions.forEach((p, i) => {
      values[`k${i}`] = p.name;
      values[`v${i}`] = javaToString(r.fields[p.index], p.type);
    });
    const expr = this.cfg.o.partition_dir_expression;
    return expr.trim() === ""
      ? this.cfg.partitions.map((p, i) => `${p.name}=${values[`v${i}`]}`).join("/")
      : substitute(expr, values);
  }

  private fileName(): string {
    const o = this.cfg.o;
    const now = formatNow(o.filename_time_format);
    const suffix = o.filename_extension
      ? o.filename_extension.startsWith(".")
        ? o.filename_extension
        : `.${o.filename_extension}`
      : CODEC_SUFFIX[o.compress_codec]! + SUFFIX[this.cfg.format];
    const values = { transactionId: this.transactionId, now, uuid: crypto.randomUUID(), [o.filename_time_format]: now };
    return `${substitute(o.file_name_expression, values)}_${this.partId}${suffix}`;
  }

  private async file(dir: string): Promise<FormatWriter> {
    const hit = this.files.get(dir);
    if (hit) {
      return hit.w;
    }
    const name = this.fileName();
    const target = dir === NON_PARTITION ? join(this.cfg.path, name) : join(this.cfg.path, dir, name);
    const tmp = this.cfg.o.is_enable_transaction ? join(this.transactionDir, dir, name) : target;
    const w = await this.open(tmp);
    this.files.set(dir, { tmp, target, w });
    return w;
  }

  private async closeFiles(): Promise<void> {
    for (const f of this.files.values()) {
      await f.w.close();
      if (f.tmp !== f.target) {
        this.moves.push([f.tmp, f.target]);
      }
    }
    this.files.clear();
  }

  private async roll(): Promise<void> {
    await this.closeFiles();
    this.partId++;
    this.inPart = 0;
  }

  /** Closes this transaction's files; the moves to commit. A new transaction starts after it. */
  async prepare(checkpointId: number): Promise<TableCommit> {
    if (this.rowsInTxn === 0 && this.cfg.o.create_empty_file_when_no_data && this.files.size === 0) {
      await this.file(NON_PARTITION);
    }
    await this.closeFiles();
    const info: TableCommit = { transactionDir: this.transactionDir, moves: this.moves };
    this.moves = [];
    this.checkpointId = checkpointId + 1;
    this.rowsInTxn = 0;
    this.inPart = 0;
    return info;
  }

  /** Drops what this writer wrote and did not prepare. */
  async abort(): Promise<void> {
    for (const f of this.files.values()) {
      await Promise.resolve(f.w.close()).catch(() => {});
    }
    this.files.clear();
    abortTable({ transactionDir: this.transactionDir, moves: this.moves });
    this.moves = [];
  }
}

function moveFile(src: string, dst: string): void {
  mkdirSync(dirname(dst), { recursive: true });
  try {
    renameSync(src, dst);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") {
      throw e;
    }
    copyFileSync(src, dst);
    unlinkSync(src);
  }
}

/** Phase two: moves every prepared file into place. Idempotent: moved files are skipped. */
export function commitTable(info: TableCommit): void {
  for (const [src, dst] of info.moves) {
    if (existsSync(src)) {
      moveFile(src, dst);
    }
  }
  removeTransactionDir(info.transactionDir);
}

export function abortTable(info: TableCommit): void {
  for (const [src, dst] of info.moves) {
    if (src !== dst) {
      rmSync(src, { force: true });
    }
  }
  removeTransactionDir(info.transactionDir);
}

/** Deletes the transaction directory and its now-empty `<uuid>` and `<jobId>` parents. */
function removeTransactionDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  let parent = dirname(dir);
  for (let i = 0; i < 2; i++) {
    try {
      if (readdirSync(parent).length > 0) {
        return;
      }
      rmdirSync(parent);
    } catch {
      return;
    }
    parent = dirname(parent);
  }
}
