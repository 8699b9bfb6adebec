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
  if (typeof v === "bigint") {
    return v;
  }
  if (typeof v === "number") {
    return BigInt(v);
  }
  if (v instanceof Uint8Array) {
    let x = 0n;
    for (const b of v) {
      x = (x << 8n) | BigInt(b);
    }
    if (v.length && v[0]! & 0x80) {
      x -= 1n << BigInt(v.length * 8);
    }
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
          if (v instanceof Map) {
            for (const [a, b] of v) {
              out.set(k(a), val(b));
            }
          } else if (Array.isArray(v)) {
            for (const e of v as { key: unknown; value: unknown }[]) {
              out.set(k(e.key), val(e.value));
            }
          } else {
            for (const [a, b] of Object.entries(v as object)) {
              out.set(t.key.kind === "string" ? a : keyText(a), val(b));
            }
          }
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
    return new LocalDateTime(
      base.date,
      new LocalTime(base.time.hour, base.time.minute, base.time.second, base.time.nano + extra),
    );
  },
};

/** SeaTunnel value → what hyparquet-writer takes for the column's schema (see parquet-schema.ts). */
export function toParquet(t: DataType): Conv {
  const inner = ((): Conv => {
    switch (t.kind) {
      case "decimal":
        return (v) =>
          v instanceof Decimal ? v.setScale(t.scale).unscaled : Decimal.parse(String(v)).setScale(t.scale).unscaled;
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

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Days whose epoch microseconds stay below 2^53 (a Number holds them exactly). */
const SAFE_DAYS = 104_000;

/** An unscaled integer as a Number when it is exact (no bigint kept), else the bigint. */
const narrow = (u: bigint): number | bigint => (u >= -SAFE && u <= SAFE ? Number(u) : u);

const microsOfDay = (t: LocalTime): number =>
  ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + Math.floor(t.nano / 1000);

/**
 * A flat column's SeaTunnel value → the primitive its physical type stores, as the streaming
 * parquet encoder takes it: numbers for INT32, FLOAT and DOUBLE, a number (exact, below 2^53) or a
 * bigint for INT64 and for a decimal's unscaled value at the column scale, a string or bytes for
 * BYTE_ARRAY, a boolean; null for null. The same values toParquet gives, without a bigint or a
 * rescaled Decimal per value where a Number holds them. Undefined for nested types.
 */
export function toPhysical(t: DataType): Conv | undefined {
  switch (t.kind) {
    case "decimal": {
      const scale = t.scale;
      return (v) => {
        if (v === null || v === undefined) {
          return null;
        }
        const d = v instanceof Decimal ? v : Decimal.parse(String(v));
        return narrow(d.scale === scale ? d.unscaled : d.setScale(scale).unscaled);
      };
    }
    case "date":
      return (v) => (v === null || v === undefined ? null : epochDay(v as LocalDate));
    case "timestamp":
      return (v) => {
        if (v === null || v === undefined) {
          return null;
        }
        const ts = v as LocalDateTime;
        const days = epochDay(ts.date);
        return days > -SAFE_DAYS && days < SAFE_DAYS ? days * 86_400_000_000 + microsOfDay(ts.time) : epochMicros(ts);
      };
    case "time":
      return (v) => (v === null || v === undefined ? null : microsOfDay(v as LocalTime));
    case "null":
      return () => null;
    case "array":
    case "map":
    case "row":
      return undefined;
    default:
      return (v) => (v === undefined ? null : v);
  }
}
