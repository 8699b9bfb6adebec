/**
 * ORC run-length encodings (ORC specification v1): byte RLE, boolean bits, integer RLE v1 and
 * v2 (short repeat, direct, patched base, delta), and base-128 varints. Integers decode to
 * bigint so 64-bit columns stay exact.
 */

export class Bytes {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.b.length;
  }
  byte(): number {
    if (this.pos >= this.b.length) {
      throw new Error("orc: stream ended early");
    }
    return this.b[this.pos++]!;
  }
  /** Unsigned base-128 varint. */
  uvarint(): bigint {
    let x = 0n;
    let shift = 0n;
    for (;;) {
      const c = this.byte();
      x |= BigInt(c & 0x7f) << shift;
      if (c < 0x80) {
        return x;
      }
      shift += 7n;
    }
  }
  svarint(): bigint {
    return unzigzag(this.uvarint());
  }
  /** Big-endian unsigned integer of `n` bytes. */
  be(n: number): bigint {
    let x = 0n;
    for (let i = 0; i < n; i++) {
      x = (x << 8n) | BigInt(this.byte());
    }
    return x;
  }
}

export const unzigzag = (x: bigint): bigint => (x & 1n ? -((x >> 1n) + 1n) : x >> 1n);

/** Byte RLE: `count` bytes. */
export function byteRle(src: Uint8Array, count: number): Uint8Array {
  const r = new Bytes(src);
  const out = new Uint8Array(count);
  let n = 0;
  while (n < count) {
    const c = r.byte();
    if (c < 128) {
      const v = r.byte();
      for (let i = 0; i < c + 3 && n < count; i++) {
        out[n++] = v;
      }
    } else {
      for (let i = 0; i < 256 - c && n < count; i++) {
        out[n++] = r.byte();
      }
    }
  }
  return out;
}

/** Boolean stream: `count` bits, most significant bit first. */
export function booleans(src: Uint8Array, count: number): boolean[] {
  const bytes = byteRle(src, Math.ceil(count / 8));
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) {
    out[i] = ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
  }
  return out;
}

/** Integer RLE version 1. */
export function intRleV1(src: Uint8Array, count: number, signed: boolean): bigint[] {
  const r = new Bytes(src);
  const out: bigint[] = [];
  const read = () => (signed ? r.svarint() : r.uvarint());
  while (out.length < count) {
    const c = r.byte();
    if (c < 128) {
      const delta = BigInt((r.byte() << 24) >> 24);
      const base = read();
      for (let i = 0; i < c + 3; i++) {
        out.push(base + BigInt(i) * delta);
      }
    } else {
      for (let i = 0; i < 256 - c; i++) {
        out.push(read());
      }
    }
  }
  out.length = count;
  return out;
}

const WIDTHS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 28, 30, 32, 40, 48, 56, 64,
];
const decodeWidth = (code: number): number => WIDTHS[code]!;
const closestFixed = (n: number): number => (n === 0 ? 1 : (WIDTHS.find((w) => w >= n) ?? 64));

/** Reads `n` big-endian bit-packed unsigned values of `width` bits. */
function unpack(r: Bytes, n: number, width: number): bigint[] {
  const out = new Array<bigint>(n);
  let cur = 0;
  let bitsLeft = 0;
  for (let i = 0; i < n; i++) {
    let v = 0n;
    let need = width;
    while (need > 0) {
      if (bitsLeft === 0) {
        cur = r.byte();
        bitsLeft = 8;
      }
      const take = Math.min(need, bitsLeft);
      const bits = (cur >> (bitsLeft - take)) & ((1 << take) - 1);
      v = (v << BigInt(take)) | BigInt(bits);
      bitsLeft -= take;
      need -= take;
    }
    out[i] = v;
  }
  return out;
}

/** Integer RLE version 2. */
export function intRleV2(src: Uint8Array, count: number, signed: boolean): bigint[] {
  const r = new Bytes(src);
  const out: bigint[] = [];
  const zz = (x: bigint) => (signed ? unzigzag(x) : x);
  while (out.length < count) {
    const h = r.byte();
    const enc = h >> 6;
    if (enc === 0) {
      const width = ((h >> 3) & 7) + 1;
      const v = zz(r.be(width));
      for (let i = 0; i < (h & 7) + 3; i++) {
        out.push(v);
      }
    } else if (enc === 1) {
      const width = decodeWidth((h >> 1) & 0x1f);
      const len = (((h & 1) << 8) | r.byte()) + 1;
      for (const v of unpack(r, len, width)) {
        out.push(zz(v));
      }
    } else if (enc === 2) {
      patchedBase(r, h, out);
    } else {
      const code = (h >> 1) & 0x1f;
      const width = code === 0 ? 0 : decodeWidth(code);
      const len = (((h & 1) << 8) | r.byte()) + 1;
      let v = signed ? r.svarint() : r.uvarint();
      out.push(v);
      const delta = r.svarint();
      if (width === 0) {
        for (let i = 1; i < len; i++) {
          out.push((v += delta));
        }
      } else {
        v += delta;
        out.push(v);
        for (const d of unpack(r, len - 2, width)) {
          out.push((v = delta < 0n ? v - d : v + d));
        }
      }
    }
  }
  out.length = count;
  return out;
}

function patchedBase(r: Bytes, h: number, out: bigint[]): void {
  const width = decodeWidth((h >> 1) & 0x1f);
  const len = (((h & 1) << 8) | r.byte()) + 1;
  const b3 = r.byte();
  const baseWidth = ((b3 >> 5) & 7) + 1;
  const patchWidth = decodeWidth(b3 & 0x1f);
  const b4 = r.byte();
  const gapWidth = ((b4 >> 5) & 7) + 1;
  const patchCount = b4 & 0x1f;
  let base = r.be(baseWidth);
  const mask = 1n << BigInt(baseWidth * 8 - 1);
  if (base & mask) {
    base = -(base & ~mask);
  }
  const values = unpack(r, len, width);
  const patches = unpack(r, patchCount, closestFixed(gapWidth + patchWidth));
  let at = 0;
  for (const p of patches) {
    at += Number(p >> BigInt(patchWidth));
    const patch = p & ((1n << BigInt(patchWidth)) - 1n);
    if (at < len) {
      values[at] = values[at]! | (patch << BigInt(width));
    }
  }
  for (const v of values) {
    out.push(base + v);
  }
}
