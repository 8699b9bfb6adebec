/**
 * lzop files (what SeaTunnel's `compress_codec = lzo` reads and writes through airlift's
 * LzopCodec): a header, then blocks of `u32 raw size, u32 stored size, checksums, data`; a block
 * whose stored size equals its raw size is stored, otherwise it is LZO1X. The reader streams
 * block by block; the writer emits stored blocks with Adler-32 checksums (valid lzop that lzop
 * and Hadoop both read; it does not shrink the data).
 */
import type { ByteSource } from "./bytes.ts";

const MAGIC = [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a];
const F_ADLER32_D = 0x1;
const F_ADLER32_C = 0x2;
const F_H_EXTRA_FIELD = 0x40;
const F_CRC32_D = 0x100;
const F_CRC32_C = 0x200;
const F_H_FILTER = 0x800;
export const LZO_BLOCK = 256 * 1024;

/** Pulls exact byte counts out of a chunked source. */
class Pull {
  private buf = new Uint8Array(0);
  private pos = 0;
  private readonly it: AsyncIterator<Uint8Array>;
  constructor(src: ByteSource) {
    this.it = src[Symbol.asyncIterator]();
  }
  async take(n: number): Promise<Uint8Array> {
    while (this.buf.length - this.pos < n) {
      const r = await this.it.next();
      if (r.done) {
        throw new Error("lzo: unexpected end of file");
      }
      const rest = this.buf.subarray(this.pos);
      const next = new Uint8Array(rest.length + r.value.length);
      next.set(rest);
      next.set(r.value, rest.length);
      this.buf = next;
      this.pos = 0;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  async close(): Promise<void> {
    await this.it.return?.(undefined);
  }
  async u32(): Promise<number> {
    const b = await this.take(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
}

/** Decompresses an lzop stream block by block. */
export async function* lzopBytes(src: ByteSource): AsyncGenerator<Uint8Array> {
  const p = new Pull(src);
  try {
    yield* lzopBlocks(p);
  } finally {
    await p.close();
  }
}

async function* lzopBlocks(p: Pull): AsyncGenerator<Uint8Array> {
  const magic = await p.take(9);
  if (MAGIC.some((m, i) => magic[i] !== m)) {
    throw new Error("lzo: not an lzop file (bad magic)");
  }
  const hv = await p.take(4);
  const version = (hv[0]! << 8) | hv[1]!;
  if (version >= 0x0940) {
    await p.take(2);
  }
  const method = (await p.take(1))[0]!;
  if (version >= 0x0940) {
    await p.take(1);
  }
  const flags = await p.u32();
  if (flags & F_H_FILTER) {
    await p.take(4);
  }
  await p.take(version >= 0x0940 ? 12 : 8);
  const nameLen = (await p.take(1))[0]!;
  await p.take(nameLen + 4);
  if (flags & F_H_EXTRA_FIELD) {
    await p.take((await p.u32()) + 4);
  }
  if (method < 1 || method > 3) {
    throw new Error(`lzo: unsupported method ${method}`);
  }
  for (;;) {
    const raw = await p.u32();
    if (raw === 0) {
      return;
    }
    const stored = await p.u32();
    if (flags & F_ADLER32_D) {
      await p.take(4);
    }
    if (flags & F_CRC32_D) {
      await p.take(4);
    }
    if (stored < raw && flags & F_ADLER32_C) {
      await p.take(4);
    }
    if (stored < raw && flags & F_CRC32_C) {
      await p.take(4);
    }
    const data = await p.take(stored);
    yield stored === raw ? data.slice() : lzo1xDecompress(data, raw);
  }
}

/** LZO1X decompression of one block whose decompressed size is known (lzo1x_decompress_safe). */
export function lzo1xDecompress(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let ip = 0;
  let op = 0;
  let t = 0;
  let mPos = 0;
  const bad = () => new Error("lzo: corrupt compressed block");
  const lit = (n: number) => {
    if (op + n > size || ip + n > src.length) {
      throw bad();
    }
    out.set(src.subarray(ip, ip + n), op);
    op += n;
    ip += n;
  };
  const copy = (n: number) => {
    if (mPos < 0 || op + n > size) {
      throw bad();
    }
    for (let i = 0; i < n; i++) {
      out[op++] = out[mPos++]!;
    }
  };
  const run = (base: number) => {
    while (src[ip] === 0) {
      t += 255;
      ip++;
    }
    t += base + src[ip++]!;
  };
  let state: "loop" | "first" | "match" | "done" | "next" = "loop";
  if (src[0]! > 17) {
    t = src[ip++]! - 17;
    if (t < 4) {
      state = "next";
    } else {
      lit(t);
      state = "first";
    }
  }
  for (;;) {
    if (ip > src.length) {
      throw bad();
    }
    if (state === "loop") {
      t = src[ip++]!;
      if (t >= 16) {
        state = "match";
        continue;
      }
      if (t === 0) {
        run(15);
      }
      lit(t + 3);
      state = "first";
    } else if (state === "first") {
      t = src[ip++]!;
      if (t >= 16) {
        state = "match";
        continue;
      }
      mPos = op - 0x801 - (t >> 2) - (src[ip++]! << 2);
      copy(3);
      state = "done";
    } else if (state === "match") {
      if (t >= 64) {
        mPos = op - 1 - ((t >> 2) & 7) - (src[ip++]! << 3);
        t = (t >> 5) - 1;
      } else if (t >= 32) {
        t &= 31;
        if (t === 0) {
          run(31);
        }
        mPos = op - 1 - ((src[ip]! >> 2) + (src[ip + 1]! << 6));
        ip += 2;
      } else if (t >= 16) {
        mPos = op - ((t & 8) << 11);
        t &= 7;
        if (t === 0) {
          run(7);
        }
        mPos -= (src[ip]! >> 2) + (src[ip + 1]! << 6);
        ip += 2;
        if (mPos === op) {
          if (op !== size) {
            throw bad();
          }
          return out;
        }
        mPos -= 0x4000;
      } else {
        mPos = op - 1 - (t >> 2) - (src[ip++]! << 2);
        copy(2);
        state = "done";
        continue;
      }
      copy(t + 2);
      state = "done";
    } else if (state === "done") {
      t = src[ip - 2]! & 3;
      state = t === 0 ? "loop" : "next";
    } else {
      lit(t);
      t = src[ip++]!;
      state = "match";
    }
  }
}

export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = start >>> 16;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 3800, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const be32 = (out: number[], v: number) => out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);

/** The lzop file header (version 1.030, LZO1X-1, Adler-32 of raw data). */
export function lzopHeader(): Uint8Array {
  const h: number[] = [];
  h.push(0x10, 0x30, 0x20, 0x80, 0x09, 0x40, 1, 5);
  be32(h, F_ADLER32_D);
  be32(h, 0x81a4);
  be32(h, Math.floor(Date.now() / 1000));
  be32(h, 0);
  h.push(0);
  const body = Uint8Array.from(h);
  const out: number[] = [...MAGIC, ...body];
  be32(out, adler32(body));
  return Uint8Array.from(out);
}

/** One stored block (raw ≤ 256 KiB). */
export function lzopBlock(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + raw.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, raw.length);
  v.setUint32(4, raw.length);
  v.setUint32(8, adler32(raw));
  out.set(raw, 12);
  return out;
}

export const LZOP_END = new Uint8Array(4);
