/** REGEXP_REPLACE, REGEXP_LIKE (Matcher.find) and REGEXP_SUBSTR from StringFunction.java. */
import { T } from "../../../src/api/index.ts";
import { JavaError } from "../runtime/java.ts";
import { javaRegex, javaReplaceAll, regexpFlags } from "../runtime/regex.ts";
import { fixed, type FnDef } from "./registry.ts";
import { int } from "./string.ts";

const need = (v: unknown, fn: string): string => {
  if (v === null || v === undefined) {
    throw new JavaError("NullPointerException", `${fn}: the regular expression is null`);
  }
  return v as string;
};

function regexpSubstr(
  input: string,
  regexp: string,
  positionArg: unknown,
  occurrenceArg: unknown,
  mode: unknown,
  groupArg: unknown,
): string | null {
  const position = positionArg === null || positionArg === undefined ? 0 : int(positionArg, "REGEXP_SUBSTR") - 1;
  const occurrence = occurrenceArg === null || occurrenceArg === undefined ? 1 : int(occurrenceArg, "REGEXP_SUBSTR");
  const group = groupArg === null || groupArg === undefined ? 0 : int(groupArg, "REGEXP_SUBSTR");
  if (position < 0 || position > input.length) {
    throw new JavaError("IndexOutOfBoundsException", "Illegal start index");
  }
  const re = javaRegex(regexp, `${regexpFlags(mode)}g`);
  re.lastIndex = position;
  let m = re.exec(input);
  for (let k = 1; k < occurrence && m; k++) {
    if (m[0] === "") {
      re.lastIndex++;
    }
    m = re.exec(input);
  }
  if (!m) {
    return null;
  }
  if (group < 0 || group >= m.length) {
    throw new JavaError("IndexOutOfBoundsException", `No group ${group}`);
  }
  return m[group] ?? null;
}

export const regexpFunctions: FnDef[] = [
  fixed(
    ["REGEXP_REPLACE"],
    "string",
    "REGEXP_REPLACE(input, regex, replacement[, flags]) -> STRING",
    "Replaces every match (Java replaceAll: $1 refers to a group). Flags: i (ignore case), c (case sensitive), n (dot matches newline), m (multiline).",
    3,
    T.string,
    (s, re, repl, flags) =>
      s == null
        ? null
        : javaReplaceAll(s as string, need(re, "REGEXP_REPLACE"), need(repl, "REGEXP_REPLACE"), regexpFlags(flags)),
    "ssss",
  ),
  fixed(
    ["REGEXP_LIKE"],
    "string",
    "REGEXP_LIKE(input, regex[, flags]) -> BOOLEAN",
    "True when the regex matches anywhere in the input (Matcher.find).",
    2,
    T.boolean,
    (s, re, flags) => (s == null ? null : javaRegex(need(re, "REGEXP_LIKE"), regexpFlags(flags)).test(s as string)),
    "sss",
  ),
  {
    names: ["REGEXP_SUBSTR"],
    family: "string",
    signature: "REGEXP_SUBSTR(input, regex[, position, occurrence, flags, group]) -> STRING",
    doc: "The matched text (or a group of it); with 3 to 5 arguments the result is NULL, as in SeaTunnel.",
    minArgs: 2,
    expects: "ssnnsn",
    result: () => T.string,
    bind: (args) => {
      const n = args.length;
      return (s, re, pos, occ, flags, group) => {
        if (s === null || s === undefined) {
          return null;
        }
        if (n === 2) {
          return regexpSubstr(s as string, need(re, "REGEXP_SUBSTR"), null, null, null, null);
        }
        if (n >= 6) {
          return regexpSubstr(s as string, need(re, "REGEXP_SUBSTR"), pos, occ, flags, group);
        }
        return null;
      };
    },
  },
];
