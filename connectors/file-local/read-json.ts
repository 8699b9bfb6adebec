/**
 * JSON files: one JSON object per line (a line holding an array yields one row per element), as
 * SeaTunnel's JsonReadStrategy reads them; fields are matched by name, missing ones are null.
 */
import { type Row, RowKind } from "../../src/api/index.ts";
import { decodeText } from "../file-common/bytes.ts";
import { jsonParser, rowConverter } from "../file-common/json-values.ts";
import { RecordSplitter } from "../file-common/records.ts";
import { FieldError } from "../file-common/text-values.ts";
import { BadRecords, type Reject } from "./bad-records.ts";
import { BATCH_ROWS, splitEntries } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan, type TextMode } from "./plan.ts";

export async function* readJson(
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
  _text?: TextMode,
  reject?: Reject,
): AsyncGenerator<Row[]> {
  const cols = plan.projection.map((i) => plan.dataColumns[i]!);
  const parse = jsonParser(cols.map((c) => c.type));
  const toRow = rowConverter(cols);
  const parts = partitionValues(plan, split.path);
  const bad = await BadRecords.create(split, reject, plan.o.encoding);
  let skip = split.skipRows ?? 0;
  let rows: Row[] = [];
  const toFields = (v: unknown) => toRow(v) as unknown[];
  const emit = (fields: unknown[]): void => {
    if (skip > 0) {
      skip--;
      return;
    }
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
        // Every row of the line is made before any is emitted: a bad line is rejected whole.
        let one: unknown[] | undefined;
        let many: unknown[][] | undefined;
        try {
          const v = parse(line);
          if (Array.isArray(v)) {
            many = v.map(toFields);
          } else {
            one = toFields(v);
          }
        } catch (e) {
          if (!(e instanceof FieldError) && !(e instanceof SyntaxError)) {
            throw e;
          }
          // A line rejected before the checkpoint a restore resumes counts as a row to skip.
          if (skip > 0 && bad.rejecting) {
            skip--;
            continue;
          }
          const reason = e instanceof SyntaxError ? `not valid JSON (${e.message})` : e.message;
          bad.bad("FILE_VALUE_INVALID", { file: entry.name, line: sp.line, reason }, () => sp.raw());
          continue;
        }
        if (one) {
          emit(one);
        } else {
          for (const fields of many!) {
            emit(fields);
          }
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
