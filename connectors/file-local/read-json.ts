/**
 * JSON files: one JSON object per line (a line holding an array yields one row per element), as
 * SeaTunnel's JsonReadStrategy reads them; fields are matched by name, missing ones are null.
 */
import { JobError, type Row, RowKind } from "../../src/api/index.ts";
import { decodeText } from "../file-common/bytes.ts";
import { jsonParser, rowConverter } from "../file-common/json-values.ts";
import { RecordSplitter } from "../file-common/records.ts";
import { FieldError } from "../file-common/text-values.ts";
import { BATCH_ROWS, splitEntries } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

export async function* readJson(
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
): AsyncGenerator<Row[]> {
  const cols = plan.projection.map((i) => plan.dataColumns[i]!);
  const parse = jsonParser(cols.map((c) => c.type));
  const toRow = rowConverter(cols);
  const parts = partitionValues(plan, split.path);
  let skip = split.skipRows ?? 0;
  let rows: Row[] = [];
  const emit = (v: unknown): void => {
    if (skip > 0) {
      skip--;
      return;
    }
    const fields = toRow(v) as unknown[];
    for (const p of parts) {
      fields.push(p);
    }
    rows.push({ kind: RowKind.INSERT, table: tableId, fields });
  };
  for await (const entry of splitEntries(plan, split, log)) {
    const sp = new RecordSplitter({ mode: "text", fieldDelimiter: "\n", rowDelimiter: "\n", skipLines: 0 });
    const text = decodeText(entry.bytes, plan.o.encoding)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const rec = sp.next();
        if (rec === null) {
          break;
        }
        if (rec === undefined) {
          const r = await text.next();
          if (r.done) {
            sp.end();
          } else {
            sp.feed(r.value);
          }
          continue;
        }
        const line = rec[0]!;
        if (line.trim() === "") {
          continue;
        }
        try {
          const v = parse(line);
          if (Array.isArray(v)) {
            for (const item of v) {
              emit(item);
            }
          } else {
            emit(v);
          }
        } catch (e) {
          if (!(e instanceof FieldError) && !(e instanceof SyntaxError)) {
            throw e;
          }
          throw new JobError(
            "FILE_VALUE_INVALID",
            `reading "${entry.name}" line ${sp.line}: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : e.message}`,
          );
        }
        if (rows.length >= BATCH_ROWS) {
          yield rows;
          rows = [];
        }
      }
    } finally {
      await text.return?.(undefined);
    }
  }
  if (rows.length) {
    yield rows;
  }
}
