/**
 * Text, csv and json files (TextWriteStrategy, CsvWriteStrategy, JsonWriteStrategy): one line per
 * row, built as one string per batch, encoded and written in large chunks.
 */
import type { Column, DataType } from "../../src/api/index.ts";
import { rowWriter } from "../file-common/json-values.ts";
import { type Encode, OutFile, type OutCodec } from "../file-common/out-file.ts";
import { codecs, fieldFormatter } from "../file-common/text-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

type QuoteMode = "MINIMAL" | "ALL" | "NONE";
type Quote = (s: string) => string;

const quoteAll: Quote = (s) => `"${s.replaceAll('"', '""')}"`;
const NUMERIC = new Set(["tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "boolean"]);

/**
 * Per column: how a csv field is quoted. MINIMAL quotes a value holding the delimiter, a quote or
 * a line break, and (ours) an empty or space-edged string so it reads back as itself, not null.
 * Numbers and booleans never need quotes unless the delimiter could occur in them.
 */
function csvQuoter(delim: string, mode: QuoteMode, type: DataType): Quote | undefined {
  if (mode === "NONE") return undefined;
  if (mode === "ALL") return quoteAll;
  if (NUMERIC.has(type.kind) && !/[0-9A-Za-z.+\-]/.test(delim)) return undefined;
  const special = new RegExp(`["\r\n]|${delim.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")}`);
  const isString = type.kind === "string";
  return (s) => (special.test(s) || (isString && (s.length === 0 || s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) ? quoteAll(s) : s);
}

export function openDelimited(path: string, spec: WriterSpec, csv: boolean, codec: OutCodec, encode: Encode): FormatWriter {
  const o = spec.o;
  const delim = o.field_delimiter ?? (csv ? "," : "\u0001");
  const rowDelim = o.row_delimiter;
  const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
  const fmts = spec.columns.map((col) => fieldFormatter(col.type, c));
  const quotes = spec.columns.map((col) => (csv ? csvQuoter(delim, o.csv_string_quote_mode, col.type) : undefined));
  const header = csv ? csvQuoter(delim, o.csv_string_quote_mode, { kind: "null" }) : undefined;
  const out = new OutFile(path, codec);
  if (o.enable_header_write) out.write(encode(spec.columns.map((col) => (header ? header(col.name) : col.name)).join(delim) + rowDelim));
  const n = fmts.length;
  return {
    write(rows) {
      let s = "";
      for (const r of rows) {
        for (let i = 0; i < n; i++) {
          if (i) s += delim;
          const v = r[i];
          const q = quotes[i];
          if (q) s += v === null || v === undefined ? "" : q(fmts[i]!(v));
          else s += fmts[i]!(v);
        }
        s += rowDelim;
      }
      out.write(encode(s));
    },
    close: () => out.close(),
  };
}

export function openJson(path: string, spec: WriterSpec, codec: OutCodec, encode: Encode): FormatWriter {
  const w = rowWriter(spec.columns);
  const rowDelim = spec.o.row_delimiter;
  const out = new OutFile(path, codec);
  return {
    write(rows) {
      let s = "";
      for (const r of rows) s += w(r) + rowDelim;
      out.write(encode(s));
    },
    close: () => out.close(),
  };
}

export type { Column };
