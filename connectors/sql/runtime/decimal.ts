/**
 * The java.math.BigDecimal operations the SQL functions use, on the API's exact Decimal
 * (unscaled bigint + scale): valueOf(double), add/subtract/multiply, divide with a rounding mode,
 * remainder, setScale.
 */
import { Decimal } from "../../../src/api/index.ts";
import { javaDouble } from "../../../src/api/format.ts";
import { JavaError } from "./java.ts";

export type Rounding = "UP" | "DOWN" | "CEILING" | "FLOOR" | "HALF_UP" | "HALF_EVEN";

/** `BigDecimal.valueOf(double)`: the digits of Double.toString. */
export function decimalOfDouble(d: number): Decimal {
  if (!Number.isFinite(d)) {
    throw new JavaError("NumberFormatException", "Infinite or NaN");
  }
  return Decimal.parse(javaDouble(d));
}

/** A number of a known Java class as a BigDecimal (integers exactly, doubles via valueOf). */
export function toDecimal(v: number | bigint | Decimal, integral: boolean): Decimal {
  if (v instanceof Decimal) {
    return v;
  }
  if (typeof v === "bigint") {
    return new Decimal(v, 0);
  }
  return integral && Number.isInteger(v) ? new Decimal(BigInt(v), 0) : decimalOfDouble(v);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.unscaled * 10n ** BigInt(s - a.scale), b.unscaled * 10n ** BigInt(s - b.scale), s];
}

export function decAdd(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b);
  return new Decimal(x + y, s);
}

export function decSub(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b);
  return new Decimal(x - y, s);
}

export function decMul(a: Decimal, b: Decimal): Decimal {
  return new Decimal(a.unscaled * b.unscaled, a.scale + b.scale);
}

/** Rounds the quotient n / d (d > 0 after sign normalisation) to an integer. */
function roundQuotient(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  if (r === 0n) {
    return q;
  }
  const neg = n < 0n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case "DOWN":
      return q;
    case "UP":
      return neg ? q - 1n : q + 1n;
    case "CEILING":
      return neg ? q : q + 1n;
    case "FLOOR":
      return neg ? q - 1n : q;
    case "HALF_UP":
      return twice >= d ? (neg ? q - 1n : q + 1n) : q;
    case "HALF_EVEN":
      if (twice > d || (twice === d && (q & 1n) !== 0n)) {
        return neg ? q - 1n : q + 1n;
      }
      return q;
  }
}

/** `a.divide(b, scale, mode)`. */
export function decDiv(a: Decimal, b: Decimal, scale: number, mode: Rounding): Decimal {
  if (b.unscaled === 0n) {
    throw new JavaError("ArithmeticException", a.unscaled === 0n ? "Division undefined" : "Division by zero");
  }
  // a/b = (ua·10^-sa)/(ub·10^-sb); scaled by 10^scale: ua·10^(scale - sa + sb) / ub
  const shift = scale - a.scale + b.scale;
  const n = shift >= 0 ? a.unscaled * 10n ** BigInt(shift) : a.unscaled;
  const d = shift >= 0 ? b.unscaled : b.unscaled * 10n ** BigInt(-shift);
  return new Decimal(roundQuotient(n, d, mode), scale);
}

/** `a.remainder(b)` (divideAndRemainder()[1]): the sign of a, scale max(sa, sb). */
export function decRem(a: Decimal, b: Decimal): Decimal {
  if (b.unscaled === 0n) {
    throw new JavaError("ArithmeticException", "Division by zero");
  }
  const [x, y, s] = align(a, b);
  return new Decimal(x % y, s);
}

/** `d.setScale(scale, mode)`; a negative scale keeps the value with scale 0 (our Decimal has none). */
export function decSetScale(d: Decimal, scale: number, mode: Rounding): Decimal {
  if (scale >= d.scale) {
    return new Decimal(d.unscaled * 10n ** BigInt(scale - d.scale), scale);
  }
  const q = roundQuotient(d.unscaled, 10n ** BigInt(d.scale - scale), mode);
  return scale >= 0 ? new Decimal(q, scale) : new Decimal(q * 10n ** BigInt(-scale), 0);
}

