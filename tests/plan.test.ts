/**
 * Planner golden tests: `seatunnel plan` on every job in fixtures/plans must print exactly the
 * text in the `.plan` file beside it (pipelines, fused chains, parallelism, splits).
 * `UPDATE_GOLDEN=1` rewrites the golden files.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runBin } from "./helpers.ts";

const dir = join(ROOT, "fixtures", "plans");
const jobs = readdirSync(dir)
  .filter((f) => f.endsWith(".conf"))
  .sort();

describe("seatunnel plan", () => {
  for (const f of jobs) {
    test(`${f} plans as its golden file says`, async () => {
      const r = await runBin(["plan", join("fixtures", "plans", f)]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const golden = join(dir, f.replace(/\.conf$/, ".plan"));
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
        writeFileSync(golden, r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(golden, "utf8"));
    });
  }
});
