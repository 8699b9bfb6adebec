/**
 * Which files a LocalFile source reads (AbstractReadStrategy.getFileNamesByPath): a file path, or
 * every non-empty file under a directory, recursively, skipping names that start with `.` and
 * `_SUCCESS`, filtered by file_filter_pattern (matched against the file name) and read_partitions;
 * and the `k=v` partition values in a path.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface ListedFile {
  path: string;
  size: number;
}

export interface ListOptions {
  filterPattern?: string;
  readPartitions?: string[];
}

/** Java `Pattern.matches` for the usual file patterns (`.*\.csv`, `e2e_filter.*`). */
export function fileNameMatcher(pattern: string): (name: string) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw new Error(`file_filter_pattern "${pattern}" is not a valid regular expression: ${(e as Error).message}`);
  }
  return (name) => re.test(name);
}

/** Files to read, sorted by path so splits are stable across runs and threads. Missing path → []. */
export function listFiles(path: string, o: ListOptions = {}): ListedFile[] {
  const out: ListedFile[] = [];
  const match = o.filterPattern === undefined ? undefined : fileNameMatcher(o.filterPattern);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`path "${path}" does not exist`);
  }
  if (st.isFile()) {
    if (st.size > 0 && (!match || match(baseName(path)))) {
      out.push({ path, size: st.size });
    }
    return out;
  }
  walk(path, out, match, o.readPartitions ?? []);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

function walk(dir: string, out: ListedFile[], match: ((n: string) => boolean) | undefined, partitions: string[]): void {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    if (ent.name.startsWith(".")) {
      continue;
    }
    const full = join(dir, ent.name);
    if (ent.isDirectory()) {
      walk(full, out, match, partitions);
      continue;
    }
    if (ent.name === "_SUCCESS") {
      continue;
    }
    if (match && !match(ent.name)) {
      continue;
    }
    if (partitions.length && !partitions.some((p) => full.includes(p))) {
      continue;
    }
    const st = statSync(full);
    if (!st.isFile() || st.size === 0) {
      continue;
    }
    out.push({ path: full, size: st.size });
  }
}

export const baseName = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

/** `k=v` segments of a path, in order (parsePartitionsByPath). */
export function partitionsOf(path: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Map<string, number>();
  for (const seg of path.split("/")) {
    const eq = seg.indexOf("=");
    if (eq < 0) {
      continue;
    }
    const k = seg.slice(0, eq);
    const rest = seg.slice(eq + 1);
    const v = rest.includes("=") ? rest.slice(0, rest.indexOf("=")) : rest;
    const at = seen.get(k);
    if (at === undefined) {
      seen.set(k, out.length);
      out.push([k, v]);
    } else {
      out[at] = [k, v];
    }
  }
  return out;
}
