/**
 * Text and csv files: bytes (archive entry, decompressed) → decoded text → records → typed rows.
 * Converters are compiled per column once; a batch of rows is produced per pull. Errors name the
 * file, line and column.
 */
import { type Row, RowKind } from "../../src/api/index.ts";
import { decodeText } from "../file-common/bytes.ts";
import { RecordError, RecordSplitter } from "../file-common/records.ts";
import type { LineRows } from "../file-common/line-rows.ts";
import type { LineDecoder } from "../file-common/line-decode.ts";
import { TextRows } from "../file-common/text-rows.ts";
import { type Codecs, codecs, FieldError, fieldParser, isBlank } from "../file-common/text-values.ts";
import { BadRecords, type Reject } from "./bad-records.ts";
import { BATCH_ROWS, splitEntries } from "./entries.ts";
import {
  type FileSplit,
  fieldDelimiterOf,
  partitionValues,
  type TablePlan,
  type TextMode,
  textModeOf,
} from "./plan.ts";
import { copiedBlocks, fileBlocks } from "./blocks.ts";
import { lineRows, linesOf } from "./read-lines.ts";
import { LazyRow, type RowTextCodec } from "../common/source-text.ts";

/** Turns records of one split into rows: header mapping, ragged-row policy, restore skip, conversion. */
export class DelimitedRows {
  rows: Row[] = [];
  private spare: Row[] = [];
  /** fixedLines' rows: `all` only grows, `batch` is its first n. */
  private fixed: { src: LineRows; all: LazyRow[]; batch: Row[] } | undefined;
  skipped = 0;
  private readonly parsers: ((s: string) => unknown)[];
  private readonly isString: boolean[];
  private readonly parts: string[];
  private readonly width: number;
  private skip: number;
  map: number[] | undefined;
  /** Rows keep their checked text (LazyRow) for sinks that write it as it is; see text-rows.ts. */
  readonly text: TextRows | undefined;
  readonly codecs: Codecs;
  /**
   * A csv string field of spaces only is kept as written (as `psql \copy` and SeaTunnel's csv
   * reader keep it); only an empty one is null. The text format reads a blank field as null.
   */
  private readonly keepBlank: boolean;

  constructor(
    private readonly plan: TablePlan,
    split: FileSplit,
    private readonly tableId: string,
    textRows: boolean,
    /** Records that cannot be read: thrown, or rejected (the error handler). */
    readonly bad: BadRecords,
  ) {
    const o = plan.o;
    const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
    this.codecs = c;
    this.keepBlank = plan.format === "csv";
    const nullText = o.null_format;
    this.parsers = plan.dataColumns.map((col) =>
      this.keepBlank && col.type.kind === "string"
        ? (s: string) => (s === "" || s === nullText ? null : s)
        : fieldParser(col.type, c, 0, nullText),
    );
    this.isString = plan.dataColumns.map((col) => col.type.kind === "string");
    this.parts = partitionValues(plan, split.path);
    this.width = plan.dataColumns.length;
    this.skip = split.skipRows ?? 0;
    if (textRows && this.parts.length === 0) {
      const proj = plan.projection;
      this.text = TextRows.create(
        proj.map((i) => plan.dataColumns[i]!.type),
        c,
        proj.map((i) => this.parsers[i]!),
      );
    }
  }

  /** The row as checked text, or undefined when a field needs decoding (then the caller decodes all). */
  private textRow(fields: string[], quoted: boolean[] | undefined): Row | undefined {
    const t = this.text!;
    const proj = this.plan.projection;
    const nullFormat = this.plan.o.null_format;
    const out = new Array<string | null>(proj.length);
    for (let j = 0; j < proj.length; j++) {
      const src = proj[j]!;
      const f = fields[src];
      if (f === undefined) {
        out[j] = null;
      } else if (this.isString[src]) {
        out[j] =
          quoted?.[src] === true || (f.charCodeAt(0) > 32 && f !== nullFormat)
            ? f
            : f === nullFormat || (this.keepBlank ? f === "" : isBlank(f))
              ? null
              : f;
      } else if (f.charCodeAt(0) > 32 && f !== nullFormat && t.accepts(j, f)) {
        out[j] = f;
      } else if (f === nullFormat || isBlank(f)) {
        out[j] = null;
      } else {
        return undefined;
      }
    }
    return t.row(this.tableId, out);
  }

  /**
   * The rows of lines `from` … `to - 1` of a line source (LineBlock), past what the restore skip
   * still covers. With a `pool` (rows done with before the next block is read) its objects serve
   * again from `used` on; returns how many of them are in use.
   */
  emitLines(src: RowTextCodec, from: number, to: number, pool: LazyRow[] | undefined, used: number): number {
    from += this.skipLines(to - from);
    const rows = this.rows;
    for (let k = from; k < to; k++) {
      if (pool === undefined) {
        rows.push(new LazyRow(RowKind.INSERT, this.tableId, k, src));
      } else if (used < pool.length) {
        rows.push(pool[used++]!.reset(k, src));
      } else {
        const r = new LazyRow(RowKind.INSERT, this.tableId, k, src);
        pool.push(r);
        used++;
        rows.push(r);
      }
    }
    return used;
  }

