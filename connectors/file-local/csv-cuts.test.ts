import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordCuts } from "./csv-cuts.ts";

const dir = mkdtempSync(join(tmpdir(), "st-csv-cuts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Random csv records (with their start offsets): plain fields, fields with a stray quote, quoted fields holding delimiters, doubled quotes and line breaks. */
function records(seed: number, n: number, crlf: boolean): { text: string; starts: number[] } {
  let s = seed;
  const rnd = (k: number) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s % k;
  };
  const eol = crlf ? "\r\n" : "\n";
  const field = () => {
    switch (rnd(6)) {
      case 0:
        return `"a${"\n".repeat(rnd(3))}, b""c${eol}d"`;
      case 1:
        return `x"y`;
      case 2:
        return `"${"q".repeat(rnd(40))}"`;
      case 3:
        return "";
      default:
        return `w${rnd(1000)}`;
    }
  };
  let text = "";
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    starts.push(text.length); // ASCII: characters are bytes
    text += `${Array.from({ length: 1 + rnd(5) }, field).join(",")}${eol}`;
  }
  return { text, starts };
}

describe("recordCuts", () => {
  test("every line start of random csv text moves to the first record start at or after it, across 256 KB reads", async () => {
    for (const [seed, crlf] of [
      [1, false],
      [2, true],
      [3, false],
    ] as const) {
      const { text, starts } = records(seed, 40_000, crlf);
      const bytes = Buffer.from(text);
      expect(bytes.length).toBeGreaterThan(600 << 10);
      const path = join(dir, `r${seed}.csv`);
      writeFileSync(path, bytes);
      const lineStarts: number[] = [];
      for (let i = bytes.indexOf(10); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) {
        lineStarts.push(i + 1);
      }
      const want: number[] = [];
      let k = 0;
      for (const c of lineStarts) {
        while (k < starts.length && starts[k]! < c) {
          k++;
        }
        if (k < starts.length && want[want.length - 1] !== starts[k]) {
          want.push(starts[k]!);
        }
      }
      // Some line starts are inside quoted fields: the test means something.
      expect(want.length).toBeLessThan(lineStarts.length);
      expect(await recordCuts(path, lineStarts, 44, bytes.length)).toEqual(want);
      // A few cuts, as the source asks them.
      const few = [lineStarts[1000]!, lineStarts[20_000]!, lineStarts[lineStarts.length - 5]!];
      const wantFew = few.map((c) => starts.find((x) => x >= c)!).filter((c, i, a) => i === 0 || c !== a[i - 1]);
      expect(await recordCuts(path, few, 44, bytes.length)).toEqual(wantFew);
    }
  });
});
