/**
 * Parquet encoding primitives for a streaming column writer: a growable byte buffer, the RLE /
 * bit-packed hybrid of levels and dictionary indexes, and the PLAIN encoders of each physical type
 * (as hyparquet-writer writes them, without a JS value or array kept per value).
 */
import type { SchemaElement } from "hyparquet";

/** A growable byte buffer, kept for the life of the file. */
export class Buf {
  u8: Uint8Array;
  dv: DataView;
  pos = 0;

  constructor(size = 4096) {
    this.u8 = new Uint8Array(size);
    this.dv = new DataView(this.u8.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n > this.u8.length) {
      this.grow(n);
    }
  }

  private grow(n: number): void {
    let size = this.u8.length * 2;
    while (size < this.pos + n) {
      size *= 2;
    }
    const u8 = new Uint8Array(size);
    u8.set(this.u8.subarray(0, this.pos));
    this.u8 = u8;
    this.dv = new DataView(u8.buffer);
  }

  bytes(): Uint8Array {
    return this.u8.subarray(0, this.pos);
  }

  varint(v: number): void {
    this.ensure(5);
    const u8 = this.u8;
    while (v > 0x7f) {
      u8[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    u8[this.pos++] = v;
  }
}

/** RLE / bit-packed hybrid of `vals[0, count)` (hyparquet-writer's writeRleBitPackedHybrid). */
export function rleHybrid(out: Buf, vals: Int32Array | Uint8Array, count: number, bitWidth: number): void {
  let pending = 0;
  let bpStart = 0;
  let i = 0;
  while (i < count) {
    const first = vals[i]!;
    let run = 1;
    while (i + run < count && vals[i + run] === first) {
      run++;
    }
    if (run >= 8) {
      if (pending) {
        bitPacked(out, vals, count, bpStart, pending, bitWidth);
      }
      pending = 0;
      out.varint(run << 1);
      const width = (bitWidth + 7) >> 3;
      out.ensure(width);
      for (let j = 0; j < width; j++) {
        out.u8[out.pos++] = (first >> (j << 3)) & 0xff;
      }
      i += run;
    } else {
      if (pending === 0) {
        bpStart = i;
      }
      pending++;
      i += 8;
    }
  }
  if (pending) {
    bitPacked(out, vals, count, bpStart, pending, bitWidth);
  }
}

function bitPacked(
  out: Buf,
  vals: Int32Array | Uint8Array,
  count: number,
  start: number,
  groups: number,
  bitWidth: number,
): void {
  out.varint((groups << 1) | 1);
  if (bitWidth === 0) {
    return;
  }
  out.ensure(groups * bitWidth + 1);
  const u8 = out.u8;
  let pos = out.pos;
  const mask = (1 << bitWidth) - 1;
  let buffer = 0;
  let bits = 0;
  const end = start + groups * 8;
  for (let k = start; k < end; k++) {
    buffer |= (k < count ? vals[k]! & mask : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      u8[pos++] = buffer & 0xff;
      buffer >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) {
    u8[pos++] = buffer & 0xff;
  }
  out.pos = pos;
}

export type Physical = "BOOLEAN" | "INT32" | "INT64" | "FLOAT" | "DOUBLE" | "BYTE_ARRAY" | "FIXED_LEN_BYTE_ARRAY";
export type Enc = (b: Buf, v: unknown) => void;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO32 = 4294967296;

function encInt32(b: Buf, v: unknown): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new Error(`parquet expected int32 value, got ${String(v)}`);
  }
  b.ensure(4);
  b.dv.setInt32(b.pos, v, true);
  b.pos += 4;
}

function encInt64(b: Buf, v: unknown): void {
  b.ensure(8);
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) {
      throw new Error(`parquet expected integer value, got ${v}`);
    }
    const hi = Math.floor(v / TWO32);
    b.dv.setUint32(b.pos, v - hi * TWO32, true);
    b.dv.setInt32(b.pos + 4, hi, true);
  } else {
    const x = typeof v === "bigint" ? v : BigInt(v as string);
    if (x < INT64_MIN || x > INT64_MAX) {
      throw new RangeError(`parquet INT64 value out of range: ${x}`);
    }
    b.dv.setBigInt64(b.pos, x, true);
  }
  b.pos += 8;
}

