/**
 * The line path of text and csv files (see line-check.ts and LineBlock): blocks of whole lines
 * are read into buffers the reader owns, each line that checks becomes a row that is the line
 * itself, and the others go through the record splitter.
 */
import { isUtf8 } from "node:buffer";
import type { Row } from "../../src/api/index.ts";
import type { ByteSource } from "../file-common/bytes.ts";
import { type LineScan, lineScan } from "../file-common/line-check.ts";
import { type LineDecoder, lineDecoder } from "../file-common/line-decode.ts";
import { type WasmLines, type WasmScans, wasmLineScan } from "../file-common/line-scan-wasm.ts";
import type { RecordSplitter } from "../file-common/records.ts";
import type { LineRows } from "../file-common/line-rows.ts";
import type { TextRows } from "../file-common/text-rows.ts";
import { fieldDelimiterOf, type TablePlan, type TextMode } from "./plan.ts";
import type { Blocks } from "./blocks.ts";
import type { DelimitedRows } from "./read-delimited.ts";
import { type LazyRow, lineFormat } from "../common/source-text.ts";

/** How a table's lines are checked to be passed on whole (LineBlock), if they can be. */
export interface Lines {
  scan: LineScan;
  /** The same scan in WebAssembly, for readers that reuse their block (see line-scan-wasm.ts). */
  wasm: WasmScans | undefined;
  /** For readers whose consumers read every row's fields (no text rows): passing lines are decoded from their bytes at once. */
  decoder: LineDecoder | undefined;
  format: string;
  delimiter: string;
  csv: boolean;
  skipLines: number;
}

/**
 * Lines pass on whole when sinks print rows as they are (text rows on), or are decoded straight
 * from their bytes when not (then nothing is cut: values keep their written scale and fraction);
 * either needs a file in UTF-8 with
 * `\n` rows and a one-byte delimiter, every column is read in order with no header mapping,
 * partition columns or null text, and the date and time patterns are the defaults. A decimal's
 * trailing zeros are cut only when every consumer prints SeaTunnel's text (they keep its scale
 * otherwise); the WebAssembly scan serves readers whose rows are done with before the next block.
 */
export function linesOf(plan: TablePlan, delimiter: string, mode: TextMode): Lines | undefined {
  const o = plan.o;
  const cols = plan.dataColumns;
  if (
    plan.partitionNames.length ||
    (plan.format === "csv" && o.csv_use_header_line) ||
    o.null_format !== undefined ||
    o.row_delimiter !== "\n"
  ) {
    return undefined;
  }
  if (
    !/^utf-?8$/i.test(o.encoding.trim()) ||
    plan.projection.length !== cols.length ||
    !plan.projection.every((x, i) => x === i)
  ) {
    return undefined;
  }
  if (o.date_format !== "yyyy-MM-dd" || o.datetime_format !== "yyyy-MM-dd HH:mm:ss" || o.time_format !== "HH:mm:ss") {
    return undefined;
  }
  const types = cols.map((c) => c.type);
  const csv = plan.format === "csv";
  const scan = lineScan(types, delimiter, { cutDecimals: mode.cutDecimals, csv });
  const decoder = mode.textRows ? undefined : lineDecoder(types, delimiter);
  if (!scan || (!mode.textRows && !decoder)) {
    return undefined;
  }
  return {
    scan,
    decoder,
    wasm: mode.reuse && mode.cutDecimals ? wasmLineScan(types, delimiter, { cutDecimals: true, csv }) : undefined,
    // Without cuts a timestamp keeps its fraction and a decimal its trailing fraction zeros, which
    // no csv or text writer prints (it prints a timestamp by the default pattern, a decimal stripped).
    format:
      lineFormat(cols.length, delimiter, "\n") +
      (!mode.cutDecimals && types.some((t) => t.kind === "timestamp" || t.kind === "decimal") ? "\u0000fractions" : ""),
    delimiter,
    csv,
    skipLines: o.skip_header_row_number,
  };
}

/**
 * What the first split of a text or csv table would build, built ahead (Source.warm): its line
 * scan, and for a plain file's reader that reuses its rows one WebAssembly instance of it.
 */
