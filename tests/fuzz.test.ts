/**
 * Fuzz: 10,000+ deterministic mutations (byte and bit flips, truncations, deleted and duplicated
 * lines, inserted brackets and quotes) of the job files in fixtures/invalid, fixtures/jobs and a
 * sample of SeaTunnel's conformance jobs (read in place, never copied), fed in-process to readJob →
 * buildJob → buildDag. Every input must succeed or be rejected with ConfigError / ConfigErrors
 * whose positions lie inside the file; nothing else may be thrown and nothing may hang.
 *
 * Replay one case: fuzzCase(corpus, SEED, index) from tests/fuzz-cases.ts. FUZZ_CASES and
 * FUZZ_SEED override the defaults.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fuzzCase, runCase, type CorpusFile, type FuzzFailure } from "./fuzz-cases.ts";
import type { FuzzDone, FuzzJob } from "./fuzz-worker.ts";
import { ROOT, SHARED } from "./helpers.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const CASES = Number(process.env.FUZZ_CASES ?? 12_000);
/** Conformance jobs taken: every n-th of the sorted list, enough to vary the syntax without slowing the run. */
const CONFORMANCE_SAMPLE = 40;
/** One worker per core of the 2-core CI machine. */
const WORKERS = 2;
/** A whole chunk taking longer than this is a hang. */
const CHUNK_TIMEOUT_MS = 50_000;
const JOB = /\.(conf|json|toml|sql)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      walk(p, out);
    } else {
      out.push(p);
    }
  }
  return out;
}

function loadCorpus(): CorpusFile[] {
  const local = ["fixtures/invalid", "fixtures/jobs"].flatMap((d) => walk(join(ROOT, d)).filter((p) => JOB.test(p)));
  const conformanceDir = join(SHARED, "conformance");
  let shared: string[] = [];
  try {
    const all = walk(conformanceDir).filter((p) => p.endsWith(".conf"));
    const step = Math.max(1, Math.floor(all.length / CONFORMANCE_SAMPLE));
    shared = all.filter((_, i) => i % step === 0).slice(0, CONFORMANCE_SAMPLE);
  } catch {
    // Without the shared corpus the project's own files still give thousands of cases.
  }
  // Positions are checked against the name given to the reader; a relative one keeps reports short.
  return [...local, ...shared].map((p) => ({ file: relative(ROOT, p), text: readFileSync(p, "utf8") }));
}

function runChunk(job: Omit<FuzzJob, "current">): Promise<FuzzDone> {
  const current = new SharedArrayBuffer(4);
  const worker = new Worker(new URL("./fuzz-worker.ts", import.meta.url).href);
  return new Promise<FuzzDone>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      const i = Atomics.load(new Int32Array(current), 0);
      const c = fuzzCase(job.corpus, job.seed, i);
      reject(
        new Error(
          `fuzz case ${i} (${c.file}: ${c.mutation}) did not finish within ${CHUNK_TIMEOUT_MS} ms of its chunk`,
        ),
      );
    }, CHUNK_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<FuzzDone>) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e: ErrorEvent) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(`fuzz worker failed: ${e.message}`));
    };
    worker.postMessage({ ...job, current } satisfies FuzzJob);
  });
}

const report = (f: FuzzFailure) => `#${f.index} ${f.file} [${f.mutation}]: ${f.problem}`;

describe("fuzzing the job readers and the planner", () => {
  const corpus = loadCorpus();

  test("the corpus has the project's job files and a sample of the conformance jobs", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(CASES).toBeGreaterThanOrEqual(10_000);
  });

  test("the unmutated corpus files are read without crashing", async () => {
    const failures: string[] = [];
    for (const [i, f] of corpus.entries()) {
      const problem = await runCase({ index: i, file: f.file, text: f.text, mutation: "none" });
      if (problem) {
        failures.push(`${f.file}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("every mutation is accepted or rejected with a positioned ConfigError, never a crash or a hang", async () => {
    const per = Math.ceil(CASES / WORKERS);
    const chunks = Array.from({ length: WORKERS }, (_, w) => ({
      corpus,
      seed: SEED,
      from: w * per,
      to: Math.min(CASES, (w + 1) * per),
    }));
    const done = await Promise.all(chunks.map(runChunk));
    const failures = done.flatMap((d) => d.failures);
    if (failures.length) {
      console.error(
        `${failures.length} failing fuzz cases; first ones:\n${failures.slice(0, 10).map(report).join("\n")}`,
      );
    }
    expect(failures.slice(0, 20).map(report)).toEqual([]);
    // No single input may be pathologically slow (a near-hang).
    const slowest = done.reduce((a, d) => (d.slowest.ms > a.ms ? d.slowest : a), { index: -1, ms: 0 });
    expect(slowest.ms).toBeLessThan(5_000);
  }, 120_000);
});
