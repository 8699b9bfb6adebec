/**
 * A file being written: text is encoded (UTF-8 natively, other charsets through iconv-lite),
 * optionally compressed (lzop, gzip), buffered, and written in large synchronous chunks (writes
 * to the page cache are fast, and a sync write keeps the writer simple and ordered).
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { LZO_BLOCK, LZOP_END, lzopBlock, lzopHeader } from "./lzo.ts";

const FLUSH_BYTES = 1 << 20;
/** writeBytes writes arrays of this size or more directly. */
const DIRECT_BYTES = 64 << 10;
const UTF8 = new TextEncoder();

export type OutCodec = "none" | "lzo" | "gzip";
export type Encode = (s: string) => Uint8Array;

/** A text encoder for a Java charset name; UTF-8 avoids any library. */
export async function encoderFor(encoding: string): Promise<Encode> {
  const e = encoding.trim().toLowerCase();
  if (e === "utf-8" || e === "utf8") {
    return (s) => Buffer.from(s, "utf8");
  }
  if (e === "iso-8859-1" || e === "latin1") {
    return (s) => Buffer.from(s, "latin1");
  }
  const iconv = (await import("iconv-lite")).default;
  if (!iconv.encodingExists(e)) {
    throw new Error(`unsupported encoding "${encoding}"`);
  }
  return (s) => iconv.encode(s, e);
}

/** fflate, loaded by loadGzip() before the first gzip OutFile (jobs without gzip never load it). */
let fflate: typeof import("fflate") | undefined;

export async function loadGzip(): Promise<void> {
  fflate ??= await import("fflate");
}

export class OutFile {
  private readonly fd: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  /** Raw bytes not yet cut into an lzop block. */
  private lzoPending: Uint8Array[] = [];
  private lzoSize = 0;
  private readonly gz?: import("fflate").Gzip;
  private closed = false;
  /** Bytes handed to write(), before compression. */
  written = 0;

  constructor(
    readonly path: string,
    private readonly codec: OutCodec = "none",
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "w");
    if (codec === "lzo") {
      this.raw(lzopHeader());
    }
    if (codec === "gzip") {
      if (!fflate) {
        throw new Error("gzip output needs loadGzip() first");
      }
      this.gz = new fflate.Gzip({ level: 6 }, (chunk) => this.raw(chunk));
    }
  }

  /** The reused output buffer of writeUtf8 and how much of it is filled. */
  private buf?: Uint8Array;
  private filled = 0;

  /**
   * UTF-8 text straight into one reused buffer (TextEncoder.encodeInto): no per-batch allocation,
   * which on large files otherwise costs more than the encoding (fresh large buffers are mapped
   * and unmapped by the allocator each time).
   */
  writeUtf8(text: string): void {
    if (this.codec !== "none") {
      return this.write(Buffer.from(text, "utf8"));
    }
    if (this.parts.length) {
      this.flush();
    }
    this.buf ??= new Uint8Array(FLUSH_BYTES);
    let rest = text;
    for (;;) {
      const { read, written } = UTF8.encodeInto(rest, this.buf.subarray(this.filled));
      this.filled += written;
      this.written += written;
      if (read === rest.length) {
        break;
      }
      rest = rest.slice(read);
      this.flushBuffer();
    }
    if (this.filled >= FLUSH_BYTES - 4096) {
      this.flushBuffer();
    }
  }

  /**
   * Bytes the caller may reuse afterwards: small ones are copied into the reused buffer, large
   * ones written as they are; compressed files as write().
   */
  writeBytes(bytes: Uint8Array): void {
    if (this.codec !== "none") {
      return this.write(bytes);
    }
    if (this.parts.length) {
      this.flush();
    }
    this.buf ??= new Uint8Array(FLUSH_BYTES);
    this.written += bytes.length;
    if (this.filled + bytes.length > this.buf.length || (bytes.length >= DIRECT_BYTES && this.filled)) {
      this.flushBuffer();
    }
    if (bytes.length >= DIRECT_BYTES) {
      let off = 0;
      while (off < bytes.length) {
        off += writeSync(this.fd, bytes, off, bytes.length - off);
      }
      return;
    }
    this.buf.set(bytes, this.filled);
    this.filled += bytes.length;
    if (this.filled >= FLUSH_BYTES - 4096) {
      this.flushBuffer();
    }
  }

  private flushBuffer(): void {
    let off = 0;
    while (off < this.filled) {
      off += writeSync(this.fd, this.buf!, off, this.filled - off);
    }
    this.filled = 0;
  }

  write(bytes: Uint8Array): void {
    this.written += bytes.length;
    if (this.codec === "none") {
      this.raw(bytes);
    } else if (this.codec === "gzip") {
      this.gz!.push(bytes.slice(), false);
    } else {
      this.lzo(bytes);
    }
  }

  private lzo(bytes: Uint8Array): void {
    this.lzoPending.push(bytes.slice());
    this.lzoSize += bytes.length;
    while (this.lzoSize >= LZO_BLOCK) {
      const all = concat(this.lzoPending, this.lzoSize);
      this.raw(lzopBlock(all.subarray(0, LZO_BLOCK)));
      const rest = all.subarray(LZO_BLOCK);
      this.lzoPending = rest.length ? [rest] : [];
      this.lzoSize = rest.length;
    }
  }

  private raw(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= FLUSH_BYTES) {
      this.flush();
    }
  }

  flush(): void {
    if (this.filled) {
      this.flushBuffer();
    }
    if (this.size === 0) {
      return;
    }
    const all = this.parts.length === 1 ? this.parts[0]! : concat(this.parts, this.size);
    let off = 0;
    while (off < all.length) {
      off += writeSync(this.fd, all, off, all.length - off);
    }
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.codec === "gzip") {
      this.gz!.push(new Uint8Array(0), true);
    }
    if (this.codec === "lzo") {
      if (this.lzoSize) {
        this.raw(lzopBlock(concat(this.lzoPending, this.lzoSize)));
      }
      this.raw(LZOP_END);
    }
    this.flush();
    closeSync(this.fd);
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