export function warmLines(plan: TablePlan, mode: TextMode): void {
  if (plan.format !== "csv" && plan.format !== "text") {
    return;
  }
  const lines = linesOf(plan, fieldDelimiterOf(plan), mode);
  const plain = plan.o.archive_compress_codec === "none" && plan.o.compress_codec === "none";
  const w = mode.reuse && plain ? lines?.wasm?.acquire() : undefined;
  if (w) {
    lines!.wasm!.release(w);
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** After this many lines in a row that do not pass, the rest of a block goes to the splitter at once. */
const SLOW_STREAK = 32;

/**
 * Reads an entry block by block (whole lines), passing each line that checks as a row that is the
 * line itself (its output form, see line-check.ts); other lines go through the record splitter
 * one by one, and so do the lines of a quoted csv field that goes on past its line, until its
 * record ends.
 */
export async function* lineRows(
  entry: EntryInfo,
  blocks: Blocks,
  f: Lines,
  sp: RecordSplitter,
  conv: DelimitedRows,
  stats: { passed: number; lines: number },
  reuse: boolean,
  wasm?: WasmLines,
): AsyncGenerator<Row[], void> {
  const r = new EntryLines(entry, f, sp, conv, stats, reuse, wasm);
  let carry: Uint8Array | undefined;
  let start = true;
  for (;;) {
    const block = await blocks.next(carry);
    if (block === undefined) {
      break;
    }
    carry = undefined;
    let p = 0;
    if (start) {
      p = afterBom(block);
      if (p < 0) {
        carry = block;
        continue;
      }
      start = false;
    }
    const last = block.lastIndexOf(10);
    if (last < p) {
      carry = block.subarray(p);
      continue;
    }
    r.scan(block, p, last);
    if (last + 1 < block.length) {
      carry = block.subarray(last + 1);
    }
    if (r.whole !== undefined) {
      yield r.whole;
    } else if (conv.rows.length) {
      yield reuse ? conv.takeReused() : conv.take();
    }
  }
  if (carry?.length || r.open) {
    r.lastLine(carry ?? new Uint8Array(0));
  }
}

type EntryInfo = { bytes: ByteSource; first: boolean; name: string };

/** Where an entry's bytes start past a UTF-8 byte order mark; -1 while its first block is too short to tell. */
function afterBom(block: Uint8Array): number {
  if (block.length < 3 && block[0] === 0xef) {
    return -1;
  }
  return BOM.every((x, i) => block[i] === x) ? 3 : 0;
}

/** One entry's line path: what lineRows carries from block to block. */
class EntryLines {
  private line = 1;
  /** The splitter holds a record whose quoted field goes on past the lines fed so far. */
  open = false;
  /** Lines in a row that did not pass. */
  private streak = 0;
  private toSkip: number;
  /** The rows of the last block when they serve as they are (see scan). */
  whole: Row[] | undefined;
  // With `reuse`, a batch's rows are done with when the next block is read: their objects and
  // the line ends serve again.
  private readonly pool: LazyRow[] | undefined;
  /** Undefined where passing lines are decoded at once (Lines.decoder). */
  private readonly text: TextRows | undefined;
  // The JavaScript scan's state: where compacted bytes continue, the first byte not yet moved
  // there, and the number of line ends recorded (see LineScan).
  private readonly js = { st: new Int32Array(4), starts: new Int32Array(0) };
  /** The source of blocks in the WebAssembly memory: the same bytes and line ends every block. */
  private readonly fixed: LineRows | undefined;

  constructor(
    private readonly entry: EntryInfo,
    private readonly f: Lines,
    private readonly sp: RecordSplitter,
    private readonly conv: DelimitedRows,
    private readonly stats: { passed: number; lines: number },
    private readonly reuse: boolean,
    private readonly wasm: WasmLines | undefined,
  ) {
    this.pool = reuse ? [] : undefined;
    this.text = conv.text;
    this.toSkip = entry.first ? f.skipLines : 0;
    this.fixed =
      reuse && wasm !== undefined ? this.text?.lineSource(wasm.block, wasm.starts, f.format, f.delimiter) : undefined;
  }

  /**
   * The lines of `block` from p to the newline at `last`: passing ones become rows (or `whole`),
   * the others leave the compacted bytes and go through the record splitter.
   */
  scan(block: Uint8Array, p: number, last: number): void {
    const { conv, f, stats, wasm, fixed, pool, text } = this;
    const jsScan = f.scan.scan;
    const valid = isUtf8(block.subarray(p, last + 1));
    const first = this.line;
    let line = first;
    let toSkip = this.toSkip;
    // A block in the WebAssembly memory is scanned there; its state and line ends live there too.
    const inWasm = wasm !== undefined && block.buffer === wasm.block.buffer && block.byteOffset === 0;
    const { st, starts } = inWasm ? wasm : this.jsArrays(p, last);
    starts[0] = p;
    st[0] = p;
    st[1] = p;
    st[2] = 1;
    st[3] = 0;
    let src: LineRows | undefined;
    let used = 0;
    let done = 1;
    let whole: Row[] | undefined;
    while (p <= last) {
      if (this.open) {
        // A quoted field goes on: its lines go to the splitter until its record ends.
        p = this.continueRecord(block, p, st);
        line++;
        continue;
      }
      if (toSkip === 0 && valid) {
        p = inWasm ? wasm.scan(p, last) : jsScan(block, p, last, starts, st);
        const k = st[2]!;
        if (k > done) {
          // Every line of a block in the WebAssembly memory passed: the rows of the last such block serve as they are.
          if (fixed !== undefined && inWasm && done === 1 && p > last) {
            whole = conv.fixedLines(fixed, k - 1);
          }
          if (f.decoder !== undefined) {
            // The scan moves a passing line's bytes into place only at its next cut: they move now.
            if (st[0] !== st[1]) {
              block.copyWithin(st[0]!, st[1]!, p);
              st[0] += p - st[1]!;
              st[1] = p;
            }
            conv.decodeLines(f.decoder, block, starts, done - 1, k - 1);
          } else if (whole === undefined) {
            src ??= text!.lineSource(block, starts, f.format, f.delimiter);
            used = conv.emitLines(src, done - 1, k - 1, pool, used);
          }
          stats.passed += k - done;
          line += k - done;
          done = k;
          this.streak = 0;
        }
        if (p > last) {
          break;
        }
      }
      // The line at p is a header line to skip or does not check: it leaves the compacted bytes.
      const nl = block.indexOf(10, p);
      if (st[0] !== st[1]) {
        block.copyWithin(st[0]!, st[1]!, p);
      }
      st[0] += p - st[1]!;
      st[1] = nl + 1;
      if (toSkip > 0) {
        toSkip--;
      } else if (++this.streak >= SLOW_STREAK) {
        // Line after line takes the splitter (a file quoted on every line): the rest of the block
        // goes to it at once, which costs less than line by line.
        st[1] = last + 1;
        line = this.slowRest(block, p, last, line);
        break;
      } else {
        // A quote may open a field that goes on past this line: the splitter, which holds its
        // start, then takes the next lines until the record ends.
        this.open = !this.slowLine(block, p, nl + 1, line);
      }
      line++;
      p = nl + 1;
    }
    stats.lines += line - first;
    if (st[0] !== st[1]) {
      block.copyWithin(st[0]!, st[1]!, last + 1);
    }
    this.line = line;
    this.toSkip = toSkip;
    this.whole = whole;
    // Timestamps whose offset the scan cut: the reader says how many were dropped.
    conv.codecs.zoned.count += st[3]!;
  }

  /** The entry's last line, which has no newline (empty when the entry ends in an open quoted field). */
  lastLine(carry: Uint8Array): void {
    const { sp, conv, entry } = this;
    if (this.open) {
      sp.feed(Buffer.from(carry.buffer, carry.byteOffset, carry.length).toString("utf8"));
    } else {
      this.slowLine(carry, 0, carry.length, this.line);
    }
    sp.end();
    for (let rec = conv.next(sp, entry.name); rec; rec = conv.next(sp, entry.name)) {
      conv.add(rec, sp, entry.name, entry.first);
    }
  }

  /** The JavaScript scan's state and line ends, grown to hold a block's (fresh per block without `reuse`). */
  private jsArrays(p: number, last: number): { st: Int32Array; starts: Int32Array } {
    const room = Math.floor((last + 1 - p) / this.f.scan.columns) + 2;
    // Decoded lines are done with once the block is scanned.
    if (!(this.reuse || this.f.decoder !== undefined) || this.js.starts.length < room) {
      this.js.starts = new Int32Array(room);
    }
    return this.js;
  }

  /** The lines of `block` from p to the newline at `last`, through the splitter at once; the next line's number. */
  private slowRest(block: Uint8Array, p: number, last: number, line: number): number {
    const { sp, conv, entry } = this;
    sp.at(line);
    sp.feed(Buffer.from(block.buffer, block.byteOffset + p, last + 1 - p).toString("utf8"));
    for (let rec = conv.next(sp, entry.name); rec; rec = conv.next(sp, entry.name)) {
      conv.add(rec, sp, entry.name, entry.first);
    }
    this.open = sp.pending();
    for (let at = block.indexOf(10, p); at >= 0 && at <= last; at = block.indexOf(10, at + 1)) {
      line++;
    }
    return line;
  }

  /** Feeds the line at p to the splitter, which holds an open record; the next line's start. */
  private continueRecord(block: Uint8Array, p: number, st: Int32Array): number {
    const { sp, conv, entry } = this;
    const nl = block.indexOf(10, p);
    // The line leaves the compacted bytes, like any line that does not pass.
    if (st[0] !== st[1]) {
      block.copyWithin(st[0]!, st[1]!, p);
    }
    st[0] = st[0]! + p - st[1]!;
    st[1] = nl + 1;
    sp.feed(Buffer.from(block.buffer, block.byteOffset + p, nl + 1 - p).toString("utf8"));
    // Only a quote can end the field: lines without one are only fed (reading the record again
    // at every line would cost the square of its length).
    const quote = block.indexOf(34, p);
    if (quote >= 0 && quote < nl) {
      const rec = conv.next(sp, entry.name);
      if (rec) {
        conv.add(rec, sp, entry.name, entry.first);
      }
      this.open = sp.pending();
    }
    return nl + 1;
  }

  /** Reads one line through the splitter; false when a quoted field goes on past it (the splitter keeps its start). */
  private slowLine(block: Uint8Array, p: number, end: number, line: number): boolean {
    const { sp, conv, entry } = this;
    sp.at(line);
    const bytes = Buffer.from(block.buffer, block.byteOffset + p, end - p);
    sp.feed(bytes.toString("utf8"));
    const rec = conv.next(sp, entry.name);
    if (rec) {
      // The line's bytes as read: a line that is not UTF-8 is rejected as it is, not as decoded.
      conv.add(rec, sp, entry.name, entry.first, bytes);
    }
    return !sp.pending();
  }
}