  /** The rows of lines `from` … `to - 1` of a scanned block, decoded from their bytes at once, past what the restore skip still covers. */
  decodeLines(d: LineDecoder, b: Uint8Array, starts: Int32Array, from: number, to: number): void {
    from += this.skipLines(to - from);
    const { rows, tableId } = this;
    d.lines(b, starts, from, to, (fields) => rows.push({ kind: RowKind.INSERT, table: tableId, fields }));
  }

  /**
   * Lines 0 … n - 1 of `src`, a source refilled in place block after block (a WebAssembly scan's
   * memory), as a batch that serves again: its row j stays line j of `src` from block to block,
   * so a block whose lines all passed costs no work per row. Undefined while a restore skip is
   * pending or other rows wait (the caller then emits the lines one by one).
   */
  fixedLines(src: LineRows, n: number): Row[] | undefined {
    if (this.skip > 0 || this.rows.length) {
      return undefined;
    }
    // Renewed only here, where its rows serve again: what was read of them must be known until then.
    const read = src.renew();
    let f = this.fixed;
    if (f === undefined || f.src !== src) {
      f = this.fixed = { src, all: [], batch: [] };
    }
    // A consumer that read fields made its row drop the line: every row takes its line again.
    else if (read) {
      for (let j = 0; j < f.all.length; j++) {
        f.all[j]!.reset(j, src);
      }
    }
    const { all, batch } = f;
    while (all.length < n) {
      all.push(new LazyRow(RowKind.INSERT, this.tableId, all.length, src));
    }
    if (batch.length > n) {
      batch.length = n;
    }
    while (batch.length < n) {
      batch.push(all[batch.length]!);
    }
    src.lines.whole = batch;
    return batch;
  }

  /** How many of the next `n` lines the restore skip still covers (they are skipped). */
  private skipLines(n: number): number {
    const k = Math.min(this.skip, n);
    this.skip -= k;
    return k;
  }

  take(): Row[] {
    const out = this.rows;
    this.rows = [];
    return out;
  }

  /**
   * The pending rows as a batch in an array that serves again (its memory too) once the next
   * batch is made: for readers whose batches are done with before they read on (RowPromises.releasesRows).
   */
  takeReused(): Row[] {
    const out = this.rows;
    const spare = this.spare;
    spare.length = 0;
    this.rows = spare;
    this.spare = out;
    return out;
  }

  /**
   * The next record of `sp`, as RecordSplitter.next(). One it cannot split is rejected, when the
   * error handler is on; it counts as a row for the restore skip, as every rejected record does.
   */
  next(sp: RecordSplitter, entry: string): string[] | undefined | null {
    for (;;) {
      try {
        return sp.next();
      } catch (e) {
        if (!(e instanceof RecordError) || !this.bad.rejecting) {
          throw e;
        }
        if (this.skip > 0) {
          this.skip--;
          continue;
        }
        this.bad.bad("FILE_READ_FAILED", { file: entry, line: sp.line, reason: e.reason }, () => sp.raw());
      }
    }
  }

  /**
   * Adds the row of a record (or nothing: header, skipped or rejected line); returns the pending
   * row count. `raw`: the record's bytes, where the caller has them (else its text from `sp`).
   */
  add(rec: string[], sp: RecordSplitter, entry: string, first: boolean, raw?: Uint8Array): number {
    const o = this.plan.o;
    if (this.plan.format === "csv" && o.csv_use_header_line && this.map === undefined && first) {
      this.map = rec.map((name) => this.plan.dataColumns.findIndex((col) => col.name === name));
      return this.rows.length;
    }
    const fields = this.map ? remap(rec, this.map, this.width) : rec;
    if (fields.length !== this.width && o.ragged_rows !== "fill") {
      if (o.ragged_rows === "skip") {
        this.skipped++;
        return this.rows.length;
      }
      // A record rejected before the checkpoint a restore resumes counts as a row to skip.
      if (this.skip > 0 && this.bad.rejecting) {
        this.skip--;
        return this.rows.length;
      }
      const hint = this.bad.rejecting
        ? ""
        : ` (set ragged_rows = "fill" to read missing fields as null, or "skip" to skip such lines)`;
      const reason = `expected ${this.width} field(s), found ${fields.length}${hint}`;
      this.bad.bad("FILE_RAGGED_ROW", { file: entry, line: sp.line, reason }, () => raw ?? sp.raw());
      return this.rows.length;
    }
    if (this.skip > 0) {
      this.skip--;
      return this.rows.length;
    }
    if (this.text) {
      // As below: a quoted string field is kept as written (even blank); header remaps lose quoting.
      const r = this.textRow(fields, !this.map && sp.anyQuoted ? sp.quoted : undefined);
      if (r) {
        return this.rows.push(r);
      }
    }
    const proj = this.plan.projection;
    const out = new Array<unknown>(proj.length + this.parts.length);
    let j = 0;
    try {
      for (; j < proj.length; j++) {
        const src = proj[j]!;
        const f = fields[src];
        out[j] =
          f === undefined
            ? null
            : this.isString[src] && !this.map && sp.anyQuoted && sp.quoted[src]
              ? f
              : this.parsers[src]!(f);
      }
    } catch (e) {
      if (!(e instanceof FieldError)) {
        throw e;
      }
      const col = this.plan.dataColumns[proj[j]!]!;
      const at = { file: entry, line: sp.line, column: proj[j]! + 1, field: col.name, reason: e.message };
      this.bad.bad("FILE_VALUE_INVALID", at, () => raw ?? sp.raw());
      return this.rows.length;
    }
    for (let k = 0; k < this.parts.length; k++) {
      out[proj.length + k] = this.parts[k];
    }
    return this.rows.push({ kind: RowKind.INSERT, table: this.tableId, fields: out });
  }
}

