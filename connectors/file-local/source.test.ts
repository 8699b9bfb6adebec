import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { type Decimal, type Row, SplitsRejected, typeToString } from "../../src/api/index.ts";
import { createLocalFileSource } from "./source.ts";
import { ctx, messages, quiet, readAllRows, sourceOpts, writeRows } from "./testing.ts";
import { lineBlockOf, lineFormat } from "../common/source-text.ts";

const dir = mkdtempSync(join(tmpdir(), "file-local-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (rel: string, text: string | Uint8Array) => {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const fields = (rows: Row[]) => rows.map((r) => r.fields);
const schema = { fields: { id: "int", name: "string" } };

describe("LocalFile source directories, filters and conversion errors", () => {
  test("reads a directory recursively, skipping hidden and _SUCCESS files, with partition columns", async () => {
    put("tree/year=2024/a.txt", "1\u0001a\n2\u0001b\n");
    put("tree/year=2024/.hidden.txt", "9\u0001x\n");
    put("tree/year=2024/_SUCCESS", "done");
    put("tree/year=2025/b.txt", "3\u0001c\n");
    const { rows, tables } = await readAllRows({ path: join(dir, "tree"), file_format_type: "text", schema });
    expect(tables[0]!.columns.map((c) => `${c.name}:${typeToString(c.type)}`)).toEqual([
      "id:INT",
      "name:STRING",
      "year:STRING",
    ]);
    expect(fields(rows)).toEqual([
      [1, "a", "2024"],
      [2, "b", "2024"],
      [3, "c", "2025"],
    ]);
  });

  test("filters file names with a Java regex and projects read_columns", async () => {
    put("filter/keep.csv", "1,a\n");
    put("filter/skip.txt", "2,b\n");
    const { rows } = await readAllRows({
      path: join(dir, "filter"),
      file_format_type: "csv",
      file_filter_pattern: ".*\\.csv",
      read_columns: ["name"],
      schema,
    });
    expect(fields(rows)).toEqual([["a"]]);
    await expect(
      readAllRows({ path: join(dir, "filter"), file_format_type: "csv", read_columns: ["name"] }),
    ).rejects.toThrow(/will not support column projection/);
  });

  test("names the file, line and column of a value that does not convert", async () => {
    const p = put("bad/x.csv", "1,a\nx,b\n");
    await expect(readAllRows({ path: p, file_format_type: "csv", schema })).rejects.toThrow(
      `reading "${p}" line 2, column 1 ("id"): expects int, received "x"`,
    );
  });

  test("ragged rows fill with nulls by default, fail or are skipped with a count when asked", async () => {
    const p = put("ragged/r.csv", "1,a\n2\n3,c,extra\n");
    expect(fields((await readAllRows({ path: p, file_format_type: "csv", schema })).rows)).toEqual([
      [1, "a"],
      [2, null],
      [3, "c"],
    ]);
    await expect(readAllRows({ path: p, file_format_type: "csv", schema, ragged_rows: "error" })).rejects.toThrow(
      `reading "${p}" line 2: expected 2 field(s), found 1`,
    );
    messages.length = 0;
    expect(fields((await readAllRows({ path: p, file_format_type: "csv", schema, ragged_rows: "skip" })).rows)).toEqual(
      [[1, "a"]],
    );
    expect(messages.some((m) => m.includes("Skipped 2 line(s)"))).toBe(true);
  });
});

describe("LocalFile source byte-range splits", () => {
  test("splits a large text file into byte ranges that together read every line once", async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i}\u0001name-${i}`);
    const p = put("big/big.txt", `${lines.join("\n")}\n`);
    const { rows } = await readAllRows({ path: p, file_format_type: "text", schema, file_split_size: 4096 }, 2);
    const ids = rows.map((r) => r.fields[0] as number).sort((a, b) => a - b);
    expect(ids).toEqual(lines.map((_, i) => i));
    const source = await createLocalFileSource(
      sourceOpts({ path: p, file_format_type: "text", schema, file_split_size: 4096 }),
      ctx(2),
    );
    expect((await source.splits(2)).flat().length).toBeGreaterThan(2);
  });

  test("a csv file is cut only before its first quote, which may open a field with newlines", async () => {
    const lines = Array.from({ length: 20000 }, (_, i) =>
      i === 12000 ? `${i},"two\nlines, one field"` : `${i},name-${i}`,
    );
    const p = put("big/quoted.csv", `${lines.join("\n")}\n`);
    const quoteAt = readFileSync(p).indexOf(0x22);
    const source = await createLocalFileSource(
      sourceOpts({ path: p, file_format_type: "csv", schema, file_split_size: 4096 }),
      ctx(2),
    );
    const splits = (await source.splits(2)).flat();
    expect(splits.length).toBeGreaterThan(2);
    expect(splits.every((s) => s.start <= quoteAt)).toBe(true);
    expect(splits.some((s) => s.end === undefined || s.end > quoteAt + 100000)).toBe(true);
    const { rows } = await readAllRows({ path: p, file_format_type: "csv", schema, file_split_size: 4096 }, 2);
    const byId = new Map(rows.map((r) => [r.fields[0] as number, r.fields[1]]));
    expect(rows.length).toBe(20000);
    expect(byId.get(12000)).toBe("two\nlines, one field");
    expect(byId.get(19999)).toBe("name-19999");
    // A quote on the first line: no cut is safe.
    const q = put("big/quoted-first.csv", `0,"a"\n${lines.slice(1).join("\n")}\n`);
    const one = await createLocalFileSource(
      sourceOpts({ path: q, file_format_type: "csv", schema, file_split_size: 4096 }),
      ctx(2),
    );
    expect((await one.splits(2)).flat().length).toBe(1);
  });

  test("speculating, a csv file is cut before its quotes past the first 256 KB are known; confirm() rejects the cuts, the next enumeration knows", async () => {
    const lines = Array.from({ length: 60000 }, (_, i) =>
      i === 40000 ? `${i},"two\nlines, one field"` : `${i},name-${i}`,
    );
    const p = put("big/late-quote.csv", `${lines.join("\n")}\n`);
    const quoteAt = readFileSync(p).indexOf(0x22);
    expect(quoteAt).toBeGreaterThan(256 << 10);
    const o = sourceOpts({ path: p, file_format_type: "csv", schema, file_split_size: 65536 });
    const source = await createLocalFileSource(o, ctx(2));
    const speculative = (await source.splits(2, { speculate: true })).flat();
    expect(speculative.some((s) => s.start > quoteAt)).toBe(true);
    const err = await source.confirm!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SplitsRejected);
    expect((err as Error).message).toContain(`has a quote at byte ${quoteAt}`);
    const known = (await source.splits(2, { speculate: true })).flat();
    expect(known.every((s) => s.start <= quoteAt)).toBe(true);
    expect(await source.confirm!()).toBeUndefined();
    // Without a quote past the head the speculative cuts stand; without speculate nothing waits.
    const clean = put("big/no-quote.csv", `${lines.map((l, i) => (i === 40000 ? `${i},one field` : l)).join("\n")}\n`);
    const c = await createLocalFileSource(
      sourceOpts({ path: clean, file_format_type: "csv", schema, file_split_size: 65536 }),
      ctx(2),
    );
    expect((await c.splits(2, { speculate: true })).flat().length).toBeGreaterThan(2);
    expect(await c.confirm!()).toBeUndefined();
    const plain = await createLocalFileSource(o, ctx(2));
    expect((await plain.splits(2)).flat().every((s) => s.start <= quoteAt)).toBe(true);
    expect(await plain.confirm!()).toBeUndefined();
  });
});

describe("LocalFile source restore", () => {
  test("a restored reader continues after the rows it already emitted", async () => {
    const p = put("restore/r.txt", `${Array.from({ length: 5000 }, (_, i) => `${i}\u0001n`).join("\n")}\n`);
    const source = await createLocalFileSource(sourceOpts({ path: p, file_format_type: "text", schema }), ctx());
    const r1 = await source.reader({ subtask: 0, parallelism: 1, log: quiet });
    r1.addSplits((await source.splits(1))[0]!);
    const first = (await r1.poll())!;
    const state = structuredClone(r1.snapshot!());
    await r1.close?.();
    const r2 = await source.reader({ subtask: 0, parallelism: 1, log: quiet });
    r2.addSplits(state);
    const rest: Row[] = [];
    for (let b = await r2.poll(); b !== null; b = await r2.poll()) {
      rest.push(...b);
    }
    expect([...first, ...rest].map((r) => r.fields[0])).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  test("lines passed on whole: a restored reader continues after the rows it already emitted", async () => {
    // Every consumer prints text and releases its rows: rows are lines, and their objects and buffer are
    // reused from one poll to the next, so each batch is read out before the next poll.
    const n = 100_000;
    const p = put("restore/lines.csv", `${Array.from({ length: n }, (_, i) => `${i},${i % 7}.50`).join("\n")}\n`);
    const o = sourceOpts({
      path: p,
      file_format_type: "csv",
      schema: { fields: { id: "int", amount: "decimal(10, 2)" } },
    });
    const source = await createLocalFileSource(o, ctx());
    const consumers = { sourceText: true, seaTunnelText: true, releasesRows: true };
    const r1 = await source.reader({ subtask: 0, parallelism: 1, log: quiet, consumers });
    r1.addSplits((await source.splits(1))[0]!);
    const first = (await r1.poll())!;
    expect(first.length).toBeLessThan(n);
    expect(lineBlockOf(first[0]!, lineFormat(2, ",", "\n"))).toBeDefined();
    const seen = first.map((r) => r.fields as [number, Decimal]);
    const state = structuredClone(r1.snapshot!());
    await r1.close?.();
    const r2 = await source.reader({ subtask: 0, parallelism: 1, log: quiet, consumers });
    r2.addSplits(state);
    for (let b = await r2.poll(); b !== null; b = await r2.poll()) {
      seen.push(...b.map((r) => r.fields as [number, Decimal]));
    }
    expect(seen.map((f) => f[0])).toEqual(Array.from({ length: n }, (_, i) => i));
    // Trailing zeros are cut in the line, so the decimal reads as 6.5 (printed the same).
    expect(seen[6]![1].toString()).toBe("6.5");
  });
});

describe("LocalFile source archives, codecs and encodings", () => {
  test("reads zip, tar, tar.gz and gz archives entry by entry", async () => {
    const entry = new TextEncoder().encode("1\u0001a\n2\u0001b\n");
    put("arch/zip/a.zip", zipSync({ "x.txt": entry, "skip.csv": entry }));
    put("arch/plain/x.txt", entry);
    for (const d of ["tar", "targz"]) {
      mkdirSync(join(dir, "arch", d), { recursive: true });
    }
    Bun.spawnSync(["tar", "-cf", join(dir, "arch/tar/a.tar"), "-C", join(dir, "arch/plain"), "x.txt"]);
    Bun.spawnSync(["tar", "-czf", join(dir, "arch/targz/a.tar.gz"), "-C", join(dir, "arch/plain"), "x.txt"]);
    put("arch/gz/x.txt.gz", Bun.gzipSync(entry));
    for (const [sub, codec] of [
      ["zip", "zip"],
      ["tar", "tar"],
      ["targz", "tar_gz"],
      ["gz", "gz"],
    ]) {
      const { rows } = await readAllRows({
        path: join(dir, "arch", sub!),
        file_format_type: "text",
        archive_compress_codec: codec,
        schema,
      });
      expect(fields(rows)).toEqual([
        [1, "a"],
        [2, "b"],
      ]);
    }
  });

  test("decompresses lzop files written by lzop itself (LZO1X blocks)", async () => {
    const { rows } = await readAllRows({
      path: "fixtures/data/file-local/lines.txt.lzo",
      file_format_type: "text",
      compress_codec: "lzo",
      schema: { fields: { id: "int", word: "string", n: "int" } },
    });
    expect(rows.length).toBe(600);
    expect(rows[599]!.fields[0]).toBe(599);
  });

  test("decodes the configured encoding", async () => {
    const gbk = new Uint8Array([0x31, 0x01, 0xc4, 0xe3, 0xba, 0xc3, 0x0a]);
    const { rows } = await readAllRows({
      path: put("enc/g.txt", gbk),
      file_format_type: "text",
      encoding: "GBK",
      schema,
    });
    expect(fields(rows)).toEqual([[1, "你好"]]);
  });

  test("binary files become chunks that the binary sink writes back byte for byte", async () => {
    const data = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
    put("bin/in/sub/blob.bin", data);
    const { rows, tables } = await readAllRows({ path: join(dir, "bin/in"), file_format_type: "binary" });
    expect(rows.length).toBe(5);
    expect(rows[0]!.fields.slice(1)).toEqual(["sub/blob.bin", 0n]);
    await writeRows(
      { path: join(dir, "bin/out"), tmp_path: join(dir, "tmp"), file_format_type: "binary" },
      tables,
      rows,
    );
    expect(new Uint8Array(readFileSync(join(dir, "bin/out/sub/blob.bin")))).toEqual(data);
  });

  test("an empty directory yields no rows", async () => {
    mkdirSync(join(dir, "empty"), { recursive: true });
    expect((await readAllRows({ path: join(dir, "empty"), file_format_type: "json", schema })).rows).toEqual([]);
  });
});
