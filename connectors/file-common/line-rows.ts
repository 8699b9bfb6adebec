/**
 * The codec of rows that are whole checked lines of a text or csv file (LineBlock, see
 * line-check.ts): a row's raw is its line number, and its fields, COPY line and text come from
 * the line when asked.
 */
import type { LineBlock, RowTextCodec } from "../common/source-text.ts";

/**
 * Rows kept as lines: values, COPY lines and field texts come from the line's fields when asked.
 * A source whose bytes and line ends are refilled in place (a reused block) is renewed per block.
 */
export class LineRows implements RowTextCodec {
  private k = -1;
  private f: (string | null)[] = [];
  private lk = -1;
  private line = "";
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
      this.line = Buffer.from(bytes.buffer, bytes.byteOffset + at, starts[k + 1]! - 1 - at).toString("utf8");
      this.lk = k;
    }
    return this.line;
  }

  /** Whether the line has an empty field (null): at its start or end, or two delimiters in a row. */
  private hasEmpty(line: string): boolean {
    const d = this.delimiter;
    return line.startsWith(d) || line.endsWith(d) || line.includes(d + d);
  }

  private fieldsOf(raw: unknown): (string | null)[] {
    const k = raw as number;
    const line = this.lineOf(raw);
    if (k !== this.k) {
      const f: (string | null)[] = line.split(this.delimiter);
      if (this.hasEmpty(line)) {
        // A line's empty field (unquoted) is null.
        for (let i = 0; i < f.length; i++) {
          if (f[i] === "") {
            f[i] = null;
          }
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
   * A checked line is its COPY text once its delimiters are tabs, unless it has an empty field
   * (\\N), or a backslash or tab that COPY escapes: then field by field.
   */
  pgLine(raw: unknown): string | undefined {
    const line = this.lineOf(raw);
    const d = this.delimiter;
    if (line.includes("\\") || (d !== "\t" && line.includes("\t")) || this.hasEmpty(line)) {
      return this.fieldRows.pgLine!(this.fieldsOf(raw));
    }
    return d === "\t" ? line : line.replaceAll(d, "\t");
  }

  text(raw: unknown, i: number): string | null | undefined {
    return this.fieldRows.text!(this.fieldsOf(raw), i);
  }
}
