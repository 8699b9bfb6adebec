/**
 * Golden tests of the CLI's own output: every help text, `connectors describe`, and the usage
 * errors, each run twice — piped (stdout and stderr apart) and on a terminal (under `script`, which
 * gives the binary a pty; skipped where `script` is missing). The outputs must be identical apart
 * from the pty's CRLF line ends: no colour, no internal paths, on a terminal or not.
 * Each case is tests/golden/cli/<name>.txt, compared byte for byte after the version line (which
 * names the release and Bun) is replaced by `<version>` and the pty's CRLF by LF.
 * `UPDATE_GOLDEN=1 bun test tests/cli-golden.test.ts` rewrites the files.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, runBin } from "./helpers.ts";

const DIR = join(ROOT, "tests", "golden", "cli");
const update = process.env.UPDATE_GOLDEN === "1";
const SCRIPT = Bun.which("script");

/** name → arguments of dist/seatunnel. */
const CASES: Record<string, string[]> = {
  "help-global": ["help"],
  "help-flag": ["-h"],
  "help-none": [],
  "help-run": ["run", "--help"],
  "help-run-topic": ["help", "run"],
  "help-plan": ["plan", "-h"],
  "help-connectors": ["connectors", "--help"],
  "help-connectors-list": ["connectors", "list", "-h"],
  "help-connectors-describe": ["connectors", "describe", "--help"],
  "help-version": ["version", "-h"],
  "help-validate": ["validate", "-h"],
  "help-checkpoints": ["checkpoints", "--help"],
  "help-checkpoints-prune": ["help", "checkpoints", "prune"],
  "describe-localfile": ["connectors", "describe", "LocalFile"],
  "describe-filter": ["connectors", "describe", "Filter"],
  "usage-unknown-command": ["conectors"],
  "usage-help-unknown": ["help", "foo"],
  "usage-connectors-none": ["connectors"],
  "usage-connectors-unknown": ["connectors", "lst"],
  "usage-describe-none": ["connectors", "describe"],
  "usage-describe-unknown": ["connectors", "describe", "Fakesorce"],
  "usage-describe-unsupported": ["connectors", "describe", "Kafka"],
  "usage-describe-flag": ["connectors", "describe", "--all"],
  "usage-list-argument": ["connectors", "list", "sources"],
  "usage-run-none": ["run"],
  "usage-run-flag": ["run", "job.conf", "--jsn"],
  "cluster-savepoint-no-member": ["-s", "1", "--cluster-address", "http://127.0.0.1:9"],
  "usage-plan-none": ["plan"],
  "usage-plan-flag": ["plan", "job.conf", "--json"],
  "usage-version-argument": ["version", "now"],
  "usage-checkpoints-unknown": ["checkpoints", "lst"],
};

const VERSION_LINE = /^seatunnel \S+ \(Bun [^;]+; [^)]*\)$/gm;
const normalize = (s: string) => s.replaceAll("\r\n", "\n").replace(VERSION_LINE, "<version>");

async function onTerminal(args: string[]): Promise<{ code: number; out: string }> {
  const line = [BIN, ...args].map((a) => `'${a}'`).join(" ");
  const proc = Bun.spawn([SCRIPT!, "-qec", line, "/dev/null"], {
    cwd: ROOT,
    env: { ...process.env, TZ: "UTC", TERM: "xterm-256color" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  return { code, out };
}

describe("CLI output (tests/golden/cli)", () => {
  for (const [name, args] of Object.entries(CASES)) {
    test(`seatunnel ${args.join(" ")}`, async () => {
      const piped = await runBin(args);
      let text = `$ seatunnel ${args.join(" ")}\nexit: ${piped.code}\n--- stdout\n${normalize(piped.stdout)}--- stderr\n${normalize(piped.stderr)}`;
      for (const s of [piped.stdout, piped.stderr]) {
        expect(s).not.toContain("\x1b");
        expect(s).not.toContain("$bunfs");
      }
      if (SCRIPT) {
        const tty = await onTerminal(args);
        expect(tty.out).not.toContain("\x1b");
        expect(tty.code).toBe(piped.code);
        // One stream is written per case, so the terminal shows exactly what the pipes carried.
        expect(normalize(tty.out)).toBe(normalize(piped.stdout + piped.stderr));
        text += `--- terminal (exit ${tty.code})\n${normalize(tty.out)}`;
      }
      const golden = join(DIR, `${name}.txt`);
      if (update) {
        writeFileSync(golden, text);
      }
      expect(existsSync(golden)).toBe(true);
      expect(text).toBe(readFileSync(golden, "utf8"));
    });
  }

  test("usage errors exit 234 and print nothing on stdout; help exits 0 (234 after run -h and seatunnel -h, as SeaTunnel's client); no cluster member exits 1", async () => {
    const runs = await Promise.all(
      Object.entries(CASES).map(async ([name, args]) => [name, await runBin(args)] as const),
    );
    for (const [name, r] of runs) {
      const want =
        name.startsWith("usage-") || ["help-flag", "help-none", "help-run"].includes(name)
          ? 234
          : name.startsWith("cluster-")
            ? 1
            : 0;
      expect([name, r.code]).toEqual([name, want]);
      if (name.startsWith("usage-")) {
        expect([name, r.stdout]).toEqual([name, ""]);
        expect(r.stderr).toMatch(/^error\[USAGE\]: /);
      }
    }
  }, 30_000);
});