export async function* readDelimited(
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
  text: TextMode = textModeOf(undefined),
  reject?: Reject,
): AsyncGenerator<Row[]> {
  const o = plan.o;
  const bad = await BadRecords.create(split, reject, o.encoding);
  const conv = new DelimitedRows(plan, split, tableId, text.textRows, bad);
  const lines = linesOf(plan, fieldDelimiterOf(plan), text);
  const stats = { passed: 0, lines: 0 };
  for await (const entry of splitEntries(plan, split, log)) {
    const sp = new RecordSplitter({
      mode: plan.format === "csv" ? "csv" : "text",
      fieldDelimiter: fieldDelimiterOf(plan),
      rowDelimiter: o.row_delimiter,
      skipLines: entry.first ? o.skip_header_row_number : 0,
    });
    conv.map = undefined;
    // A plain file is read straight into blocks (into a WebAssembly scan's memory when the rows of
    // a block are done with before the next is read); archives and compressed files through their bytes.
    const plain = plan.o.archive_compress_codec === "none" && plan.o.compress_codec === "none";
    const reuse = plain && text.reuse;
    const wasm = lines && reuse ? lines.wasm?.acquire() : undefined;
    try {
      if (lines) {
        // Rows decoded from a block's bytes keep none of them: the block serves again too.
        const blocks = plain
          ? fileBlocks(split.path, split.start, split.end, reuse || lines.decoder !== undefined, wasm?.block)
          : copiedBlocks(entry.bytes);
        try {
          yield* lineRows(entry, blocks, lines, sp, conv, stats, reuse, wasm);
        } finally {
          blocks.close();
        }
        continue;
      }
      const chunks = decodeText(entry.bytes, o.encoding)[Symbol.asyncIterator]();
      try {
        for (;;) {
          const rec = conv.next(sp, entry.name);
          if (rec === null) {
            break;
          }
          if (rec === undefined) {
            const r = await chunks.next();
            if (r.done) {
              sp.end();
            } else {
              sp.feed(r.value);
            }
            continue;
          }
          if (conv.add(rec, sp, entry.name, entry.first) >= BATCH_ROWS) {
            yield conv.take();
          }
        }
      } finally {
        await chunks.return?.(undefined);
      }
    } finally {
      // The memory serves another reader only once this entry's rows are done.
      if (wasm) {
        lines!.wasm!.release(wasm);
      }
    }
  }
  if (conv.rows.length) {
    yield conv.take();
  }
  if (lines) {
    const how = lines.decoder ? "decoded straight from their bytes" : "passed on as they are";
    text.debug?.(`${stats.passed} of ${stats.lines} line(s) of "${split.path}" read by lines ${how}.`);
  }
  const zoned = conv.codecs.zoned;
  if (zoned.count > 0) {
    log?.(
      `${zoned.count} timestamp(s) of "${split.path}" carry a UTC offset${zoned.example ? ` (e.g. "${zoned.example}")` : ""}: a timestamp column has no time zone, so each was read as its local date and time and the offset dropped, as SeaTunnel does.`,
    );
  }
  if (conv.skipped) {
    log?.(
      `Skipped ${conv.skipped} line(s) of "${split.path}" whose field count differs from the schema (${plan.dataColumns.length}).`,
    );
  }
}

function remap(rec: string[], map: number[], width: number): string[] {
  const out = new Array<string>(width);
  for (let i = 0; i < map.length; i++) {
    const at = map[i]!;
    if (at >= 0 && i < rec.length) {
      out[at] = rec[i]!;
    }
  }
  return out;
}