function encFloat(b: Buf, v: unknown): void {
  if (typeof v !== "number") {
    throw new Error(`parquet expected number value, got ${String(v)}`);
  }
  b.ensure(4);
  b.dv.setFloat32(b.pos, v, true);
  b.pos += 4;
}

function encDouble(b: Buf, v: unknown): void {
  if (typeof v !== "number") {
    throw new Error(`parquet expected number value, got ${String(v)}`);
  }
  b.ensure(8);
  b.dv.setFloat64(b.pos, v, true);
  b.pos += 8;
}

export const utf8 = new TextEncoder();

/** Length-prefixed UTF-8 (lone surrogates as U+FFFD, as TextEncoder) or bytes. */
function encByteArray(b: Buf, v: unknown): void {
  if (typeof v === "string") {
    const n = v.length;
    b.ensure(4 + 3 * n);
    const start = b.pos;
    let p = start + 4;
    const u8 = b.u8;
    if (n > 64) {
      p += utf8.encodeInto(v, u8.subarray(p)).written;
    } else {
      for (let i = 0; i < n; i++) {
        let c = v.charCodeAt(i);
        if (c < 0x80) {
          u8[p++] = c;
        } else if (c < 0x800) {
          u8[p++] = 0xc0 | (c >> 6);
          u8[p++] = 0x80 | (c & 0x3f);
        } else {
          if (c >= 0xd800 && c <= 0xdfff) {
            const d = i + 1 < n ? v.charCodeAt(i + 1) : 0;
            if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
              const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              u8[p++] = 0xf0 | (cp >> 18);
              u8[p++] = 0x80 | ((cp >> 12) & 0x3f);
              u8[p++] = 0x80 | ((cp >> 6) & 0x3f);
              u8[p++] = 0x80 | (cp & 0x3f);
              i++;
              continue;
            }
            c = 0xfffd;
          }
          u8[p++] = 0xe0 | (c >> 12);
          u8[p++] = 0x80 | ((c >> 6) & 0x3f);
          u8[p++] = 0x80 | (c & 0x3f);
        }
      }
    }
    b.dv.setUint32(start, p - start - 4, true);
    b.pos = p;
  } else if (v instanceof Uint8Array) {
    b.ensure(4 + v.length);
    b.dv.setUint32(b.pos, v.length, true);
    b.u8.set(v, b.pos + 4);
    b.pos += 4 + v.length;
  } else {
    throw new Error(`parquet expected Uint8Array value, got ${typeof v}`);
  }
}

/** Big-endian two's complement in `len` bytes (high bytes dropped, as hyparquet-writer). */
function encFixed(len: number): Enc {
  return (b, v) => {
    b.ensure(len);
    const u8 = b.u8;
    const p = b.pos;
    if (typeof v === "number") {
      const hi = Math.floor(v / TWO32);
      const lo = v - hi * TWO32;
      const fill = v < 0 ? 0xff : 0;
      for (let k = len - 1, j = 0; k >= 0; k--, j++) {
        u8[p + k] = j < 4 ? (lo >>> (j << 3)) & 0xff : j < 8 ? (hi >> ((j - 4) << 3)) & 0xff : fill;
      }
    } else {
      let x = v as bigint;
      for (let k = len - 1; k >= 0; k--) {
        u8[p + k] = Number(x & 0xffn);
        x >>= 8n;
      }
    }
    b.pos = p + len;
  };
}

export function encoderOf(e: SchemaElement): Enc | undefined {
  switch (e.type as Physical) {
    case "INT32":
      return encInt32;
    case "INT64":
      return encInt64;
    case "FLOAT":
      return encFloat;
    case "DOUBLE":
      return encDouble;
    case "BYTE_ARRAY":
      return encByteArray;
    case "FIXED_LEN_BYTE_ARRAY":
      return encFixed(e.type_length!);
    default:
      return undefined;
  }
}
