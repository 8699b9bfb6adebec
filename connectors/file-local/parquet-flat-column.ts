/**
 * A flat optional parquet column encoded as its values arrive (see write-parquet.ts): PLAIN
 * values, or a dictionary and its indexes while that is at most half the size, booleans as RLE,
 * in byte buffers reused from row group to row group.
 */
import type { ColumnChunk, Encoding, SchemaElement } from "hyparquet";
import type { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { Buf, type Enc, encoderOf, rleHybrid, utf8 } from "../file-common/parquet-encode.ts";

/** Rows per row group (a row group also ends at ROW_GROUP_BYTES, see write-parquet.ts). */
export const ROW_GROUP_ROWS = 16384;
/** Non-null values after which a dictionary that does not halve the column is dropped. */
const DICT_PROBE = 1024;

export type Codec = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "ZSTD" | "BROTLI";
export type Compress = (b: Uint8Array) => Uint8Array;

/** Scratch buffers of a row group's pages, shared: a page is written out before the next is built. */
const levels = new Buf(1 << 12);
const page = new Buf(1 << 12);
const NEG_ZERO = Symbol("-0");

/** A Map key equal for equal bytes (text values of a bytes column as their UTF-8 bytes). */
function bytesKey(v: unknown): string {
  const b = typeof v === "string" ? utf8.encode(v) : (v as Uint8Array);
  if (!(b instanceof Uint8Array)) {
    throw new Error(`parquet expected Uint8Array value, got ${typeof v}`);
  }
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
}

export interface Out {
  w: ByteWriter;
  codec: Codec;
  compress: Compress | undefined;
}

export interface ColumnOut {
  put(v: unknown): void;
  buffered(): number;
  flush(out: Out, chunks: ColumnChunk[]): void;
}

/** A flat optional column, encoded as its values arrive. */
export class FlatColumn implements ColumnOut {
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
      if (typeof p !== "boolean") {
        throw new Error(`parquet expected boolean value, got ${String(p)}`);
      }
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
      if (this.nn === DICT_PROBE && !this.dictWins()) {
        this.toPlain();
      }
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
      for (let j = this.offs[i]!, e = this.offs[i + 1]!; j < e; j++) {
        dst[pos++] = src[j]!;
      }
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
    if (this.dict && (this.nn === 0 || !this.dictWins())) {
      this.toPlain();
    }
    levels.pos = 0;
    rleHybrid(levels, this.def, this.n, 1);
    page.pos = 0;
    if (this.dict) {
      dictionary_page_offset = BigInt(w.offset);
      uncompressed += this.writeDictionaryPage(w, compress);
      encodings.push("PLAIN");
    }
    const { data, encoding } = this.dataValues();
    encodings.push(encoding);
    const data_page_offset = BigInt(w.offset);
    uncompressed += this.writeDataPage(w, compress, data, encoding);
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
    this.reset();
  }

  /** Writes the dictionary page; returns its uncompressed size (header included). */
  private writeDictionaryPage(w: ByteWriter, compress: Compress | undefined): number {
    const raw = this.dictBuf.bytes();
    const packed = compress ? compress(raw) : raw;
    const h = w.offset;
    writePageHeader(w, {
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: raw.length,
      compressed_page_size: packed.length,
      dictionary_page_header: { num_values: this.map.size, encoding: "PLAIN" },
    });
    const size = w.offset - h + raw.length;
    w.appendBytes(packed);
    return size;
  }

  /** The data page's values (in the shared `page` unless PLAIN non-booleans) and their encoding. */
  private dataValues(): { data: Uint8Array; encoding: Encoding } {
    if (this.dict) {
      const bw = this.map.size > 1 ? Math.ceil(Math.log2(this.map.size)) : 0;
      page.ensure(1);
      page.u8[page.pos++] = bw;
      rleHybrid(page, this.idx, this.nn, bw);
      return { data: page.bytes(), encoding: "RLE_DICTIONARY" };
    }
    if (this.boolean && this.n > 16) {
      page.pos = 4;
      rleHybrid(page, this.idx, this.nn, 1);
      page.dv.setUint32(0, page.pos - 4, true);
      return { data: page.bytes(), encoding: "RLE" };
    }
    if (this.boolean) {
      page.ensure(this.nn);
      for (let i = 0; i < this.nn; i += 8) {
        let byte = 0;
        for (let j = 0; j < 8 && i + j < this.nn; j++) {
          byte |= this.idx[i + j]! << j;
        }
        page.u8[page.pos++] = byte;
      }
      return { data: page.bytes(), encoding: "PLAIN" };
    }
    return { data: this.plain.bytes(), encoding: "PLAIN" };
  }

  /** Writes the data page (definition levels, then `data`); returns its uncompressed size (header included). */
  private writeDataPage(w: ByteWriter, compress: Compress | undefined, data: Uint8Array, encoding: Encoding): number {
    const packed = compress ? compress(data) : data;
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
    const size = w.offset - h + levels.pos + data.length;
    w.appendBytes(levels.bytes());
    w.appendBytes(packed);
    return size;
  }

  /** Empties the column for the next row group, with a dictionary again if the type allows one. */
  private reset(): void {
    this.n = 0;
    this.nn = 0;
    this.plainSize = 0;
    this.plain.pos = 0;
    this.dictBuf.pos = 0;
    this.map.clear();
    this.dict = this.canDict;
  }
}
