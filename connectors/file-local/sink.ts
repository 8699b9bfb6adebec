/**
 * LocalFile sink: save modes before the job writes (FileSaveModeHandler: the table is the target
 * directory), a writer per subtask that sends each table's rows to its TableWriter, and the
 * two-phase commit of FileSinkAggregatedCommitter: writers prepare (close files, report moves),
 * the job master moves them into place and removes the transaction directories.
 */
import { describeFileWrite, fileTarget } from "./write-mode.ts";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  ConfigError,
  JobError,
  type PluginContext,
  type RowPromises,
  replacePlaceholders,
  type Row,
  type Sink,
  type SinkWriter,
  type TableSchema,
  type WriterContext,
} from "../../src/api/index.ts";
import type { SinkOptions } from "./options.ts";
import { BINARY_COLUMNS } from "./plan.ts";
import {
  abortTable,
  commitTable,
  type TableCommit,
  type TableSinkConfig,
  TableWriter,
  type TxnNames,
} from "./sink-table.ts";
import { checkTemporalOptions } from "./temporal-options.ts";
import { BinaryTableWriter } from "./write-binary.ts";
import { writerFactory } from "./writers.ts";

export interface FileCommitInfo {
  tables: TableCommit[];
}

function tableConfig(t: TableSchema, o: SinkOptions, label: string): TableSinkConfig {
  const names = t.columns.map((c) => c.name);
  const find = (name: string, what: string) => {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new ConfigError(
        "CONFIG_VALUE_INVALID",
        `${label}: ${what} names "${name}", which is not a column of table "${t.id}" (known: ${names.map((n) => `"${n}"`).join(", ")})`,
      );
    }
    return i;
  };
  const partitions = (o.partition_by ?? []).map((name) => {
    const index = find(name, "partition_by");
    return { index, name, type: t.columns[index]!.type };
  });
  let writeIndexes = o.sink_columns?.length
    ? o.sink_columns.map((n) => find(n, "sink_columns"))
    : names.map((_, i) => i);
  if (partitions.length && !o.is_partition_field_write_in_file) {
    writeIndexes = writeIndexes.filter((i) => !partitions.some((p) => p.index === i));
  }
  if (o.file_format_type === "binary") {
    const same =
      t.columns.length === 3 &&
      BINARY_COLUMNS.every((c, i) => t.columns[i]!.name === c.name && t.columns[i]!.type.kind === c.type.kind);
    if (!same) {
      throw new ConfigError(
        "CONFIG_VALUE_INVALID",
        `${label}: the binary format only writes rows of the binary source (data, relativePath, partIndex); table "${t.id}" has ${names.join(", ")}`,
      );
    }
  }
  return {
    path: replacePlaceholders(o.path, t),
    format: o.file_format_type,
    o,
    writeIndexes,
    partitions,
    writtenColumns: writeIndexes.map((i) => t.columns[i]!),
  };
}

/**
 * What the save modes delete. Deleting a large file frees its cached pages (several ms per
 * 100 MB), so each victim is renamed into one fresh directory under tmp_path at once (the target
 * is as empty as after a delete) and that directory is deleted on a pool thread while the job
 * starts; `settled()` (the sink's close) waits for it. Where a victim cannot be renamed there
 * (tmp_path on another file system) it is deleted in place.
 */
export class Trash {
  private dir: string | undefined;
  private moved = 0;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly tmpPath: string) {}

  remove(victim: string): void {
    if (!existsSync(victim)) {
      return;
    }
    try {
      if (this.dir === undefined) {
        const dir = join(this.tmpPath, "seatunnel", `.trash-${crypto.randomUUID()}`);
        mkdirSync(dir, { recursive: true });
        this.dir = dir;
      }
      renameSync(victim, join(this.dir, String(this.moved++)));
    } catch {
      rmSync(victim, { recursive: true, force: true });
    }
  }

  /** Starts deleting what was moved so far. */
  empty(): void {
    if (this.dir === undefined) {
      return;
    }
    this.pending = Promise.all([this.pending, rm(this.dir, { recursive: true, force: true })]);
    this.dir = undefined;
  }

  async settled(): Promise<void> {
    await this.pending;
  }
}

