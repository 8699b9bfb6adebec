/**
 * Parquet files. Flat columns are encoded as rows arrive, straight into per-column byte buffers
 * that are reused from row group to row group (PLAIN values, or a dictionary and its indexes while
 * that is at most half the size, booleans as RLE), so no JS value of a row outlives its batch and
 * a row group leaves no garbage behind; a row group ends at ROW_GROUP_ROWS rows or
 * ROW_GROUP_BYTES buffered bytes. Nested columns (array, map, row) are gathered per row group and
 * encoded by hyparquet-writer. Page headers, chunk layout (one DATA_PAGE_V2 per chunk, after its
 * dictionary page) and the footer are hyparquet-writer's; the output goes to the file through a
 * small buffer.
 */
import { fullGC } from "bun:jsc";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { gzipSync } from "fflate";
import type { ColumnChunk, Encoding, SchemaElement, SchemaTree } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import type { DataType } from "../../src/api/index.ts";
import { Buf, type Enc, encoderOf, rleHybrid, utf8 } from "../file-common/parquet-encode.ts";
import { schemaOf, typeToElements } from "../file-common/parquet-schema.ts";
import { toParquet, toPhysical } from "../file-common/parquet-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

const ROW_GROUP_ROWS = 16384;
/** A row group also ends once its flat columns buffer this many bytes (wide values). */
const ROW_GROUP_BYTES = 8 << 20;
/** The file buffer; larger byte runs (column pages) are written to the file directly. */
const OUT_BYTES = 256 << 10;
/** Non-null values after which a dictionary that does not halve the column is dropped. */
const DICT_PROBE = 1024;
/** At most this share of the time goes to the collections below. */
const GC_SHARE = 0.2;

type Codec = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "ZSTD" | "BROTLI";

function codecOf(c: string): Codec {
  switch (c) {
    case "none":
      return "UNCOMPRESSED";
    case "snappy":
      return "SNAPPY";
    case "gzip":
      return "GZIP";
    case "zstd":
      return "ZSTD";
    case "brotli":
      return "BROTLI";
    default:
      throw new Error(`compress_codec "${c}" is unsupported for parquet; use none, snappy, gzip, zstd or brotli`);
  }
}

type Compress = (b: Uint8Array) => Uint8Array;

const COMPRESSORS: Record<Exclude<Codec, "UNCOMPRESSED">, Compress> = {
  SNAPPY: snappyCompress,
  GZIP: (b) => gzipSync(b),
  ZSTD: (b) => new Uint8Array(Bun.zstdCompressSync(b)),
  BROTLI: (b) => new Uint8Array(brotliCompressSync(b)),
};

/** A ByteWriter over a fixed buffer that spills to an open file; large byte runs bypass it. */
class FdWriter extends ByteWriter {
  private bytes: Uint8Array;

  constructor(private readonly fd: number) {
    super(OUT_BYTES);
    this.bytes = new Uint8Array(this.buffer);
  }

