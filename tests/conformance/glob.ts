// GLOB of the files/lines/first-line checks: `*` and `?` match within one path segment, `**` any
// number of segments; only regular files count. Like bash, a wildcard does not match a name that
// starts with "." unless the pattern segment itself starts with "." (hidden in-progress files of a
// sink are not committed output).
import { readdir } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join, resolve } from "node:path";

const WILD = /[*?]/;

/** Regex for one pattern segment (no `**`). */
export function segmentRegex(segment: string): RegExp {
  let re = "";
  for (const ch of segment) {
    if (ch === "*") {
      re += "[^/]*";
    } else if (ch === "?") {
      re += "[^/]";
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`, "s");
}

function segmentMatches(pattern: string, name: string): boolean {
  if (name.startsWith(".") && !pattern.startsWith(".") && WILD.test(pattern)) {
    return false;
  }
  if (!WILD.test(pattern)) {
    return pattern === name;
  }
  return segmentRegex(pattern).test(name);
}

/** Matches path segments against pattern segments; `**` matches zero or more (non-hidden) segments. */
export function matchSegments(pattern: string[], path: string[]): boolean {
  const memo = new Map<string, boolean>();
  const go = (p: number, s: number): boolean => {
    const id = `${p},${s}`;
    const known = memo.get(id);
    if (known !== undefined) {
      return known;
    }
    let result: boolean;
    const seg = pattern[p];
    if (seg === undefined) {
      result = s === path.length;
    } else if (seg === "**") {
      result = go(p + 1, s) || (s < path.length && !(path[s] ?? "").startsWith(".") && go(p, s + 1));
    } else {
      result = s < path.length && segmentMatches(seg, path[s] ?? "") && go(p + 1, s + 1);
    }
    memo.set(id, result);
    return result;
  };
  return go(0, 0);
}

/** Splits an absolute (or `cwd`-relative) pattern into the literal base directory and the rest. */
export function splitGlob(pattern: string, cwd: string): { base: string; rest: string[] } {
  const abs = resolve(cwd, pattern);
  const segments = abs.split("/").filter((s) => s !== "");
  const firstWild = segments.findIndex((s) => WILD.test(s));
  const cut = firstWild < 0 ? segments.length - 1 : firstWild;
  return { base: `/${segments.slice(0, cut).join("/")}`, rest: segments.slice(cut) };
}

/** Regular files matching the pattern, sorted. Symbolic links are not followed. */
export async function globFiles(pattern: string, cwd: string): Promise<string[]> {
  const { base, rest } = splitGlob(pattern, cwd);
  const found: string[] = [];
  const deep = rest.includes("**");
  const walk = async (dir: string, rel: string[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const parts = [...rel, entry.name];
      if (entry.isDirectory()) {
        if (deep || parts.length < rest.length) {
          await walk(join(dir, entry.name), parts);
        }
      } else if (entry.isFile() && matchSegments(rest, parts)) {
        found.push(join(dir, entry.name));
      }
    }
  };
  await walk(base, []);
  return found.sort();
}
