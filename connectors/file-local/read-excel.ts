/**
 * Excel files (.xlsx and legacy .xls) through SheetJS: the first sheet (or sheet_name), rows
 * after skip_header_row_number, cells converted as SeaTunnel's ExcelCellUtils does. A workbook is
 * read whole, as POI does for .xls.
 */
import * as XLSX from "@e965/xlsx";
import {
  deterministic,
  JobError,
  LocalDate,
  LocalDateTime,
  LocalTime,
  type Row,
  RowKind,
} from "../../src/api/index.ts";
import { readAll } from "../file-common/bytes.ts";
import { type Cell, cellConverter } from "../file-common/cell-values.ts";
import { codecs, FieldError } from "../file-common/text-values.ts";
import { BATCH_ROWS, splitEntries } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

const DAY_MS = 86_400_000;

/** An Excel serial date (days since 1899-12-30, or 1904-01-01) as POI converts it, to the millisecond. */
export function serialToDateTime(serial: number, date1904 = false): LocalDateTime {
  const days = Math.floor(serial);
  const ms = Math.floor((serial - days) * DAY_MS + 0.5);
  const epochDay = days - (date1904 ? 24107 : 25569) + (!date1904 && days > 0 && days < 61 ? 1 : 0);
  const d = LocalDate.fromEpochDay(epochDay + Math.floor(ms / DAY_MS));
  const rest = ms % DAY_MS;
  return new LocalDateTime(
    d,
    new LocalTime(
      Math.floor(rest / 3_600_000),
      Math.floor(rest / 60_000) % 60,
      Math.floor(rest / 1000) % 60,
      (rest % 1000) * 1_000_000,
    ),
  );
}

function cellOf(cell: XLSX.CellObject | undefined, date1904: boolean): Cell {
  if (!cell) {
    return undefined;
  }
  switch (cell.t) {
    case "s":
      return String(cell.v ?? "");
    case "b":
      return Boolean(cell.v);
    case "n":
      return typeof cell.z === "string" && XLSX.SSF.is_date(cell.z)
        ? serialToDateTime(cell.v as number, date1904)
        : (cell.v as number);
    case "d":
      return serialToDateTime(Number(cell.v) / DAY_MS + 25569);
    case "z":
      return "";
    default:
      return undefined;
  }
}

export async function* readExcel(
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
): AsyncGenerator<Row[]> {
  const o = plan.o;
  const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
  const delim = o.field_delimiter ?? "\u0001";
  const convs = plan.dataColumns.map((col) => cellConverter(col.type, c, delim));
  const parts = partitionValues(plan, split.path);
  let skip = split.skipRows ?? 0;
  let rows: Row[] = [];
  for await (const entry of splitEntries(plan, split, log)) {
    const wb = XLSX.read(await readAll(entry.bytes), {
      type: "array",
      dense: true,
      cellDates: false,
      cellNF: true,
      cellHTML: false,
      cellText: false,
    });
    const name = o.sheet_name ?? wb.SheetNames[0];
    const ws = name === undefined ? undefined : wb.Sheets[name];
    if (!ws) {
      throw new JobError(
        "FILE_VALUE_INVALID",
        `reading "${entry.name}": Sheet [${name}] was not found in the excel file (sheets: ${wb.SheetNames.join(", ")})`,
        { failure: deterministic("missing sheet") },
      );
    }
    const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
    const data = (ws["!data"] ?? []) as (XLSX.CellObject[] | undefined)[];
    for (let r = o.skip_header_row_number; r < data.length; r++) {
      const line = data[r];
      if (!line) {
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      const fields = new Array<unknown>(plan.projection.length + parts.length);
      plan.projection.forEach((src, j) => {
        try {
          fields[j] = convs[src]!(cellOf(line[src], date1904));
        } catch (e) {
          if (!(e instanceof FieldError)) {
            throw e;
          }
          throw new JobError(
            "FILE_VALUE_INVALID",
            `reading "${entry.name}" row ${r + 1}, column ${src + 1} ("${plan.dataColumns[src]!.name}"): ${e.message}`,
            { failure: deterministic("bad value in the input") },
          );
        }
      });
      parts.forEach((p, k) => (fields[plan.projection.length + k] = p));
      rows.push({ kind: RowKind.INSERT, table: tableId, fields });
      if (rows.length >= BATCH_ROWS) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length) {
    yield rows;
  }
}
