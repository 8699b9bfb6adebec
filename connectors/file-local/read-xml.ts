/**
 * XML files (XmlReadStrategy): every element named xml_row_tag is a row; its fields are the
 * attributes (xml_use_attr_format = true) or the child elements of the same names. A document is
 * parsed whole (fast-xml-parser), as dom4j does.
 */
import { XMLParser } from "fast-xml-parser";
import { deterministic, JobError, type Row, RowKind } from "../../src/api/index.ts";
import { decodeText } from "../file-common/bytes.ts";
import { cellConverter } from "../file-common/cell-values.ts";
import { codecs, FieldError } from "../file-common/text-values.ts";
import { BATCH_ROWS, splitEntries } from "./entries.ts";
import { type FileSplit, partitionValues, type TablePlan } from "./plan.ts";

type Node = Record<string, unknown>;

/** Depth-first: every element named `tag`, in document order. */
function collect(node: unknown, tag: string, out: Node[]): void {
  if (Array.isArray(node)) {
    for (const x of node) {
      collect(x, tag, out);
    }
    return;
  }
  if (typeof node !== "object" || node === null) {
    return;
  }
  for (const [k, v] of Object.entries(node as Node)) {
    if (k === tag) {
      for (const x of Array.isArray(v) ? v : [v]) {
        out.push(typeof x === "object" && x !== null ? (x as Node) : { "#text": x });
      }
    } else if (!k.startsWith("@_")) {
      collect(v, tag, out);
    }
  }
}

const textOf = (v: unknown): string | undefined => {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v === "object") {
    return textOf((v as Node)["#text"]) ?? "";
  }
  return String(v);
};

export async function* readXml(
  plan: TablePlan,
  split: FileSplit,
  tableId: string,
  log?: (m: string) => void,
): AsyncGenerator<Row[]> {
  const o = plan.o;
  const tag = o.xml_row_tag;
  if (!tag) {
    throw new JobError(
      "CONFIG_OPTION_MISSING",
      `option "xml_row_tag" is required to read xml files (the element name of one row)`,
    );
  }
  const attrs = o.xml_use_attr_format ?? false;
  const c = codecs({ dateFormat: o.date_format, datetimeFormat: o.datetime_format, timeFormat: o.time_format });
  const convs = plan.dataColumns.map((col) => cellConverter(col.type, c, o.field_delimiter ?? "\u0001"));
  const parts = partitionValues(plan, split.path);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
  });
  let skip = split.skipRows ?? 0;
  let rows: Row[] = [];
  for await (const entry of splitEntries(plan, split, log)) {
    let text = "";
    for await (const s of decodeText(entry.bytes, o.encoding)) {
      text += s;
    }
    const found: Node[] = [];
    collect(parser.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), tag, found);
    for (const el of found) {
      if (skip > 0) {
        skip--;
        continue;
      }
      const fields = new Array<unknown>(plan.projection.length + parts.length);
      plan.projection.forEach((src, j) => {
        const col = plan.dataColumns[src]!;
        try {
          fields[j] = convs[src]!(textOf(el[attrs ? `@_${col.name}` : col.name]));
        } catch (e) {
          if (!(e instanceof FieldError)) {
            throw e;
          }
          throw new JobError(
            "FILE_VALUE_INVALID",
            `reading "${entry.name}" <${tag}> #${rows.length + 1}, field "${col.name}": ${e.message}`,
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
