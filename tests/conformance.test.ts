/**
 * SeaTunnel's own job files (../shared/conformance, read in place) through the built binary: every
 * row listed in tests/conformance/expected-pass.txt must pass. `make conformance` runs them all and
 * reports passed/failed/unsupported/gated.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runConformance } from "./helpers.ts";

const expected = join(ROOT, "tests", "conformance", "expected-pass.txt");
const keys = readFileSync(expected, "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const groups = [...new Set(keys.map((k) => k.split("/")[0]!))];

test("every conformance row in expected-pass.txt passes through dist/seatunnel", async () => {
  const { out, code } = await runConformance(["--groups", groups.join(","), "--expected", expected]);
  expect(out).toMatch(/^conformance: \d+ passed, \d+ failed, \d+ unsupported, \d+ gated of \d+$/m);
  expect(code).toBe(0);
}, 900_000);
