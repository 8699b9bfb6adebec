/** Number text as Java's parsers accept it (Integer.parseInt, Long.parseLong, Float.parseFloat), with fast paths for plain digits. */
import { Decimal } from "../../src/api/index.ts";

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const FLOATING = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** Java's parseInt family: optional sign, digits only, in range. */
export function parseJavaInt(s: string, lo: number, hi: number): number | undefined {
  const n = s.length;
  if (n === 0 || n > 16) {
    return undefined;
  }
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
    if (n === 1) {
      return undefined;
    }
  }
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return undefined;
    }
    v = v * 10 + d;
  }
  if (neg) {
    v = -v;
  }
  return v >= lo && v <= hi ? v : undefined;
}

export function parseJavaLong(s: string): bigint | undefined {
  if (s.length <= 15) {
    const v = parseJavaInt(s, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    return v === undefined ? undefined : BigInt(v);
  }
  if (!/^[+-]?\d+$/.test(s)) {
    return undefined;
  }
  const v = BigInt(s);
  return v >= LONG_MIN && v <= LONG_MAX ? v : undefined;
}

/** Plain decimal text (`-12.5`, `3e8`) parses with Number directly; other forms go through the Java grammar. */
export function parseJavaFloating(s: string): number | undefined {
  const n = s.length;
  if (n > 0) {
    const c0 = s.charCodeAt(0);
    const cl = s.charCodeAt(n - 1);
    const c1 = n > 1 ? s.charCodeAt(1) | 32 : 0;
    if (
      ((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 46) &&
      cl >= 48 &&
      cl <= 57 &&
      c1 !== 120 &&
      c1 !== 98 &&
      c1 !== 111
    ) {
      const x = +s;
      if (!Number.isNaN(x)) {
        return x;
      }
    }
  }
  const t = s.trim();
  if (!FLOATING.test(t)) {
    return undefined;
  }
  if (t.endsWith("NaN")) {
    return Number.NaN;
  }
  if (t.endsWith("Infinity")) {
    return t.startsWith("-") ? -Infinity : Infinity;
  }
  return Number(t.replace(/[fFdD]$/, ""));
}

/** `-123.45` with at most 15 digits, without regex or string BigInt parsing; undefined otherwise. */
export function fastDecimal(s: string): Decimal | undefined {
  const n = s.length;
  if (n === 0 || n > 16) {
    return undefined;
  }
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let v = 0;
  let scale = -1;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && scale < 0) {
      scale = 0;
      continue;
    }
    if (c < 48 || c > 57) {
      return undefined;
    }
    v = v * 10 + (c - 48);
    digits++;
    if (scale >= 0) {
      scale++;
    }
  }
  if (digits === 0 || digits > 15 || scale === 0) {
    return undefined;
  }
  return new Decimal(BigInt(neg ? -v : v), Math.max(0, scale));
}
