/**
 * LocalFile source at run time: files (or byte ranges of large text files) are splits, spread
 * over the readers by size; a reader reads its splits one after the other, a batch per poll.
 * A snapshot is the remaining splits plus how many rows of the current one were emitted.
 */
import { estimateFileRows } from "./estimate.ts";
import { closeSync, openSync, readSync } from "node:fs";
import {
  ConfigError,
  JobError,
  type PluginContext,
  type ReaderContext,
  type Row,
  type Source,
  type SourceReader,
} from "../../src/api/index.ts";
import type { Reject } from "./bad-records.ts";
import { readBinary } from "./read-binary.ts";
import { readDelimited } from "./read-delimited.ts";
import { warmLines } from "./read-lines.ts";
import { csvCuts, type QuoteChecks } from "./csv-cuts.ts";
import { readJson } from "./read-json.ts";
import type { SourceOptions, SourceTableOptions } from "./options.ts";
import {
  type FileSplit,
  fieldDelimiterOf,
  type InferSchema,
  planTable,
  type TablePlan,
  type TextMode,
  textModeOf,
} from "./plan.ts";
import { checkTemporalOptions } from "./temporal-options.ts";

/**
 * `text`: how rows may be passed on, from what the consumers promise (see TextMode); `reject`:
 * where records that cannot be read go, when the error handler is on (text, csv and json).
 */
type ReadFn = (
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
  text?: TextMode,
  reject?: Reject,
) => AsyncGenerator<Row[]>;

/** Heavy format libraries load only when a job uses them. */
async function readerFor(plan: TablePlan): Promise<ReadFn> {
  switch (plan.format) {
    case "text":
    case "csv":
      return readDelimited;
    case "json":
      return readJson;
    case "binary":
      return readBinary;
    case "parquet":
      return (await import("./read-parquet.ts")).readParquet;
    case "orc":
      return (await import("./read-orc.ts")).readOrc;
    case "excel":
      return (await import("./read-excel.ts")).readExcel;
    case "xml":
      return (await import("./read-xml.ts")).readXml;
  }
}

const inferSchema: InferSchema = async (format, path) =>
  format === "parquet"
    ? (await import("./read-parquet.ts")).parquetColumns(path)
    : (await import("./read-orc.ts")).orcColumns(path);

export async function createLocalFileSource(o: SourceOptions, ctx: PluginContext): Promise<Source<FileSplit>> {
  const configs: SourceTableOptions[] = o.tables_configs ?? [o];
  const plans: TablePlan[] = [];
  for (const [i, c] of configs.entries()) {
    const label = o.tables_configs ? `${ctx.label} tables_configs[${i}]` : ctx.label;
    checkTemporalOptions(c, label);
    plans.push(
      await planTable(i, c, {
        label,
        checkOnly: ctx.checkOnly,
        infer: inferSchema,
        ...(o.tables_configs || ctx.outputName === undefined ? {} : { outputName: ctx.outputName }),
      }),
    );
  }
  const ids = new Set<string>();
  for (const p of plans) {
    if (ids.has(p.table.id)) {
      throw new ConfigError(
        "CONFIG_VALUE_INVALID",
        `${ctx.label}: two tables_configs produce the table "${p.table.id}"; give each schema a different table name`,
      );
    }
    ids.add(p.table.id);
  }
  const quotes: QuoteChecks = { exact: new Map(), pending: [], speculate: false };
  return {
    tables: plans.map((p) => p.table),
    bounded: true,
    splits: async (parallelism, so) => {
      quotes.pending = [];
      quotes.speculate = so?.speculate === true;
      return assign(await allSplits(plans, parallelism, quotes), parallelism);
    },
    confirm: async () => {
      await Promise.all(quotes.pending);
    },
    reader: (rc) => new LocalFileReader(plans, rc),
    estimateRows: () => estimateFileRows(plans),
    warm: (ctx) => {
      const mode = textModeOf(ctx.consumers);
      if (mode.textRows) {
        for (const p of plans) {
          warmLines(p, mode);
        }
      }
    },
  };
}

async function allSplits(plans: TablePlan[], parallelism: number, quotes: QuoteChecks): Promise<FileSplit[]> {
  const out: FileSplit[] = [];
  for (const p of plans) {
    for (const f of p.files) {
      const ranges = splittable(p, f.size, parallelism)
        ? await byteRanges(
            f.path,
            f.size,
            Number(p.o.file_split_size),
            parallelism,
            p.format === "csv" ? { checks: quotes, delimiter: fieldDelimiterOf(p) } : undefined,
          )
        : undefined;
      if (!ranges || ranges.length < 2) {
        out.push({ table: p.index, path: f.path, size: f.size, start: 0, first: true });
      } else {
        for (const [start, end] of ranges) {
          out.push({ table: p.index, path: f.path, size: end - start, start, end, first: start === 0 });
        }
      }
    }
  }
  return out;
}

const ASCII_COMPATIBLE =
  /^(utf-?8|gbk|gb2312|gb18030|iso-8859-\d+|latin1|us-ascii|ascii|windows-125\d|big5|shift_jis|euc-\w+)$/i;

