/**
 * Parquet files through hyparquet (pure JS): the schema comes from the file, rows are read one
 * row group at a time with positioned reads (never the whole file), only the projected columns.
 */
import { type FileHandle, open } from "node:fs/promises";
import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { type Column, type Row, RowKind } from "../../src/api/index.ts";
import { parquetColumnsOf } from "../file-common/parquet-schema.ts";
import { fromParquet, PARQUET_PARSERS } from "../file-common/parquet-values.ts";
import { BATCH_ROWS } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

function fileBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number) {
      const stop = end ?? size;
      const buf = new Uint8Array(stop - start);
      let off = 0;
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
        if (bytesRead === 0) {
          break;
        }
        off += bytesRead;
      }
      return buf.buffer;
    },
  };
}

async function withFile<T>(path: string, f: (file: AsyncBuffer) => Promise<T>): Promise<T> {
  const fh = await open(path, "r");
  try {
    return await f(fileBuffer(fh, (await fh.stat()).size));
  } finally {
    await fh.close();
  }
}

export function parquetColumns(path: string): Promise<Column[]> {
  return withFile(path, async (file) => parquetColumnsOf(parquetSchema(await parquetMetadataAsync(file))));
}

/** Decimals lose their annotation so hyparquet hands over the unscaled value instead of a float. */
function exactMetadata(md: FileMetaData): FileMetaData {
  return {
    ...md,
    schema: md.schema.map((e) =>
      e.converted_type === "DECIMAL" || e.logical_type?.type === "DECIMAL"
        ? { ...e, converted_type: undefined, logical_type: undefined }
        : e,
    ),
  };
}

export async function* readParquet(plan: TablePlan, split: FileSplit, tableId: string): AsyncGenerator<Row[]> {
  const fh = await open(split.path, "r");
  try {
    const file = fileBuffer(fh, (await fh.stat()).size);
    const md = await parquetMetadataAsync(file);
    const fileCols = parquetColumnsOf(parquetSchema(md));
    const wanted = plan.projection.map((i) => plan.dataColumns[i]!);
    const convs = wanted.map((c) => {
      const fc = fileCols.find((x) => x.name === c.name);
      if (!fc) {
        throw new Error(`column "${c.name}" is not in the file (it has ${fileCols.map((x) => x.name).join(", ")})`);
      }
      return fromParquet(fc.type);
    });
    const metadata = exactMetadata(md);
    const parts = partitionValues(plan, split.path);
    let skip = split.skipRows ?? 0;
    let start = 0;
    for (const rg of md.row_groups) {
      const end = start + Number(rg.num_rows);
      if (skip >= end - start) {
        skip -= end - start;
        start = end;
        continue;
      }
      let data: unknown[][] = [];
      await parquetRead({
        file,
        metadata,
        columns: wanted.map((c) => c.name),
        rowStart: start + skip,
        rowEnd: end,
        utf8: false,
        parsers: PARQUET_PARSERS as never,
        compressors,
        onComplete: (rows) => (data = rows),
      });
      skip = 0;
      start = end;
      for (let i = 0; i < data.length; i += BATCH_ROWS) {
        const batch: Row[] = [];
        for (const raw of data.slice(i, i + BATCH_ROWS)) {
          const fields = new Array<unknown>(convs.length + parts.length);
          for (let j = 0; j < convs.length; j++) {
            fields[j] = convs[j]!(raw[j]);
          }
          for (let k = 0; k < parts.length; k++) {
            fields[convs.length + k] = parts[k];
          }
          batch.push({ kind: RowKind.INSERT, table: tableId, fields });
        }
        yield batch;
      }
    }
  } finally {
    await fh.close();
  }
}
