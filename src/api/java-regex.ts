/**
 * Java's java.util.regex as SeaTunnel's transforms use it (Replace, Split, FieldRename,
 * TableRename, TableFilter, table_match_regex), on top of JS RegExp: the common syntax differences
 * are translated, Java's replacement strings (`$1`, `${name}`, `\$`) are compiled, and
 * `String.split(regex, limit)` keeps Java's rules for leading and trailing empty strings.
 */

/** Thrown when a pattern or replacement cannot be used; callers turn it into a ConfigError. */
export class JavaRegexError extends Error {}

const POSIX: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: " \\t\\n\\x0B\\f\\r",
  javaLowerCase: "a-z",
  javaUpperCase: "A-Z",
  javaWhitespace: " \\t\\n\\x0B\\f\\r",
};

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** Writes the JS form of the escape at `i` (`\Q..\E`, `\p{Alpha}`, `\A`…); returns the index of its last character. */
function writeEscape(p: string, i: number, inClass: boolean, write: (s: string) => void): number {
  const n = p[i + 1];
  if (n === "Q") {
    const end = p.indexOf("\\E", i + 2);
    write(escapeLiteral(p.slice(i + 2, end < 0 ? p.length : end)));
    return end < 0 ? p.length : end + 1;
  }
  if ((n === "p" || n === "P") && p[i + 2] === "{") {
    const close = p.indexOf("}", i + 3);
    const set = close > 0 ? POSIX[p.slice(i + 3, close).replace(/^Is/, "")] : undefined;
    if (set !== undefined) {
      write(inClass ? (n === "p" ? set : "") : n === "p" ? `[${set}]` : `[^${set}]`);
      return close;
    }
  }
  if (!inClass && n === "A") {
    write("^");
  } else if (!inClass && n === "z") {
    write("$(?![\\s\\S])");
  } else if (!inClass && n === "Z") {
    write("(?=\\n?$(?![\\s\\S]))");
  } else if (n === "h") {
    write(inClass ? " \\t\\xA0" : "[ \\t\\xA0]");
  } else {
    write(`\\${n ?? ""}`);
  }
  return i + 1;
}

