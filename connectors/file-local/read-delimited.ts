/**
 * Text and csv files: bytes (archive entry, decompressed) → decoded text → records → typed rows.
 * Converters are compiled per column once; a batch of rows is produced per pull. Errors name the
 * file, line and column.
 */
import { isUtf8 } from "node:buffer";
import { JobError, LazyRow, lineFormat, type RawSource, type Row, RowKind } from "../../src/api/index.ts";
import { archiveEntries } from "../file-common/archive.ts";
import { closeSync, openSync, readSync } from "node:fs";
import { type ByteSource, decodeText, fileBytes, gunzipBytes } from "../file-common/bytes.ts";
import { type LineCheck, lineCheck } from "../file-common/line-check.ts";
import { lzopBytes } from "../file-common/lzo.ts";
import { RecordSplitter } from "../file-common/records.ts";
import { TextRows } from "../file-common/text-rows.ts";
import { codecs, FieldError, fieldParser, isBlank } from "../file-common/text-values.ts";
import type { CompressCodec } from "./options.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

export const BATCH_ROWS = 256;

/** The suffix an archive entry must have for a format (AbstractReadStrategy.checkFileType). */
export const FORMAT_SUFFIX: Record<string, string> = { text: ".txt", csv: ".csv", json: ".json", excel: ".xlsx", xml: ".xml", parquet: ".parquet", orc: ".orc" };

export function decompress(src: ByteSource, codec: CompressCodec): ByteSource {
  if (codec === "lzo") return lzopBytes(src);
  if (codec === "gzip") return gunzipBytes(src);
  if (codec === "none") return src;
  throw new JobError("FILE_UNSUPPORTED", `compress_codec "${codec}" is unsupported for text, csv and json files; use none, lzo or gzip`);
}

/** Entries of a split to parse: the range itself, or the matching entries of an archive. */
export async function* splitEntries(plan: TablePlan, split: FileSplit, log?: (m: string) => void): AsyncGenerator<{ name: string; bytes: ByteSource; first: boolean }> {
  const kind = plan.o.archive_compress_codec;
  const range = split.end !== undefined ? { start: split.start, end: split.end } : undefined;
  for await (const e of archiveEntries(split.path, kind, range)) {
    if (kind !== "none" && kind !== "gz" && !e.name.endsWith(FORMAT_SUFFIX[plan.format] ?? "")) {
      log?.(`The ${FORMAT_SUFFIX[plan.format]} file format is incorrect. Please check the format in the compressed file: skipping entry "${e.name}" of "${split.path}".`);
      continue;
    }
    yield { name: kind === "none" ? split.path : `${split.path}!${e.name}`, bytes: decompress(e.bytes, plan.o.compress_codec), first: split.first };
  }
}

export function fieldDelimiterOf(plan: TablePlan): string {
  if (plan.dataColumns.length === 1 && plan.dataColumns[0]!.name === "content" && !plan.o.schema) return "\b";
  return plan.o.field_delimiter ?? (plan.format === "csv" ? "," : "\u0001");
}

/** Turns records of one split into rows: header mapping, ragged-row policy, restore skip, conversion. */
class DelimitedRows {
  rows: Row[] = [];
  skipped = 0;
  private readonly parsers: ((s: string) => unknown)[];
  private readonly isString: boolean[];
  private readonly parts: string[];
  private readonly width: number;
  private skip: number;
  map: number[] | undefined;
  /** Rows keep their checked text (LazyRow) for sinks that write it as it is; see text-rows.ts. */
  readonly text: TextRows | undefined;

