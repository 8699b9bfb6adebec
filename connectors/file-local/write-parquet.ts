/**
 * Parquet files through hyparquet-writer: rows are gathered column-wise and written a row group
 * at a time; the byte writer flushes to the open file so memory holds one row group.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { gzipSync } from "fflate";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { schemaOf } from "../file-common/parquet-schema.ts";
import { toParquet } from "../file-common/parquet-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

const ROW_GROUP_ROWS = 16384;
const FLUSH_BYTES = 4 << 20;

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

const COMPRESSORS = {
  GZIP: (b: Uint8Array) => gzipSync(b),
  ZSTD: (b: Uint8Array) => new Uint8Array(Bun.zstdCompressSync(b)),
  BROTLI: (b: Uint8Array) => new Uint8Array(brotliCompressSync(b)),
};

/** A ByteWriter that spills to an open file descriptor. */
function fdWriter(fd: number): ByteWriter {
  const w = new ByteWriter();
  const spill = () => {
    const bytes = new Uint8Array(w.buffer, 0, w.index);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    w.index = 0;
  };
  const grow = w.ensure.bind(w);
  w.ensure = (size: number) => {
    if (w.index > FLUSH_BYTES) spill();
    grow(size);
  };
  w.finish = spill;
  return w;
}

export function openParquet(path: string, spec: WriterSpec): FormatWriter {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  const cols = spec.columns;
  const convs = cols.map((c) => toParquet(c.type));
  const writer = new ParquetWriter({ writer: fdWriter(fd), schema: schemaOf(cols), codec: codecOf(spec.o.compress_codec), compressors: COMPRESSORS, statistics: false, createdBy: "seatunnel-bun" });
  let data: unknown[][] = cols.map(() => []);
  let n = 0;
  const flush = () => {
    if (n === 0) return;
    writer.write({ columnData: cols.map((c, i) => ({ name: c.name, data: data[i]! as never })), rowGroupSize: n });
    data = cols.map(() => []);
    n = 0;
  };
  return {
    write(rows) {
      for (const r of rows) {
        for (let i = 0; i < convs.length; i++) data[i]!.push(convs[i]!(r[i]));
        if (++n >= ROW_GROUP_ROWS) flush();
      }
    },
    close() {
      flush();
      writer.finish();
      closeSync(fd);
    },
  };
}
