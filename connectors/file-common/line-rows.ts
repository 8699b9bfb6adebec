/**
 * The codec of rows that are whole checked lines of a text or csv file (LineBlock, see
 * line-check.ts): a row's raw is its line number, and its fields, COPY line and text come from
 * the line when asked.
 */
import { isAscii } from "node:buffer";
import type { LineBlock, RowTextCodec } from "../common/source-text.ts";

/** Bytes of lines decoded at once where they are ASCII (then a line is a slice of that string). */
const CHUNK = 64 << 10;

/**
 * Rows kept as lines: values, COPY lines and field texts come from the line's fields when asked.
 * A source whose bytes and line ends are refilled in place (a reused block) is renewed per block.
 */
export class LineRows implements RowTextCodec {
  private k = -1;
  private f: (string | null)[] = [];
  private lk = -1;
  private line = "";
  /** An ASCII stretch of the block, bytes [c0, c1), as one string. */
  private chunk = "";
  private c0 = 0;
  private c1 = 0;
  /** Past c0, the end of a stretch found not ASCII: its lines are decoded one by one, not checked again. */
  private mixedEnd = 0;
  /** Some row's fields were read since the last renew (its row may have dropped its line). */
  private read = false;

  constructor(
    readonly lines: LineBlock,
    private readonly fieldRows: RowTextCodec,
    private readonly delimiter: string,
  ) {}

  /** For the next block in the same memory: forgets the cached fields; true when rows were read. */
  renew(): boolean {
    const read = this.read;
    this.k = -1;
    this.lk = -1;
    this.c0 = this.c1 = this.mixedEnd = 0;
    this.read = false;
    return read;
  }

  /** Line k's text without its newline, decoded once. */
  private lineOf(raw: unknown): string {
    const k = raw as number;
    this.read = true;
    this.lines.whole = undefined;
    if (k !== this.lk) {
      const { bytes, starts } = this.lines;
      const at = starts[k]!;
      const end = starts[k + 1]! - 1;
      if ((at < this.c0 || end > this.c1) && (at < this.c0 || end > this.mixedEnd)) {
        this.decodeFrom(bytes, at);
      }
      this.line =
        end <= this.c1
          ? this.chunk.slice(at - this.c0, end - this.c0)
          : Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString("utf8");
      this.lk = k;
    }
    return this.line;
  }

  /** The chunk from byte `at` on, where it is ASCII (else an empty one: lines are decoded alone). */
  private decodeFrom(bytes: Uint8Array, at: number): void {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(CHUNK, bytes.length - at));
    const ascii = isAscii(view);
    this.chunk = ascii ? view.toString("latin1") : "";
    this.c0 = at;
    this.c1 = ascii ? at + view.length : at;
    this.mixedEnd = ascii ? at : at + view.length;
  }

  private fieldsOf(raw: unknown): (string | null)[] {
    const k = raw as number;
    const line = this.lineOf(raw);
    if (k !== this.k && line.includes('"')) {
      this.f = quotedFields(line, this.delimiter);
      this.k = k;
    } else if (k !== this.k) {
      const f: (string | null)[] = line.split(this.delimiter);
      // A line's empty field (unquoted) is null.
      for (let i = 0; i < f.length; i++) {
        if (f[i] === "") {
          f[i] = null;
        }
      }
      this.f = f;
      this.k = k;
    }
    return this.f;
  }

  decode(raw: unknown): unknown[] {
    return this.fieldRows.decode(this.fieldsOf(raw).slice());
  }

  /**
   * A checked line is its COPY text once its delimiters are tabs and its empty fields \\N,
   * unless it has a backslash or tab that COPY escapes or a quoted csv field: then field by field.
   */
  pgLine(raw: unknown): string | undefined {
    const line = this.lineOf(raw);
    const d = this.delimiter;
    if (line.includes("\\") || (d !== "\t" && line.includes("\t")) || line.includes('"')) {
      return this.fieldRows.pgLine!(this.fieldsOf(raw));
    }
    // Field by field with indexOf: four times faster than replaceAll on lines of this length.
    let out = "";
    let p = 0;
    for (let i = line.indexOf(d); i >= 0; i = line.indexOf(d, p)) {
      out += `${i === p ? "\\N" : line.slice(p, i)}\t`;
      p = i + d.length;
    }
    return out + (p === line.length ? "\\N" : line.slice(p));
  }

  text(raw: unknown, i: number): string | null | undefined {
    return this.fieldRows.text!(this.fieldsOf(raw), i);
  }

  value(raw: unknown, i: number): unknown {
    return this.fieldRows.value!(this.fieldsOf(raw), i);
  }
}

/**
 * The fields of a checked csv line that holds quoted fields (each without line breaks, its quotes
 * doubled inside): a quoted field is its text, an empty unquoted one null.
 */
function quotedFields(line: string, d: string): (string | null)[] {
  const out: (string | null)[] = [];
  let p = 0;
  for (;;) {
    if (line.charCodeAt(p) === 34) {
      let j = line.indexOf('"', p + 1);
      if (line.charCodeAt(j + 1) !== 34) {
        out.push(line.slice(p + 1, j));
        p = j + 1;
      } else {
        // Doubled quotes inside: the pieces between them, each followed by one quote.
        const parts: string[] = [];
        let q = p + 1;
        while (line.charCodeAt(j + 1) === 34) {
          parts.push(line.slice(q, j + 1));
          q = j + 2;
          j = line.indexOf('"', q);
        }
        parts.push(line.slice(q, j));
        out.push(parts.join(""));
        p = j + 1;
      }
    } else {
      const at = line.indexOf(d, p);
      const end = at < 0 ? line.length : at;
      out.push(end === p ? null : line.slice(p, end));
      p = end;
    }
    if (p >= line.length) {
      return out;
    }
    p += d.length;
  }
}
