/**
 * The fuzz test's cases and its check, shared by tests/fuzz.test.ts and the worker that runs them.
 * A case is a pure function of (corpus, seed, index), so any failure can be replayed alone.
 */
import { ConfigError, ConfigErrors } from "../src/api/errors.ts";
import { buildJob } from "../src/config/job.ts";
import { readJob } from "../src/config/read.ts";
import type { Pos } from "../src/api/tree.ts";
import { buildDag } from "../src/plan/logical.ts";

export interface CorpusFile {
  /** The name positions are reported with; its extension picks the reader. */
  file: string;
  text: string;
}

export interface FuzzCase {
  index: number;
  file: string;
  text: string;
  /** What was done to the original, e.g. `flip@120 "{"; delete-line 7`. */
  mutation: string;
}

export interface FuzzFailure {
  index: number;
  file: string;
  mutation: string;
  problem: string;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = [..."{}[]\"'=:,$#\n \t\\/.+-?0123456789aZ_", "é", "😀", "\u0000", "\r", "\uFEFF"];
const TOKENS = [
  "{",
  "}",
  "[",
  "]",
  '"',
  "'",
  '"""',
  "${",
  "${x}",
  "${?x}",
  "}",
  "]]",
  "[[",
  ",",
  "=",
  "\n",
  "//",
  "#",
  "->",
  'include "x"',
  "/*",
  "*/",
  "--",
  "'''",
  "+=",
];

type Mutator = (text: string, rnd: () => number) => { text: string; what: string };

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;
const at = (text: string, rnd: () => number) => Math.floor(rnd() * (text.length + 1));

const MUTATORS: Mutator[] = [
  function flipChar(text, rnd) {
    const i = Math.floor(rnd() * text.length);
    const c = pick(CHARS, rnd);
    return { text: text.slice(0, i) + c + text.slice(i + 1), what: `replace@${i} ${JSON.stringify(c)}` };
  },
  function flipBit(text, rnd) {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length === 0) {
      return { text, what: "flip-bit (empty)" };
    }
    const i = Math.floor(rnd() * bytes.length);
    const bit = Math.floor(rnd() * 8);
    bytes[i]! ^= 1 << bit;
    return { text: new TextDecoder().decode(bytes), what: `flip-bit byte ${i} bit ${bit}` };
  },
  function truncate(text, rnd) {
    const i = at(text, rnd);
    return { text: text.slice(0, i), what: `truncate@${i}` };
  },
  function deleteLine(text, rnd) {
    const lines = text.split("\n");
    const i = Math.floor(rnd() * lines.length);
    lines.splice(i, 1);
    return { text: lines.join("\n"), what: `delete-line ${i + 1}` };
  },
  function duplicateLine(text, rnd) {
    const lines = text.split("\n");
    const i = Math.floor(rnd() * lines.length);
    lines.splice(i, 0, lines[i]!);
    return { text: lines.join("\n"), what: `duplicate-line ${i + 1}` };
  },
  function insertToken(text, rnd) {
    const i = at(text, rnd);
    const t = pick(TOKENS, rnd);
    return { text: text.slice(0, i) + t + text.slice(i), what: `insert@${i} ${JSON.stringify(t)}` };
  },
];

/** Case `index`: 1 to 3 mutations of one corpus file, all drawn from (seed, index). */
export function fuzzCase(corpus: readonly CorpusFile[], seed: number, index: number): FuzzCase {
  const rnd = prng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const base = corpus[index % corpus.length]!;
  let text = base.text;
  const done: string[] = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const r = pick(MUTATORS, rnd)(text, rnd);
    text = r.text;
    done.push(r.what);
  }
  return { index, file: base.file, text, mutation: done.join("; ") };
}

/** Why `pos` is not a place in `text` (1-based line and column, the column at most one past the line's end), or undefined. */
export function badPosition(pos: Pos | undefined, file: string, text: string): string | undefined {
  if (!pos) {
    return undefined;
  }
  if (pos.file !== file) {
    return `position names file ${JSON.stringify(pos.file)}, not ${JSON.stringify(file)}`;
  }
  const lines = text.split("\n");
  if (!Number.isInteger(pos.line) || pos.line < 1 || pos.line > lines.length) {
    return `line ${pos.line} is outside 1..${lines.length}`;
  }
  const len = lines[pos.line - 1]!.length;
  if (!Number.isInteger(pos.col) || pos.col < 1 || pos.col > len + 1) {
    return `column ${pos.col} is outside 1..${len + 1} on line ${pos.line}`;
  }
  return undefined;
}

function checkErrors(errors: readonly ConfigError[], c: FuzzCase): string | undefined {
  for (const e of errors) {
    if (!(e instanceof ConfigError)) {
      return `a reported problem is a ${(e as Error).constructor?.name}, not a ConfigError`;
    }
    const bad = badPosition(e.pos, c.file, c.text);
    if (bad) {
      return `${e.code}: ${bad} (${e.message})`;
    }
  }
  return undefined;
}

/**
 * Reads, builds and plans one case. Returns what went wrong, or undefined when the input either
 * succeeded or was rejected properly: ConfigError / ConfigErrors with positions inside the file.
 */
export async function runCase(c: FuzzCase): Promise<string | undefined> {
  try {
    const root = await readJob(c.text, c.file, { variables: new Map(), env: {} });
    const built = buildJob(root, c.file);
    const bad = checkErrors(built.errors, c) ?? checkErrors(built.job?.warnings ?? [], c);
    if (bad || !built.job) {
      return bad;
    }
    const planned = buildDag(built.job);
    return checkErrors(planned.errors, c) ?? checkErrors(planned.warnings, c);
  } catch (e) {
    if (e instanceof ConfigErrors) {
      return checkErrors(e.errors, c);
    }
    if (e instanceof ConfigError) {
      return checkErrors([e], c);
    }
    const err = e instanceof Error ? e : new Error(String(e));
    return `threw ${err.name}: ${err.message}${err.stack ? `\n${err.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  }
}
