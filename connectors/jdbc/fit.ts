/**
 * Whether a value fits a column without being changed. Databases narrow some values silently (a
 * numeric rounds its fraction, a time(3) its microseconds, a varchar drops trailing spaces past
 * its length, SQLite turns a DECIMAL into a double and NaN into NULL); the sink checks each value
 * against its target column first and fails the row instead (writer.ts), and a source checks the
 * values of a column it reads as a narrower type than the database declares.
 */
import type { Column, Row } from "../../src/api/index.ts";
import { Decimal, LocalDateTime, LocalTime, sameType } from "../../src/api/index.ts";
import { fieldValue } from "../common/source-text.ts";
import type { Dialect, NativeColumn } from "./dialect.ts";

/**
 * Why a value does not fit (`has 11 fraction digits; numeric(38,10) holds 10`), or undefined.
 * `bytes`, where a check has it, tells from a field's text as a file holds it (UTF-8 bytes
 * `[from, to)`) that the value fits; false only means the value must tell.
 */
export type Fit = ((v: unknown) => string | undefined) & { bytes?: ByteFit };
export type ByteFit = (b: Uint8Array, from: number, to: number) => boolean;

/** Digits of a plain decimal text `[-+]d*[.d*]` before and after its point (leading and trailing zeros aside); undefined for another text. */
function textDigits(b: Uint8Array, from: number, to: number): { integer: number; fraction: number } | undefined {
  let p = from;
  if (b[p] === 45 || b[p] === 43) {
    p++;
  }
  // At least one digit before the point.
  if (!(b[p]! >= 48 && b[p]! <= 57) || p >= to) {
    return undefined;
  }
  while (p < to && b[p] === 48) {
    p++;
  }
  const i0 = p;
  while (p < to && b[p]! >= 48 && b[p]! <= 57) {
    p++;
  }
  const integer = p - i0;
  if (p === to) {
    return { integer, fraction: 0 };
  }
  if (b[p] !== 46) {
    return undefined;
  }
  const f0 = ++p;
  while (p < to && b[p]! >= 48 && b[p]! <= 57) {
    p++;
  }
  if (p !== to) {
    return undefined;
  }
  let f1 = to;
  while (f1 > f0 && b[f1 - 1] === 48) {
    f1--;
  }
  return { integer, fraction: f1 - f0 };
}

/** Digits before and after the point of a decimal, trailing zeros of the fraction aside. */
export function decimalDigits(v: Decimal): { integer: number; fraction: number } {
  let unscaled = v.unscaled < 0n ? -v.unscaled : v.unscaled;
  let scale = v.scale;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  const digits = unscaled === 0n ? 0 : unscaled.toString().length;
  return { integer: Math.max(0, digits - scale), fraction: scale };
}

/** A decimal(p, s) column (`type` as named in messages). */
export function decimalFit(p: number, s: number, type: string): Fit {
  // By the value's scale: the bound of its unscaled value when the scale fits (one comparison a value).
  const bounds: bigint[] = [];
  const bytes: ByteFit = (b, from, to) => {
    const d = textDigits(b, from, to);
    return d !== undefined && d.integer <= p - s && d.fraction <= s;
  };
  const fit: Fit = (v) => {
    if (!(v instanceof Decimal)) {
      return undefined;
    }
    if (v.scale <= s) {
      const bound = (bounds[v.scale] ??= 10n ** BigInt(p - s + v.scale));
      if (v.unscaled < bound && v.unscaled > -bound) {
        return undefined;
      }
    }
    const { integer, fraction } = decimalDigits(v);
    if (fraction > s) {
      return `has ${fraction} fraction digits; ${type} holds ${s}`;
    }
    return integer > p - s ? `has ${integer} integer digits; ${type} holds ${p - s}` : undefined;
  };
  fit.bytes = bytes;
  return fit;
}

/** A column of at most `n` characters. */
export function charsFit(n: number, type: string): Fit {
  const fit: Fit = (v) => {
    if (typeof v !== "string" || v.length <= n) {
      return undefined;
    }
    const chars = [...v].length;
    return chars > n ? `has ${chars} characters; ${type} holds ${n}` : undefined;
  };
  // A character is at least one byte.
  fit.bytes = (_b, from, to) => to - from <= n;
  return fit;
}

/** A column of at most `n` bytes (UTF-8 for text); `exact`: shorter values are padded (BINARY(n)). */
export function bytesFit(n: number, type: string, exact = false): Fit {
  return (v) => {
    const len = typeof v === "string" ? Buffer.byteLength(v) : v instanceof Uint8Array ? v.length : undefined;
    if (len === undefined) {
      return undefined;
    }
    if (len > n) {
      return `has ${len} bytes; ${type} holds ${n}`;
    }
    return exact && len < n ? `has ${len} bytes; ${type} pads it with zero bytes to ${n}` : undefined;
  };
}

