/**
 * Progress with a percentage and an ETA: the binary draws its live line on stderr only on a
 * terminal, SEATUNNEL_PROGRESS=1 draws it anyway (as here, where stderr is a pipe), --no-progress
 * never; a LocalFile source estimates its rows from file sizes, so the line has a percentage.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BoundJob } from "../src/plan/bind.ts";
import { duration, estimateTotal, share } from "../src/cli/progress.ts";
import { binaryBuilt, runBin } from "./helpers.ts";

const LIVE = /read \d+ written \d+ \(\d+ rows\/s\) (\d+)% ETA \d+s elapsed \d+s/;

describe("progress share and ETA", () => {
  test("the percentage stays below 100 while running and the ETA follows the average rate", () => {
    expect(share(250, 1000, 10_000)).toEqual({ percent: 25, eta: "30s" });
    expect(share(0, 1000, 500)).toEqual({ percent: 0 });
    expect(share(1200, 1000, 9_000)).toEqual({ percent: 99 });
    expect(share(5, 0, 1000)).toBeUndefined();
  });

  test("a resumed job's ETA follows the rate of this run, not the rows read before the restore", () => {
    expect(share(500, 1000, 10_000, 250)).toEqual({ percent: 50, eta: "20s" });
    expect(share(250, 1000, 10_000, 250)).toEqual({ percent: 25 });
  });

  test("durations read as seconds, minutes or hours", () => {
    expect([duration(400), duration(59_000), duration(185_000), duration(7_800_000)]).toEqual([
      "1s",
      "59s",
      "3m05s",
      "2h10m",
    ]);
  });

  test("the job's total is the sum of its sources' estimates, and unknown when one has none", async () => {
    const job = (...estimates: (number | undefined)[]) =>
      ({
        nodes: [
          ...estimates.map((n) => ({ node: { block: { kind: "source" } }, source: { estimateRows: () => n } })),
          { node: { block: { kind: "sink" } }, sink: {} },
        ],
      }) as unknown as BoundJob;
    expect(await estimateTotal(job(10, 32))).toBe(42);
    expect(await estimateTotal(job(10, undefined))).toBeUndefined();
    const failing = {
      nodes: [{ node: { block: { kind: "source" } }, source: { estimateRows: () => Promise.reject(new Error("x")) } }],
    } as unknown as BoundJob;
    expect(await estimateTotal(failing)).toBeUndefined();
  });
});

describe.skipIf(!binaryBuilt())("progress in the binary", () => {
  const dir = mkdtempSync(join(tmpdir(), "st-progress-"));
  const csv = join(dir, "rows.csv");
  writeFileSync(csv, Array.from({ length: 20_000 }, (_, i) => `${i % 1000},name-${i % 1000}\n`).join(""));
  const job = join("fixtures", "file", "progress.conf");

  test("SEATUNNEL_PROGRESS=1 draws the live line with a percentage and an ETA on stderr, not on stdout", async () => {
    const r = await runBin(["run", job, "-i", `csv=${csv}`], { env: { SEATUNNEL_PROGRESS: "1" } });
    expect(r.code).toBe(0);
    const percents = [...r.stderr.matchAll(new RegExp(LIVE, "g"))].map((m) => Number(m[1]));
    expect(percents.length).toBeGreaterThan(0);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(r.stdout).not.toMatch(LIVE);
  }, 30_000);

  test("off a terminal there is no live line", async () => {
    const plain = await runBin(["run", job, "-i", `csv=${csv}`]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toMatch(/rows\/s/);
  }, 30_000);

  test("--no-progress wins over SEATUNNEL_PROGRESS", async () => {
    const off = await runBin(["run", job, "-i", `csv=${csv}`, "--no-progress"], { env: { SEATUNNEL_PROGRESS: "1" } });
    expect(off.code).toBe(0);
    expect(off.stderr).not.toMatch(/rows\/s/);
  }, 30_000);
});
