/**
 * One open output file of a format. The table writer hands it batches of rows already reduced
 * to the written columns; `close` finishes the file (footers, buffers) before it is committed.
 */
import type { Column, Row } from "../../src/api/index.ts";
import { encoderFor, loadGzip, type OutCodec } from "../file-common/out-file.ts";
import type { FileFormat, SinkOptions } from "./options.ts";
import { openDelimited, openJson } from "./write-text.ts";

export interface FormatWriter {
  write(rows: unknown[][]): void | Promise<void>;
  /**
   * Rows `[from, to)` whole, written columns `columns` of each (undefined: all, in order): a writer
   * that can print a row's source text (LazyRow) without its values offers this.
   */
  writeRows?(rows: Row[], from: number, to: number, columns: number[] | undefined): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface WriterSpec {
  columns: Column[];
  o: SinkOptions;
}

export type OpenWriter = (path: string) => Promise<FormatWriter>;

/** File suffix of a format (FileFormat.getSuffix); binary keeps the source names. */
export const SUFFIX: Record<FileFormat, string> = {
  csv: ".csv",
  text: ".txt",
  json: ".json",
  parquet: ".parquet",
  orc: ".orc",
  excel: ".xlsx",
  xml: ".xml",
  binary: "",
};
/** Name part a compression adds before the format suffix (CompressFormat.getCompressCodec). */
export const CODEC_SUFFIX: Record<string, string> = {
  none: "",
  lzo: ".lzo",
  gzip: ".gz",
  snappy: ".snappy",
  lz4: ".lz4",
  zstd: ".zst",
  zlib: ".zlib",
  brotli: ".br",
};

async function textCodec(codec: string): Promise<OutCodec> {
  if (codec === "gzip") {
    await loadGzip();
  }
  if (codec === "none" || codec === "lzo" || codec === "gzip") {
    return codec;
  }
  throw new Error(`compress_codec "${codec}" is unsupported for text, csv and json files; use none, lzo or gzip`);
}

/** A factory for the format's files; heavy format libraries are imported on first use. */
export async function writerFactory(format: FileFormat, spec: WriterSpec): Promise<OpenWriter> {
  const o = spec.o;
  switch (format) {
    case "text":
    case "csv": {
      const codec = await textCodec(o.compress_codec);
      const encode = await encoderFor(o.encoding);
      return async (path) => openDelimited(path, spec, format === "csv", codec, encode);
    }
    case "json": {
      const codec = await textCodec(o.compress_codec);
      const encode = await encoderFor(o.encoding);
      return async (path) => openJson(path, spec, codec, encode);
    }
    case "parquet": {
      const { openParquet } = await import("./write-parquet.ts");
      return async (path) => openParquet(path, spec);
    }
    case "excel": {
      const { openExcel } = await import("./write-excel.ts");
      return async (path) => openExcel(path, spec);
    }
    case "xml": {
      const { openXml } = await import("./write-xml.ts");
      const encode = await encoderFor(o.encoding);
      return async (path) => openXml(path, spec, encode);
    }
    case "orc":
      throw new Error("unsupported format: orc files are read but not written");
    case "binary":
      throw new Error("the binary format is written by the binary writer");
  }
}
