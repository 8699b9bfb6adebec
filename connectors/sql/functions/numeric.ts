/**
 * Numeric functions (NumericFunction.java). ABS and ROUND keep the argument's type, CEIL/FLOOR
 * return INT (`intValue()` of the rounded value), TRUNC is declared DOUBLE, MOD takes the divisor's
 * type and computes through BigDecimal, SIGN of NULL is 0.
 */
import { Decimal, T, type DataType } from "../../../src/api/index.ts";
import {
  decAbs,
  decimalOfDouble,
  decRem,
  decSetScale,
  decSignum,
  roundDouble,
  toDecimal,
  type Rounding,
} from "../runtime/decimal.ts";
import { doubleValue, intValue, javaStr, longValue, unsupported } from "../runtime/java.ts";
import { fixed, type Arg, type FnDef, type Impl } from "./registry.ts";

type Num = number | bigint | Decimal;
const D = T.double;

/** A one-argument double function: NULL in, NULL out; `check` sees the value and its Java class. */
const unary = (
  name: string,
  doc: string,
  f: (x: number) => number,
  check?: (x: number, raw: Num, rt: DataType) => void,
): FnDef => ({
  names: [name],
  family: "numeric",
  signature: `${name}(numeric) -> DOUBLE`,
  doc,
  minArgs: 1,
  expects: "n",
  result: () => D,
  bind: (args) => {
    const rt = args[0]!.rt;
    return (v) => {
      if (v === null || v === undefined) {
        return null;
      }
      const x = doubleValue(v as Num);
      check?.(x, v as Num, rt);
      return f(x);
    };
  },
});

/** LN/LOG/LOG10's domain check; the message prints the value as Java's String.format does. */
const positive =
  (fn: string, what = "argument") =>
  (x: number, raw: Num, rt: DataType) => {
    if (x <= 0) {
      throw unsupported(`Unsupported function ${fn}() ${what}: ${javaStr(raw, rt)}`);
    }
  };

/** NumericFunction.round(v1, v2, mode) for a value of Java class `rt`. */
function rounder(rt: DataType, mode: Rounding): (v: Num, scale: number) => Num {
  switch (rt.kind) {
    case "int":
    case "bigint":
      return (v, scale) => {
        if (scale >= 0) {
          return v;
        }
        const r = decSetScale(new Decimal(longValue(v), 0), scale, mode).unscaled;
        return rt.kind === "int" ? Number(BigInt.asIntN(32, r)) : BigInt.asIntN(64, r);
      };
    case "decimal":
      return (v, scale) => decSetScale(decimalOfDouble(doubleValue(v)), scale, mode);
    case "float":
    case "double":
      return (v, scale) => {
        const d = v as number;
        if (scale === 0 && mode === "DOWN") {
          return Math.trunc(d);
        }
        if (scale === 0 && mode === "CEILING") {
          return Math.ceil(d);
        }
        if (scale === 0 && mode === "FLOOR") {
          return Math.floor(d);
        }
        return roundDouble(d, scale, mode);
      };
    default:
      return (v) => v;
  }
}

const scaleOf = (v: unknown): number => (v === null || v === undefined ? 0 : intValue(v as Num));

function roundingFn(
  names: string[],
  sig: string,
  doc: string,
  mode: Rounding,
  result: (a: Arg[]) => DataType,
  asInt: boolean,
): FnDef {
  return {
    names,
    family: "numeric",
    signature: sig,
    doc,
    minArgs: 1,
    expects: "nn",
    result: (args) => (asInt ? T.int : { type: result(args), rt: args[0]!.rt }),
    bind: (args): Impl => {
      const r = rounder(args[0]!.rt, mode);
      return asInt
        ? (v, s) => (v == null ? null : intValue(r(v as Num, scaleOf(s))))
        : (v, s) => (v == null ? null : r(v as Num, scaleOf(s)));
    },
  };
}

