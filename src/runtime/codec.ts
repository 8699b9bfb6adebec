/**
 * Binary batch encoding, for the places where rows must leave a thread or go to disk (`--no-fuse`
 * boundaries, the source cache). Values round-trip exactly by their SeaTunnel type: bigint,
 * Decimal (unscaled + scale), microsecond timestamps, bytes, nested arrays, maps and rows.
 *
 * Layout: u32 row count, u32 table count, table ids (string); then per row: u8 kind, u16 table
 * index, then each field: u8 null flag (1 = null) and the value.
 */
import type { Row, RowKind } from "../api/row.ts";
import type { TableSchema } from "../api/table.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, type DataType } from "../api/types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

class Writer {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) {
      return;
    }
    let size = this.buf.length * 2;
    while (size < this.pos + n) {
      size *= 2;
    }
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number) {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number) {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number) {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  i32(v: number) {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  i64(v: bigint) {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }
  f64(v: number) {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  bytes(b: Uint8Array) {
    this.u32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  str(s: string) {
    // Worst case 3 bytes per UTF-16 unit; encodeInto avoids an intermediate array.
    this.ensure(4 + s.length * 3);
    const r = enc.encodeInto(s, this.buf.subarray(this.pos + 4));
    this.view.setUint32(this.pos, r.written, true);
    this.pos += 4 + r.written;
  }
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8() {
    return this.buf[this.pos++]!;
  }
  u16() {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32() {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32() {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i64() {
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  f64() {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  bytes() {
    const n = this.u32();
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  str() {
    const n = this.u32();
    const s = dec.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

function writeValue(w: Writer, t: DataType, v: unknown): void {
  if (v === null || v === undefined) {
    w.u8(1);
    return;
  }
  w.u8(0);
  switch (t.kind) {
    case "string":
      return w.str(v as string);
    case "boolean":
      return w.u8(v ? 1 : 0);
    case "tinyint":
    case "smallint":
    case "int":
      return w.i32(v as number);
    case "bigint":
      return w.i64(v as bigint);
    case "float":
    case "double":
      return w.f64(v as number);
    case "decimal": {
      const d = v as Decimal;
      w.str(d.unscaled.toString());
      return w.u8(d.scale);
    }
    case "null":
      return;
    case "bytes":
      return w.bytes(v as Uint8Array);
    case "date":
      return w.i32((v as LocalDate).toEpochDay());
    case "time":
      return w.i64((v as LocalTime).toNanoOfDay());
    case "timestamp": {
      const ts = v as LocalDateTime;
      w.i32(ts.date.toEpochDay());
      return w.i64(ts.time.toNanoOfDay());
    }
    case "array": {
      const a = v as unknown[];
      w.u32(a.length);
      for (const x of a) {
        writeValue(w, t.element, x);
      }
      return;
    }
    case "map": {
      const m = v as Map<unknown, unknown>;
      w.u32(m.size);
      for (const [k, x] of m) {
        writeValue(w, t.key, k);
        writeValue(w, t.value, x);
      }
      return;
    }
    case "row": {
      const r = v as unknown[];
      t.fields.forEach((f, i) => writeValue(w, f.type, r[i]));
      return;
    }
  }
}

function readValue(r: Reader, t: DataType): unknown {
  if (r.u8() === 1) {
    return null;
  }
  switch (t.kind) {
    case "string":
      return r.str();
    case "boolean":
      return r.u8() === 1;
    case "tinyint":
    case "smallint":
    case "int":
      return r.i32();
    case "bigint":
      return r.i64();
    case "float":
    case "double":
      return r.f64();
    case "decimal": {
      const unscaled = BigInt(r.str());
      return new Decimal(unscaled, r.u8());
    }
    case "null":
      return null;
    case "bytes":
      return r.bytes();
    case "date":
      return LocalDate.fromEpochDay(r.i32());
    case "time":
      return timeOf(r.i64());
    case "timestamp": {
      const d = LocalDate.fromEpochDay(r.i32());
      return new LocalDateTime(d, timeOf(r.i64()));
    }
    case "array": {
      const n = r.u32();
      const a = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        a[i] = readValue(r, t.element);
      }
      return a;
    }
    case "map": {
      const n = r.u32();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        m.set(readValue(r, t.key), readValue(r, t.value));
      }
      return m;
    }
    case "row":
      return t.fields.map((f) => readValue(r, f.type));
  }
}

function timeOf(nanos: bigint): LocalTime {
  const secs = Number(nanos / 1_000_000_000n);
  return new LocalTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, Number(nanos % 1_000_000_000n));
}

function typesOf(tables: TableSchema[]): Map<string, DataType[]> {
  return new Map(tables.map((t) => [t.id, t.columns.map((c) => c.type)]));
}

export function encodeBatch(batch: Row[], tables: TableSchema[]): Uint8Array {
  const types = typesOf(tables);
  const ids = [...new Set(batch.map((r) => r.table))];
  const w = new Writer();
  w.u32(batch.length);
  w.u32(ids.length);
  for (const id of ids) {
    w.str(id);
  }
  const index = new Map(ids.map((id, i) => [id, i]));
  for (const row of batch) {
    const ts = types.get(row.table) ?? (tables.length === 1 ? tables[0]!.columns.map((c) => c.type) : undefined);
    if (!ts) {
      throw new Error(`encoding a row of table "${row.table}", which is not among this operator's tables`);
    }
    w.u8(row.kind);
    w.u16(index.get(row.table)!);
    for (let i = 0; i < ts.length; i++) {
      writeValue(w, ts[i]!, row.fields[i]);
    }
  }
  return w.buf.slice(0, w.pos);
}

export function decodeBatch(buf: Uint8Array, tables: TableSchema[]): Row[] {
  const types = typesOf(tables);
  const r = new Reader(buf);
  const n = r.u32();
  const ids: string[] = [];
  for (let i = r.u32(); i > 0; i--) {
    ids.push(r.str());
  }
  const out = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const kind = r.u8() as RowKind;
    const table = ids[r.u16()]!;
    const ts = types.get(table) ?? tables[0]!.columns.map((c) => c.type);
    const fields = new Array<unknown>(ts.length);
    for (let j = 0; j < ts.length; j++) {
      fields[j] = readValue(r, ts[j]!);
    }
    out[i] = { kind, table, fields };
  }
  return out;
}