/** The save modes for one target directory; what they delete goes through `trash`. */
export function applySaveModes(path: string, o: SinkOptions, label: string, trash: Trash): void {
  const exists = existsSync(path);
  switch (o.schema_save_mode) {
    case "RECREATE_SCHEMA":
      trash.remove(path);
      mkdirSync(path, { recursive: true });
      break;
    case "CREATE_SCHEMA_WHEN_NOT_EXIST":
      if (!exists) {
        mkdirSync(path, { recursive: true });
      }
      break;
    case "ERROR_WHEN_SCHEMA_NOT_EXIST":
      if (!exists) {
        throw new JobError(
          "SINK_SAVE_MODE",
          `${label}: schema_save_mode is ERROR_WHEN_SCHEMA_NOT_EXIST and the directory "${path}" does not exist`,
        );
      }
      break;
    case "IGNORE":
      break;
  }
  switch (o.data_save_mode) {
    case "DROP_DATA":
      if (existsSync(path)) {
        for (const e of readdirSync(path)) {
          trash.remove(`${path}/${e}`);
        }
      }
      break;
    case "ERROR_WHEN_DATA_EXISTS":
      if (existsSync(path) && readdirSync(path).length > 0) {
        throw new JobError(
          "SINK_SAVE_MODE",
          `${label}: data_save_mode is ERROR_WHEN_DATA_EXISTS and "${path}" already holds files`,
        );
      }
      break;
    case "CUSTOM_PROCESSING":
      throw new JobError(
        "SINK_SAVE_MODE",
        `${label}: data_save_mode CUSTOM_PROCESSING is unsupported by the file sink (it runs no SQL); use DROP_DATA, APPEND_DATA or ERROR_WHEN_DATA_EXISTS`,
      );
    case "APPEND_DATA":
      break;
  }
}

type AnyTableWriter = TableWriter | BinaryTableWriter;

/**
 * What the csv and text writers promise (write-text.ts): they print a row's source text where it is
 * SeaTunnel's form of the value, print every value in that form, and are done with a batch's rows
 * when write() returns.
 */
const TEXT_WRITER_PROMISES: RowPromises = { sourceText: true, seaTunnelText: true, releasesRows: true };

/**
 * Text and csv files print timestamps and times in datetime_format / time_format; without `S` in
 * the pattern (SeaTunnel's defaults) a fraction of a second is dropped. Said before rows move.
 */
function warnDroppedFractions(o: SinkOptions, inputs: TableSchema[], ctx: PluginContext): void {
  if (o.file_format_type !== "csv" && o.file_format_type !== "text") {
    return;
  }
  for (const [kind, pattern, option] of [
    ["timestamp", o.datetime_format, "datetime_format"],
    ["time", o.time_format, "time_format"],
  ] as const) {
    const names = new Set(inputs.flatMap((t) => t.columns.filter((c) => c.type.kind === kind).map((c) => c.name)));
    if (names.size > 0 && !pattern.includes("S")) {
      ctx.log.warn(
        `${ctx.label}: ${kind} column(s) ${[...names].map((x) => `"${x}"`).join(", ")} are written with ${option} "${pattern}", which has no fraction of a second: a fraction, where a value has one, is dropped (SeaTunnel's default); set ${option} = "${pattern}.SSSSSS" to keep it.`,
      );
    }
  }
}

/** The 10-hex-digit prefix SeaTunnel puts in transaction names. */
const newUuid = (): string => crypto.randomUUID().replaceAll("-", "").slice(0, 10);

