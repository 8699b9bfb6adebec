/**
 * The docs show real code: the connector guide's file is connectors/filter/index.ts as it is, its
 * test excerpt is taken from connectors/filter/filter.test.ts, and the README starts with the two
 * set-up commands.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const codeBlocks = (md: string) => [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/connector-guide.md", () => {
  const guide = read("docs/connector-guide.md");
  const [file, testExcerpt] = codeBlocks(guide);

  test("shows connectors/filter/index.ts exactly as it is, a transform in one file under 60 lines", () => {
    const source = read("connectors/filter/index.ts");
    expect(file).toBe(source);
    expect(source.split("\n").length).toBeLessThan(60);
  });

  test("its test excerpt is taken from the Filter tests, which use the kit", () => {
    const tests = read("connectors/filter/filter.test.ts");
    expect(tests).toContain('from "../../src/api/testing.ts"');
    const body = testExcerpt!.slice(testExcerpt!.indexOf('describe("Filter"'), testExcerpt!.indexOf("  // ..."));
    expect(body.length).toBeGreaterThan(200);
    expect(tests).toContain(body);
  });
});

describe("README.md", () => {
  test("gives the two set-up commands first", () => {
    const readme = read("README.md");
    const firstBlock = readme.match(/```sh\n([\s\S]*?)```/)![1]!;
    expect(
      firstBlock
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(0, 2).join(" ")),
    ).toEqual(["make #", "make test"]);
  });
});