  private put(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  spill(): void {
    if (this.index === 0) return;
    this.put(this.bytes.subarray(0, this.index));
    this.index = 0;
  }

  override ensure(size: number): void {
    if (this.index + size <= this.buffer.byteLength) return;
    this.spill();
    if (size > this.buffer.byteLength) {
      super.ensure(size);
      this.bytes = new Uint8Array(this.buffer);
    }
  }

  override appendBytes(value: Uint8Array): void {
    if (value.length < OUT_BYTES >> 2) return super.appendBytes(value);
    this.spill();
    this.put(value);
    this.offset += value.length;
  }

  override finish(): void {
    this.spill();
  }
}


/** Scratch buffers of a row group's pages, shared: a page is written out before the next is built. */
const levels = new Buf(1 << 12);
const page = new Buf(1 << 12);
const NEG_ZERO = Symbol("-0");

/** A Map key equal for equal bytes (text values of a bytes column as their UTF-8 bytes). */
function bytesKey(v: unknown): string {
  const b = typeof v === "string" ? utf8.encode(v) : (v as Uint8Array);
  if (!(b instanceof Uint8Array)) throw new Error(`parquet expected Uint8Array value, got ${typeof v}`);
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
}

interface Out {
  w: FdWriter;
  codec: Codec;
  compress: Compress | undefined;
}

interface ColumnOut {
  put(v: unknown): void;
  buffered(): number;
  flush(out: Out, chunks: ColumnChunk[]): void;
}

/** A flat optional column, encoded as its values arrive. */
class FlatColumn implements ColumnOut {
  private readonly def = new Uint8Array(ROW_GROUP_ROWS);
  private n = 0;
  private nn = 0;
  private readonly plain = new Buf();
  private readonly boolean: boolean;
  private readonly canDict: boolean;
  /** A bytes column: dictionary keys are the bytes as latin1 text. */
  private readonly rawBytes: boolean;
  private dict: boolean;
  private readonly map = new Map<unknown, number>();
  private readonly dictBuf = new Buf();
  private readonly offs = new Int32Array(ROW_GROUP_ROWS + 1);
  /** Dictionary indexes, or the booleans as 0/1. */
  private readonly idx = new Int32Array(ROW_GROUP_ROWS);
  private plainSize = 0;
  private readonly enc: Enc;

  constructor(
    private readonly name: string,
    private readonly element: SchemaElement,
    private readonly phys: (v: unknown) => unknown,
  ) {
    this.boolean = element.type === "BOOLEAN";
    this.enc = encoderOf(element) ?? (() => {});
    this.rawBytes = element.type === "BYTE_ARRAY" && element.converted_type !== "UTF8";
    this.canDict = !this.boolean;
    this.dict = this.canDict;
  }

  put(v: unknown): void {
    const p = v === null || v === undefined ? null : this.phys(v);
    if (p === null || p === undefined) {
      this.def[this.n++] = 0;
      return;
    }
    this.def[this.n++] = 1;
    if (this.boolean) {
      if (typeof p !== "boolean") throw new Error(`parquet expected boolean value, got ${String(p)}`);
      this.idx[this.nn++] = p ? 1 : 0;
    } else if (this.dict) {
      const key = this.rawBytes ? bytesKey(p) : p === 0 && 1 / (p as number) < 0 ? NEG_ZERO : p;
      let i = this.map.get(key);
      if (i === undefined) {
        i = this.map.size;
        this.enc(this.dictBuf, p);
        this.map.set(key, i);
        this.offs[i + 1] = this.dictBuf.pos;
      }
      this.plainSize += this.offs[i + 1]! - this.offs[i]!;
      this.idx[this.nn++] = i;
      if (this.nn === DICT_PROBE && !this.dictWins()) this.toPlain();
    } else {
      this.enc(this.plain, p);
      this.nn++;
    }
  }

  buffered(): number {
    return this.plain.pos + this.dictBuf.pos;
  }

  /** hyparquet-writer's test: dictionary plus bit-packed indexes at most half the PLAIN bytes. */
  private dictWins(): boolean {
    const d = this.map.size;
    const bw = d > 1 ? Math.ceil(Math.log2(d)) : 0;
    return 2 * (this.dictBuf.pos + Math.ceil((this.nn * bw) / 8)) <= this.plainSize;
  }

  private toPlain(): void {
    const b = this.plain;
    b.ensure(this.plainSize);
    const src = this.dictBuf.u8;
    const dst = b.u8;
    let pos = b.pos;
    for (let k = 0; k < this.nn; k++) {
      const i = this.idx[k]!;
      for (let j = this.offs[i]!, e = this.offs[i + 1]!; j < e; j++) dst[pos++] = src[j]!;
    }
    b.pos = pos;
    this.dict = false;
    this.map.clear();
    this.dictBuf.pos = 0;
  }

