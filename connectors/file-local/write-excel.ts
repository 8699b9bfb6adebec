/**
 * Excel files (ExcelGenerator): one sheet (sheet_name, default Sheet1) with a header row of column
 * names, then a row per record. Numbers are numeric cells, dates and timestamps date cells,
 * maps and arrays JSON text; decimals and integers beyond 2^53 are written as text so their digits
 * survive (Excel numbers are doubles). The workbook is built in memory and written on close.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as XLSX from "@e965/xlsx";
import { type DataType, Decimal, type LocalDate, type LocalDateTime, type LocalTime } from "../../src/api/index.ts";
import { jsonWriter } from "../file-common/json-values.ts";
import { epochDay } from "../file-common/temporal.ts";
import { codecs, fieldFormatter } from "../file-common/text-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

const DAY_MS = 86_400_000;

/** Excel's 1900 date system, with its phantom 1900-02-29 (serials 1–60 are one day off). */
const serialOf = (day: number, nanoOfDay: number) => {
  const serial = day + 25569;
  return (serial > 0 && serial < 61 ? serial - 1 : serial) + nanoOfDay / 1e6 / DAY_MS;
};

type Put = (v: unknown) => XLSX.CellObject | undefined;

function cellWriter(t: DataType, spec: WriterSpec): Put {
  const c = codecs({
    dateFormat: spec.o.date_format,
    datetimeFormat: spec.o.datetime_format,
    timeFormat: spec.o.time_format,
  });
  switch (t.kind) {
    case "string":
      return (v) => ({ t: "s", v: String(v) });
    case "boolean":
      return (v) => ({ t: "b", v: Boolean(v) });
    case "tinyint":
    case "smallint":
    case "int":
    case "float":
    case "double":
      return (v) => ({ t: "n", v: Number(v) });
    case "bigint":
      return (v) =>
        typeof v === "bigint" && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
          ? { t: "s", v: String(v) }
          : { t: "n", v: Number(v) };
    case "decimal":
      return (v) => ({ t: "s", v: v instanceof Decimal ? v.toString() : String(v) });
    case "date":
      return (v) => ({ t: "n", v: serialOf(epochDay(v as LocalDate), 0), z: "yyyy-mm-dd" });
    case "time":
      return (v) => ({ t: "n", v: Number((v as LocalTime).toNanoOfDay()) / 1e6 / DAY_MS, z: "hh:mm:ss" });
    case "timestamp":
      return (v) => ({
        t: "n",
        v: serialOf(epochDay((v as LocalDateTime).date), Number((v as LocalDateTime).time.toNanoOfDay())),
        z: "yyyy-mm-dd hh:mm:ss",
      });
    case "null":
      return () => undefined;
    case "bytes":
      return (v) => ({ t: "s", v: new TextDecoder().decode(v as Uint8Array) });
    case "array":
    case "map": {
      const w = jsonWriter(t);
      return (v) => ({ t: "s", v: w(v) });
    }
    case "row": {
      const delim = spec.o.field_delimiter ?? "\u0001";
      const fs = t.fields.map((f) => fieldFormatter(f.type, c, 1));
      return (v) => ({ t: "s", v: (v as unknown[]).map((x, i) => fs[i]!(x)).join(delim) });
    }
  }
}

export function openExcel(path: string, spec: WriterSpec): FormatWriter {
  const puts = spec.columns.map((col) => cellWriter(col.type, spec));
  const data: (XLSX.CellObject | undefined)[][] = [spec.columns.map((col) => ({ t: "s", v: col.name }))];
  return {
    write(rows) {
      for (const r of rows) {
        data.push(puts.map((p, i) => (r[i] === null || r[i] === undefined ? undefined : p(r[i]))));
      }
    },
    close() {
      const ws: XLSX.WorkSheet = {
        "!data": data as XLSX.CellObject[][],
        "!ref": XLSX.utils.encode_range({
          s: { r: 0, c: 0 },
          e: { r: Math.max(0, data.length - 1), c: Math.max(0, spec.columns.length - 1) },
        }),
      };
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, spec.o.sheet_name ?? "Sheet1");
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, XLSX.write(wb, { type: "buffer", bookType: "xlsx", compression: true }) as Buffer);
    },
  };
}
