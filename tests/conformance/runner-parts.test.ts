import { describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOptions } from "./cli.ts";
import { judgeExpected, parseExpected, rowLines, summaryLine, totals } from "./expected.ts";
import { describeExit, exitMatches, startJob, stopJob, waitExit } from "./job.ts";
import { OutputBuffer } from "./output.ts";
import type { RowResult, Status } from "./run-row.ts";
import { PathResolver } from "./setup.ts";

const result = (key: string, status: Status, counted = true): RowResult => ({
  key,
  path: key,
  group: "g",
  status,
  counted,
  seconds: 1,
  exit: undefined,
  reasons: status === "PASS" ? [] : ["why"],
  soft: [],
  argv: [],
  outputTail: [],
});

describe("output buffer", () => {
  test("finds a watched text split across chunks of one stream", () => {
    const out = new OutputBuffer(["checkpoint is enabled"]);
    out.append("... checkpoint is en", "out");
    out.append("abled ...", "out");
    expect(out.contains("checkpoint is enabled")).toBe(true);
  });

  test("keeps watching after the kept text was capped", () => {
    const out = new OutputBuffer(["early marker"], 16, 32);
    out.append("xxxxxxxxxxxxxxxxxxxxxxxx early marker ");
    for (let i = 0; i < 20; i++) {
      out.append("filler filler filler\n");
    }
    expect(out.contains("early marker")).toBe(true);
    expect(out.text()).toContain("characters not kept");
    expect(out.lastLines(1)).toEqual(["filler filler filler"]);
  });

  test("notices output that says something is unsupported", () => {
    const out = new OutputBuffer([]);
    out.append('error: source "Foo" is not a known connector\n');
    expect(out.matchesUnsupported()).toBe(true);
    expect(new OutputBuffer([]).matchesUnsupported()).toBe(false);
  });
});

describe("expected-pass list", () => {
  test("reads one key per line and skips comments and blank lines", () => {
    expect(parseExpected("# header\n\nengine/a.conf\n  h.conf   -i x=1  \n")).toEqual([
      "engine/a.conf",
      "h.conf -i x=1",
    ]);
  });

  test("fails listed rows that ran and did not pass, and unknown keys", () => {
    const results = [result("a", "PASS"), result("b", "FAIL"), result("c", "UNSUPPORTED"), result("d", "GATED")];
    const v = judgeExpected(["a", "b", "c", "d", "e", "zz"], ["a", "b", "c", "d", "e"], results);
    expect(v.failed).toEqual([
      { key: "b", status: "FAIL" },
      { key: "c", status: "UNSUPPORTED" },
    ]);
    expect(v.notRun).toEqual(["d", "e"]);
    expect(v.unknown).toEqual(["zz"]);
  });

  test("ignores prerequisite runs when judging", () => {
    expect(judgeExpected(["a"], ["a"], [result("a", "FAIL", false)]).notRun).toEqual(["a"]);
  });
});

describe("report", () => {
  test("prints the last line exactly as specified, counting only counted rows", () => {
    const t = totals([
      result("a", "PASS"),
      result("b", "FAIL"),
      result("c", "UNSUPPORTED"),
      result("d", "GATED"),
      result("e", "FAIL", false),
    ]);
    expect(summaryLine(t)).toBe("conformance: 1 passed, 1 failed, 1 unsupported, 1 gated of 4");
  });

  test("ends a verbose row line with the key so it can be copied", () => {
    expect(rowLines(result("h.conf -i x=1", "PASS"), true)[0]).toMatch(/^PASS\s+1\.0s {2}h\.conf -i x=1$/);
    expect(rowLines(result("a", "PASS"), false)).toEqual([]);
    expect(rowLines(result("a", "FAIL"), false)).toHaveLength(2);
  });
});