  flush(out: Out, chunks: ColumnChunk[]): void {
    const { w, codec, compress } = out;
    const start = w.offset;
    let uncompressed = 0;
    const encodings: Encoding[] = [];
    let dictionary_page_offset: bigint | undefined;
    if (this.dict && (this.nn === 0 || !this.dictWins())) this.toPlain();
    levels.pos = 0;
    rleHybrid(levels, this.def, this.n, 1);
    page.pos = 0;
    let data: Uint8Array;
    let encoding: Encoding;
    if (this.dict) {
      dictionary_page_offset = BigInt(w.offset);
      const raw = this.dictBuf.bytes();
      const packed = compress ? compress(raw) : raw;
      const h = w.offset;
      writePageHeader(w, { type: "DICTIONARY_PAGE", uncompressed_page_size: raw.length, compressed_page_size: packed.length, dictionary_page_header: { num_values: this.map.size, encoding: "PLAIN" } });
      uncompressed += w.offset - h + raw.length;
      w.appendBytes(packed);
      encodings.push("PLAIN");
      const bw = this.map.size > 1 ? Math.ceil(Math.log2(this.map.size)) : 0;
      page.ensure(1);
      page.u8[page.pos++] = bw;
      rleHybrid(page, this.idx, this.nn, bw);
      data = page.bytes();
      encoding = "RLE_DICTIONARY";
    } else if (this.boolean && this.n > 16) {
      page.pos = 4;
      rleHybrid(page, this.idx, this.nn, 1);
      page.dv.setUint32(0, page.pos - 4, true);
      data = page.bytes();
      encoding = "RLE";
    } else if (this.boolean) {
      page.ensure(this.nn);
      for (let i = 0; i < this.nn; i += 8) {
        let byte = 0;
        for (let j = 0; j < 8 && i + j < this.nn; j++) byte |= this.idx[i + j]! << j;
        page.u8[page.pos++] = byte;
      }
      data = page.bytes();
      encoding = "PLAIN";
    } else {
      data = this.plain.bytes();
      encoding = "PLAIN";
    }
    encodings.push(encoding);
    const packed = compress ? compress(data) : data;
    const data_page_offset = BigInt(w.offset);
    const h = w.offset;
    writePageHeader(w, {
      type: "DATA_PAGE_V2",
      uncompressed_page_size: levels.pos + data.length,
      compressed_page_size: levels.pos + packed.length,
      data_page_header_v2: {
        num_values: this.n,
        num_nulls: this.n - this.nn,
        num_rows: this.n,
        encoding,
        definition_levels_byte_length: levels.pos,
        repetition_levels_byte_length: 0,
        is_compressed: true,
      },
    });
    uncompressed += w.offset - h + levels.pos + data.length;
    w.appendBytes(levels.bytes());
    w.appendBytes(packed);
    chunks.push({
      file_offset: BigInt(start),
      meta_data: {
        type: this.element.type!,
        encodings,
        path_in_schema: [this.name],
        codec,
        num_values: BigInt(this.n),
        total_compressed_size: BigInt(w.offset - start),
        total_uncompressed_size: BigInt(uncompressed),
        data_page_offset,
        dictionary_page_offset,
      },
    });
    this.n = 0;
    this.nn = 0;
    this.plainSize = 0;
    this.plain.pos = 0;
    this.dictBuf.pos = 0;
    this.map.clear();
    this.dict = this.canDict;
  }
}

/**
 * Rows and bytes written by this thread since its last collection, and when the next may run.
 * JavaScriptCore sizes its heap from the machine's RAM, so left alone a worker's heap grows to
 * several times what is live (the rows read, decoded and dropped) before it collects; a full
 * collection after about a row group's worth of rows keeps it near the live size. Each is a few
 * milliseconds with a small live heap; where the live heap is large (so collections are slow) they
 * are spaced to take at most GC_SHARE of the time.
 */
let sinceGc = 0;
let bytesSinceGc = 0;
let nextGc = 0;

function paceGc(rows: number, bytes: number): void {
  sinceGc += rows;
  bytesSinceGc += bytes;
  if (sinceGc < ROW_GROUP_ROWS && bytesSinceGc < ROW_GROUP_BYTES) return;
  const start = performance.now();
  if (start < nextGc) return;
  fullGC();
  const end = performance.now();
  nextGc = end + (end - start) / GC_SHARE;
  sinceGc = 0;
  bytesSinceGc = 0;
}

/** Leaf paths under a column (hyparquet-writer's getLeafSchemaPaths). */
function leafPaths(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1]!;
  if (!node.children.length) return [path];
  return node.children.flatMap((c) => leafPaths([...path, c]));
}

