/**
 * End-to-end: every job file under fixtures/jobs runs through the built binary and must exit 0
 * (the Assert sink inside the job checks the data). A job file may carry directives in its first
 * comment lines: `# args: -i k=v ...`, `# expect-exit: 1`, `# expect-output: text` (repeatable).
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../src/version.ts";
import { ROOT, runBin } from "./helpers.ts";

const dir = join(ROOT, "fixtures", "jobs");
const files = readdirSync(dir)
  .filter((f) => /\.(conf|json|toml|sql)$/.test(f))
  .sort();

function directives(text: string): { args: string[]; exit: number; outputs: string[] } {
  const d = { args: [] as string[], exit: 0, outputs: [] as string[] };
  for (const line of text.split("\n").slice(0, 15)) {
    const m = /^\s*(?:#|--)\s*(args|expect-exit|expect-output):\s*(.*)$/.exec(line);
    if (!m) {
      continue;
    }
    if (m[1] === "args") {
      d.args.push(...m[2]!.trim().split(/\s+/));
    } else if (m[1] === "expect-exit") {
      d.exit = Number(m[2]);
    } else {
      d.outputs.push(m[2]!.trim());
    }
  }
  return d;
}

describe("fixtures/jobs", () => {
  test("the binary is built and runs", async () => {
    const r = await runBin(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(VERSION);
  });
  for (const f of files) {
    test(`${f} runs with the expected exit code and output`, async () => {
      const d = directives(readFileSync(join(dir, f), "utf8"));
      const r = await runBin(["run", join("fixtures", "jobs", f), ...d.args]);
      if (r.code !== d.exit) {
        console.error(r.stdout.slice(-3000), r.stderr.slice(-3000));
      }
      expect(r.code).toBe(d.exit);
      for (const o of d.outputs) {
        expect(r.stdout + r.stderr).toContain(o);
      }
    });
  }
});
