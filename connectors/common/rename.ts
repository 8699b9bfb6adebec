/**
 * The name rewriting FieldRename and TableRename share (FieldRenameTransform.convertName):
 * replacement rules are matched against the original name (the last rule that matches wins, at
 * every place it matches), then the case is converted, then the replacement is spliced in at those
 * places, then prefix and suffix (trimmed) are added.
 */
import { findAll, javaRegex, javaTrim } from "../../src/api/java-regex.ts";

export interface RenameRules {
  convert_case?: "UPPER" | "LOWER";
  prefix?: string;
  suffix?: string;
  replacements_with_regex?: Record<string, string>[];
}

/** A compiled replacement rule: a regex, or (is_regex = false) a name that must match exactly. */
type Rule = { re: RegExp; to: string } | { literal: string; to: string };

/** Compiles the rules once; throws JavaRegexError for a bad replace_from. */
export function renamer(o: RenameRules): (name: string) => string {
  const rules: Rule[] = [];
  for (const r of o.replacements_with_regex ?? []) {
    const from = r.replace_from ?? "";
    if (from === "") {
      continue;
    }
    const literal = r.is_regex?.toLowerCase() === "false";
    const to = javaTrim(r.replace_to ?? "");
    rules.push(literal ? { literal: from, to } : { re: javaRegex(from, true), to });
  }
  const prefix = o.prefix !== undefined && o.prefix.trim() !== "" ? javaTrim(o.prefix) : "";
  const suffix = o.suffix !== undefined && o.suffix.trim() !== "" ? javaTrim(o.suffix) : "";
  const convert = (s: string): string =>
    o.convert_case === "UPPER" ? s.toUpperCase() : o.convert_case === "LOWER" ? s.toLowerCase() : s;
  return (original) => {
    let to = "";
    let places: [number, number][] = [];
    for (const rule of rules) {
      const hits: [number, number][] =
        "literal" in rule ? (rule.literal === original ? [[0, original.length]] : []) : findAll(rule.re, original);
      if (hits.length > 0) {
        places = hits;
        to = rule.to;
      }
    }
    let name = convert(original);
    let offset = 0;
    for (const [start, end] of places) {
      name = name.slice(0, start + offset) + to + name.slice(end + offset);
      offset += to.length - (end - start);
    }
    return prefix + name + suffix;
  };
}
