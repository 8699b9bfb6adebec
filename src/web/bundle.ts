/**
 * Macros (run when the engine is bundled, and when a test imports it from source): the web view's
 * script, bundled for the browser with uPlot, and its style sheet with uPlot's. Their text is
 * built into the binary: nothing is fetched from elsewhere at run time.
 */
import { readFileSync } from "node:fs";

const here = (path: string) => new URL(path, import.meta.url).pathname;

/** The browser bundle of `entry` (relative to this file), minified. */
export function script(entry: string): string {
  // Bun.build cannot run inside a macro while the bundler waits for it: the CLI in a process does.
  const r = Bun.spawnSync([process.execPath, "build", here(entry), "--target=browser", "--minify"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (r.exitCode !== 0) {
    throw new Error(`the web view's script does not build:\n${r.stderr.toString()}`);
  }
  return r.stdout.toString();
}

/** uPlot's style sheet, then ours (`path` relative to this file). */
export function styles(path: string): string {
  return `${readFileSync(here("../../node_modules/uplot/dist/uPlot.min.css"), "utf8")}\n${readFileSync(here(path), "utf8")}`;
}
