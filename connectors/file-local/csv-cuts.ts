/**
 * Where a csv file's records start, as far as cutting it for parallel readers needs: each cut
 * (just after a newline) that falls inside a record is moved to the record's end. A record runs
 * past its line only through a quoted field (a quote at a field's start), which may hold
 * delimiters and line breaks and ends at a quote not followed by another; a quote inside an
 * unquoted field is a character, and a character after a closing quote breaks the record up to
 * its line's end — as RecordSplitter reads. The file is read once up to the last cut, jumping
 * from quote to quote (memchr; a short quoted field byte by byte), so a file without quotes costs
 * a read (15 ms for the bench's 70 MB to its middle), and one quoted throughout about 1.5 ns a
 * byte (130 ms for its 85 MB).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { SplitsRejected } from "../../src/api/index.ts";

const QUOTE = 34;
const NL = 10;
const CR = 13;
const CHUNK = 256 << 10;

/** Outside quoted fields; inside one; just past a quote inside one (closing it, or the first of two); a broken record. */
const enum S {
  Out,
  Quoted,
  Closing,
  ClosingCr,
  Broken,
}

/** The scan's state between chunks: `prev` is the byte before the chunk (a newline at the file's start). */
class Scan {
  s = S.Out;
  prev = NL;
  /** A cut fell inside a record: it goes where the next record starts. */
  pending = false;
  /** Where a pending cut went, once the record ended (-1: not yet). */
  moved = -1;

  constructor(private readonly d: number) {}

  /** Bytes `b[from, to)` at file offset `base` (of b[0]). */
  run(b: Uint8Array, from: number, to: number, base: number): void {
    // Searches stop at `to`: a chunk is run piece by piece between cuts.
    const lim = to < b.length ? b.subarray(0, to) : b;
    let p = from;
    while (p < to) {
      switch (this.s) {
        case S.Out: {
          // A field that starts with its quote (a file quoted throughout) needs no search.
          const q = b[p] === QUOTE ? p : lim.indexOf(QUOTE, p);
          const stop = q < 0 || q >= to ? to : q;
          if (this.pending && stop > p) {
            const nl = lim.indexOf(NL, p);
            if (nl >= 0 && nl < stop) {
              this.moved = base + nl + 1;
              this.pending = false;
            }
          }
          if (stop === to) {
            p = to;
            break;
          }
          const before = q > from ? b[q - 1]! : this.prev;
          // A quote opens a quoted field at a field's start; elsewhere it is a character.
          if (before === this.d || before === NL) {
            this.s = S.Quoted;
          }
          p = q + 1;
          break;
        }
        case S.Quoted: {
          // Most quoted fields are short: a few bytes looked at cost less than a search.
          let q = p;
          const near = Math.min(to, p + 24);
          while (q < near && b[q] !== QUOTE) {
            q++;
          }
          if (q === near) {
            q = lim.indexOf(QUOTE, p);
          }
          if (q < 0 || q >= to) {
            p = to;
            break;
          }
          this.s = S.Closing;
          p = q + 1;
          break;
        }
        case S.Closing:
        case S.ClosingCr: {
          const c = b[p]!;
          if (c === QUOTE && this.s === S.Closing) {
            this.s = S.Quoted;
          } else if (c === this.d) {
            this.s = S.Out;
          } else if (c === NL) {
            this.s = S.Out;
            this.recordEnd(base + p + 1);
          } else {
            this.s = c === CR && this.s === S.Closing ? S.ClosingCr : S.Broken;
          }
          p++;
          break;
        }
        case S.Broken: {
          const nl = lim.indexOf(NL, p);
          if (nl < 0 || nl >= to) {
            p = to;
            break;
          }
          this.s = S.Out;
          this.recordEnd(base + nl + 1);
          p = nl + 1;
          break;
        }
      }
    }
    if (to > from) {
      this.prev = b[to - 1]!;
    }
  }

  private recordEnd(at: number): void {
    if (this.pending) {
      this.moved = at;
      this.pending = false;
    }
  }
}

/**
 * `cuts` (ascending, each just after a newline) moved to record starts: a cut inside a record goes
 * to its end; cuts that meet drop out, and so does one moved to the end of the file (`size`).
 * `d`: the one-byte delimiter.
 */
export async function recordCuts(path: string, cuts: number[], d: number, size: number): Promise<number[]> {
  const out: number[] = [];
  if (cuts.length === 0) {
    return out;
  }
  const scan = new Scan(d);
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    let k = 0;
    let reads = 0;
    const last = cuts[cuts.length - 1]!;
    while (k < cuts.length && pos < size) {
      const got = readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos);
      if (got === 0) {
        break;
      }
      // A byte order mark is no part of the first field.
      let from = pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      // Each cut inside this chunk: the state there says whether a record starts.
      while (k < cuts.length && cuts[k]! < pos + got) {
        const at = cuts[k]! - pos;
        scan.run(buf, from, at, pos);
        from = at;
        if (scan.moved >= 0) {
          take(out, scan.moved);
          scan.moved = -1;
        }
        if (scan.s === S.Out && !scan.pending) {
          take(out, cuts[k]!);
        } else {
          scan.pending = true;
        }
        k++;
      }
      scan.run(buf, from, got, pos);
      if (scan.moved >= 0) {
        take(out, scan.moved);
        scan.moved = -1;
      }
      pos += got;
      if (pos > last && !scan.pending) {
        break;
      }
      // The job master's other work runs between megabytes.
      if (++reads % 4 === 0) {
        await new Promise((res) => setImmediate(res));
      }
    }
  } finally {
    closeSync(fd);
  }
  return out.filter((c) => c < size);
}

