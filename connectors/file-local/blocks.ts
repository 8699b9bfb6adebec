/**
 * The bytes of a text or csv entry in blocks of whole lines for the line path (read-lines.ts):
 * a plain file's range read straight into buffers, or any byte source copied.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { ByteSource } from "../file-common/bytes.ts";

/** Blocks of bytes the caller owns: `next(carry)` is the carry (the last incomplete line) and what follows. */
export interface Blocks {
  next(carry: Uint8Array | undefined): Promise<Uint8Array | undefined>;
  close(): void;
}

const LINE_BLOCK = 256 << 10;

/**
 * A plain file's range, read synchronously straight into blocks (no promise per chunk). With
 * `reuse` one buffer serves every block: only when each batch is consumed before the next is read
 * (RowPromises.releasesRows); fresh memory costs a page fault per 4 KiB, more than a copy.
 */
export function fileBlocks(
  path: string,
  start: number,
  end: number | undefined,
  reuse: boolean,
  into?: Uint8Array,
): Blocks {
  const fd = openSync(path, "r");
  let pos = start;
  // With `into` (a WebAssembly scan's block area), blocks are read there while they fit.
  let buf: Uint8Array | undefined = reuse ? into : undefined;
  return {
    async next(carry) {
      const n = carry?.length ?? 0;
      const want = end === undefined ? LINE_BLOCK : Math.min(LINE_BLOCK, end - pos);
      if (want <= 0) {
        return undefined;
      }
      let b: Uint8Array;
      if (reuse) {
        if (buf === undefined || buf.length < n + want) {
          buf = Buffer.allocUnsafe(Math.max(n + want, 2 * LINE_BLOCK));
        }
        b = buf;
      } else {
        b = Buffer.allocUnsafe(n + want);
      }
      // The carry may be the tail of this very buffer: set() copies overlapping ranges correctly.
      if (carry) {
        b.set(carry);
      }
      const got = readSync(fd, b, n, want, pos);
      if (got === 0) {
        return undefined;
      }
      pos += got;
      return b.subarray(0, n + got);
    },
    close: () => closeSync(fd),
  };
}

/** Any byte source, copied into blocks (its chunks may be reused). */
export function copiedBlocks(src: ByteSource): Blocks {
  const it = src[Symbol.asyncIterator]();
  return {
    async next(carry) {
      const r = await it.next();
      if (r.done) {
        return undefined;
      }
      const b = new Uint8Array((carry?.length ?? 0) + r.value.length);
      if (carry) {
        b.set(carry);
      }
      b.set(r.value, carry?.length ?? 0);
      return b;
    },
    close: () => void it.return?.(undefined),
  };
}
