/**
 * A bounded ORC reader (no maintained npm package reads ORC): postscript, footer and stripe
 * footers (protobuf), NONE / ZLIB / SNAPPY / ZSTD compression, and the column encodings ORC
 * writers emit (DIRECT, DICTIONARY, v1 and v2). Every SeaTunnel type is read: boolean, integers,
 * float, double, string/varchar/char, binary, decimal, date, timestamp, list, map, struct.
 * A stripe is decoded whole; UNION columns and LZO/LZ4 compression are refused with a clear error.
 */
import { inflateSync } from "fflate";
import { snappyUncompress } from "hyparquet";
import { type Column, type DataType, Decimal, LocalDate, LocalDateTime, LocalTime, T } from "../../src/api/index.ts";
import { booleans, byteRle, Bytes, intRleV1, intRleV2 } from "./orc-rle.ts";

type Pb = Map<number, (bigint | Uint8Array)[]>;

/** Minimal protobuf: field number → values (varints as bigint, length-delimited as bytes). */
function pb(buf: Uint8Array): Pb {
  const r = new Bytes(buf);
  const out: Pb = new Map();
  const add = (f: number, v: bigint | Uint8Array) => {
    const a = out.get(f);
    if (a) {
      a.push(v);
    } else {
      out.set(f, [v]);
    }
  };
  while (!r.done) {
    const key = Number(r.uvarint());
    const f = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      add(f, r.uvarint());
    } else if (wire === 2) {
      const n = Number(r.uvarint());
      add(f, buf.subarray(r.pos, r.pos + n));
      r.pos += n;
    } else if (wire === 1) {
      r.pos += 8;
    } else if (wire === 5) {
      r.pos += 4;
    } else {
      throw new Error(`orc: unsupported protobuf wire type ${wire}`);
    }
  }
  return out;
}

const num = (m: Pb, f: number, d = 0): number => Number((m.get(f)?.[0] as bigint | undefined) ?? BigInt(d));
const msgs = (m: Pb, f: number): Pb[] => (m.get(f) ?? []).map((b) => pb(b as Uint8Array));
/** Packed or repeated varints. */
function uints(m: Pb, f: number): number[] {
  const out: number[] = [];
  for (const v of m.get(f) ?? []) {
    if (typeof v === "bigint") {
      out.push(Number(v));
    } else {
      for (const r = new Bytes(v); !r.done; ) {
        out.push(Number(r.uvarint()));
      }
    }
  }
  return out;
}
const text = (b: bigint | Uint8Array | undefined): string =>
  b instanceof Uint8Array ? new TextDecoder().decode(b) : "";

const CODECS = ["NONE", "ZLIB", "SNAPPY", "LZO", "LZ4", "ZSTD"];

