// The expected-pass list (--expected FILE) and the runner's report lines (pure).
import { normalizeKey } from "./manifest.ts";
import type { RowResult, Status } from "./run-row.ts";

/** Keys of an expected-pass file: one per line, `#` starts a comment line, blank lines ignored. */
export function parseExpected(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map(normalizeKey);
}

export interface ExpectedVerdict {
  /** Listed keys that name no manifest row (a typo or a renamed row). */
  unknown: string[];
  /** Listed rows that ran and did not pass. */
  failed: { key: string; status: Status }[];
  /** Listed rows this run did not run (not selected, or gated without --gated). */
  notRun: string[];
}

/** Judges the listed keys against the counted results of this run. */
export function judgeExpected(listed: string[], allKeys: string[], results: RowResult[]): ExpectedVerdict {
  const known = new Set(allKeys.map(normalizeKey));
  const byKey = new Map<string, RowResult>();
  for (const r of results) {
    if (r.counted) {
      byKey.set(normalizeKey(r.key), r);
    }
  }
  const verdict: ExpectedVerdict = { unknown: [], failed: [], notRun: [] };
  for (const key of listed) {
    const r = byKey.get(key);
    if (!known.has(key)) {
      verdict.unknown.push(key);
    } else if (r === undefined || r.status === "GATED") {
      verdict.notRun.push(key);
    } else if (r.status !== "PASS") {
      verdict.failed.push({ key, status: r.status });
    }
  }
  return verdict;
}

export interface Totals {
  passed: number;
  failed: number;
  unsupported: number;
  gated: number;
  total: number;
}

export function totals(results: RowResult[]): Totals {
  const counted = results.filter((r) => r.counted);
  const n = (s: Status) => counted.filter((r) => r.status === s).length;
  return {
    passed: n("PASS"),
    failed: n("FAIL"),
    unsupported: n("UNSUPPORTED"),
    gated: n("GATED"),
    total: counted.length,
  };
}

/** The runner's last line, exactly as the corpus README specifies it. */
export function summaryLine(t: Totals): string {
  return `conformance: ${t.passed} passed, ${t.failed} failed, ${t.unsupported} unsupported, ${t.gated} gated of ${t.total}`;
}

/**
 * Report lines of one row. Verbose: `STATUS  seconds  key` (the key is the rest of the line, ready to
 * copy into the expected-pass list), then soft results, and for a row that did not pass its reasons and
 * last output lines. Quiet: only rows that did not pass, with their first reason.
 */
export function rowLines(r: RowResult, verbose: boolean): string[] {
  const tag = r.counted ? r.status : `${r.status} (prerequisite, not counted)`;
  const head = `${tag.padEnd(11)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.key}`;
  if (!verbose) {
    if (!r.counted || r.status === "PASS" || r.status === "GATED") {
      return [];
    }
    return [head, ...(r.reasons[0] === undefined ? [] : [`    ${r.reasons[0]}`])];
  }
  const lines = [head, ...r.soft.map((s) => `    soft ${s}`)];
  if (r.status === "PASS" || r.status === "GATED") {
    return lines;
  }
  lines.push(...r.reasons.map((s) => `    reason: ${s}`));
  if (r.argv.length > 0) {
    lines.push(`    command: TZ=UTC ${r.argv.join(" ")}`);
  }
  if (r.outputTail.length > 0) {
    lines.push("    last output lines:", ...r.outputTail.map((l) => `    | ${l}`));
  }
  return lines;
}
