/**
 * XML files (XmlWriteStrategy): `<xml_root_tag>` holding one `<xml_row_tag>` per row, fields as
 * attributes (xml_use_attr_format) or child elements; null fields are left out. Streamed.
 */
import type { DataType } from "../../src/api/index.ts";
import { jsonWriter } from "../file-common/json-values.ts";
import { type Encode, OutFile } from "../file-common/out-file.ts";
import { codecs, fieldFormatter } from "../file-common/text-values.ts";
import type { FormatWriter, WriterSpec } from "./writers.ts";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
export const xmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

export function openXml(path: string, spec: WriterSpec, encode: Encode): FormatWriter {
  const o = spec.o;
  const root = o.xml_root_tag;
  const tag = o.xml_row_tag ?? "RECORD";
  const attrs = o.xml_use_attr_format ?? false;
  const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
  const text = (t: DataType) => (t.kind === "array" || t.kind === "map" ? jsonWriter(t) : fieldFormatter(t, c));
  const fmts = spec.columns.map((col) => text(col.type));
  const names = spec.columns.map((col) => col.name);
  const out = new OutFile(path);
  out.write(encode(`<?xml version="1.0" encoding="${o.encoding}"?>\n<${root}>\n`));
  return {
    write(rows) {
      let s = "";
      for (const r of rows) {
        if (attrs) {
          s += `  <${tag}`;
          for (let i = 0; i < names.length; i++) {
            if (r[i] !== null && r[i] !== undefined) {
              s += ` ${names[i]}="${xmlEscape(fmts[i]!(r[i]))}"`;
            }
          }
          s += "/>\n";
        } else {
          s += `  <${tag}>`;
          for (let i = 0; i < names.length; i++) {
            if (r[i] !== null && r[i] !== undefined) {
              s += `<${names[i]}>${xmlEscape(fmts[i]!(r[i]))}</${names[i]}>`;
            }
          }
          s += `</${tag}>\n`;
        }
      }
      out.write(encode(s));
    },
    close() {
      out.write(encode(`</${root}>\n`));
      out.close();
    },
  };
}