  constructor(
    private readonly plan: TablePlan,
    split: FileSplit,
    private readonly tableId: string,
    textRows: boolean,
  ) {
    const o = plan.o;
    const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
    this.parsers = plan.dataColumns.map((col) => fieldParser(col.type, c, 0, o.null_format));
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
      if (f === undefined) out[j] = null;
      else if (this.isString[src]) out[j] = quoted?.[src] === true || (f.charCodeAt(0) > 32 && f !== nullFormat) ? f : f === nullFormat || isBlank(f) ? null : f;
      else if (f.charCodeAt(0) > 32 && f !== nullFormat && t.accepts(j, f)) out[j] = f;
      else if (f === nullFormat || isBlank(f)) out[j] = null;
      else return undefined;
    }
    return t.row(this.tableId, out);
  }

  /** A row read elsewhere (a whole line), unless the restore skip still covers it. */
  emit(r: Row): void {
    if (this.skip > 0) this.skip--;
    else this.rows.push(r);
  }

  take(): Row[] {
    const out = this.rows;
    this.rows = [];
    return out;
  }

  /** Adds the row of a record (or nothing: header, skipped line); returns the pending row count. */
  add(rec: string[], sp: RecordSplitter, entry: string, first: boolean): number {
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
      throw new JobError("FILE_RAGGED_ROW", `reading "${entry}" line ${sp.line}: expected ${this.width} field(s), found ${fields.length} (set ragged_rows = "fill" to read missing fields as null, or "skip" to skip such lines)`);
    }
    if (this.skip > 0) {
      this.skip--;
      return this.rows.length;
    }
    if (this.text) {
      // As below: a quoted string field is kept as written (even blank); header remaps lose quoting.
      const r = this.textRow(fields, !this.map && sp.anyQuoted ? sp.quoted : undefined);
      if (r) return this.rows.push(r);
    }
    const proj = this.plan.projection;
    const out = new Array<unknown>(proj.length + this.parts.length);
    let j = 0;
    try {
      for (; j < proj.length; j++) {
        const src = proj[j]!;
        const f = fields[src];
        out[j] = f === undefined ? null : this.isString[src] && !this.map && sp.anyQuoted && sp.quoted[src] ? f : this.parsers[src]!(f);
      }
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      const col = this.plan.dataColumns[proj[j]!]!;
      throw new JobError("FILE_VALUE_INVALID", `reading "${entry}" line ${sp.line}, column ${proj[j]! + 1} ("${col.name}"): ${e.message}`);
    }
    for (let k = 0; k < this.parts.length; k++) out[proj.length + k] = this.parts[k];
    return this.rows.push({ kind: RowKind.INSERT, table: this.tableId, fields: out });
  }
}

export async function* readDelimited(plan: TablePlan, split: FileSplit, tableId: string, log?: (m: string) => void, text: { textRows?: boolean; printsText?: boolean; debug?: (m: string) => void } = {}): AsyncGenerator<Row[]> {
  const o = plan.o;
  const conv = new DelimitedRows(plan, split, tableId, text.textRows === true);
  const lines = conv.text ? linesOf(plan, text.printsText === true) : undefined;
  const stats = { passed: 0, lines: 0 };
  for await (const entry of splitEntries(plan, split, log)) {
    const sp = new RecordSplitter({ mode: plan.format === "csv" ? "csv" : "text", fieldDelimiter: fieldDelimiterOf(plan), rowDelimiter: o.row_delimiter, skipLines: entry.first ? o.skip_header_row_number : 0 });
    conv.map = undefined;
    let bytes = entry.bytes;
    if (lines) {
      // A plain file is read straight into blocks; archives and compressed files through their bytes.
      const plain = plan.o.archive_compress_codec === "none" && plan.o.compress_codec === "none";
      const blocks = plain ? fileBlocks(split.path, split.start, split.end, text.printsText === true) : copiedBlocks(entry.bytes);
      let rest: ByteSource | undefined;
      try {
        rest = yield* lineRows(entry, blocks, lines, sp, conv, tableId, stats, plain && text.printsText === true);
      } finally {
        // The rest of a plain file is read through its own descriptor; other sources go on.
        if (plain || rest === undefined) blocks.close();
      }
      if (rest === undefined) continue;
      bytes = rest;
    }
    const chunks = decodeText(bytes, o.encoding)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const rec = sp.next();
        if (rec === null) break;
        if (rec === undefined) {
          const r = await chunks.next();
          if (r.done) sp.end();
          else sp.feed(r.value);
          continue;
        }
        if (conv.add(rec, sp, entry.name, entry.first) >= BATCH_ROWS) yield conv.take();
      }
    } finally {
      await chunks.return?.(undefined);
    }
  }
  if (conv.rows.length) yield conv.take();
  if (lines) text.debug?.(`${stats.passed} of ${stats.lines} line(s) of "${split.path}" read by lines passed on as they are.`);
  if (conv.skipped) log?.(`Skipped ${conv.skipped} line(s) of "${split.path}" whose field count differs from the schema (${plan.dataColumns.length}).`);
}