/** Java pattern text → JS source and flags. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = "";
  let p = pattern;
  // Leading inline flags `(?i)`, `(?is)`: JS only has whole-pattern flags.
  for (let m = /^\(\?([imsux]+)\)/.exec(p); m; m = /^\(\?([imsux]+)\)/.exec(p)) {
    for (const f of m[1]!) {
      if ("ims".includes(f) && !flags.includes(f)) {
        flags += f;
      }
    }
    p = p.slice(m[0].length);
  }
  let out = "";
  let inClass = false;
  // Whether the last thing written was a quantifier: a `+` right after one is possessive.
  let quantified = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const wasQuantified: boolean = quantified;
    quantified = false;
    if (c === "\\") {
      i = writeEscape(p, i, inClass, (s) => (out += s));
      continue;
    }
    if (inClass) {
      if (c === "]") {
        inClass = false;
      }
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (p[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (p[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    // Possessive quantifiers and atomic groups have no JS form; greedy matching is the closest.
    if (c === "+" && wasQuantified) {
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      out += c;
      quantified = c !== "?" || !wasQuantified;
      continue;
    }
    const braces = c === "{" ? /^\{\d+(?:,\d*)?\}/.exec(p.slice(i)) : null;
    if (braces) {
      out += braces[0];
      i += braces[0].length - 1;
      quantified = true;
      continue;
    }
    if (c === "(" && p.startsWith("(?>", i)) {
      out += "(?:";
      i += 2;
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}

/** Compiles a Java regex; `global` adds the g flag for find loops. Throws JavaRegexError. */
export function javaRegex(pattern: string, global = false): RegExp {
  const { source, flags } = translate(pattern);
  try {
    return new RegExp(source, flags + (global ? "g" : ""));
  } catch (e) {
    throw new JavaRegexError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

/** Java `String.matches`: the whole text must match. */
export function javaFullMatch(pattern: string): RegExp {
  const { source, flags } = translate(pattern);
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new JavaRegexError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

/** Start/end of every match, as Java's `Matcher.find()` loop yields them. */
export function findAll(re: RegExp, text: string): [number, number][] {
  const g = re.global ? re : new RegExp(re.source, `${re.flags}g`);
  g.lastIndex = 0;
  const out: [number, number][] = [];
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) {
      g.lastIndex++;
    }
  }
  return out;
}

type Part = string | number;

/**
 * A Java replacement string (`Matcher.appendReplacement`): `$n` and `${name}` refer to groups,
 * `\x` is a literal x. Returns a JS replacer function. Throws JavaRegexError on a dangling `\`,
 * a `$` without a group, or a group the pattern does not have.
 */
export function javaReplacement(replacement: string, re: RegExp): (match: string, ...rest: unknown[]) => string {
  const groupCount = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("")!.length - 1;
  const parts: (Part | { name: string })[] = [];
  let lit = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === "\\") {
      if (i + 1 >= replacement.length) {
        throw new JavaRegexError("character to be escaped is missing at the end of the replacement");
      }
      lit += replacement[++i];
    } else if (c === "$") {
      if (i + 1 >= replacement.length) {
        throw new JavaRegexError("illegal group reference: group index is missing at the end of the replacement");
      }
      if (lit) {
        parts.push(lit);
        lit = "";
      }
      if (replacement[i + 1] === "{") {
        const close = replacement.indexOf("}", i + 2);
        if (close < 0) {
          throw new JavaRegexError("named capturing group is missing trailing '}'");
        }
        parts.push({ name: replacement.slice(i + 2, close) });
        i = close;
        continue;
      }
      let n = Number(replacement[i + 1]);
      if (!/[0-9]/.test(replacement[i + 1]!)) {
        throw new JavaRegexError(`illegal group reference "$${replacement[i + 1]}" in the replacement`);
      }
      i++;
      while (/[0-9]/.test(replacement[i + 1] ?? "") && n * 10 + Number(replacement[i + 1]) <= groupCount) {
        n = n * 10 + Number(replacement[++i]);
      }
      if (n > groupCount) {
        throw new JavaRegexError(`the replacement refers to group ${n}, but the pattern has ${groupCount} group(s)`);
      }
      parts.push(n);
    } else {
      lit += c;
    }
  }
  if (lit) {
    parts.push(lit);
  }
  return (match, ...rest) => {
    let out = "";
    const last = rest[rest.length - 1];
    const named = typeof last === "object" && last !== null ? (last as Record<string, string | undefined>) : undefined;
    for (const p of parts) {
      if (typeof p === "string") {
        out += p;
      } else if (typeof p === "number") {
        out += p === 0 ? match : ((rest[p - 1] as string | undefined) ?? "");
      } else {
        if (!named || !(p.name in named)) {
          throw new JavaRegexError(`no group with name {${p.name}}`);
        }
        out += named[p.name] ?? "";
      }
    }
    return out;
  };
}

/**
 * Java `String.split(regex, limit)`: no match gives the whole text; a zero-width match at the
 * start adds no leading empty string; limit > 0 keeps at most `limit` parts (the last holds the
 * rest) and trailing empty strings; limit 0 drops trailing empty strings.
 */
export function javaSplit(text: string, re: RegExp, limit = 0): string[] {
  const g = re.global ? re : new RegExp(re.source, `${re.flags}g`);
  g.lastIndex = 0;
  const out: string[] = [];
  let index = 0;
  let matched = false;
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      g.lastIndex++;
    }
    if (limit > 0 && out.length >= limit - 1) {
      break;
    }
    if (index === 0 && start === 0 && end === 0) {
      continue;
    }
    out.push(text.slice(index, start));
    index = end;
    matched = true;
  }
  if (!matched) {
    return [text];
  }
  out.push(text.slice(index));
  if (limit === 0) {
    while (out.length > 0 && out[out.length - 1] === "") {
      out.pop();
    }
  }
  return out;
}

/** Java `String.trim()`: strips characters up to U+0020 only. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) {
    a++;
  }
  while (b > a && s.charCodeAt(b - 1) <= 32) {
    b--;
  }
  return s.slice(a, b);
}