function absOf(rt: DataType): Impl {
  switch (rt.kind) {
    case "tinyint":
    case "smallint":
      return (v) => {
        if (v === null || v === undefined) {
          return null;
        }
        const min = rt.kind === "tinyint" ? -128 : -32768;
        if (v === min) {
          throw unsupported(`Function ABS cannot represent the absolute value of ${v} for ${rt.kind.toUpperCase()}`);
        }
        return Math.abs(v as number);
      };
    case "int":
      return (v) => (v == null ? null : Math.abs(v as number) | 0);
    case "bigint":
      return (v) => (v == null ? null : (v as bigint) < 0n ? BigInt.asIntN(64, -(v as bigint)) : v);
    case "decimal":
      return (v) => (v == null ? null : decAbs(v as Decimal));
    default:
      return (v) => (v == null ? null : Math.abs(v as number));
  }
}

/** MOD through BigDecimal; the result has the divisor's class (Short/Byte divisors are unsupported). */
export function modOf(left: DataType, right: DataType): Impl {
  const integral = (t: DataType) => ["tinyint", "smallint", "int", "bigint"].includes(t.kind);
  return (a, b) => {
    if (a === null || a === undefined || b === null || b === undefined) {
      return null;
    }
    const l = toDecimal(a as Num, integral(left));
    const r = toDecimal(b as Num, integral(right));
    if (r.unscaled === 0n) {
      throw unsupported("Mod by zero");
    }
    const rem = decRem(l, r);
    switch (right.kind) {
      case "int":
        return intValue(rem);
      case "bigint":
        return longValue(rem);
      case "float":
        return Math.fround(rem.toNumber());
      case "double":
        return rem.toNumber();
      case "decimal":
        return rem;
      default:
        throw unsupported(
          `Unsupported arg type java.lang.${right.kind === "tinyint" ? "Byte" : "Short"} of function MOD`,
        );
    }
  };
}

function signOf(rt: DataType): Impl {
  return (v) => {
    if (v === null || v === undefined) {
      return 0;
    }
    if (rt.kind === "tinyint" || rt.kind === "smallint") {
      throw unsupported(
        `Unsupported function SIGN() argument type: java.lang.${rt.kind === "tinyint" ? "Byte" : "Short"}`,
      );
    }
    if (v instanceof Decimal) {
      return decSignum(v);
    }
    if (typeof v === "bigint") {
      return v > 0n ? 1 : v < 0n ? -1 : 0;
    }
    const x = v as number;
    return x === 0 || Number.isNaN(x) ? 0 : x < 0 ? -1 : 1;
  };
}

/** java.util.Random(seed).nextDouble(), for RAND(seed). */
function seededDouble(seed: number): number {
  const mask = (1n << 48n) - 1n;
  let s = (BigInt(seed) ^ 0x5deece66dn) & mask;
  const next = (bits: number): bigint => {
    s = (s * 0x5deece66dn + 0xbn) & mask;
    return s >> BigInt(48 - bits);
  };
  const hi = next(26);
  const lo = next(27);
  return Number((hi << 27n) + lo) * 2 ** -53;
}