function decompress(codec: number, data: Uint8Array): Uint8Array {
  if (codec === 0) {
    return data;
  }
  const parts: Uint8Array[] = [];
  let p = 0;
  while (p + 3 <= data.length) {
    const h = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
    const len = h >>> 1;
    const chunk = data.subarray(p + 3, p + 3 + len);
    p += 3 + len;
    if (h & 1) {
      parts.push(chunk);
    } else if (codec === 1) {
      parts.push(inflateSync(chunk));
    } else if (codec === 2) {
      const out = new Uint8Array(snappyLength(chunk));
      snappyUncompress(chunk, out);
      parts.push(out);
    } else if (codec === 5) {
      parts.push(new Uint8Array(Bun.zstdDecompressSync(chunk)));
    } else {
      throw new Error(`orc: compression ${CODECS[codec] ?? codec} is unsupported; use NONE, ZLIB, SNAPPY or ZSTD`);
    }
  }
  if (parts.length === 1) {
    return parts[0]!;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

const snappyLength = (b: Uint8Array): number => Number(new Bytes(b).uvarint());

export interface OrcType {
  kind: number;
  subtypes: number[];
  names: string[];
  precision: number;
  scale: number;
}

export interface OrcFile {
  codec: number;
  types: OrcType[];
  stripes: { offset: number; indexLength: number; dataLength: number; footerLength: number; rows: number }[];
  rows: number;
}

/** Reads the tail of an ORC file with `read(start, end)`. */
export async function orcFooter(
  size: number,
  read: (start: number, end: number) => Promise<Uint8Array>,
): Promise<OrcFile> {
  const tailLen = Math.min(size, 16384);
  let tail = await read(size - tailLen, size);
  const psLen = tail[tail.length - 1]!;
  const ps = pb(tail.subarray(tail.length - 1 - psLen, tail.length - 1));
  const codec = num(ps, 2);
  const footerLen = num(ps, 1);
  const need = 1 + psLen + footerLen;
  if (need > tail.length) {
    tail = await read(size - need, size);
  }
  const footer = pb(decompress(codec, tail.subarray(tail.length - need, tail.length - 1 - psLen)));
  const types = msgs(footer, 4).map((t) => ({
    kind: num(t, 1),
    subtypes: uints(t, 2),
    names: (t.get(3) ?? []).map(text),
    precision: num(t, 5, 38),
    scale: num(t, 6, 10),
  }));
  const stripes = msgs(footer, 3).map((s) => ({
    offset: num(s, 1),
    indexLength: num(s, 2),
    dataLength: num(s, 3),
    footerLength: num(s, 4),
    rows: num(s, 5),
  }));
  return { codec, types, stripes, rows: num(footer, 6) };
}

/** SeaTunnel type of ORC column `id` (OrcReadStrategy.orcDataType2SeaTunnelDataType). */
export function orcType(types: OrcType[], id: number): DataType {
  const t = types[id]!;
  switch (t.kind) {
    case 0:
      return T.boolean;
    case 1:
      return T.tinyint;
    case 2:
      return T.smallint;
    case 3:
      return T.int;
    case 4:
      return T.bigint;
    case 5:
      return T.float;
    case 6:
      return T.double;
    case 7:
    case 16:
    case 17:
      return T.string;
    case 8:
      return T.bytes;
    case 9:
    case 18:
      return T.timestamp;
    case 10:
      return T.array(orcType(types, t.subtypes[0]!));
    case 11:
      return T.map(orcType(types, t.subtypes[0]!), orcType(types, t.subtypes[1]!));
    case 12:
      return {
        kind: "row",
        fields: t.subtypes.map((s, i) => ({ name: t.names[i] ?? `_col${i}`, type: orcType(types, s) })),
      };
    case 14:
      return T.decimal(t.precision, t.scale);
    case 15:
      return T.date;
    default:
      throw new Error(`orc: column type ${t.kind} (union) is unsupported`);
  }
}

export function orcColumnsOf(f: OrcFile): Column[] {
  const root = f.types[0]!;
  return root.subtypes.map((s, i) => ({ name: root.names[i]!, type: orcType(f.types, s), nullable: true }));
}

interface Stripe {
  streams: Map<string, Uint8Array>;
  encodings: number[];
  codec: number;
}

/** Decodes a stripe (`bytes` = index + data + footer) into streams by `column:kind`. */
export function openStripe(f: OrcFile, bytes: Uint8Array, indexLength: number, dataLength: number): Stripe {
  const footer = pb(decompress(f.codec, bytes.subarray(indexLength + dataLength)));
  const streams = new Map<string, Uint8Array>();
  let p = 0;
  for (const s of msgs(footer, 1)) {
    const len = num(s, 3);
    const kind = num(s, 1);
    if (kind <= 5) {
      streams.set(`${num(s, 2)}:${kind}`, bytes.subarray(p, p + len));
    }
    p += len;
  }
  return { streams, encodings: msgs(footer, 2).map((e) => num(e, 1)), codec: f.codec };
}

const PRESENT = 0,
  DATA = 1,
  LENGTH = 2,
  DICT = 3,
  SECONDARY = 5;
const TS_BASE = 1420070400n;

/** Values of column `id` for `n` rows (nulls included); the reader's core. */
export function readColumn(f: OrcFile, s: Stripe, id: number, n: number): unknown[] {
  const stream = (k: number) => {
    const b = s.streams.get(`${id}:${k}`);
    return b ? decompress(s.codec, b) : undefined;
  };
  const presentBytes = stream(PRESENT);
  const present = presentBytes ? booleans(presentBytes, n) : undefined;
  const m = present ? present.filter(Boolean).length : n;
  const values = presentValues(f, s, id, m, stream);
  if (!present) {
    return values;
  }
  const out = new Array<unknown>(n);
  for (let i = 0, j = 0; i < n; i++) {
    out[i] = present[i] ? values[j++] : null;
  }
  return out;
}

function presentValues(
  f: OrcFile,
  s: Stripe,
  id: number,
  m: number,
  stream: (k: number) => Uint8Array | undefined,
): unknown[] {
  const t = f.types[id]!;
  const enc = s.encodings[id] ?? 0;
  const ints = (k: number, count: number, signed: boolean): bigint[] => {
    const b = stream(k);
    if (!b || count === 0) {
      return [];
    }
    return enc >= 2 ? intRleV2(b, count, signed) : intRleV1(b, count, signed);
  };
  const data = () => stream(DATA) ?? new Uint8Array(0);
  switch (t.kind) {
    case 0:
      return booleans(data(), m);
    case 1:
      return Array.from(byteRle(data(), m), (b) => (b << 24) >> 24);
    case 2:
    case 3:
      return ints(DATA, m, true).map(Number);
    case 4:
      return ints(DATA, m, true);
    case 5:
    case 6: {
      const b = data();
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const w = t.kind === 5 ? 4 : 8;
      return Array.from({ length: m }, (_, i) => (w === 4 ? v.getFloat32(i * w, true) : v.getFloat64(i * w, true)));
    }
    case 7:
    case 8:
    case 16:
    case 17:
      return strings(t.kind === 8, enc, m, stream, ints);
    case 9:
    case 18: {
      const secs = ints(DATA, m, true);
      const nanos = ints(SECONDARY, m, false);
      return secs.map((sec, i) => timestamp(sec, nanos[i] ?? 0n));
    }
    case 14: {
      const r = new Bytes(data());
      const scales = ints(SECONDARY, m, true);
      return Array.from({ length: m }, (_, i) => new Decimal(r.svarint(), Number(scales[i] ?? BigInt(t.scale))));
    }
    case 15:
      return ints(DATA, m, true).map((d) => LocalDate.fromEpochDay(Number(d)));
    case 10:
    case 11: {
      const lens = ints(LENGTH, m, false).map(Number);
      const total = lens.reduce((a, b) => a + b, 0);
      const keys = readColumn(f, s, t.subtypes[0]!, total);
      const vals = t.kind === 11 ? readColumn(f, s, t.subtypes[1]!, total) : undefined;
      let at = 0;
      return lens.map((len) => {
        const start = at;
        at += len;
        if (!vals) {
          return keys.slice(start, at);
        }
        const map = new Map<unknown, unknown>();
        for (let i = start; i < at; i++) {
          map.set(keys[i], vals[i]);
        }
        return map;
      });
    }
    case 12: {
      const cols = t.subtypes.map((c) => readColumn(f, s, c, m));
      return Array.from({ length: m }, (_, i) => cols.map((c) => c[i]));
    }
    default:
      throw new Error(`orc: column type ${t.kind} (union) is unsupported`);
  }
}

function strings(
  binary: boolean,
  enc: number,
  m: number,
  stream: (k: number) => Uint8Array | undefined,
  ints: (k: number, c: number, s: boolean) => bigint[],
): unknown[] {
  const dec = new TextDecoder();
  const asValue = (b: Uint8Array) => (binary ? b.slice() : dec.decode(b));
  const data = stream(DATA) ?? new Uint8Array(0);
  if (enc === 1 || enc === 3) {
    const dictBytes = stream(DICT) ?? new Uint8Array(0);
    const idx = ints(DATA, m, false);
    // biome-ignore lint/complexity/useMathMinMax: bigint values (Math.max takes numbers)
    const lens = ints(LENGTH, Number(idx.reduce((a, b) => (b > a ? b : a), -1n)) + 1, false);
    const dict: unknown[] = [];
    let p = 0;
    for (const l of lens) {
      dict.push(asValue(dictBytes.subarray(p, p + Number(l))));
      p += Number(l);
    }
    return idx.map((i) => dict[Number(i)]);
  }
  const lens = ints(LENGTH, m, false);
  let p = 0;
  return lens.map((l) => {
    const v = asValue(data.subarray(p, p + Number(l)));
    p += Number(l);
    return v;
  });
}

/** Seconds since 2015-01-01 UTC and the encoded nanos (trailing zeros folded into 3 bits). */
function timestamp(sec: bigint, enc: bigint): LocalDateTime {
  const zeros = Number(enc & 7n);
  let nanos = enc >> 3n;
  if (zeros) {
    nanos *= 10n ** BigInt(zeros + 1);
  }
  let seconds = sec + TS_BASE;
  if (seconds < 0n && nanos > 0n) {
    seconds -= 1n;
  }
  const base = LocalDateTime.fromEpochMicros(seconds * 1_000_000n);
  return new LocalDateTime(base.date, new LocalTime(base.time.hour, base.time.minute, base.time.second, Number(nanos)));
}
