/**
 * Text, csv and json files (TextWriteStrategy, CsvWriteStrategy, JsonWriteStrategy): one line per
 * row, built as one string per batch, encoded and written in large chunks.
 */
import type { Column, DataType, Row } from "../../src/api/index.ts";
import { rowWriter } from "../file-common/json-values.ts";
import { type Encode, OutFile, type OutCodec } from "../file-common/out-file.ts";
import { codecs, fieldFormatter } from "../file-common/text-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";
import {
  LazyRow,
  type LineBlock,
  lineBlockOf,
  lineFormat,
  type RowTextCodec,
  rowText,
  SOURCE_TEXT,
} from "../common/source-text.ts";

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
  if (mode === "NONE") {
    return undefined;
  }
  if (mode === "ALL") {
    return quoteAll;
  }
  if (NUMERIC.has(type.kind) && !/[0-9A-Za-z.+-]/.test(delim)) {
    return undefined;
  }
  const special = new RegExp(`["\r\n]|${delim.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")}`);
  const isString = type.kind === "string";
  const edged = (s: string) =>
    isString && (s.length === 0 || s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
  if (delim.length === 1) {
    // One character: a scan of char codes, several times faster than the regex on short values.
    const d = delim.charCodeAt(0);
    return (s) => {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === d || c === 34 || c === 10 || c === 13) {
          return quoteAll(s);
        }
      }
      return edged(s) ? quoteAll(s) : s;
    };
  }
  return (s) => (special.test(s) || edged(s) ? quoteAll(s) : s);
}

export function openDelimited(
  path: string,
  spec: WriterSpec,
  csv: boolean,
  codec: OutCodec,
  encode: Encode,
): FormatWriter {
  const o = spec.o;
  const delim = o.field_delimiter ?? (csv ? "," : "\u0001");
  const rowDelim = o.row_delimiter;
  const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
  const fmts = spec.columns.map((col) => fieldFormatter(col.type, c));
  const quotes = spec.columns.map((col) => (csv ? csvQuoter(delim, o.csv_string_quote_mode, col.type) : undefined));
  const header = csv ? csvQuoter(delim, o.csv_string_quote_mode, { kind: "null" }) : undefined;
  const out = new OutFile(path, codec);
  const utf8 = /^utf-?8$/i.test(o.encoding.trim());
  const put = (s: string) => (utf8 ? out.writeUtf8(s) : out.write(encode(s)));
  if (o.enable_header_write) {
    out.write(encode(spec.columns.map((col) => (header ? header(col.name) : col.name)).join(delim) + rowDelim));
  }
  const n = fmts.length;
  const line = (r: unknown[]): string => {
    let s = "";
    for (let i = 0; i < n; i++) {
      if (i) {
        s += delim;
      }
      const v = r[i];
      const q = quotes[i];
      if (q) {
        s += v === null || v === undefined ? "" : q(fmts[i]!(v));
      } else {
        s += fmts[i]!(v);
      }
    }
    return s + rowDelim;
  };
  // A row that still has its source text prints it where the text is SeaTunnel's form of the
  // value in this file's patterns (the defaults), so it is never decoded (see text-rows.ts).
  const defaults =
    o.date_format === "yyyy-MM-dd" && o.datetime_format === "yyyy-MM-dd HH:mm:ss" && o.time_format === "HH:mm:ss";
  const textLine = (
    src: Required<Pick<RowTextCodec, "text">>,
    raw: unknown,
    cols: number[] | undefined,
  ): string | undefined => {
    let s = "";
    for (let i = 0; i < n; i++) {
      const t = src.text(raw, cols ? cols[i]! : i);
      if (t === undefined) {
        return undefined;
      }
      if (i) {
        s += delim;
      }
      const q = quotes[i];
      if (t !== null) {
        s += q ? q(t) : t;
      }
    }
    return s + rowDelim;
  };
  // Rows that are still whole lines of a file in this very format are copied as bytes (LineBlock).
  const lines =
    defaults && utf8 && !(csv && o.csv_string_quote_mode === "ALL") ? lineFormat(n, delim, rowDelim) : undefined;
  return {
    write(rows) {
      let s = "";
      for (const r of rows) {
        s += line(r);
      }
      put(s);
    },
    writeRows(rows: Row[], from: number, to: number, cols: number[] | undefined) {
      let s = "";
      for (let k = from; k < to; k++) {
        const r = rows[k]!;
        const block = lines !== undefined && cols === undefined ? lineBlockOf(r, lines) : undefined;
        if (block !== undefined) {
          // A run of consecutive lines of one block is one copy.
          const first = (r as LazyRow)[SOURCE_TEXT] as number;
          // A whole block's batch as the reader passed it holds its lines in order (LineBlock.whole).
          const stop = block.whole === rows && first === k ? to : lineRunEnd(rows, k, to, block, first);
          if (s.length) {
            put(s);
          }
          s = "";
          out.writeBytes(block.bytes.subarray(block.starts[first]!, block.starts[first + stop - k]!));
          k = stop - 1;
          continue;
        }
        const t = defaults ? rowText(r) : undefined;
        const text = t ? textLine(t.source, t.raw, cols) : undefined;
        if (text !== undefined) {
          s += text;
        } else {
          const f = r.fields;
          s += line(cols ? cols.map((c) => f[c]) : f);
        }
      }
      put(s);
    },
    close: () => out.close(),
  };
}

/** Where the run of rows from `k` (line `first` of `block`) that are the block's next lines ends. */
function lineRunEnd(rows: Row[], k: number, to: number, block: LineBlock, first: number): number {
  let line = first + 1;
  for (k++; k < to; k++, line++) {
    const r = rows[k];
    if (!(r instanceof LazyRow) || r.source.lines !== block || r[SOURCE_TEXT] !== line) {
      break;
    }
  }
  return k;
}

export function openJson(path: string, spec: WriterSpec, codec: OutCodec, encode: Encode): FormatWriter {
  const w = rowWriter(spec.columns);
  const rowDelim = spec.o.row_delimiter;
  const out = new OutFile(path, codec);
  return {
    write(rows) {
      let s = "";
      for (const r of rows) {
        s += w(r) + rowDelim;
      }
      out.write(encode(s));
    },
    close: () => out.close(),
  };
}

export type { Column };
