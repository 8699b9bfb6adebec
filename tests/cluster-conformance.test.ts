/**
 * SeaTunnel's own engine job files (../shared/conformance, read in place) on a cluster of two real
 * members: the conformance runner's `--cluster` option runs each with `-m cluster`, and every batch
 * row of the engine group that passes locally (tests/conformance/expected-pass.txt) passes there
 * too: same exit code, same output checks (the client writes the job's log as its member's process
 * writes it), same files. `make conformance` with `--cluster` runs the streaming rows as well (they
 * take minutes: each runs for its time before the runner stops it).
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifest } from "./conformance/manifest.ts";
import { agreedMaster, cleanup, dataDir, start } from "./cluster-helpers.ts";
import { ROOT, runConformance } from "./helpers.ts";

afterAll(cleanup);

const expected = new Set(
  readFileSync(join(ROOT, "tests", "conformance", "expected-pass.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#")),
);
const rows = parseManifest(readFileSync(join(ROOT, "..", "shared", "conformance", "manifest.tsv"), "utf8")).filter(
  (r) => r.group === "engine" && r.mode.kind === "batch" && r.notes.seq === undefined && expected.has(r.key),
);

test("the engine group's batch rows pass on a two-member cluster with -m cluster", async () => {
  expect(rows.length).toBeGreaterThanOrEqual(12);
  const data = dataDir();
  const ms = [await start(data), await start(data)];
  await agreedMaster(ms);
  const { out, code } = await runConformance([
    "--groups",
    "engine",
    "--cluster",
    `http://127.0.0.1:${ms[1]!.port}`,
    ...rows.flatMap((r) => ["--only", r.key]),
  ]);
  expect(out).toMatch(
    new RegExp(`^conformance: ${rows.length} passed, 0 failed, 0 unsupported, 0 gated of ${rows.length}$`, "m"),
  );
  expect(code).toBe(0);
}, 300_000);
