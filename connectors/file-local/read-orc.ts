/**
 * ORC files through the bounded reader of file-common/orc.ts: the schema comes from the file,
 * stripes are read one at a time (positioned reads) and only projected columns are decoded.
 */
import { type FileHandle, open } from "node:fs/promises";
import { type Column, type Row, RowKind } from "../../src/api/index.ts";
import { orcColumnsOf, orcFooter, openStripe, readColumn } from "../file-common/orc.ts";
import { BATCH_ROWS } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

async function reader(fh: FileHandle): Promise<{ size: number; read: (s: number, e: number) => Promise<Uint8Array> }> {
  const size = (await fh.stat()).size;
  return {
    size,
    async read(start, end) {
      const buf = new Uint8Array(end - start);
      let off = 0;
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
        if (bytesRead === 0) {
          break;
        }
        off += bytesRead;
      }
      return buf;
    },
  };
}

export async function orcColumns(path: string): Promise<Column[]> {
  const fh = await open(path, "r");
  try {
    const r = await reader(fh);
    return orcColumnsOf(await orcFooter(r.size, r.read));
  } finally {
    await fh.close();
  }
}

export async function* readOrc(plan: TablePlan, split: FileSplit, tableId: string): AsyncGenerator<Row[]> {
  const fh = await open(split.path, "r");
  try {
    const r = await reader(fh);
    const f = await orcFooter(r.size, r.read);
    const root = f.types[0]!;
    const ids = plan.projection.map((i) => {
      const name = plan.dataColumns[i]!.name;
      const at = root.names.indexOf(name);
      if (at < 0) {
        throw new Error(`column "${name}" is not in the file (it has ${root.names.join(", ")})`);
      }
      return root.subtypes[at]!;
    });
    const parts = partitionValues(plan, split.path);
    let skip = split.skipRows ?? 0;
    for (const st of f.stripes) {
      if (skip >= st.rows) {
        skip -= st.rows;
        continue;
      }
      const bytes = await r.read(st.offset, st.offset + st.indexLength + st.dataLength + st.footerLength);
      const stripe = openStripe(f, bytes, st.indexLength, st.dataLength);
      const cols = ids.map((id) => readColumn(f, stripe, id, st.rows));
      for (let i = skip; i < st.rows; i += BATCH_ROWS) {
        const batch: Row[] = [];
        for (let k = i; k < Math.min(st.rows, i + BATCH_ROWS); k++) {
          const fields = cols.map((c) => c[k] ?? null);
          for (const p of parts) {
            fields.push(p);
          }
          batch.push({ kind: RowKind.INSERT, table: tableId, fields });
        }
        yield batch;
      }
      skip = 0;
    }
  } finally {
    await fh.close();
  }
}