/** Appends a cut unless it meets the one before. */
function take(out: number[], at: number): void {
  if (out.length === 0 || out[out.length - 1]! < at) {
    out.push(at);
  }
}

/** Bytes of a csv file looked at for a quoted field with a line break before its cuts are given at once (csvCuts). */
const HEAD_SCAN = 256 << 10;

/**
 * Where `byte` first occurs in `[from, limit)`, or -1 (a file whose delimiter is more than one
 * byte is cut only before its first quote). Read synchronously into a buffer that
 * stays in cache (about three times faster than large asynchronous reads), letting the event
 * loop run every 1 MB.
 */
async function firstByte(path: string, byte: number, from: number, limit: number): Promise<number> {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(256 << 10);
    for (let pos = from, reads = 1; pos < limit; reads++) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, limit - pos), pos);
      if (got === 0) {
        return -1;
      }
      const at = buf.subarray(0, got).indexOf(byte);
      if (at >= 0) {
        return pos + at;
      }
      pos += got;
      if (reads % 4 === 0) {
        await new Promise((res) => setImmediate(res));
      }
    }
    return -1;
  } finally {
    closeSync(fd);
  }
}

/**
 * What the cuts of csv files are known to be (by file and cuts asked), and the checks still
 * running for cuts given without knowing (see csvCuts).
 */
export interface QuoteChecks {
  exact: Map<string, number[]>;
  pending: Promise<void>[];
  /** The pipeline may run again from scratch (Source.splits' speculate). */
  speculate: boolean;
}

/** Whether a quoted field of the file's first `head` bytes holds a line break (its lines are then not all record starts). */
async function breaksInQuotes(path: string, head: number, d: number): Promise<boolean> {
  const b = Buffer.allocUnsafe(head);
  const fd = openSync(path, "r");
  let got: number;
  try {
    got = readSync(fd, b, 0, head, 0);
  } finally {
    closeSync(fd);
  }
  if (b.subarray(0, got).indexOf(QUOTE) < 0) {
    return false;
  }
  const starts: number[] = [];
  for (let i = b.indexOf(NL); i >= 0 && i + 1 < got; i = b.indexOf(NL, i + 1)) {
    starts.push(i + 1);
  }
  return (await recordCuts(path, starts, d, got)).length !== starts.length;
}

/**
 * `cuts` of a csv file (ascending, each just after a newline) moved where records start
 * (recordCuts). A file whose first 256 KB hold no quoted field with a line break mostly has none
 * further on: where the pipeline may run again from scratch the cuts are given at once and
 * checked while the readers read them; a cut found inside a record then rejects the splits
 * (Source.confirm) and the next enumeration knows the right ones. With a delimiter of more than
 * one byte a cut is kept only before the file's first quote.
 */
export async function csvCuts(
  path: string,
  size: number,
  cuts: number[],
  delimiter: string,
  quotes: QuoteChecks,
): Promise<number[]> {
  const key = `${path}\u0000${cuts.join(",")}`;
  const known = quotes.exact.get(key);
  if (known) {
    return known;
  }
  const last = cuts[cuts.length - 1]!;
  const d = delimiter.length === 1 && delimiter.charCodeAt(0) < 128 ? delimiter.charCodeAt(0) : -1;
  if (d < 0) {
    const q = await firstByte(path, QUOTE, 0, last);
    return q < 0 ? cuts : cuts.filter((c) => c <= q);
  }
  const head = Math.min(last, HEAD_SCAN);
  if (quotes.speculate && head < last && !(await breaksInQuotes(path, head, d))) {
    // Started once the ranges are on their way: the scan runs between the job master's other work.
    const check = new Promise((res) => setImmediate(res))
      .then(() => recordCuts(path, cuts, d, size))
      .then((exact) => {
        quotes.exact.set(key, exact);
        const wrong = cuts.find((c, i) => exact[i] !== c);
        if (wrong !== undefined) {
          throw new SplitsRejected(
            `"${path}" was cut at byte ${wrong}, inside a record (a quoted field there holds a line break)`,
          );
        }
      });
    // Seen through confirm(); unobserved until then.
    check.catch(() => {});
    quotes.pending.push(check);
    return cuts;
  }
  const exact = await recordCuts(path, cuts, d, size);
  quotes.exact.set(key, exact);
  return exact;
}
