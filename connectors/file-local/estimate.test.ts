import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSource } from "../../src/api/testing.ts";
import { localFileSource } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "st-estimate-"));
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `${from + i},row ${from + i}\n`).join("");
writeFileSync(join(dir, "a.csv"), `id,name\n${lines(1000)}`);
writeFileSync(join(dir, "b.csv"), `id,name\n${lines(1000, 1000)}`);

const estimateOf = async (body: string) =>
  (await createSource(localFileSource, `schema = { fields { id = int, name = string } }\n${body}`)).estimateRows!();

describe("LocalFile source row estimate", () => {
  test("line files are estimated from their sizes, header lines left out", async () => {
    expect(await estimateOf(`path = "${dir}"\nfile_format_type = csv\nskip_header_row_number = 1`)).toBe(2000);
  });

  test("compressed files have no estimate", async () => {
    expect(await estimateOf(`path = "${dir}"\nfile_format_type = csv\ncompress_codec = gzip`)).toBeUndefined();
  });
});
