/**
 * java.util.regex as far as SQL functions need it: a Java pattern turned into a JS RegExp
 * (inline flags at the start, \Q..\E, POSIX \p{..} classes, \A \z \Z), Java's replacement syntax
 * (`$1`, `${name}`, `\$`), and the regexp functions' flags string (i, c, n, m).
 */
import { JavaError, unsupported } from "./java.ts";

const POSIX: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "A-Za-z",
  Digit: "0-9",
  Alnum: "A-Za-z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: " \\t\\n\\x0B\\f\\r",
};

function translate(pattern: string): { source: string; flags: string } {
  let flags = "";
  let src = pattern;
  const lead = /^\(\?([imsux]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if ((f === "i" || f === "m" || f === "s") && !flags.includes(f)) {
        flags += f;
      }
    }
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  src = src.replace(/\\([pP])\{(?:Is)?(\w+)\}/g, (whole, p: string, name: string) => {
    const cls = POSIX[name];
    if (!cls) {
      return whole;
    }
    return p === "p" ? `[${cls}]` : `[^${cls}]`;
  });
  src = src.replace(/\\A/g, "^").replace(/\\z/g, "$(?![\\s\\S])").replace(/\\Z/g, "(?=\\n?$(?![\\s\\S]))");
  return { source: src, flags };
}

const cache = new Map<string, RegExp>();

/** A compiled Java pattern with extra JS flags (`g` for replace/find loops); PatternSyntaxException when invalid. */
export function javaRegex(pattern: string, flags = ""): RegExp {
  const key = `${flags}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) {
    return re;
  }
  const t = translate(pattern);
  const all = [...new Set((t.flags + flags).split(""))].join("");
  try {
    re = new RegExp(t.source, all);
  } catch (e) {
    throw new JavaError(
      "java.util.regex.PatternSyntaxException",
      `${e instanceof Error ? e.message : String(e)} near index 0\n${pattern}`,
    );
  }
  if (cache.size > 1000) {
    cache.clear();
  }
  cache.set(key, re);
  return re;
}

/** The regexp functions' flags argument as JS flags; Java's messages for anything else. */
export function regexpFlags(flags: unknown): string {
  let javaBits = 64;
  let out = "";
  if (typeof flags !== "string") {
    return out;
  }
  for (const c of flags) {
    if (c === "i") {
      javaBits |= 2;
      if (!out.includes("i")) {
        out += "i";
      }
    } else if (c === "c") {
      javaBits &= ~2;
      out = out.replace("i", "");
    } else if (c === "n") {
      javaBits |= 32;
      if (!out.includes("s")) {
        out += "s";
      }
    } else if (c === "m") {
      javaBits |= 8;
      if (!out.includes("m")) {
        out += "m";
      }
    } else {
      throw unsupported(`Unsupported regexpMode arg: ${javaBits} for function: HEXTORAW`);
    }
  }
  return out;
}

type Piece = string | { group: number | string };

/** Java's replacement string: `\x` is a literal x, `$n` / `${name}` a group. */
export function parseReplacement(repl: string, groupCount: number): Piece[] {
  const out: Piece[] = [];
  let lit = "";
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === "\\") {
      if (i + 1 >= repl.length) {
        throw new JavaError("IllegalArgumentException", "character to be escaped is missing");
      }
      lit += repl[++i];
    } else if (c === "$") {
      if (i + 1 >= repl.length) {
        throw new JavaError("IllegalArgumentException", "Illegal group reference: group index is missing");
      }
      if (repl[i + 1] === "{") {
        const close = repl.indexOf("}", i + 2);
        if (close < 0) {
          throw new JavaError("IllegalArgumentException", "named capturing group is missing trailing '}'");
        }
        out.push(lit, { group: repl.slice(i + 2, close) });
        lit = "";
        i = close;
        continue;
      }
      if (!/[0-9]/.test(repl[i + 1]!)) {
        throw new JavaError("IllegalArgumentException", "Illegal group reference");
      }
      let n = Number(repl[++i]);
      while (i + 1 < repl.length && /[0-9]/.test(repl[i + 1]!) && n * 10 + Number(repl[i + 1]) <= groupCount) {
        n = n * 10 + Number(repl[++i]);
      }
      if (n > groupCount) {
        throw new JavaError("IndexOutOfBoundsException", `No group ${n}`);
      }
      out.push(lit, { group: n });
      lit = "";
    } else {
      lit += c;
    }
  }
  out.push(lit);
  return out.filter((p) => p !== "");
}

/** `Pattern.compile(regex, flags).matcher(s).replaceAll(repl)`. */
export function javaReplaceAll(s: string, regex: string, repl: string, flags: string): string {
  const re = javaRegex(regex, `${flags}g`);
  const groupCount = new RegExp(`${re.source}|`).exec("")!.length - 1;
  const pieces = parseReplacement(repl, groupCount);
  re.lastIndex = 0;
  return s.replace(re, (...m: unknown[]) => {
    const named =
      typeof m[m.length - 1] === "object" ? (m[m.length - 1] as Record<string, string | undefined>) : undefined;
    let out = "";
    for (const p of pieces) {
      if (typeof p === "string") {
        out += p;
      } else if (typeof p.group === "number") {
        out += (m[p.group] as string | undefined) ?? "";
      } else {
        if (!named || !(p.group in named)) {
          throw new JavaError("IllegalArgumentException", `No group with name {${p.group}}`);
        }
        out += named[p.group] ?? "";
      }
    }
    return out;
  });
}
