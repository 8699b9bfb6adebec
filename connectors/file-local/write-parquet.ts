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
import type { ColumnChunk, SchemaTree } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import type { DataType } from "../../src/api/index.ts";
import { schemaOf, typeToElements } from "../file-common/parquet-schema.ts";
import { toParquet, toPhysical } from "../file-common/parquet-values.ts";
import {
  type Codec,
  type ColumnOut,
  type Compress,
  FlatColumn,
  type Out,
  ROW_GROUP_ROWS,
} from "./parquet-flat-column.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

/** A row group also ends once its flat columns buffer this many bytes (wide values). */
const ROW_GROUP_BYTES = 8 << 20;
/** The file buffer; larger byte runs (column pages) are written to the file directly. */
const OUT_BYTES = 256 << 10;
/** At most this share of the time goes to the collections below. */
const GC_SHARE = 0.2;

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
    while (off < b.length) {
      off += writeSync(this.fd, b, off, b.length - off);
    }
  }

  spill(): void {
    if (this.index === 0) {
      return;
    }
    this.put(this.bytes.subarray(0, this.index));
    this.index = 0;
  }

  override ensure(size: number): void {
    if (this.index + size <= this.buffer.byteLength) {
      return;
    }
    this.spill();
    if (size > this.buffer.byteLength) {
      super.ensure(size);
      this.bytes = new Uint8Array(this.buffer);
    }
  }

  override appendBytes(value: Uint8Array): void {
    if (value.length < OUT_BYTES >> 2) {
      return super.appendBytes(value);
    }
    this.spill();
    this.put(value);
    this.offset += value.length;
  }

  override finish(): void {
    this.spill();
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
  if (sinceGc < ROW_GROUP_ROWS && bytesSinceGc < ROW_GROUP_BYTES) {
    return;
  }
  const start = performance.now();
  if (start < nextGc) {
    return;
  }
  fullGC();
  const end = performance.now();
  nextGc = end + (end - start) / GC_SHARE;
  sinceGc = 0;
  bytesSinceGc = 0;
}

/** Leaf paths under a column (hyparquet-writer's getLeafSchemaPaths). */
function leafPaths(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1]!;
  if (!node.children.length) {
    return [path];
  }
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
        columnName: schemaPath
          .slice(1)
          .map((s) => s.name)
          .join("."),
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
  const pw = new ParquetWriter({
    writer: w,
    schema,
    codec,
    compressors: COMPRESSORS,
    statistics: false,
    createdBy: "seatunnel-bun",
  });
  const out: Out = { w, codec, compress: codec === "UNCOMPRESSED" ? undefined : COMPRESSORS[codec] };
  const resolve = schemaPathResolver(schema);
  const outs: ColumnOut[] = cols.map((c) => {
    const phys = toPhysical(c.type);
    if (phys) {
      return new FlatColumn(c.name, typeToElements(c.name, c.type)[0]!, phys);
    }
    return new NestedColumn(leafPaths(resolve([c.name])), c.type, pw, COMPRESSORS);
  });
  const width = outs.length;
  let n = 0;
  const buffered = () => {
    let b = 0;
    for (const o of outs) {
      b += o.buffered();
    }
    return b;
  };
  const flush = () => {
    if (n === 0) {
      return;
    }
    const start = w.offset;
    const columns: ColumnChunk[] = [];
    for (const o of outs) {
      o.flush(out, columns);
    }
    let total_byte_size = 0n;
    for (const c of columns) {
      total_byte_size += c.meta_data?.total_uncompressed_size ?? 0n;
    }
    pw.num_rows += BigInt(n);
    pw.row_groups.push({
      columns,
      total_byte_size,
      num_rows: BigInt(n),
      total_compressed_size: BigInt(w.offset - start),
    });
    paceGc(n, w.offset - start);
    n = 0;
  };
  return {
    write(rows) {
      for (const r of rows) {
        for (let i = 0; i < width; i++) {
          outs[i]!.put(r[i]);
        }
        if (++n >= ROW_GROUP_ROWS || ((n & 7) === 0 && buffered() >= ROW_GROUP_BYTES)) {
          flush();
        }
      }
    },
    close() {
      flush();
      pw.finish();
      closeSync(fd);
    },
  };
}
