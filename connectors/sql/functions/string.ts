/**
 * String functions (StringFunction.java): null rules and edge cases follow the Java code, e.g.
 * LOCATE on a null string is 0, SUBSTRING past the end is null, INSERT with a null string returns
 * the inserted string.
 */
import { T, type Decimal } from "../../../src/api/index.ts";
import { intValue, JavaError, stringifier, unsupported } from "../runtime/java.ts";
import { formatTemporal } from "../runtime/datetime-format.ts";
import { fixed, type FnDef } from "./registry.ts";

type Num = number | bigint | Decimal;
const utf8 = new TextEncoder();

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

const nonNull = (v: unknown, fn: string): string => {
  if (v === null || v === undefined) {
    throw new JavaError("NullPointerException", `${fn}: a string argument is null`);
  }
  return v as string;
};

const substringError = (begin: number, end: number, length: number): JavaError =>
  new JavaError("StringIndexOutOfBoundsException", `begin ${begin}, end ${end}, length ${length}`);

function javaSubstring(s: string, begin: number, end = s.length): string {
  if (begin < 0 || end > s.length || begin > end) {
    throw substringError(begin, end, s.length);
  }
  return s.slice(begin, end);
}

function locate(search: unknown, s: unknown, start: number, fn: string): number {
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

function hextoraw(s: unknown): string | null {
  if (s === null || s === undefined) {
    return null;
  }
  const str = s as string;
  if (str.length % 4 !== 0) {
    throw unsupported("Unsupported arg for function: HEXTORAW");
  }
  let out = "";
  for (let i = 0; i < str.length; i += 4) {
    const chunk = str.slice(i, i + 4);
    if (!/^[+-]?[0-9a-fA-F]+$/.test(chunk)) {
      throw new JavaError("NumberFormatException", `For input string: "${chunk}" under radix 16`);
    }
    out += String.fromCharCode(parseInt(chunk, 16) & 0xffff);
  }
  return out;
}

function insert(s1: unknown, startV: unknown, lenV: unknown, s2: unknown): unknown {
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

const SOUNDEX_INDEX = "71237128722455712623718272\0\0\0\0\0\u000071237128722455712623718272";

export function soundex(s: string): string {
  const chars = ["0", "0", "0", "0"];
  let last = "0";
  for (let i = 0, j = 0; i < s.length && j < 4; i++) {
    const c = s[i]!;
    if (c < "A" || c > "z") {
      continue;
    }
    const digit = SOUNDEX_INDEX[c.charCodeAt(0) - 65]!;
    if (digit === "\0") {
      continue;
    }
    if (j === 0) {
      chars[j++] = String.fromCharCode(c.charCodeAt(0) & 0xdf);
      last = digit;
    } else if (digit <= "6") {
      if (digit !== last) {
        chars[j++] = last = digit;
      }
    } else if (digit === "7") {
      last = digit;
    }
  }
  return chars.join("");
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

function translate(s: unknown, find: unknown, repl: unknown): unknown {
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

function replaceAll(s: string, before: string, after: string): string {
  if (before === "" || !s.includes(before)) {
    return s;
  }
  return s.split(before).join(after);
}

const S = T.string;

/** CONCAT: nulls are skipped, everything else appended as String.valueOf. */
const concat: FnDef = {
  names: ["CONCAT"],
  family: "string",
  signature: "CONCAT(value, value[, ...]) -> STRING",
  doc: "Joins values as strings; NULL arguments are skipped (all NULL gives an empty string).",
  minArgs: 1,
  result: () => S,
  bind: (args) => {
    const strs = args.map((a) => stringifier(a.rt));
    return (...values) => {
      let out = "";
      for (let i = 0; i < values.length; i++) {
        if (values[i] !== null && values[i] !== undefined) {
          out += strs[i]!(values[i]);
        }
      }
      return out;
    };
  },
};

/** CONCAT_WS: the separator between the non-null values; array values are joined with it too. */
const concatWs: FnDef = {
  names: ["CONCAT_WS"],
  family: "string",
  signature: "CONCAT_WS(separator, value, value[, ...]) -> STRING",
  doc: "Joins the non-NULL values with the separator (NULL separator: none).",
  minArgs: 2,
  expects: "s",
  result: () => S,
  bind: (args) => {
    const strs = args.map((a) => (a.rt.kind === "array" ? stringifier(a.rt.element) : stringifier(a.rt)));
    return (sep, ...values) => {
      const parts: string[] = [];
      values.forEach((v, i) => {
        if (v === null || v === undefined) {
          return;
        }
        const str = strs[i + 1]!;
        parts.push(
          Array.isArray(v)
            ? v
                .filter((x) => x !== null && x !== undefined)
                .map((x) => str(x))
                .join(typeof sep === "string" ? sep : "")
            : str(v),
        );
      });
      return parts.join(typeof sep === "string" ? sep : "");
    };
  },
};

export const stringFunctions: FnDef[] = [
  concat,
  concatWs,
  fixed(
    ["ASCII"],
    "string",
    "ASCII(string) -> INT",
    "Code of the first character.",
    1,
    T.int,
    (s) => {
      if (s === null || s === undefined) {
        return null;
      }
      if ((s as string).length === 0) {
        throw new JavaError("StringIndexOutOfBoundsException", "index 0, length 0");
      }
      return (s as string).charCodeAt(0);
    },
    "s",
  ),
  fixed(
    ["BIT_LENGTH"],
    "string",
    "BIT_LENGTH(string) -> BIGINT",
    "Number of bits of the UTF-8 bytes.",
    1,
    T.bigint,
    (s) => (s == null ? null : BigInt(utf8.encode(s as string).length * 8)),
    "s",
  ),
  fixed(
    ["CHAR_LENGTH", "LENGTH"],
    "string",
    "CHAR_LENGTH | LENGTH(string) -> BIGINT",
    "Number of characters.",
    1,
    T.bigint,
    (s) => (s == null ? null : BigInt((s as string).length)),
    "s",
  ),
  fixed(
    ["OCTET_LENGTH"],
    "string",
    "OCTET_LENGTH(string) -> BIGINT",
    "Number of UTF-8 bytes.",
    1,
    T.bigint,
    (s) => (s == null ? null : BigInt(utf8.encode(s as string).length)),
    "s",
  ),
  fixed(
    ["CHAR", "CHR"],
    "string",
    "CHAR | CHR(int) -> STRING",
    "The character with that code.",
    1,
    S,
    (n) => (n == null ? null : String.fromCharCode(int(n, "CHAR") & 0xffff)),
    "n",
  ),
  fixed(
    ["HEXTORAW"],
    "string",
    "HEXTORAW(string) -> STRING",
    "Decodes 4 hex digits per character.",
    1,
    S,
    hextoraw,
    "s",
  ),
  {
    names: ["RAWTOHEX"],
    family: "string",
    signature: "RAWTOHEX(string | bytes) -> STRING",
    doc: "Hex of each character (4 digits) or byte (2 digits).",
    minArgs: 1,
    result: () => S,
    bind: (args) => {
      const str = stringifier(args[0]!.rt);
      return (v) => {
        if (v === null || v === undefined) {
          return null;
        }
        if (v instanceof Uint8Array) {
          return Buffer.from(v).toString("hex");
        }
        const text = str(v);
        let out = "";
        for (let i = 0; i < text.length; i++) {
          out += text.charCodeAt(i).toString(16).padStart(4, "0");
        }
        return out;
      };
    },
  },
  fixed(
    ["INSERT"],
    "string",
    "INSERT(original, startInt, lengthInt, add) -> STRING",
    "Replaces lengthInt characters at startInt (1-based) with add.",
    4,
    S,
    insert,
    "snns",
  ),
  fixed(
    ["LOWER", "LCASE"],
    "string",
    "LOWER | LCASE(string) -> STRING",
    "Lower case.",
    1,
    S,
    (s) => (s == null ? null : (s as string).toLowerCase()),
    "s",
  ),
  fixed(
    ["UPPER", "UCASE"],
    "string",
    "UPPER | UCASE(string) -> STRING",
    "Upper case.",
    1,
    S,
    (s) => (s == null ? null : (s as string).toUpperCase()),
    "s",
  ),
  fixed(
    ["LEFT"],
    "string",
    "LEFT(string, int) -> STRING",
    "The leftmost characters.",
    2,
    S,
    (s, n) => {
      if (s == null) {
        return null;
      }
      const str = s as string;
      return javaSubstring(str, 0, Math.min(int(n, "LEFT"), str.length));
    },
    "sn",
  ),
  fixed(
    ["RIGHT"],
    "string",
    "RIGHT(string, int) -> STRING",
    "The rightmost characters.",
    2,
    S,
    (s, n) => {
      if (s == null) {
        return null;
      }
      const str = s as string;
      return javaSubstring(str, str.length - Math.min(int(n, "RIGHT"), str.length));
    },
    "sn",
  ),
  fixed(
    ["LOCATE"],
    "string",
    "LOCATE(search, string[, startInt]) -> INT",
    "1-based position of search (0 if absent); a negative start searches backwards from the end.",
    2,
    T.int,
    (search, s, start) => locate(search, s, start === undefined ? 1 : int(start, "LOCATE"), "LOCATE"),
    "ssn",
  ),
  fixed(
    ["POSITION"],
    "string",
    "POSITION(search, string) -> INT",
    "1-based position of search (0 if absent).",
    2,
    T.int,
    (search, s) => locate(search, s, 1, "POSITION"),
    "ss",
  ),
  fixed(
    ["INSTR"],
    "string",
    "INSTR(string, search[, startInt]) -> INT",
    "1-based position of search in string (0 if absent).",
    2,
    T.int,
    (s, search, start) => locate(search, s, start === undefined ? 1 : int(start, "INSTR"), "INSTR"),
    "ssn",
  ),
  fixed(
    ["LPAD"],
    "string",
    "LPAD(string, int[, padString]) -> STRING",
    "Left-pads (or truncates) to the length with the first character of padString (space).",
    2,
    S,
    (s, n, p) => (s == null ? null : pad(s as string, int(n, "LPAD"), p, false)),
    "sns",
  ),
  fixed(
    ["RPAD"],
    "string",
    "RPAD(string, int[, padString]) -> STRING",
    "Right-pads (or truncates) to the length.",
    2,
    S,
    (s, n, p) => (s == null ? null : pad(s as string, int(n, "RPAD"), p, true)),
    "sns",
  ),
  fixed(
    ["LTRIM"],
    "string",
    "LTRIM(string[, char]) -> STRING",
    "Removes leading spaces (or the given character).",
    1,
    S,
    (s, c) => (s == null ? null : trimChars(s as string, true, false, c)),
    "ss",
  ),
  fixed(
    ["RTRIM"],
    "string",
    "RTRIM(string[, char]) -> STRING",
    "Removes trailing spaces (or the given character).",
    1,
    S,
    (s, c) => (s == null ? null : trimChars(s as string, false, true, c)),
    "ss",
  ),
  fixed(
    ["TRIM"],
    "string",
    "TRIM(string[, char]) -> STRING",
    "Removes leading and trailing spaces (or the given character).",
    1,
    S,
    (s, c) => (s == null ? null : trimChars(s as string, true, true, c)),
    "ss",
  ),
  fixed(
    ["REPEAT"],
    "string",
    "REPEAT(string, int) -> STRING",
    "The string repeated n times.",
    2,
    S,
    (s, n) => (s == null ? null : (s as string).repeat(Math.max(0, int(n, "REPEAT")))),
    "sn",
  ),
  fixed(
    ["REPLACE"],
    "string",
    "REPLACE(string, search[, replacement]) -> STRING",
    "Replaces every occurrence (removes it without a replacement).",
    2,
    S,
    (s, search, repl) =>
      s == null ? null : replaceAll(s as string, nonNull(search, "REPLACE"), typeof repl === "string" ? repl : ""),
    "sss",
  ),
  fixed(
    ["SOUNDEX"],
    "string",
    "SOUNDEX(string) -> STRING",
    "Four-character Soundex code.",
    1,
    S,
    (s) => (s == null ? null : soundex(s as string)),
    "s",
  ),
  fixed(
    ["SPACE"],
    "string",
    "SPACE(int) -> STRING",
    "A string of n spaces.",
    1,
    S,
    (n) => (n == null ? null : " ".repeat(Math.max(0, int(n, "SPACE")))),
    "n",
  ),
  {
    names: ["SUBSTRING", "SUBSTR"],
    family: "string",
    signature: "SUBSTRING | SUBSTR(string, startInt[, lengthInt]) -> STRING",
    doc: "Substring from a 1-based start (negative counts from the end); null when empty.",
    minArgs: 2,
    expects: "snn",
    result: () => S,
    bind: (args) => {
      const hasLen = args.length >= 3;
      return (s, start, len) => (s == null ? null : substring(s as string, start, len, hasLen));
    },
  },
  {
    names: ["TO_CHAR"],
    family: "string",
    signature: "TO_CHAR(value[, formatString]) -> STRING",
    doc: "A number or text as a string, or a date-time formatted with a java.time pattern.",
    minArgs: 1,
    result: () => S,
    bind: (args) => {
      const str = stringifier(args[0]!.rt);
      const temporal = ["date", "time", "timestamp"].includes(args[0]!.rt.kind);
      return (v, fmt) => {
        if (v === null || v === undefined) {
          return null;
        }
        if (!temporal) {
          return str(v);
        }
        if (args.length < 2) {
          throw new JavaError("IndexOutOfBoundsException", "Index 1 out of bounds for length 1");
        }
        return formatTemporal(v as never, nonNull(fmt, "TO_CHAR"));
      };
    },
  },
  fixed(
    ["TRANSLATE"],
    "string",
    "TRANSLATE(value, searchChars, replacementChars) -> STRING",
    "Replaces each character of searchChars by the one at the same place in replacementChars.",
    3,
    S,
    translate,
    "sss",
  ),
];