/** An array, map or row column: its row group's values, encoded by hyparquet-writer. */
class NestedColumn implements ColumnOut {
  private data: unknown[] = [];
  private readonly conv: (v: unknown) => unknown;

  constructor(
    private readonly leaves: SchemaTree[][],
    t: DataType,
    private readonly pw: ParquetWriter,
    private readonly compressors: Record<string, Compress>,
  ) {
    this.conv = toParquet(t);
  }

  put(v: unknown): void {
    this.data.push(this.conv(v));
  }

  buffered(): number {
    return 0;
  }

  flush(out: Out, chunks: ColumnChunk[]): void {
    for (const leaf of this.leaves) {
      const schemaPath = leaf.map((n) => n.element);
      const column = {
        columnName: schemaPath.slice(1).map((s) => s.name).join("."),
        element: schemaPath[schemaPath.length - 1]!,
        schemaPath,
        codec: out.codec,
        compressors: this.compressors,
        stats: false,
        pageSize: 1 << 20,
        columnIndex: false,
        offsetIndex: true,
      };
      const result = writeColumn({ writer: out.w, column, pageData: encodeNestedValues(leaf, this.data as never) });
      chunks.push(result.chunk);
      this.pw.pendingIndexes.push(result);
    }
    this.data = [];
  }
}

export function openParquet(path: string, spec: WriterSpec): FormatWriter {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  const cols = spec.columns;
  const codec = codecOf(spec.o.compress_codec);
  const schema = schemaOf(cols);
  const w = new FdWriter(fd);
  const pw = new ParquetWriter({ writer: w, schema, codec, compressors: COMPRESSORS, statistics: false, createdBy: "seatunnel-bun" });
  const out: Out = { w, codec, compress: codec === "UNCOMPRESSED" ? undefined : COMPRESSORS[codec] };
  const resolve = schemaPathResolver(schema);
  const outs: ColumnOut[] = cols.map((c) => {
    const phys = toPhysical(c.type);
    if (phys) return new FlatColumn(c.name, typeToElements(c.name, c.type)[0]!, phys);
    return new NestedColumn(leafPaths(resolve([c.name])), c.type, pw, COMPRESSORS);
  });
  const width = outs.length;
  let n = 0;
  const buffered = () => {
    let b = 0;
    for (const o of outs) b += o.buffered();
    return b;
  };
  const flush = () => {
    if (n === 0) return;
    const start = w.offset;
    const columns: ColumnChunk[] = [];
    for (const o of outs) o.flush(out, columns);
    let total_byte_size = 0n;
    for (const c of columns) total_byte_size += c.meta_data?.total_uncompressed_size ?? 0n;
    pw.num_rows += BigInt(n);
    pw.row_groups.push({ columns, total_byte_size, num_rows: BigInt(n), total_compressed_size: BigInt(w.offset - start) });
    paceGc(n, w.offset - start);
    n = 0;
  };
  return {
    write(rows) {
      for (const r of rows) {
        for (let i = 0; i < width; i++) outs[i]!.put(r[i]);
        if (++n >= ROW_GROUP_ROWS || ((n & 7) === 0 && buffered() >= ROW_GROUP_BYTES)) flush();
      }
    },
    close() {
      flush();
      pw.finish();
      closeSync(fd);
    },
  };
}
