import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { type Decimal, type Row, SplitsRejected, typeToString } from "../../src/api/index.ts";
import { recordCuts } from "./csv-cuts.ts";
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

  test("a csv file is cut where records start: a cut inside a quoted field with line breaks moves past it", async () => {
    // Line 12000 is one field holding 3000 line breaks, across several of the 4 KB cuts.
    const inner = Array.from({ length: 3000 }, (_, i) => `inner ${i}`).join("\n");
    const lines = Array.from({ length: 20000 }, (_, i) => (i === 12000 ? `${i},"${inner}"` : `${i},"name-${i}"`));
    const text = `${lines.join("\n")}\n`;
    const p = put("big/quoted.csv", text);
    const fieldStart = text.indexOf('12000,"');
    const fieldEnd = text.indexOf('"\n', fieldStart + 7) + 2;
    const source = await createLocalFileSource(
      sourceOpts({ path: p, file_format_type: "csv", schema, file_split_size: 4096 }),
      ctx(2),
    );
    const splits = (await source.splits(2)).flat();
    expect(splits.length).toBeGreaterThan(20);
    // Every cut is a line start outside the field, and the ranges still cover the file once.
    const starts = splits.map((s) => s.start).sort((x, y) => x - y);
    expect(starts.every((c) => c === 0 || text[c - 1] === "\n")).toBe(true);
    expect(starts.filter((c) => c > fieldStart && c < fieldEnd)).toEqual([]);
    expect(starts).toContain(fieldEnd);
    expect(splits.reduce((n, s) => n + s.size, 0)).toBe(text.length);
    const { rows } = await readAllRows({ path: p, file_format_type: "csv", schema, file_split_size: 4096 }, 2);
    const byId = new Map(rows.map((r) => [r.fields[0] as number, r.fields[1]]));
    expect(rows.length).toBe(20000);
    expect(byId.get(12000)).toBe(inner);
    expect(byId.get(19999)).toBe("name-19999");
  });
});

describe("LocalFile source: csv cuts where records start", () => {
  test("record cuts: quotes inside unquoted fields, doubled quotes, a broken record, CRLF, a byte order mark", async () => {
    const at = (text: string, marks: string[]) => {
      const p = put(`cuts/${marks.length}-${text.length}.csv`, text);
      const cuts = marks.map((m) => text.indexOf(m));
      return { p, cuts, size: text.length };
    };
    const cases: [string, string[], string[]][] = [
      // A quote inside an unquoted field is a character: the next line starts a record.
      ['a,b"c\nd,"e\nf"\ng,h\n', ["d,", 'f"'], ["d,", "g,"]],
      // A doubled quote stays inside the field.
      ['a,"x""\ny"\nz,1\n', ['y"'], ["z,"]],
      // A character after a closing quote breaks the record up to its line's end.
      ['a,"x"y,"\nb,2\nc,3\n', ["b,"], ["b,"]],
      // CRLF lines, and a quoted field closed before the CR.
      ['a,"x\r\ny"\r\nb,1\r\nc,2\r\n', ['y"', "c,"], ["b,", "c,"]],
      // A byte order mark before a quoted first field.
      ['\uFEFF"a\nb",1\nc,2\n', ['b"', "c,"], ["c,"]],
      // A field open to the end of the file: no cut stands.
      ['a,1\nb,"open\nc,2\n', ["c,"], []],
    ];
    for (const [text, marks, want] of cases) {
      const bytes = Buffer.from(text);
      const { p } = at(text, marks);
      const cuts = marks.map((m) => bytes.indexOf(Buffer.from(m)));
      const expected = want.map((m) => bytes.indexOf(Buffer.from(m)));
      expect([text, await recordCuts(p, cuts, 44, bytes.length)]).toEqual([text, expected]);
    }
  });
});