export const decAbs = (d: Decimal): Decimal => (d.unscaled < 0n ? new Decimal(-d.unscaled, d.scale) : d);
export const decSignum = (d: Decimal): number => (d.unscaled > 0n ? 1 : d.unscaled < 0n ? -1 : 0);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The same rounding in floating point when |d|·10^scale is clearly away from the rounding boundary
 * (farther than the error of the product and of d against its decimal digits); undefined otherwise.
 * k / 10^scale is correctly rounded, so it equals parsing the rounded digits.
 */
function roundDoubleFast(d: number, scale: number, mode: Rounding): number | undefined {
  if (scale < 0 || scale >= POW10.length) {
    return undefined;
  }
  const p = POW10[scale]!;
  const a = Math.abs(d);
  const x = a * p;
  if (!(x < 1e15)) {
    return undefined;
  }
  const fl = Math.floor(x);
  const frac = x - fl;
  const margin = x * 1e-15 + 1e-12;
  const neg = d < 0;
  let k: number;
  if (mode === "HALF_UP" || mode === "HALF_EVEN") {
    if (Math.abs(frac - 0.5) <= margin) {
      return undefined;
    }
    k = frac > 0.5 ? fl + 1 : fl;
  } else {
    if (frac <= margin || frac >= 1 - margin) {
      return undefined;
    }
    const up = mode === "UP" || (mode === "CEILING" && !neg) || (mode === "FLOOR" && neg);
    k = up ? fl + 1 : fl;
  }
  const v = k / p;
  return v === 0 ? 0 : neg ? -v : v;
}

/** Adds one unit in the last place of a digit string (`"1299"` → `"1300"`). */
function incrementDigits(digits: string): string {
  const a = digits.split("");
  let i = a.length - 1;
  while (i >= 0 && a[i] === "9") {
    a[i--] = "0";
  }
  if (i < 0) {
    return `1${a.join("")}`;
  }
  a[i] = String(Number(a[i]) + 1);
  return a.join("");
}

/**
 * `BigDecimal.valueOf(d).setScale(scale, mode).doubleValue()` without BigInt: the shortest decimal
 * digits of d (what Double.toString prints) rounded as text, read back as the nearest double.
 */
export function roundDouble(d: number, scale: number, mode: Rounding): number {
  if (!Number.isFinite(d)) {
    throw new JavaError("NumberFormatException", "Infinite or NaN");
  }
  // From 2^52 on every double is a whole number: rounding to scale >= 0 leaves it as it is.
  if (scale >= 0 && Math.abs(d) >= 4503599627370496) {
    return d;
  }
  const fast = roundDoubleFast(d, scale, mode);
  if (fast !== undefined) {
    return fast;
  }
  const s = String(Math.abs(d));
  if (scale < 0 || s.includes("e")) {
    return decSetScale(decimalOfDouble(d), scale, mode).toNumber();
  }
  const dot = s.indexOf(".");
  const frac = dot < 0 ? "" : s.slice(dot + 1);
  if (frac.length <= scale) {
    return d === 0 ? 0 : d;
  }
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const kept = intPart + frac.slice(0, scale);
  const rest = frac.slice(scale);
  const neg = d < 0;
  let up: boolean;
  switch (mode) {
    case "DOWN":
      up = false;
      break;
    case "UP":
      up = true;
      break;
    case "CEILING":
      up = !neg;
      break;
    case "FLOOR":
      up = neg;
      break;
    case "HALF_UP":
      up = rest[0]! >= "5";
      break;
    case "HALF_EVEN":
      up = rest[0]! > "5" || (rest[0] === "5" && (rest.length > 1 || Number(kept[kept.length - 1]) % 2 === 1));
      break;
  }
  const digits = up ? incrementDigits(kept) : kept;
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  const v = Number(text);
  return v === 0 ? 0 : neg ? -v : v;
}
