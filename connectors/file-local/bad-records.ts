/**
 * What the text, csv and json readers do with a record they cannot read: fail naming its file,
 * line and column, or, with the engine's error handler on (ReaderContext.reject), hand the record
 * as read to it and read on. Lines are the file's own: a split that starts inside a file counts
 * its lines from its start, so the lines before it are counted, once, when a record of it is bad.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type RejectedRecord, rejectedError } from "../../src/api/index.ts";
import { type Encode, encoderFor } from "../file-common/out-file.ts";
import type { FileSplit } from "./plan.ts";

export type Reject = (r: RejectedRecord) => void;

/** Where a bad record is: its line counted from the split's start, the rest as RejectedRecord has it. */
export type BadAt = Omit<RejectedRecord, "raw">;

export class BadRecords {
  private base: number | undefined;

  private constructor(
    private readonly split: FileSplit,
    private readonly reject: Reject | undefined,
    private readonly encode: Encode | undefined,
  ) {}

  /** Text a reader kept of a record is encoded back in the file's `encoding` to give its bytes. */
  static async create(split: FileSplit, reject: Reject | undefined, encoding: string): Promise<BadRecords> {
    return new BadRecords(split, reject, reject ? await encoderFor(encoding) : undefined);
  }

  /** Bad records are handed on, not thrown. */
  get rejecting(): boolean {
    return this.reject !== undefined;
  }

  /** The file's line of line `relative` of the split. */
  line(relative: number): number {
    if (this.split.start === 0) {
      return relative;
    }
    this.base ??= linesBefore(this.split.path, this.split.start);
    return this.base + relative;
  }

  /** Fails with `code`, or rejects the record: `raw` is its bytes, or its text as read. */
  bad(code: string, at: BadAt, raw: () => Uint8Array | string): void {
    const where = { ...at, line: this.line(at.line) };
    if (!this.reject) {
      throw rejectedError(code, where);
    }
    const r = raw();
    this.reject({ ...where, raw: typeof r === "string" ? this.encode!(r) : r });
  }
}

/** Line breaks in the first `offset` bytes of a file. */
export function linesBefore(path: string, offset: number): number {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = 0;
    for (let pos = 0; pos < offset; ) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (got === 0) {
        break;
      }
      for (let i = buf.indexOf(10, 0); i >= 0 && i < got; i = buf.indexOf(10, i + 1)) {
        n++;
      }
      pos += got;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}
