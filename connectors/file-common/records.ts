/**
 * Record splitters over decoded text that arrives in chunks. `text` splits lines on the row
 * delimiter and fields on the field delimiter (a Java regex when it has regex characters, as
 * SeaTunnel's `String.split`); `csv` is RFC 4180: quoted fields with `""` escapes, delimiters
 * and newlines inside quotes, CRLF. Both drop a leading BOM and blank lines, and count physical
 * lines so errors can name the line. Pull-based: `next()` returns a record, `undefined` when
 * more text is needed, `null` at the end.
 */

export interface SplitterOptions {
  mode: "text" | "csv";
  fieldDelimiter: string;
  /** Text mode only; `\n` also accepts `\r\n`. */
  rowDelimiter: string;
  /** Physical lines skipped at the start (skip_header_row_number). */
  skipLines: number;
}

/**
 * A record the splitter cannot split (broken csv quoting). The splitter has moved past it (to the
 * end of its line, or of the input), so a caller that rejects it can read on; `raw()` is its text.
 */
export class RecordError extends Error {
  constructor(
    message: string,
    /** The message without its position. */
    readonly reason: string,
  ) {
    super(message);
    this.name = "RecordError";
  }
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/** Java regex → JS RegExp for the constructs field delimiters use (`\\|`, `\\s+`, `[,;]`). */
function javaRegex(sep: string): RegExp {
  return new RegExp(sep.replace(/\\Q(.*?)(?:\\E|$)/g, (_, lit: string) => lit.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")));
}

export class RecordSplitter {
  private buf = "";
  private pos = 0;
  private final = false;
  private started = false;
  private toSkip: number;
  /** Physical line number (1-based) where the last returned record started. */
  line = 0;
  /** Where the last record (or RecordError) is in the buffer, its line ending included. */
  private recStart = 0;
  private recEnd = 0;
  private nextLine = 1;
  /** Per field of the last record: was it quoted (csv); only meaningful when `anyQuoted`. */
  readonly quoted: boolean[] = [];
  anyQuoted = false;
  /** The fields of the last unquoted record; reused, valid until the next call. */
  private readonly fields: string[] = [];
  private readonly regex: RegExp | undefined;
  /** Position of the next `"` at or after pos in buf (-1: none); found once per buffer, not per record. */
  private quoteAt = -2;

  constructor(private readonly o: SplitterOptions) {
    this.toSkip = o.skipLines;
    // A one-character delimiter is literal; a longer one with regex characters is a Java regex (`\\|`).
    this.regex =
      o.mode === "text" && o.fieldDelimiter.length > 1 && REGEX_META.test(o.fieldDelimiter)
        ? javaRegex(o.fieldDelimiter)
        : undefined;
  }

  /**
   * Continues at physical line `line` after lines that were read elsewhere (the start of the
   * input, with its BOM and header lines, is then behind).
   */
  at(line: number): void {
    this.nextLine = line;
    this.started = true;
    this.toSkip = 0;
  }

  /** Adds decoded text; `final` marks the end of the input. */
  feed(text: string, final = false): void {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    this.buf = this.pos >= this.buf.length ? text : this.buf.slice(this.pos) + text;
    this.pos = 0;
    this.quoteAt = -2;
    if (final) {
      this.final = true;
    }
  }

  end(): void {
    this.final = true;
  }

  /** True while fed text is not yet read into records (a quoted field that goes on past its line). */
  pending(): boolean {
    return this.pos < this.buf.length;
  }

  /** The text of the last record next() returned (or threw a RecordError for), as read. */
  raw(): string {
    return this.buf.slice(this.recStart, this.recEnd);
  }

  next(): string[] | undefined | null {
    for (;;) {
      if (this.toSkip > 0) {
        const nl = this.buf.indexOf("\n", this.pos);
        if (nl < 0) {
          if (!this.final) {
            return undefined;
          }
          this.pos = this.buf.length;
          this.toSkip = 0;
          continue;
        }
        this.pos = nl + 1;
        this.nextLine++;
        this.toSkip--;
        continue;
      }
      if (this.pos >= this.buf.length) {
        return this.final ? null : undefined;
      }
      const start = this.pos;
      this.recStart = start;
      const rec = this.o.mode === "csv" ? this.csvRecord() : this.textRecord();
      if (rec === undefined) {
        return undefined;
      }
      if (rec !== null) {
        this.recEnd = this.pos;
        return rec;
      }
    }
  }

  /** A line split into fields; null for a blank line (skipped). */
  private textRecord(): string[] | null | undefined {
    const rd = this.o.rowDelimiter;
    const at = this.buf.indexOf(rd, this.pos);
    let line: string;
    if (at < 0) {
      if (!this.final) {
        return undefined;
      }
      line = this.buf.slice(this.pos);
      this.pos = this.buf.length;
    } else {
      line = this.buf.slice(this.pos, at);
      this.pos = at + rd.length;
    }
    this.line = this.nextLine;
    this.nextLine += rd === "\n" ? 1 : countNewlines(line) + 1;
    if (rd === "\n" && line.charCodeAt(line.length - 1) === 13) {
      line = line.slice(0, -1);
    }
    if (line.length === 0) {
      return null;
    }
    return this.regex ? line.split(this.regex) : this.cut(line, 0, line.length);
  }

  private csvRecord(): string[] | null | undefined {
    const b = this.buf;
    const start = this.pos;
    const nl = b.indexOf("\n", start);
    if (nl < 0 && !this.final) {
      return undefined;
    }
    const lineEnd = nl < 0 ? b.length : nl;
    if (this.quoteAt !== -1 && this.quoteAt < start) {
      this.quoteAt = b.indexOf('"', start);
    }
    if (this.quoteAt < 0 || this.quoteAt > lineEnd) {
      let end = lineEnd;
      if (end > start && b.charCodeAt(end - 1) === 13) {
        end--;
      }
      this.pos = nl < 0 ? b.length : nl + 1;
      this.line = this.nextLine++;
      this.anyQuoted = false;
      return end === start ? null : this.cut(b, start, end);
    }
    return this.csvSlow(start);
  }

  /** Fields of `b[start, end)` split on the literal delimiter, into the reused array. */
  private cut(b: string, start: number, end: number): string[] {
    const f = this.fields;
    const d = this.o.fieldDelimiter;
    let n = 0;
    for (let p = start; ; ) {
      const i = b.indexOf(d, p);
      if (i < 0 || i >= end) {
        f[n++] = b.slice(p, end);
        break;
      }
      f[n++] = b.slice(p, i);
      p = i + d.length;
    }
    f.length = n;
    return f;
  }

  /**
   * Moves past a record that cannot be split, `buf[start, end)` with `lines` line breaks before
   * the line the fault is on, and throws it. `atStart`: the fault is the record itself (its
   * message names the line it starts on), else a character on that line.
   */
  private broken(start: number, end: number, lines: number, reason: string, atStart: boolean): never {
    this.recStart = start;
    this.recEnd = end;
    this.pos = end;
    this.line = this.nextLine;
    const message = atStart
      ? `${reason} starting at line ${this.nextLine}`
      : `line ${this.nextLine + lines}: ${reason}`;
    this.nextLine += lines + 1;
    throw new RecordError(message, reason);
  }

  /**
   * Character-level RFC 4180 parse of one record starting at `start`, into the reused field and
   * quoted arrays. The end of the physical line is found once, and again only after a quoted
   * value that ran past it.
   */
  private csvSlow(start: number): string[] | undefined {
    const b = this.buf;
    const d = this.o.fieldDelimiter;
    const fields = this.fields;
    const quoted = this.quoted;
    let n = 0;
    let p = start;
    let lines = 0;
    let nn = b.indexOf("\n", p);
    for (;;) {
      if (b.charCodeAt(p) === 34) {
        let value: string | undefined;
        let q = p + 1;
        for (;;) {
          const j = b.indexOf('"', q);
          if (j < 0 || (j + 1 >= b.length && !this.final)) {
            if (!this.final) {
              return undefined;
            }
            // The record is the rest of the input.
            return this.broken(start, b.length, countNewlines(b.slice(start)), "unterminated quoted field", true);
          }
          const piece = b.slice(q, j);
          value = value === undefined ? piece : value + piece;
          if (b.charCodeAt(j + 1) === 34) {
            value += '"';
            q = j + 2;
            continue;
          }
          p = j + 1;
          break;
        }
        if (nn >= 0 && nn < p) {
          lines += countNewlines(value);
          nn = b.indexOf("\n", p);
        }
        fields[n] = value;
        quoted[n++] = true;
        if (b.charCodeAt(p) === 13) {
          p++;
        }
        if (p >= b.length || b.charCodeAt(p) === 10) {
          break;
        }
        if (b.startsWith(d, p)) {
          p += d.length;
          continue;
        }
        // The record ends with the line the stray character is on.
        const nl = b.indexOf("\n", p);
        if (nl < 0 && !this.final) {
          return undefined;
        }
        const reason = `invalid character "${b[p]}" after a closing quote; expected the delimiter "${d}" or the end of the line`;
        return this.broken(start, nl < 0 ? b.length : nl + 1, lines, reason, false);
      }
      if (nn < 0 && !this.final) {
        return undefined;
      }
      const stop = nn < 0 ? b.length : nn;
      const nd = b.indexOf(d, p);
      if (nd >= 0 && nd < stop) {
        fields[n] = b.slice(p, nd);
        quoted[n++] = false;
        p = nd + d.length;
        continue;
      }
      const end = stop > p && b.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      fields[n] = b.slice(p, end);
      quoted[n++] = false;
      p = stop;
      break;
    }
    fields.length = n;
    quoted.length = n;
    this.pos = p < b.length ? p + 1 : p;
    this.line = this.nextLine;
    this.nextLine += lines + 1;
    this.anyQuoted = true;
    return fields;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) {
    n++;
  }
  return n;
}