/** How a table's lines are checked to be passed on whole (LineBlock), if they can be. */
interface Lines {
  check: LineCheck;
  format: string;
  delimiter: string;
  csv: boolean;
  skipLines: number;
}

/**
 * Lines pass on whole when sinks print rows as they are (text rows on), the file is UTF-8 with
 * `\n` rows and a one-byte delimiter, every column is read in order with no header mapping,
 * partition columns or null text, and the date and time patterns are the defaults. A decimal's
 * trailing zeros are cut only when every consumer prints text (they keep its scale otherwise).
 */
function linesOf(plan: TablePlan, printsText: boolean): Lines | undefined {
  const o = plan.o;
  const cols = plan.dataColumns;
  if (plan.partitionNames.length || (plan.format === "csv" && o.csv_use_header_line) || o.null_format !== undefined || o.row_delimiter !== "\n") return undefined;
  if (!/^utf-?8$/i.test(o.encoding.trim()) || plan.projection.length !== cols.length || !plan.projection.every((x, i) => x === i)) return undefined;
  if (o.date_format !== "yyyy-MM-dd" || o.datetime_format !== "yyyy-MM-dd HH:mm:ss" || o.time_format !== "HH:mm:ss") return undefined;
  const delimiter = fieldDelimiterOf(plan);
  const check = lineCheck(
    cols.map((c) => c.type),
    delimiter,
    { cutDecimals: printsText },
  );
  if (!check) return undefined;
  return { check, format: lineFormat(cols.length, delimiter, "\n"), delimiter, csv: plan.format === "csv", skipLines: o.skip_header_row_number };
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads an entry block by block (whole lines), passing each line that checks as a row that is the
 * line itself (its output form, see line-check.ts); other lines go through the record splitter
 * one by one. A csv line with a quote may
 * open a multi-line field, so from there the splitter reads the rest: its bytes are returned.
 */
/** Blocks of bytes the caller owns: `next(carry)` is the carry (the last incomplete line) and what follows; `rest()` the bytes not yet taken. */
interface Blocks {
  next(carry: Uint8Array | undefined): Promise<Uint8Array | undefined>;
  rest(): ByteSource;
  close(): void;
}

const LINE_BLOCK = 256 << 10;

/**
 * A plain file's range, read synchronously straight into blocks (no promise per chunk). With
 * `reuse` one buffer serves every block: only when each batch is consumed before the next is read
 * (ReaderContext.printsText); fresh memory costs a page fault per 4 KiB, more than a copy.
 */
function fileBlocks(path: string, start: number, end: number | undefined, reuse: boolean): Blocks {
  const fd = openSync(path, "r");
  let pos = start;
  let buf: Buffer | undefined;
  return {
    async next(carry) {
      const n = carry?.length ?? 0;
      const want = end === undefined ? LINE_BLOCK : Math.min(LINE_BLOCK, end - pos);
      if (want <= 0) return undefined;
      let b: Buffer;
      if (reuse) {
        if (buf === undefined || buf.length < n + want) buf = Buffer.allocUnsafe(Math.max(n + want, 2 * LINE_BLOCK));
        b = buf;
      } else b = Buffer.allocUnsafe(n + want);
      // The carry may be the tail of this very buffer: set() copies overlapping ranges correctly.
      if (carry) b.set(carry);
      const got = readSync(fd, b, n, want, pos);
      if (got === 0) return undefined;
      pos += got;
      return b.subarray(0, n + got);
    },
    rest: () => fileBytes(path, pos, end),
    close: () => closeSync(fd),
  };
}

/** Any byte source, copied into blocks (its chunks may be reused). */
function copiedBlocks(src: ByteSource): Blocks {
  const it = src[Symbol.asyncIterator]();
  return {
    async next(carry) {
      const r = await it.next();
      if (r.done) return undefined;
      const b = new Uint8Array((carry?.length ?? 0) + r.value.length);
      if (carry) b.set(carry);
      b.set(r.value, carry?.length ?? 0);
      return b;
    },
    async *rest() {
      for (let x = await it.next(); !x.done; x = await it.next()) yield x.value;
    },
    close: () => void it.return?.(undefined),
  };
}

async function* lineRows(entry: { bytes: ByteSource; first: boolean; name: string }, blocks: Blocks, f: Lines, sp: RecordSplitter, conv: DelimitedRows, tableId: string, stats: { passed: number; lines: number }, reuse: boolean): AsyncGenerator<Row[], ByteSource | undefined> {
  // With `reuse`, a batch's rows are done with when the next block is read: their objects serve again.
  const pool: LazyRow[] = [];
  const text = conv.text!;
  const { check, cuts, end } = f.check;
  let carry: Uint8Array | undefined;
  let line = 1;
  let toSkip = entry.first ? f.skipLines : 0;
  let start = true;
  const slowLine = (block: Uint8Array, p: number, end: number) => {
    sp.at(line);
    sp.feed(Buffer.from(block.buffer, block.byteOffset + p, end - p).toString("utf8"));
    const rec = sp.next();
    if (rec) conv.add(rec, sp, entry.name, entry.first);
  };
  for (;;) {
    const block = await blocks.next(carry);
    if (block === undefined) break;
    carry = undefined;
    let p = 0;
    if (start) {
      if (block.length < 3 && block[0] === 0xef) {
        carry = block;
        continue;
      }
      start = false;
      if (BOM.every((x, i) => block[i] === x)) p = 3;
    }
    const last = block.lastIndexOf(10);
    if (last < p) {
      carry = block.subarray(p);
      continue;
    }
    const valid = isUtf8(block.subarray(p, last + 1));
    const first = line;
    let pooled = 0;
    // Lines that check are compacted in place: numbers lose their cut trailing zeros, other lines
    // leave; `w` is where output continues, `r0` the first byte not yet moved there.
    let w = p;
    let r0 = p;
    const moveTo = (end: number) => {
      if (w !== r0) block.copyWithin(w, r0, end);
      w += end - r0;
    };
    let starts: number[] = [];
    let src: RawSource | undefined;
    while (p <= last) {
      const k = toSkip > 0 ? -2 : valid ? check(block, p) : -1;
      const nl = k >= 0 ? cuts[end]! : block.indexOf(10, p);
      if (k >= 0) {
        if (src === undefined) {
          starts = [w + p - r0];
          src = text.lineSource(block, starts, f.format, f.delimiter);
        }
        for (let i = 0; i < k; i += 2) {
          moveTo(cuts[i]!);
          r0 = cuts[i + 1]!;
        }
        if (!reuse) conv.emit(new LazyRow(RowKind.INSERT, tableId, starts.length - 1, src));
        else if (pooled < pool.length) conv.emit(pool[pooled++]!.reset(starts.length - 1, src));
        else {
          const r = new LazyRow(RowKind.INSERT, tableId, starts.length - 1, src);
          pool.push(r);
          pooled++;
          conv.emit(r);
        }
        starts.push(w + nl + 1 - r0);
        stats.passed++;
      } else {
        moveTo(p);
        r0 = nl + 1;
        if (k === -2) toSkip--;
        else if (f.csv && block.subarray(p, nl).includes(34)) {
          // A quote may open a multi-line field: the splitter takes over at this line, with what is left.
          sp.at(line);
          stats.lines += line - first;
          const head = block.subarray(p);
          const rest = blocks.rest();
          return (async function* () {
            yield head;
            yield* rest;
          })();
        } else slowLine(block, p, nl + 1);
      }
      line++;
      p = nl + 1;
    }
    stats.lines += line - first;
    moveTo(last + 1);
    if (last + 1 < block.length) carry = block.subarray(last + 1);
    if (conv.rows.length) yield conv.take();
  }
  if (carry?.length) {
    // The last line has no newline.
    slowLine(carry, 0, carry.length);
    sp.end();
    for (let rec = sp.next(); rec; rec = sp.next()) conv.add(rec, sp, entry.name, entry.first);
  }
  return undefined;
}

function remap(rec: string[], map: number[], width: number): string[] {
  const out = new Array<string>(width);
  for (let i = 0; i < map.length; i++) {
    const at = map[i]!;
    if (at >= 0 && i < rec.length) out[at] = rec[i]!;
  }
  return out;
}
