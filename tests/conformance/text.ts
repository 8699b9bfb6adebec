// Text helpers of the conformance runner: placeholders, `rewrite` pairs, TEXT escapes and the
// bash evaluation of `args` (README of the corpus: "rewrite", "args", "checks").

/** Values of the runner's placeholders; an undefined value leaves its token in place. */
export interface Vars {
  ST_ROOT?: string;
  HTTP_FIXTURE_PORT?: string;
}

const PLACEHOLDER = /\$\{(ST_ROOT|HTTP_FIXTURE_PORT)\}/g;

/** Replaces `${ST_ROOT}` and `${HTTP_FIXTURE_PORT}` by their values (unknown ones stay as tokens). */
export function substitute(text: string, vars: Vars): string {
  return text.replace(PLACEHOLDER, (token, name: keyof Vars) => vars[name] ?? token);
}

/** Placeholder tokens still present in `text` (used to report a missing `http-fixture:` step). */
export function unresolvedPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[0]))];
}

export interface RewritePair {
  old: string;
  new: string;
}

/** Parses the `rewrite` cell: pairs `old=>new` separated by ` ;; `; `new` is everything after the first `=>`. */
export function parseRewrite(cell: string): { pairs: RewritePair[]; errors: string[] } {
  const pairs: RewritePair[] = [];
  const errors: string[] = [];
  if (cell.trim() === "") {
    return { pairs, errors };
  }
  for (const item of cell.split(" ;; ")) {
    const at = item.indexOf("=>");
    if (at <= 0) {
      errors.push(`rewrite pair without "old=>new": ${JSON.stringify(item)}`);
      continue;
    }
    pairs.push({ old: item.slice(0, at), new: item.slice(at + 2) });
  }
  return { pairs, errors };
}

interface Segment {
  text: string;
  /** True for the output of a pair: later pairs never match inside it. */
  replaced: boolean;
}

/**
 * Applies the pairs in order as literal replacements. The output of a pair is kept as a protected
 * segment with its placeholders still as tokens, so no later pair can match it; placeholders are
 * substituted at the very end, and only inside replacements (the job text itself is never touched).
 */
export function applyRewrite(text: string, pairs: RewritePair[], vars: Vars): string {
  let segments: Segment[] = [{ text, replaced: false }];
  for (const pair of pairs) {
    const next: Segment[] = [];
    for (const segment of segments) {
      if (segment.replaced || !segment.text.includes(pair.old)) {
        next.push(segment);
        continue;
      }
      const parts = segment.text.split(pair.old);
      parts.forEach((part, i) => {
        if (i > 0) {
          next.push({ text: pair.new, replaced: true });
        }
        if (part !== "") {
          next.push({ text: part, replaced: false });
        }
      });
    }
    segments = next;
  }
  return segments.map((s) => (s.replaced ? substitute(s.text, vars) : s.text)).join("");
}

/** Decodes the TEXT escapes `\t`, `\n`, `\\` and `\uXXXX`; any other backslash stays as it is. */
export function unescapeText(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|t|n|\\)/g, (_m, esc: string) => {
    if (esc === "t") {
      return "\t";
    }
    if (esc === "n") {
      return "\n";
    }
    if (esc === "\\") {
      return "\\";
    }
    return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
  });
}

/** The bash command that turns `args` into NUL-separated words, exactly as the README gives it. */
export function argsCommand(args: string): string[] {
  return ["bash", "-c", `printf '%s\\0' ${args}`];
}

/** Splits the NUL-separated output of {@link argsCommand}. */
export function splitNul(output: string): string[] {
  const words = output.split("\0");
  if (words.at(-1) === "") {
    words.pop();
  }
  return words;
}

/**
 * Evaluates `args` (placeholders already substituted) with bash, so `$(date +"%Y%m%d")` expands as
 * in the ITs. Empty args give no words. Throws when bash fails.
 */
export async function evalArgs(args: string, env: Record<string, string | undefined>): Promise<string[]> {
  if (args.trim() === "") {
    return [];
  }
  const proc = Bun.spawn(argsCommand(args), { stdout: "pipe", stderr: "pipe", stdin: "ignore", env });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    throw new Error(`bash could not evaluate args ${JSON.stringify(args)}: ${err.trim()}`);
  }
  return splitNul(out);
}

/** True when the evaluated args name the job themselves (then the runner adds no `--name`). */
export function hasNameArg(words: string[]): boolean {
  return words.some((w) => w === "--name" || w.startsWith("--name="));
}
