/**
 * Rows that keep the text their source read (a database's COPY line or text values, a csv or text
 * file's fields already checked) and decode it into exact values only when something reads
 * `fields`. A PostgreSQL sink writing COPY text takes the text as it is and never builds the
 * values; anything that reads or replaces `fields` (a transform, Console, the cross-thread codec)
 * drops the text, so a changed row is always written from its values.
 *
 * Shared by the connectors that pass text on (Jdbc, LocalFile's csv and text readers and writers);
 * the engine itself never looks inside a row.
 */
import type { Row, RowKind } from "../../src/api/index.ts";
import { fieldsBytes } from "../../src/api/row-size.ts";

/** A LazyRow's source text (a COPY line, text values, a line number in a LineBlock) until its fields are read. */
export const SOURCE_TEXT = Symbol.for("seatunnel.row.source-text");

/** What the rows of one table share: how to decode their text, and how to make a COPY line of it. */
export interface RowTextCodec {
  decode(raw: unknown): unknown[];
  /** The COPY text line (without newline) for PostgreSQL; undefined (or no function) where the values must be used. */
  pgLine?: (raw: unknown) => string | undefined;
  /**
   * SeaTunnel's text form of field `i` (what its text and csv writers print with the default
   * date and time patterns), null for null; undefined where the value must be formatted.
   */
  text?: (raw: unknown, i: number) => string | null | undefined;
  /** Field `i`'s value decoded alone, the row keeping its text (a check of a few columns before a copy). */
  value?: (raw: unknown, i: number) => unknown;
  /** Key columns whose values are unique over every row read (a table's primary key). */
  unique?: string[];
  /** Rows of this source are whole lines of a text file, kept as bytes (the row's raw is its line number). */
  lines?: LineBlock;
}

/**
 * Lines of a delimited text file, as read. `format` (lineFormat) promises that line k, the bytes
 * `[starts[k], starts[k + 1])`, is exactly what a text or csv writer with that format prints for
 * the row: UTF-8, the fields joined by the delimiter and ended by the row delimiter, every field
 * non-empty and free of quotes, delimiters, line breaks and edge spaces, and every field's text
 * SeaTunnel's text form of its value with the default date and time patterns.
 */
export interface LineBlock {
  bytes: Uint8Array;
  starts: Int32Array;
  format: string;
  /**
   * A batch whose row j is line j of this block, untouched: set by the reader as it passes the
   * batch on, cleared as soon as any row's fields are read. A writer given this very array need
   * not check row by row that its rows are the block's next lines.
   */
  whole?: Row[] | undefined;
}

/** The format key of lines with `columns` fields, a field delimiter and a row delimiter. */
export const lineFormat = (columns: number, delimiter: string, rowDelimiter: string): string =>
  `${columns}\u0000${delimiter}\u0000${rowDelimiter}`;

/** The line block of a row that still has its line, when its format is `format`. */
export function lineBlockOf(r: Row, format: string): LineBlock | undefined {
  if (!(r instanceof LazyRow) || r[SOURCE_TEXT] === undefined) {
    return undefined;
  }
  const b = r.source.lines;
  return b !== undefined && b.format === format ? b : undefined;
}

export class LazyRow implements Row {
  [SOURCE_TEXT]: unknown;
  private values: unknown[] | undefined;

  constructor(
    public kind: RowKind,
    public table: string,
    raw: unknown,
    public source: RowTextCodec,
  ) {
    this[SOURCE_TEXT] = raw;
  }

  /** The same object as a new row (for readers whose rows are done with before they read on). */
  reset(raw: unknown, source: RowTextCodec): this {
    this[SOURCE_TEXT] = raw;
    this.source = source;
    this.values = undefined;
    return this;
  }

  get fields(): unknown[] {
    if (this.values === undefined) {
      this.values = this.source.decode(this[SOURCE_TEXT]);
    }
    this[SOURCE_TEXT] = undefined;
    return this.values;
  }

  set fields(v: unknown[]) {
    this.values = v;
    this[SOURCE_TEXT] = undefined;
  }

  /** Its bytes from its text while it has it (a COPY line, text values, a file's line): never decoded to be measured. */
  byteSize(): number {
    const raw = this[SOURCE_TEXT];
    if (raw === undefined) {
      return fieldsBytes(this.values ?? []);
    }
    if (typeof raw === "string") {
      return raw.length;
    }
    if (Array.isArray(raw)) {
      let n = 0;
      for (const s of raw) {
        n += typeof s === "string" ? s.length : 0;
      }
      return n;
    }
    const b = this.source.lines;
    return b !== undefined && typeof raw === "number" ? b.starts[raw + 1]! - b.starts[raw]! : 0;
  }
}

/** True when every row is an INSERT read from a table whose rows are unique on exactly `keys`. */
export function uniqueInserts(rows: Row[], keys: string[], insert: RowKind): boolean {
  let checked: RowTextCodec | undefined;
  for (const r of rows) {
    if (r.kind !== insert || !(r instanceof LazyRow)) {
      return false;
    }
    if (r.source === checked) {
      continue;
    }
    const u = r.source.unique;
    if (u === undefined || u.length !== keys.length || !u.every((k, i) => k === keys[i])) {
      return false;
    }
    checked = r.source;
  }
  return true;
}

/** The source's text forms of a row's fields, if it still has its text and the source gives them. */
export function rowText(r: Row): { raw: unknown; source: Required<Pick<RowTextCodec, "text">> } | undefined {
  if (!(r instanceof LazyRow)) {
    return undefined;
  }
  const raw = r[SOURCE_TEXT];
  const source = r.source;
  // The codec itself, not its method alone: a codec's text() may use `this`.
  return raw === undefined || source.text === undefined
    ? undefined
    : { raw, source: source as Required<Pick<RowTextCodec, "text">> };
}

/** Field `i` of a row; a row that still has its text keeps it where its source decodes fields alone. */
export function fieldValue(r: Row, i: number): unknown {
  if (r instanceof LazyRow) {
    const raw = r[SOURCE_TEXT];
    if (raw !== undefined && r.source.value) {
      return r.source.value(raw, i);
    }
  }
  return r.fields[i];
}

/** The untouched COPY line of a row read from a database, if it still has one. */
export function rawCopyLine(r: Row): string | undefined {
  if (!(r instanceof LazyRow)) {
    return undefined;
  }
  const raw = r[SOURCE_TEXT];
  return raw === undefined || !r.source.pgLine ? undefined : r.source.pgLine(raw);
}

/** Escapes text for a PostgreSQL COPY text field (backslash, newline, carriage return, tab). */
export function escapeCopyText(s: string): string {
  // A scan of char codes: most fields have nothing to escape, and a regex test costs more on short ones.
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || (c <= 13 && c >= 9)) {
      break;
    }
  }
  if (i === s.length) {
    return s;
  }
  return s.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"));
}