/** Fraction digits of a time value's seconds (0–9). */
export function fractionDigits(nano: number): number {
  return nano === 0 ? 0 : 9 - /0*$/.exec(String(nano).padStart(9, "0"))![0].length;
}

/** A time or timestamp column keeping `n` fraction digits of a second. */
export function fractionFit(n: number, type: string): Fit {
  const fit: Fit = (v) => {
    const t = v instanceof LocalDateTime ? v.time : v instanceof LocalTime ? v : undefined;
    const digits = t ? fractionDigits(t.nano) : 0;
    return digits > n ? `has ${digits} fraction digits of a second; ${type} keeps ${n}` : undefined;
  };
  fit.bytes = (b, from, to) => fractionTextFits(b, from, to, n);
  return fit;
}

/** A date-time text without a point, or whose point is followed by digits to its end with at most `n` not trailing zeros. */
function fractionTextFits(b: Uint8Array, from: number, to: number, n: number): boolean {
  const dot = b.subarray(from, to).indexOf(46);
  if (dot < 0) {
    return true;
  }
  let end = to;
  while (end > from + dot + 1 && b[end - 1] === 48) {
    end--;
  }
  for (let p = from + dot + 1; p < end; p++) {
    if (b[p]! < 48 || b[p]! > 57) {
      return false;
    }
  }
  return end - (from + dot + 1) <= n;
}

/** A column that holds only finite floating-point numbers. */
export function finiteFit(why: string): Fit {
  return (v) => (typeof v === "number" && !Number.isFinite(v) ? `is ${v}, which ${why}` : undefined);
}

/** Whether a decimal is exactly an 8-byte float (the float's shortest text has its value). */
export function exactAsDouble(v: Decimal): boolean {
  const x = Number(v.toString());
  if (!Number.isFinite(x)) {
    return false;
  }
  const back = Decimal.parse(String(x));
  const scale = Math.max(v.scale, back.scale);
  return back.setScale(scale).unscaled === v.setScale(scale).unscaled;
}

/** A column that stores numbers as 8-byte floats: a decimal or an integer must survive the conversion. */
export function doubleFit(type: string): Fit {
  return (v) => {
    if (v instanceof Decimal) {
      return exactAsDouble(v) ? undefined : `is not exact as the 8-byte float ${type} stores (${Number(v.toString())})`;
    }
    if (typeof v === "bigint" && BigInt(Number(v)) !== v) {
      return `is not exact as the 8-byte float ${type} stores (${Number(v)})`;
    }
    return undefined;
  };
}

/** Every fit of a value, first failure wins. */
export const allFits =
  (...fits: (Fit | undefined)[]): Fit =>
  (v) => {
    for (const f of fits) {
      const why = f?.(v);
      if (why) {
        return why;
      }
    }
    return undefined;
  };

/**
 * The checks of the columns a sink writes (by name, in `columns` order) into the target's
 * `natives`; undefined for a column whose input has the target's own declared type on the same
 * kind of database (its values were read from such a column, so they fit), or that the dialect
 * takes as it is. Undefined when no column needs a check.
 */
export function targetFits(d: Dialect, inputs: Column[], natives: NativeColumn[]): (Fit | undefined)[] | undefined {
  const fits = inputs.map((c) => {
    const n = natives.find((x) => x.name === c.name);
    const st = c.sourceType;
    const same =
      st?.system === d.kind && sameType(st.type, c.type) && st.declared.toLowerCase() === n?.declared?.toLowerCase();
    return n && !same ? d.fit?.(n) : undefined;
  });
  return fits.some((f) => f !== undefined) ? fits : undefined;
}

/** The first row and column whose value does not fit. */
export function misfit(
  rows: Row[],
  columns: string[],
  fits: (Fit | undefined)[],
  /** The rows to check, in order (all when undefined). */
  only?: number[],
): { at: number; message: string } | undefined {
  const n = only ? only.length : rows.length;
  for (let x = 0; x < n; x++) {
    const i = only ? only[x]! : x;
    for (let j = 0; j < fits.length; j++) {
      // Only the checked fields are decoded: a row read as COPY text keeps its text for the copy.
      const v = fits[j] ? fieldValue(rows[i]!, j) : undefined;
      const why = v === null || v === undefined ? undefined : fits[j]?.(v);
      if (why) {
        const text = typeof v === "string" ? v : String(v);
        const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
        const shown = typeof v === "string" ? JSON.stringify(cut) : cut;
        return { at: i, message: `column "${columns[j]}" value ${shown} ${why}` };
      }
    }
  }
  return undefined;
}