function splittable(p: TablePlan, size: number, parallelism: number): boolean {
  const o = p.o;
  if (!o.enable_file_split || parallelism < 2 || size <= Number(o.file_split_size)) {
    return false;
  }
  if (
    !["text", "csv", "json"].includes(p.format) ||
    o.archive_compress_codec !== "none" ||
    o.compress_codec !== "none"
  ) {
    return false;
  }
  return (
    o.row_delimiter === "\n" &&
    ASCII_COMPATIBLE.test(o.encoding.trim()) &&
    !(p.format === "csv" && o.csv_use_header_line)
  );
}

/**
 * Ranges cut just after a newline: a multiple of `parallelism` pieces of about `splitSize`. In a
 * csv file (`quotes` given) a cut falls where a record starts (csv-cuts.ts).
 */
async function byteRanges(
  path: string,
  size: number,
  splitSize: number,
  parallelism: number,
  quotes: { checks: QuoteChecks; delimiter: string } | undefined,
): Promise<[number, number][]> {
  const n = Math.max(1, Math.round(size / (splitSize * parallelism))) * parallelism;
  const cuts = [0];
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(64 << 10);
    for (let i = 1; i < n; i++) {
      let pos = Math.max(Math.floor((size * i) / n), cuts[cuts.length - 1]!);
      for (;;) {
        const got = readSync(fd, buf, 0, buf.length, pos);
        if (got === 0) {
          pos = size;
          break;
        }
        const nl = buf.subarray(0, got).indexOf(10);
        if (nl >= 0) {
          pos += nl + 1;
          break;
        }
        pos += got;
      }
      if (pos < size && pos > cuts[cuts.length - 1]!) {
        cuts.push(pos);
      }
    }
  } finally {
    closeSync(fd);
  }
  if (quotes && cuts.length > 1) {
    cuts.splice(1, cuts.length - 1, ...(await csvCuts(path, size, cuts.slice(1), quotes.delimiter, quotes.checks)));
  }
  cuts.push(size);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    out.push([cuts[i]!, cuts[i + 1]!]);
  }
  return out;
}

/** Largest split first to the reader with the fewest bytes. */
function assign(splits: FileSplit[], parallelism: number): FileSplit[][] {
  const groups: FileSplit[][] = Array.from({ length: parallelism }, () => []);
  const load = new Array<number>(parallelism).fill(0);
  const order = [...splits].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1) || a.start - b.start);
  for (const s of order) {
    let best = 0;
    for (let i = 1; i < parallelism; i++) {
      if (load[i]! < load[best]!) {
        best = i;
      }
    }
    groups[best]!.push(s);
    load[best]! += s.size;
  }
  for (const g of groups) {
    g.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.start - b.start));
  }
  return groups;
}

class LocalFileReader implements SourceReader<FileSplit> {
  private readonly queue: FileSplit[] = [];
  private current?: { split: FileSplit; it: AsyncIterator<Row[]>; emitted: number };
  /** Rows of the current split read but not yet returned (a batch cut to ReaderContext.batchRows). */
  private held: Row[] = [];
  private readonly text: TextMode;
  private readonly reject: Reject | undefined;

  constructor(
    private readonly plans: TablePlan[],
    private readonly rc: ReaderContext,
  ) {
    this.text = textModeOf(rc.consumers, (m) => rc.log.debug(m));
    const handler = rc.reject;
    // A rejected record counts as emitted: the snapshot's skipRows then skips it on a restore.
    this.reject = handler
      ? (r) => {
          this.current!.emitted++;
          handler(r);
        }
      : undefined;
  }

  addSplits(splits: FileSplit[]): void {
    this.queue.push(...splits);
  }

  async poll(): Promise<Row[] | null> {
    if (this.held.length) {
      return this.hand(this.held);
    }
    for (;;) {
      if (!this.current) {
        const split = this.queue.shift();
        if (!split) {
          return null;
        }
        const plan = this.plans[split.table]!;
        const read = await readerFor(plan);
        this.current = {
          split,
          it: read(plan, split, plan.table.id, (m) => this.rc.log.warn(m), this.text, this.reject)[
            Symbol.asyncIterator
          ](),
          emitted: split.skipRows ?? 0,
        };
      }
      let r: IteratorResult<Row[]>;
      try {
        r = await this.current.it.next();
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const path = this.current.split.path;
        await Promise.resolve(this.current.it.return?.(undefined)).catch(() => {});
        this.current = undefined;
        throw new JobError(
          e instanceof JobError ? e.code : "FILE_READ_FAILED",
          msg.includes(path) ? msg : `reading "${path}": ${msg}`,
          { cause: e },
        );
      }
      if (r.done) {
        this.current = undefined;
        continue;
      }
      return this.hand(r.value);
    }
  }

  /**
   * Returns rows of a batch, at most ReaderContext.batchRows of them, keeping the rest for the next
   * polls; the snapshot counts only what was returned. Not with the error handler on: a rejected
   * record counts as emitted when it is read, which may be after rows still held.
   */
  private hand(rows: Row[]): Row[] {
    const max = this.reject === undefined ? this.rc.batchRows : undefined;
    let out = rows;
    if (max !== undefined && rows.length > max) {
      out = rows.slice(0, max);
      this.held = rows.slice(max);
    } else {
      this.held = [];
    }
    this.current!.emitted += out.length;
    return out;
  }

  snapshot(): FileSplit[] {
    const cur = this.current ? [{ ...this.current.split, skipRows: this.current.emitted }] : [];
    return [...cur, ...this.queue];
  }

  async close(): Promise<void> {
    this.held = [];
    await this.current?.it.return?.(undefined);
    this.current = undefined;
  }
}
