/**
 * Java String semantics behind the SQL string functions (StringFunction.java): argument casts with
 * Java's exceptions, H2's SUBSTRING/LOCATE index rules, padding, trimming, INSERT and TRANSLATE.
 * Kept apart from the function table so string.ts and string-codes.ts share one implementation.
 */
import type { Decimal } from "../../../src/api/index.ts";
import { intValue, JavaError } from "../runtime/java.ts";

type Num = number | bigint | Decimal;

/** `((Number) v).intValue()`, NullPointerException for null. */
export function int(v: unknown, fn: string): number {
  if (typeof v === "number" && (v | 0) === v) {
    return v;
  }
  if (v === null || v === undefined) {
    throw new JavaError("NullPointerException", `${fn}: a number argument is null`);
  }
  return intValue(v as Num);
}

export const nonNull = (v: unknown, fn: string): string => {
  if (v === null || v === undefined) {
    throw new JavaError("NullPointerException", `${fn}: a string argument is null`);
  }
  return v as string;
};

const substringError = (begin: number, end: number, length: number): JavaError =>
  new JavaError("StringIndexOutOfBoundsException", `begin ${begin}, end ${end}, length ${length}`);

export function javaSubstring(s: string, begin: number, end = s.length): string {
  if (begin < 0 || end > s.length || begin > end) {
    throw substringError(begin, end, s.length);
  }
  return s.slice(begin, end);
}

export function locate(search: unknown, s: unknown, start: number, fn: string): number {
  if (s === null || s === undefined) {
    return 0;
  }
  const str = s as string;
  const needle = nonNull(search, fn);
  if (start < 0) {
    return str.lastIndexOf(needle, str.length + start) + 1;
  }
  return str.indexOf(needle, start === 0 ? 0 : start - 1) + 1;
}

/** StringFunction.pad: truncates to n, else pads with the first character of `padding` (space by default). */
export function pad(s: string, n: number, padding: unknown, right: boolean): string {
  if (n < 0) {
    n = 0;
  }
  if (n <= s.length) {
    return s.slice(0, n);
  }
  const ch = typeof padding === "string" && padding.length > 0 ? padding[0]! : " ";
  const fill = ch.repeat(n - s.length);
  return right ? s + fill : fill + s;
}

/** StringFunction.trim: only the first character of `chars` (default space) is trimmed. */
export function trimChars(s: string, leading: boolean, trailing: boolean, chars: unknown): string {
  const c = typeof chars === "string" && chars.length > 0 ? chars[0]! : " ";
  let b = 0;
  let e = s.length;
  if (leading) {
    while (b < e && s[b] === c) {
      b++;
    }
  }
  if (trailing) {
    while (e > b && s[e - 1] === c) {
      e--;
    }
  }
  return s.slice(b, e);
}

export function insert(s1: unknown, startV: unknown, lenV: unknown, s2: unknown): unknown {
  let start = int(startV, "INSERT");
  let length = int(lenV, "INSERT");
  if (s1 === null || s1 === undefined) {
    return s2 ?? null;
  }
  if (s2 === null || s2 === undefined) {
    return s1;
  }
  const a = s1 as string;
  const b = s2 as string;
  start--;
  if (start < 0 || length <= 0 || b.length === 0 || start > a.length) {
    return a;
  }
  if (start + length > a.length) {
    length = a.length - start;
  }
  return a.slice(0, start) + b + a.slice(start + length);
}

/** StringFunction.substring: H2's rules (0 means 1, negative counts from the end, null when empty). */
export function substring(s: string, startV: unknown, lenV: unknown, hasLen: boolean): string | null {
  const sl = s.length;
  let start = int(startV, "SUBSTRING");
  if (start === 0) {
    start = 1;
  } else if (start < 0) {
    start = sl + start + 1;
  }
  let end = !hasLen || lenV === null || lenV === undefined ? Math.max(sl + 1, start) : start + int(lenV, "SUBSTRING");
  start = Math.max(start, 1);
  end = Math.min(end, sl + 1);
  if (start > sl || end <= start) {
    return null;
  }
  return s.slice(start - 1, end - 1);
}

export function translate(s: unknown, find: unknown, repl: unknown): unknown {
  if (s === null || s === undefined) {
    return null;
  }
  const f = nonNull(find, "TRANSLATE");
  const r = typeof repl === "string" ? repl : "";
  const str = s as string;
  let out = "";
  for (let k = 0; k < str.length; k++) {
    const ch = str[k]!;
    const i = f.indexOf(ch);
    out += i < 0 ? ch : i < r.length ? r[i]! : ch;
  }
  return out;
}

export function replaceAll(s: string, before: string, after: string): string {
  if (before === "" || !s.includes(before)) {
    return s;
  }
  return s.split(before).join(after);
}