describe("LocalFile source: speculative csv cuts", () => {
  test("speculating on a file quoted from its first line: single-line quoted fields in its head let the cuts go at once, a line break in a quoted field there does not", async () => {
    const inner = Array.from({ length: 30000 }, (_, i) => `inner ${i}`).join("\n");
    const quoted = Array.from({ length: 60000 }, (_, i) => (i === 30000 ? `${i},"${inner}"` : `${i},"name-${i}"`));
    const text = `${quoted.join("\n")}\n`;
    const fieldStart = text.indexOf(`30000,"`);
    const fieldEnd = text.indexOf('"\n', fieldStart + 7) + 2;
    const p = put("big/quoted-throughout.csv", text);
    const source = await createLocalFileSource(
      sourceOpts({ path: p, file_format_type: "csv", schema, file_split_size: 65536 }),
      ctx(2),
    );
    const given = (await source.splits(2, { speculate: true })).flat();
    expect(given.some((s) => s.start > fieldStart && s.start < fieldEnd)).toBe(true);
    await expect(source.confirm!()).rejects.toBeInstanceOf(SplitsRejected);
    const known = (await source.splits(2, { speculate: true })).flat();
    expect(known.some((s) => s.start > fieldStart && s.start < fieldEnd)).toBe(false);
    // A line break inside a quoted field of the head: the cuts are made right before they are given.
    const early = put(
      "big/early-break.csv",
      `0,"two\nlines"\n${quoted.slice(1, 30000).join("\n")}\n30000,"${inner}"\n${quoted.slice(30001).join("\n")}\n`,
    );
    const e = await createLocalFileSource(
      sourceOpts({ path: early, file_format_type: "csv", schema, file_split_size: 65536 }),
      ctx(2),
    );
    const exact = (await e.splits(2, { speculate: true })).flat();
    const eText = readFileSync(early, "utf8");
    const eStart = eText.indexOf(`30000,"`);
    const eEnd = eText.indexOf('"\n', eStart + 7) + 2;
    expect(exact.length).toBeGreaterThan(2);
    expect(exact.some((s) => s.start > eStart && s.start < eEnd)).toBe(false);
    expect(await e.confirm!()).toBeUndefined();
  });

  test("speculating, a csv file whose first quote is past its first 256 KB is cut at once; confirm() rejects a cut inside a record, the next enumeration knows", async () => {
    const inner = Array.from({ length: 30000 }, (_, i) => `inner ${i}`).join("\n");
    const lines = Array.from({ length: 60000 }, (_, i) => (i === 30000 ? `${i},"${inner}"` : `${i},name-${i}`));
    const text = `${lines.join("\n")}\n`;
    const p = put("big/late-quote.csv", text);
    const quoteAt = text.indexOf('"');
    const fieldEnd = text.indexOf('"\n', quoteAt + 1) + 2;
    expect(quoteAt).toBeGreaterThan(256 << 10);
    const o = sourceOpts({ path: p, file_format_type: "csv", schema, file_split_size: 65536 });
    const source = await createLocalFileSource(o, ctx(2));
    const speculative = (await source.splits(2, { speculate: true })).flat();
    expect(speculative.some((s) => s.start > quoteAt && s.start < fieldEnd)).toBe(true);
    const err = await source.confirm!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SplitsRejected);
    expect((err as Error).message).toMatch(/was cut at byte \d+, inside a record/);
    const known = (await source.splits(2, { speculate: true })).flat();
    expect(known.some((s) => s.start > quoteAt && s.start < fieldEnd)).toBe(false);
    expect(known.some((s) => s.start >= fieldEnd)).toBe(true);
    expect(await source.confirm!()).toBeUndefined();
    // Quotes past the head that hold no line break: the speculative cuts stand.
    const clean = put(
      "big/late-quote-clean.csv",
      `${lines.map((l, i) => (i === 30000 ? `${i},"one, field"` : l)).join("\n")}\n`,
    );
    const c = await createLocalFileSource(
      sourceOpts({ path: clean, file_format_type: "csv", schema, file_split_size: 65536 }),
      ctx(2),
    );
    expect((await c.splits(2, { speculate: true })).flat().length).toBeGreaterThan(2);
    expect(await c.confirm!()).toBeUndefined();
    // Without speculate the cuts are right at once.
    const plain = await createLocalFileSource(o, ctx(2));
    const exact = (await plain.splits(2)).flat();
    expect(exact.some((s) => s.start > quoteAt && s.start < fieldEnd)).toBe(false);
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

  test("batches cut to batchRows (a rate limit): a restore in the middle of a cut batch continues exactly", async () => {
    const p = put("restore/cut.txt", `${Array.from({ length: 5000 }, (_, i) => `${i}\u0001n`).join("\n")}\n`);
    const source = await createLocalFileSource(sourceOpts({ path: p, file_format_type: "text", schema }), ctx());
    const r1 = await source.reader({ subtask: 0, parallelism: 1, log: quiet, batchRows: 300 });
    r1.addSplits((await source.splits(1))[0]!);
    const first: Row[] = [];
    for (let i = 0; i < 3; i++) {
      const b = (await r1.poll())!;
      expect(b.length).toBe(300);
      first.push(...b);
    }
    const state = structuredClone(r1.snapshot!());
    await r1.close?.();
    const r2 = await source.reader({ subtask: 0, parallelism: 1, log: quiet, batchRows: 300 });
    r2.addSplits(state);
    const rest: Row[] = [];
    for (let b = await r2.poll(); b !== null; b = await r2.poll()) {
      expect(b.length).toBeLessThanOrEqual(300);
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
