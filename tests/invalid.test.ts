/**
 * Golden error tests: every broken job under fixtures/invalid runs through
 * `dist/seatunnel run --check` and its stderr plus a last line `exit: N` must equal
 * `<name>.expected` exactly. A job file may carry flags in a first comment line
 * (`# args: -i k=v`, `-- args: ...` in SQL). An `.expected` file without a job file beside it runs
 * `<name>.conf`, which does not exist (the missing-file case). `UPDATE_GOLDEN=1` rewrites the files.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runBin } from "./helpers.ts";

const DIR = join(ROOT, "fixtures", "invalid");
const JOB = /\.(conf|json|toml|sql)$/;
const update = process.env.UPDATE_GOLDEN === "1";

/** One case per name: `<name>.<ext>` job files and `<name>.expected` files (either may be missing). */
function cases(): { name: string; job: string }[] {
  const files = readdirSync(DIR);
  const jobs = new Map(files.filter((f) => JOB.test(f)).map((f) => [f.replace(JOB, ""), f] as const));
  const goldens = files.filter((f) => f.endsWith(".expected")).map((f) => f.slice(0, -".expected".length));
  return [...new Set([...jobs.keys(), ...goldens])]
    .sort()
    .map((name) => ({ name, job: jobs.get(name) ?? `${name}.conf` }));
}

/** Flags from a `# args:` / `-- args:` line among the first lines of the job file. */
function argsOf(path: string): string[] {
  if (!existsSync(path)) {
    return [];
  }
  for (const line of readFileSync(path, "utf8").split("\n").slice(0, 5)) {
    const m = /^\s*(?:#|--|\/\/)\s*args:\s*(.*)$/.exec(line);
    if (m) {
      return m[1]!.trim().split(/\s+/).filter(Boolean);
    }
  }
  return [];
}

/** Log lines carry a wall-clock timestamp; golden files hold a placeholder instead. */
const normalize = (stderr: string) => stderr.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /gm, "<time> ");

const all = cases();

describe("fixtures/invalid", () => {
  test("there are at least 30 broken job files", () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of all) {
    test(`${c.job} fails with the expected errors and exit code`, async () => {
      const rel = join("fixtures", "invalid", c.job);
      const r = await runBin(["run", "--check", rel, ...argsOf(join(ROOT, rel))]);
      const actual = `${normalize(r.stderr)}exit: ${r.code}\n`;
      const goldenPath = join(DIR, `${c.name}.expected`);
      if (update) {
        writeFileSync(goldenPath, actual);
      }
      expect(existsSync(goldenPath)).toBe(true);
      expect(actual).toBe(readFileSync(goldenPath, "utf8"));
      expect(r.code).not.toBe(0);
      // A user never sees a stack trace without --verbose.
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      expect(r.stderr).not.toContain("error[INTERNAL]");
    });
  }
});
