/**
 * Java's number-to-text rules: `Double.toString` / `Float.toString` (JDK 19+ shortest round-trip
 * digits, one-digit results widened to two when Java would, plain between 1e-3 and 1e7, else
 * `d.dddEn`) and `BigDecimal.toString`. Split out of format.ts, which re-exports these.
 */
import type { Decimal } from "./types.ts";

/** Significant digits and decimal exponent: the value is `d.ddd × 10^exp`. */
interface Sci {
  digits: string;
  exp: number;
}

function parseExponential(s: string): Sci {
  const e = s.indexOf("e");
  return { digits: s.slice(0, e).replace(".", ""), exp: Number(s.slice(e + 1)) };
}

/** Shortest round-trip digits of a positive finite double (JS already computes them). */
function shortestDouble(a: number): Sci {
  return parseExponential(a.toExponential());
}

/** Shortest digits that read back as the same float32 (`a` is already float-rounded). */
function shortestFloat(a: number): Sci {
  // Round-tripping is monotone in the digit count, so binary search the shortest count (≤ 9).
  const fits = (p: number) => Math.fround(Number(a.toExponential(p - 1))) === a;
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  // Just above a power of two the lower half-gap is narrower, so a shorter decimal on the upper
  // side can fit although the nearest one of that length does not.
  if (lo > 1 && Number.isInteger(Math.log2(a))) {
    const sci = parseExponential(a.toExponential(lo - 2));
    const up = `${BigInt(sci.digits) + 1n}e${sci.exp - (lo - 2)}`;
    if (Math.fround(Number(up)) === a) {
      return trimZeros(parseExponential(Number(up).toExponential(lo - 2)));
    }
  }
  const even = roundHalfEven(a, lo);
  return trimZeros(parseExponential(Math.fround(Number(even)) === a ? even : a.toExponential(lo - 1)));
}

/**
 * `a.toExponential(p - 1)` but with ties to the even last digit, as Java resolves them (JS rounds
 * ties up). A tie needs the exact binary value to end in 5 one digit further, checked with BigInt.
 */
function roundHalfEven(a: number, p: number): string {
  const near = a.toExponential(p - 1);
  const more = a.toExponential(p);
  if (more[more.indexOf("e") - 1] !== "5" || !isExactly(a, more)) {
    return near;
  }
  const sci = parseExponential(near);
  if (Number(sci.digits[sci.digits.length - 1]) % 2 === 0) {
    return near;
  }
  const lower = BigInt(sci.digits) - 1n;
  return Number(`${lower}e${sci.exp - (p - 1)}`).toExponential(p - 1);
}

/** True when the decimal string `s` is exactly the binary value `a` (both positive). */
function isExactly(a: number, s: string): boolean {
  const { digits, exp } = parseExponential(s);
  const k = exp - (digits.length - 1); // s = digits × 10^k
  const [m, q] = binary(a); // a = m × 2^q
  const left = BigInt(digits) * (k >= 0 ? 10n ** BigInt(k) : 1n) * (q < 0 ? 2n ** BigInt(-q) : 1n);
  const right = m * (q >= 0 ? 2n ** BigInt(q) : 1n) * (k < 0 ? 10n ** BigInt(-k) : 1n);
  return left === right;
}

/** Mantissa and exponent of a positive finite double: a = m × 2^q exactly. */
function binary(a: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  return e === 0 ? [frac, -1074] : [frac | 0x10000000000000n, e - 1075];
}

function trimZeros(s: Sci): Sci {
  const digits = s.digits.replace(/0+$/, "");
  return { digits: digits === "" ? "0" : digits, exp: s.exp };
}

/** Java's rule for one-digit results: the closest decimal of length 1 or 2 that rounds back. */
function preferTwoDigits(a: number, s: Sci, roundTrips: (x: number) => boolean): Sci {
  if (s.digits.length !== 1) {
    return s;
  }
  const two = parseExponential(a.toExponential(1));
  if (two.digits[1] !== "0" && roundTrips(Number(a.toExponential(1)))) {
    return two;
  }
  return s;
}

function layoutJava(neg: boolean, a: number, s: Sci): string {
  const sign = neg ? "-" : "";
  const { digits, exp } = s;
  if (a >= 1e-3 && a < 1e7) {
    if (exp < 0) {
      return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    }
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, "0");
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : "0";
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}E${exp}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) {
    return "NaN";
  }
  if (x === Infinity) {
    return "Infinity";
  }
  if (x === -Infinity) {
    return "-Infinity";
  }
  if (x === 0) {
    return Object.is(x, -0) ? "-0.0" : "0.0";
  }
  return undefined;
}

/** Java `Double.toString(x)`: `1.0`, `0.1`, `100.0`, `1.0E10`, `1.0E-5`, `4.9E-324`. */
export function javaDouble(x: number): string {
  const sp = special(x);
  if (sp !== undefined) {
    return sp;
  }
  const a = Math.abs(x);
  return layoutJava(
    x < 0,
    a,
    preferTwoDigits(a, shortestDouble(a), (y) => y === a),
  );
}

/** Java `Float.toString(x)` for a float32 value (rounded through Math.fround first). */
export function javaFloat(x: number): string {
  const f = Math.fround(x);
  const sp = special(f);
  if (sp !== undefined) {
    return sp;
  }
  const a = Math.abs(f);
  return layoutJava(
    f < 0,
    a,
    preferTwoDigits(a, shortestFloat(a), (y) => Math.fround(y) === a),
  );
}

/** Java `BigDecimal.toString()`: plain unless the scale is negative or the adjusted exponent < -6. */
export function javaBigDecimal(d: Decimal): string {
  const neg = d.unscaled < 0n;
  const coeff = (neg ? -d.unscaled : d.unscaled).toString();
  const sign = neg ? "-" : "";
  const adjusted = -d.scale + (coeff.length - 1);
  if (d.scale === 0) {
    return sign + coeff;
  }
  if (d.scale > 0 && adjusted >= -6) {
    const pad = coeff.padStart(d.scale + 1, "0");
    return `${sign}${pad.slice(0, pad.length - d.scale)}.${pad.slice(pad.length - d.scale)}`;
  }
  const mant = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mant}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
}