export const numericFunctions: FnDef[] = [
  {
    names: ["ABS"],
    family: "numeric",
    signature: "ABS(numeric) -> same type",
    doc: "Absolute value.",
    minArgs: 1,
    expects: "n",
    result: (a) => ({ type: a[0]!.type, rt: a[0]!.rt }),
    bind: (a) => absOf(a[0]!.rt),
  },
  unary("ACOS", "Arc cosine.", Math.acos),
  unary("ASIN", "Arc sine.", Math.asin),
  unary("ATAN", "Arc tangent.", Math.atan),
  unary("COS", "Cosine.", Math.cos),
  unary("COSH", "Hyperbolic cosine.", Math.cosh),
  unary(
    "COT",
    "Cotangent (1/TAN).",
    (x) => 1 / Math.tan(x),
    (x) => {
      if (Math.tan(x) === 0) {
        throw unsupported("Division by zero");
      }
    },
  ),
  unary("SIN", "Sine.", Math.sin),
  unary("SINH", "Hyperbolic sine.", Math.sinh),
  unary("TAN", "Tangent.", Math.tan),
  unary("TANH", "Hyperbolic tangent.", Math.tanh),
  unary("EXP", "e raised to the argument.", Math.exp),
  unary("LN", "Natural logarithm (argument > 0).", Math.log, positive("LN")),
  unary("LOG10", "Base-10 logarithm (argument > 0).", Math.log10, positive("LOG10")),
  unary("RADIANS", "Degrees to radians.", (x) => x * 0.017453292519943295),
  unary("SQRT", "Square root.", Math.sqrt),
  fixed(
    ["ATAN2"],
    "numeric",
    "ATAN2(y, x) -> DOUBLE",
    "Angle of the point (x, y).",
    2,
    D,
    (y, x) => (y == null || x == null ? null : Math.atan2(doubleValue(y as Num), doubleValue(x as Num))),
    "nn",
  ),
  {
    names: ["LOG"],
    family: "numeric",
    signature: "LOG(base, numeric) -> DOUBLE",
    doc: "Logarithm with the given base (both > 0).",
    minArgs: 2,
    expects: "nn",
    result: () => D,
    bind: (args) => (b, x) => {
      if (b === null || b === undefined) {
        return null;
      }
      const base = doubleValue(b as Num);
      positive("LOG", "base")(base, b as Num, args[0]!.rt);
      if (x === null || x === undefined) {
        return null;
      }
      const v = doubleValue(x as Num);
      // SeaTunnel's message prints the base here too.
      if (v <= 0) {
        positive("LOG")(v, b as Num, args[0]!.rt);
      }
      return base === Math.E ? Math.log(v) : base === 10 ? Math.log10(v) : Math.log(v) / Math.log(base);
    },
  },
  fixed(["PI"], "numeric", "PI() -> DOUBLE", "The number π (Math.PI).", 0, D, () => Math.PI),
  fixed(
    ["POWER"],
    "numeric",
    "POWER(numeric, numeric) -> DOUBLE",
    "x raised to y.",
    2,
    D,
    (x, y) => (x == null || y == null ? null : doubleValue(x as Num) ** doubleValue(y as Num)),
    "nn",
  ),
  fixed(
    ["RAND", "RANDOM"],
    "numeric",
    "RAND | RANDOM([seedInt]) -> DOUBLE",
    "A random double in [0, 1); with a seed, java.util.Random's first value for it.",
    0,
    D,
    (seed) => (seed === null || seed === undefined ? Math.random() : seededDouble(intValue(seed as Num))),
    "n",
  ),
  {
    names: ["MOD"],
    family: "numeric",
    signature: "MOD(dividend, divisor) -> type of divisor",
    doc: "Remainder with the sign of the dividend; a zero divisor is an error.",
    minArgs: 2,
    expects: "nn",
    result: (a) => ({ type: a[1]!.type, rt: a[1]!.rt }),
    bind: (a) => modOf(a[0]!.rt, a[1]!.rt),
  },
  roundingFn(
    ["CEIL", "CEILING"],
    "CEIL | CEILING(numeric) -> INT",
    "Smallest integer >= the argument.",
    "CEILING",
    () => T.int,
    true,
  ),
  roundingFn(["FLOOR"], "FLOOR(numeric) -> INT", "Largest integer <= the argument.", "FLOOR", () => T.int, true),
  roundingFn(
    ["ROUND"],
    "ROUND(numeric[, digitsInt]) -> same type",
    "Rounds half up to the given number of fractional digits (0).",
    "HALF_UP",
    (a) => a[0]!.type,
    false,
  ),
  roundingFn(
    ["TRUNC", "TRUNCATE"],
    "TRUNC | TRUNCATE(numeric[, digitsInt]) -> DOUBLE",
    "Truncates toward zero to the given number of fractional digits (0).",
    "DOWN",
    () => D,
    false,
  ),
  {
    names: ["SIGN"],
    family: "numeric",
    signature: "SIGN(numeric) -> INT",
    doc: "-1, 0 or 1 (0 for NULL and NaN).",
    minArgs: 1,
    expects: "n",
    result: () => T.int,
    bind: (a) => signOf(a[0]!.rt),
  },
];
