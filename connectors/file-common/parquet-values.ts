/**
 * Values between hyparquet / hyparquet-writer and SeaTunnel. Reading: decimals arrive unscaled
 * (the reader strips their DECIMAL annotation so no float conversion happens), dates and
 * timestamps through custom parsers, maps as objects whose keys are re-typed. Writing: the
 * primitive each physical type takes (unscaled bigint at the column scale, epoch days, epoch
 * microseconds).
 */
import { type DataType, Decimal, LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";
import { epochDay, epochMicros } from "./temporal.ts";
import { codecs, fieldParser } from "./text-values.ts";

type Conv = (v: unknown) => unknown;

/** Two's-complement big-endian bytes → bigint. */
export function unscaledOf(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  if (v instanceof Uint8Array) {
    let x = 0n;
    for (const b of v) x = (x << 8n) | BigInt(b);
    if (v.length && v[0]! & 0x80) x -= 1n << BigInt(v.length * 8);
    return x;
  }
  throw new Error(`not a parquet decimal: ${String(v)}`);
}

const keyCodecs = codecs({ dateFormat: "yyyy-MM-dd", datetimeFormat: "yyyy-MM-dd HH:mm:ss", timeFormat: "HH:mm:ss" });

const timeOf = (v: unknown, micros: boolean): LocalTime => {
  const us = micros ? BigInt(v as bigint) : BigInt(v as number) * 1000n;
  const secs = Number(us / 1_000_000n);
  return new LocalTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, Number(us % 1_000_000n) * 1000);
};

/** hyparquet value → SeaTunnel value. `timeMicros` tells TIME columns' unit. */
export function fromParquet(t: DataType, timeMicros = true): Conv {
  const inner = ((): Conv => {
    switch (t.kind) {
      case "bigint":
        return (v) => BigInt(v as number | bigint);
      case "tinyint":
      case "smallint":
      case "int":
        return (v) => Number(v);
      case "float":
        return (v) => Math.fround(Number(v));
      case "double":
        return (v) => Number(v);
      case "decimal":
        return (v) => new Decimal(unscaledOf(v), t.scale);
      case "bytes":
        return (v) => (typeof v === "string" ? new TextEncoder().encode(v) : v);
      case "string":
        return (v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v));
      case "time":
        return (v) => (v instanceof LocalTime ? v : timeOf(v, timeMicros || typeof v === "bigint"));
      case "date":
      case "timestamp":
      case "boolean":
      case "null":
        return (v) => v;
      case "array": {
        const el = fromParquet(t.element, timeMicros);
        return (v) => (v as unknown[]).map(el);
      }
      case "map": {
        const k = fromParquet(t.key, timeMicros);
        const keyText = fieldParser(t.key, keyCodecs);
        const val = fromParquet(t.value, timeMicros);
        return (v) => {
          const out = new Map<unknown, unknown>();
          if (v instanceof Map) for (const [a, b] of v) out.set(k(a), val(b));
          else if (Array.isArray(v)) for (const e of v as { key: unknown; value: unknown }[]) out.set(k(e.key), val(e.value));
          else for (const [a, b] of Object.entries(v as object)) out.set(t.key.kind === "string" ? a : keyText(a), val(b));
          return out;
        };
      }
      case "row": {
        const fs = t.fields.map((f) => ({ name: f.name, conv: fromParquet(f.type, timeMicros) }));
        return (v) => {
          const o = v as Record<string, unknown>;
          return fs.map((f) => f.conv(o[f.name]));
        };
      }
    }
  })();
  return (v) => (v === null || v === undefined ? null : inner(v));
}

/** Parsers handed to hyparquet: exact dates and timestamps (UTC wall clock, as SeaTunnel under TZ=UTC). */
export const PARQUET_PARSERS = {
  dateFromDays: (days: number) => LocalDate.fromEpochDay(days),
  timestampFromMilliseconds: (ms: bigint) => LocalDateTime.fromEpochMicros(BigInt(ms) * 1000n),
  timestampFromMicroseconds: (us: bigint) => LocalDateTime.fromEpochMicros(BigInt(us)),
  timestampFromNanoseconds: (ns: bigint) => {
    const n = BigInt(ns);
    const base = LocalDateTime.fromEpochMicros(n / 1000n - (n % 1000n < 0n ? 1n : 0n));
    const extra = Number(((n % 1000n) + 1000n) % 1000n);
    return new LocalDateTime(base.date, new LocalTime(base.time.hour, base.time.minute, base.time.second, base.time.nano + extra));
  },
};

/** SeaTunnel value → what hyparquet-writer takes for the column's schema (see parquet-schema.ts). */
export function toParquet(t: DataType): Conv {
  const inner = ((): Conv => {
    switch (t.kind) {
      case "decimal":
        return (v) => (v instanceof Decimal ? v.setScale(t.scale).unscaled : Decimal.parse(String(v)).setScale(t.scale).unscaled);
      case "date":
        return (v) => epochDay(v as LocalDate);
      case "timestamp":
        return (v) => epochMicros(v as LocalDateTime);
      case "time":
        return (v) => (v as LocalTime).toNanoOfDay() / 1000n;
      case "bigint":
        return (v) => BigInt(v as number | bigint);
      case "null":
        return () => null;
      case "array": {
        const el = toParquet(t.element);
        return (v) => (v as unknown[]).map(el);
      }
      case "map": {
        const k = toParquet(t.key);
        const val = toParquet(t.value);
        return (v) => [...(v as Map<unknown, unknown>)].map(([a, b]) => ({ key: k(a), value: val(b) }));
      }
      case "row": {
        const fs = t.fields.map((f) => ({ name: f.name, conv: toParquet(f.type) }));
        return (v) => {
          const arr = v as unknown[];
          const o: Record<string, unknown> = {};
          fs.forEach((f, i) => (o[f.name] = f.conv(arr[i])));
          return o;
        };
      }
      default:
        return (v) => v;
    }
  })();
  return (v) => (v === null || v === undefined ? null : inner(v));
}
