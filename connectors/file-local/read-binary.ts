/**
 * The binary format (BinaryReadStrategy): every file as rows of `binary_chunk_size` bytes with
 * its path relative to the source path and the chunk's index, so the binary sink can rebuild it.
 */
import { statSync } from "node:fs";
import { type Row, RowKind } from "../../src/api/index.ts";
import { fileBytes, readAll } from "../file-common/bytes.ts";
import { baseName } from "./listing.ts";
import type { FileSplit, TablePlan } from "./plan.ts";

const BATCH = 256;

export function relativePathOf(base: string, path: string): string {
  let isFile = false;
  try {
    isFile = statSync(base).isFile();
  } catch {}
  if (isFile) {
    return baseName(base);
  }
  const root = base.replace(/\/+$/, "");
  const rel = path.startsWith(root) ? path.slice(root.length) : path;
  return rel.replace(/^\/+/, "");
}

export async function* readBinary(plan: TablePlan, split: FileSplit, tableId: string): AsyncGenerator<Row[]> {
  const rel = relativePathOf(plan.o.path!, split.path);
  let skip = split.skipRows ?? 0;
  if (plan.o.binary_complete_file_mode) {
    if (skip === 0) {
      yield [{ kind: RowKind.INSERT, table: tableId, fields: [await readAll(fileBytes(split.path)), rel, 0n] }];
    }
    return;
  }
  const size = plan.o.binary_chunk_size;
  let part = 0n;
  let rows: Row[] = [];
  for await (const chunk of fileBytes(split.path, 0, undefined, size)) {
    if (skip > 0) {
      skip--;
    } else {
      rows.push({ kind: RowKind.INSERT, table: tableId, fields: [chunk.slice(), rel, part] });
    }
    part++;
    if (rows.length >= BATCH) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) {
    yield rows;
  }
}
