/**
 * Csv to csv through the binary: a fused job prints rows from their checked source text where
 * that text is SeaTunnel's form of the value; `--no-fuse` formats every decoded value. The files
 * must be byte for byte the same, whatever the fields look like (leading zeros, trailing zeros of
 * doubles and decimals, booleans in any case, quotes, blanks, multi-line values), with a column
 * subset in another order, and with a non-default timestamp pattern on the sink.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runBin } from "./helpers.ts";

const JOBS = {
  all: join("fixtures", "file", "csv-to-csv.conf"),
  subset: join("fixtures", "file", "csv-to-csv-columns.conf"),
};
const CSV = join(ROOT, "fixtures", "data", "csv-to-postgres", "mixed.csv");
const tmp = mkdtempSync(join(tmpdir(), "st-text-rows-"));

async function output(
  name: string,
  vars: Record<string, string>,
  extra: string[],
  job: keyof typeof JOBS = "all",
): Promise<{ text: string; log: string }> {
  const out = join(tmp, name);
  const args = ["run", JOBS[job], "--verbose", "-i", `csv=${CSV}`, "-i", `out=${out}`, "-i", `tmp=${join(tmp, "tmp")}`];
  for (const [k, v] of Object.entries(vars)) {
    args.push("-i", `${k}=${v}`);
  }
  const r = await runBin([...args, ...extra]);
  expect(r.code).toBe(0);
  const lines = readdirSync(out)
    .sort()
    .flatMap((f) => readFileSync(join(out, f), "utf8").split("\n"))
    .filter((l) => l !== "");
  return { text: lines.sort().join("\n"), log: r.stdout };
}

describe("csv text rows into csv files", () => {
  for (const [label, pattern, job] of [
    ["all columns, default patterns", "yyyy-MM-dd HH:mm:ss", "all"],
    ["a column subset in another order", "yyyy-MM-dd HH:mm:ss", "subset"],
    ["a non-default timestamp pattern on the sink", "yyyy/MM/dd HH:mm:ss", "all"],
  ] as const) {
    test(`${label}: fused output equals the decoded output`, async () => {
      const key = label.replace(/\W+/g, "-");
      const fused = await output(`${key}-fused`, { datetime_format: pattern }, [], job);
      const decoded = await output(`${key}-decoded`, { datetime_format: pattern }, ["--no-fuse"], job);
      expect(fused.log).toContain("may pass rows on as their source text");
      expect(fused.text.split("\n").length).toBeGreaterThanOrEqual(6);
      expect(fused.text).toBe(decoded.text);
    });
  }

  test("the printed forms follow SeaTunnel's text writer", async () => {
    const { text } = await output("forms", { datetime_format: "yyyy-MM-dd HH:mm:ss" }, []);
    const rows = text.split("\n");
    // Decimal trailing zeros stripped, double in Java's form, boolean lower case, int without leading zeros.
    expect(rows).toContain('1,plain,12.3,2024-02-29 23:59:59,true,0.5,7,2024-02-29,"a, ""quoted"" note"');
    expect(rows.find((r) => r.startsWith("2,"))).toStartWith(
      '2,"",-0.5,2024-03-05 01:02:03,true,12.5,7,2024-03-05,"multi',
    );
  });
});
