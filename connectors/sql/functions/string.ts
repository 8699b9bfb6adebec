/**
 * String functions (StringFunction.java): null rules and edge cases follow the Java code, e.g.
 * LOCATE on a null string is 0, SUBSTRING past the end is null, INSERT with a null string returns
 * the inserted string.
 *
 * The Java String helpers are in string-support.ts and the character-code functions in
 * string-codes.ts; this module keeps the function list, whose order `connectors describe` shows.
 */
import { T } from "../../../src/api/index.ts";
import { JavaError, stringifier } from "../runtime/java.ts";
import { formatTemporal } from "../runtime/datetime-format.ts";
import { fixed, type FnDef } from "./registry.ts";
import {
  asciiFn,
  bitLengthFn,
  charFn,
  charLengthFn,
  hextorawFn,
  octetLengthFn,
  rawtohexFn,
  soundex,
  soundexFn,
} from "./string-codes.ts";
import {
  insert,
  int,
  javaSubstring,
  locate,
  nonNull,
  pad,
  replaceAll,
  substring,
  translate,
  trimChars,
} from "./string-support.ts";

// Other modules (regexp.ts) import these helpers from here.
export { int, pad, soundex, substring, trimChars };

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
  asciiFn,
  bitLengthFn,
  charLengthFn,
  octetLengthFn,
  charFn,
  hextorawFn,
  rawtohexFn,
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
  soundexFn,
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