describe("command line", () => {
  test("defaults to the project's binary and the shared corpus next to the project", () => {
    const o = parseOptions([], "/srv/project", "/somewhere");
    expect(o.bin).toBe("/srv/project/dist/seatunnel");
    expect(o.manifest).toBe("/srv/shared/conformance/manifest.tsv");
    expect(o.root).toBe("/srv/shared/conformance");
    expect(o.setupRoot).toBe("/srv/shared/conformance");
    expect(o.timeout).toBe(120);
  });

  test("resolves given paths against the current folder and splits lists", () => {
    const o = parseOptions(
      [
        "--bin",
        "dist/x",
        "--groups=a,b",
        "--plugins",
        "FakeSource, Assert",
        "--only",
        "p1",
        "--only",
        "p2",
        "-v",
        "--dry-run",
        "--timeout",
        "5",
      ],
      "/p",
      "/cwd",
    );
    expect(o).toMatchObject({
      bin: "/cwd/dist/x",
      groups: ["a", "b"],
      plugins: ["FakeSource", "Assert"],
      only: ["p1", "p2"],
      verbose: true,
      dryRun: true,
      timeout: 5,
    });
  });

  test("rejects unknown flags and missing values", () => {
    expect(() => parseOptions(["--nope"], "/p", "/c")).toThrow();
    expect(() => parseOptions(["--bin"], "/p", "/c")).toThrow();
    expect(() => parseOptions(["--timeout", "0"], "/p", "/c")).toThrow();
  });
});

describe("job process", () => {
  test("compares exits: nonzero means 1..127 and not a signal", () => {
    expect(exitMatches({ code: 1, signal: null }, "nonzero")).toBe(true);
    expect(exitMatches({ code: 130, signal: null }, "nonzero")).toBe(false);
    expect(exitMatches({ code: null, signal: "SIGKILL" }, "nonzero")).toBe(false);
    expect(exitMatches({ code: 0, signal: null }, 0)).toBe(true);
    expect(describeExit({ code: null, signal: "SIGTERM" })).toBe("killed by SIGTERM");
  });

  test("reads stdout and stderr together and reports the exit code", async () => {
    const out = new OutputBuffer(["to-err"]);
    const job = startJob(["bash", "-c", "echo to-out; echo to-err >&2; exit 3"], {
      cwd: "/",
      env: process.env,
      output: out,
    });
    const exit = await job.finished;
    expect(exit).toEqual({ code: 3, signal: null });
    expect(out.text()).toContain("to-out");
    expect(out.contains("to-err")).toBe(true);
  });

  test("stops a job with SIGINT sent to its process group", async () => {
    const out = new OutputBuffer([]);
    const script = 'trap "echo stopped; exit 0" INT; echo ready; while :; do sleep 0.05; done';
    const job = startJob(["bash", "-c", script], { cwd: "/", env: process.env, output: out });
    while (!out.text().includes("ready")) {
      await Bun.sleep(10);
    }
    expect(await waitExit(job, 1)).toBe(false);
    expect(await stopJob(job)).toBe("SIGINT");
    await job.finished;
    expect(out.text()).toContain("stopped");
  });

  test("escalates to SIGTERM when SIGINT is ignored", async () => {
    const out = new OutputBuffer([]);
    const job = startJob(["bash", "-c", 'trap "" INT; echo ready; while :; do sleep 0.05; done'], {
      cwd: "/",
      env: process.env,
      output: out,
    });
    while (!out.text().includes("ready")) {
      await Bun.sleep(10);
    }
    expect(await stopJob(job, 100, 2000)).toBe("SIGTERM");
    expect((await job.finished).signal).toBe("SIGTERM");
  });
});

describe("set-up paths", () => {
  test("look in the setup root first, then the corpus root, then the manifest folder", async () => {
    const base = await mkdtemp(join(tmpdir(), "paths-test-"));
    try {
      for (const d of ["setup/g", "root/g", "root/data"]) {
        await mkdir(join(base, d), { recursive: true });
      }
      await writeFile(join(base, "setup/g/x.sql"), "");
      await writeFile(join(base, "root/g/x.sql"), "");
      await writeFile(join(base, "root/data/y.json"), "");
      const paths = new PathResolver([join(base, "setup"), join(base, "root")]);
      expect(paths.resolve("g/x.sql")).toBe(join(base, "setup/g/x.sql"));
      expect(paths.resolve("data/y.json")).toBe(join(base, "root/data/y.json"));
      expect(paths.resolve("/abs/file")).toBe("/abs/file");
      expect(() => paths.resolve("missing.sql")).toThrow("not found");
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
