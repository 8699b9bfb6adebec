/**
 * The on-disk log behind the source cache: append-only segment files of length-prefixed records
 * (`<dir>/<n>.seg`, rolled at SEGMENT_BYTES). A position is (segment, offset). Records are read in
 * order from a consumer position; whole segments behind a committed position are deleted.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export interface SegPos {
  seg: number;
  off: number;
}

const SEGMENT_BYTES = 8 * 1024 * 1024;
const HEADER = 4;

export const comparePos = (a: SegPos, b: SegPos): number => a.seg - b.seg || a.off - b.off;

export class SegmentLog {
  private writeFd: number | undefined;
  private end: SegPos;
  private readFd: { seg: number; fd: number } | undefined;
  private readonly header = new Uint8Array(HEADER);

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const segs = this.segments();
    const last = segs.at(-1);
    this.end = last === undefined ? { seg: 1, off: 0 } : { seg: last, off: statSync(this.path(last)).size };
  }

  private path(seg: number): string {
    return join(this.dir, `${String(seg).padStart(8, "0")}.seg`);
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".seg"))
      .map((f) => Number(f.slice(0, -4)))
      .sort((a, b) => a - b);
  }

  get position(): SegPos {
    return { ...this.end };
  }

  /** Bytes between `from` and the end of the log. */
  bytesAfter(from: SegPos): number {
    let n = 0;
    for (const s of this.segments()) {
      if (s < from.seg) {
        continue;
      }
      const size = s === this.end.seg ? this.end.off : statSync(this.path(s)).size;
      n += s === from.seg ? size - from.off : size;
    }
    return n;
  }

  /** Appends one record synchronously (so a snapshot taken right after sees it) and returns the new end. */
  append(record: Uint8Array): SegPos {
    if (this.end.off > 0 && this.end.off + HEADER + record.length > SEGMENT_BYTES) {
      if (this.writeFd !== undefined) {
        closeSync(this.writeFd);
      }
      this.writeFd = undefined;
      this.end = { seg: this.end.seg + 1, off: 0 };
    }
    this.writeFd ??= openSync(this.path(this.end.seg), "a");
    new DataView(this.header.buffer).setUint32(0, record.length, true);
    writeSync(this.writeFd, this.header);
    writeSync(this.writeFd, record);
    this.end = { seg: this.end.seg, off: this.end.off + HEADER + record.length };
    return this.position;
  }

  /** The record at `pos` and the position after it, or undefined at the end of the log. */
  read(pos: SegPos): { record: Uint8Array; next: SegPos } | undefined {
    if (comparePos(pos, this.end) >= 0) {
      return undefined;
    }
    if (pos.seg < this.end.seg && pos.off >= statSync(this.path(pos.seg)).size) {
      return this.read({ seg: pos.seg + 1, off: 0 });
    }
    if (this.readFd?.seg !== pos.seg) {
      if (this.readFd) {
        closeSync(this.readFd.fd);
      }
      this.readFd = { seg: pos.seg, fd: openSync(this.path(pos.seg), "r") };
    }
    readSync(this.readFd.fd, this.header, 0, HEADER, pos.off);
    const len = new DataView(this.header.buffer).getUint32(0, true);
    const record = new Uint8Array(len);
    readSync(this.readFd.fd, record, 0, len, pos.off + HEADER);
    return { record, next: { seg: pos.seg, off: pos.off + HEADER + len } };
  }

  /** Drops everything after `pos` (records written after the checkpoint a restore starts from). */
  truncate(pos: SegPos): void {
    this.close();
    for (const s of this.segments()) {
      if (s > pos.seg) {
        rmSync(this.path(s), { force: true });
      }
    }
    const p = this.path(pos.seg);
    if (existsSync(p)) {
      const fd = openSync(p, "r+");
      ftruncateSync(fd, pos.off);
      closeSync(fd);
    }
    this.end = { ...pos };
  }

  /** Deletes segments that lie wholly before `pos`. */
  deleteBefore(pos: SegPos): void {
    for (const s of this.segments()) {
      if (s < pos.seg) {
        rmSync(this.path(s), { force: true });
      }
    }
  }

  close(): void {
    if (this.writeFd !== undefined) {
      closeSync(this.writeFd);
    }
    if (this.readFd) {
      closeSync(this.readFd.fd);
    }
    this.writeFd = undefined;
    this.readFd = undefined;
  }

  destroy(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
