/** Shared helpers for tests that run the compiled binary. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
export const BIN = join(ROOT, "dist", "seatunnel");
/** SeaTunnel's corpus and reference, beside the project (never copied into it). */
export const SHARED = resolve(ROOT, "..", "shared");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function binaryBuilt(): boolean {
  return existsSync(BIN);
}

/** Runs dist/seatunnel with `args` from the project root (so relative paths in output are stable). */
export async function runBin(
  args: string[],
  o: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  const proc = Bun.spawn([BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, TZ: "UTC", ...o.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), o.timeoutMs ?? 60_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Reads a process's output to its end, calling `when` once, as soon as the text so far contains
 * `line` (a test acts on the job's own log line instead of sleeping). Resolves with all the text.
 */
export async function readWhen(stream: ReadableStream<Uint8Array>, line: string, when: () => void): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  let fired = false;
  for await (const chunk of stream) {
    seen += decoder.decode(chunk, { stream: true });
    if (!fired && seen.includes(line)) {
      fired = true;
      when();
    }
  }
  return seen;
}

/**
 * Runs the conformance runner (tests/conformance/runner.ts) on the built binary with `args`; its
 * output is printed when it fails, and its last line must be the runner's summary.
 */
export async function runConformance(args: string[]): Promise<{ out: string; code: number }> {
  const proc = Bun.spawn(["node_modules/.bin/bun", "tests/conformance/runner.ts", "--bin", BIN, ...args], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    console.error(out.slice(-6000), err.slice(-2000));
  }
  return { out, code };
}