export async function createLocalFileSink(
  o: SinkOptions,
  inputs: TableSchema[],
  ctx: PluginContext,
): Promise<Sink<FileCommitInfo>> {
  checkTemporalOptions(o, ctx.label);
  if (o.save_mode !== undefined) {
    ctx.log.warn(
      `${ctx.label}: option "save_mode" is deprecated and ignored; use schema_save_mode and data_save_mode.`,
    );
  }
  if (o.file_format_type === "orc") {
    throw new ConfigError(
      "CONFIG_VALUE_INVALID",
      `${ctx.label}: unsupported format: the LocalFile sink does not write orc (no maintained npm package writes ORC, and this engine only reads it); use parquet, which keeps the same types`,
    );
  }
  const configs = new Map(inputs.map((t) => [t.id, tableConfig(t, o, ctx.label)]));
  const trash = new Trash(o.tmp_path);
  return {
    // Csv and text files print a row's source text where it is SeaTunnel's form of the value (write-text.ts).
    rows: o.file_format_type === "csv" || o.file_format_type === "text" ? TEXT_WRITER_PROMISES : {},
    // Files are written under tmp_path and moved into path only on commit.
    transactional: o.is_enable_transaction,
    describeWrite: () => describeFileWrite(o, [...new Set([...configs.values()].map((c) => c.path))]),
    targets: Object.fromEntries([...configs].map(([id, c]) => [id, fileTarget(o, c.path)])),
    prepare() {
      // Once per job, before any row moves (the sink is also created in every pool worker).
      warnDroppedFractions(o, inputs, ctx);
      for (const c of new Set([...configs.values()].map((x) => x.path))) {
        applySaveModes(c, o, ctx.label, trash);
      }
      trash.empty();
    },
    writer: (wc) => new LocalFileWriter(configs, ctx, wc),
    commit(infos) {
      for (const info of infos) {
        for (const t of info.tables) {
          commitTable(t);
        }
      }
    },
    // A restore, after the stored checkpoints were committed again: every transaction directory
    // of this job left under tmp_path was prepared by the crashed run and no checkpoint covers it.
    recover() {
      if (o.is_enable_transaction) {
        rmSync(join(o.tmp_path, "seatunnel", ctx.jobId), { recursive: true, force: true });
      }
    },
    abort(infos) {
      for (const info of infos) {
        for (const t of info.tables) {
          abortTable(t);
        }
      }
    },
    close: () => trash.settled(),
  };
}

class LocalFileWriter implements SinkWriter<FileCommitInfo> {
  private readonly tables = new Map<string, Promise<AnyTableWriter>>();
  private readonly names: TxnNames;
  private prepared = true;

  constructor(
    private readonly configs: Map<string, TableSinkConfig>,
    ctx: PluginContext,
    wc: WriterContext,
  ) {
    this.names = { jobId: ctx.jobId, uuid: newUuid(), subtask: wc.subtask };
    if (configs.size === 1) {
      this.table([...configs.keys()][0]!);
    }
  }

  private table(rowTable: string): Promise<AnyTableWriter> {
    const id = this.configs.has(rowTable) || this.configs.size !== 1 ? rowTable : [...this.configs.keys()][0]!;
    let w = this.tables.get(id);
    if (w) {
      return w;
    }
    const cfg = this.configs.get(id);
    if (!cfg) {
      throw new JobError(
        "SINK_UNKNOWN_TABLE",
        `a row of table "${id}" reached the sink, which only knows ${[...this.configs.keys()].map((k) => `"${k}"`).join(", ")}`,
      );
    }
    // Each table gets its own transaction directory, as each table has its own writer in SeaTunnel.
    const names = this.tables.size === 0 ? this.names : { ...this.names, uuid: newUuid() };
    w =
      cfg.format === "binary"
        ? Promise.resolve(new BinaryTableWriter(cfg, names))
        : writerFactory(cfg.format, { columns: cfg.writtenColumns, o: cfg.o }).then(
            (open) => new TableWriter(cfg, names, open),
          );
    this.tables.set(id, w);
    return w;
  }

  async write(batch: Row[]): Promise<void> {
    if (batch.length === 0) {
      return;
    }
    this.prepared = false;
    const first = batch[0]!.table;
    if (this.configs.size === 1 || batch.every((r) => r.table === first)) {
      await (await this.table(first)).write(batch);
      return;
    }
    const groups = new Map<string, Row[]>();
    for (const r of batch) {
      let g = groups.get(r.table);
      if (!g) {
        groups.set(r.table, (g = []));
      }
      g.push(r);
    }
    for (const [id, rows] of groups) {
      await (await this.table(id)).write(rows);
    }
  }

  async prepareCommit(checkpointId: number): Promise<FileCommitInfo> {
    const tables: TableCommit[] = [];
    for (const w of this.tables.values()) {
      tables.push(await (await w).prepare(checkpointId));
    }
    this.prepared = true;
    return { tables };
  }

  async close(): Promise<void> {
    if (this.prepared) {
      return;
    }
    await this.abort();
  }

  /** Files not yet prepared are deleted with their transaction directory. */
  async abort(): Promise<void> {
    for (const w of this.tables.values()) {
      await (await w).abort();
    }
    this.prepared = true;
  }
}
