/**
 * Csv to csv where lines pass on as bytes (connectors/file-common/line-check.ts): a fused job
 * copies each line that checks (cutting trailing zeros of numbers) and decodes the others;
 * `--no-fuse` decodes and formats every value. On generated files mixing canonical and
 * non-canonical values of every column type, the output files must be byte for byte the same,
 * also with a BOM, CRLF and blank lines, a last line without a newline, and a
 * quoted multi-line field after which the record splitter reads the rest.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";

const JOB = join("fixtures", "file", "csv-to-csv.conf");
const tmp = mkdtempSync(join(tmpdir(), "st-csv-lines-"));

/**
 * Per column of the job's schema (id, name, amount, ts, flag, score, n, d, note): values the
 * reader accepts; the first two of each are canonical (once trailing zeros are cut).
 */
const POOL: string[][] = [
  ["0", "-0", "007", "123", "-45", "123456789012345678", "1234567890123456789", "-999999999999999999", "+5"],
  ["plain", "ünïcødé", "", "  ", " lead", "trail ", '"with ""quote"""', "日本語 ✓", "a;b", "x", "NULL", '"a, b"'],
  [
    "12.30",
    "12.3",
    "0.00",
    "-0.00",
    "-0",
    "100",
    "100.00",
    "-5.50",
    "0.05",
    "0",
    "01.5",
    "1e5",
    "123456789012.34",
    "-0.5",
    "7.10",
    "0.10",
  ],
  [
    "2024-02-29 23:59:59",
    "2000-02-29 00:00:00",
    "1900-02-28 12:00:00",
    "2024-12-31 23:59:59",
    "2024-04-30 01:02:03",
    "2024-03-05T01:02:03",
    "",
    "2024-03-05 01:02:03.976",
    "2024-03-05T01:02:03.123456",
    "2024-03-05T01:02:03.123456789+02:00",
    "2024-03-05 01:02:03Z",
    "2024-03-05 01:02:03.5-05:30",
  ],
  ["true", "false", "TRUE", "False", "yes", "1", ""],
  [
    "0.5",
    "0.50",
    "12.0",
    "12.00",
    "12",
    "1e5",
    "0.001",
    "0.0001",
    "0.000",
    "-0.0",
    "9999999.5",
    "10000000.5",
    "1234567.123456789",
    "0.1234567890123456",
    "123.456000",
    "-7.25",
    "3.14159265358979",
    "0.0000001",
    "123456789012345",
    "5.000",
    "-0.010",
  ],
  ["7", "-7", "0", "2147483647", "-2147483648", "0012", "999999999", "-0", "+5"],
  ["2024-02-29", "2024-01-31", "1999-12-31", "2024-3-5", "0999-01-01", ""],
  ["x", "ünïcödé ✓", '"a, ""quoted"" note"', "", "back\\slash\ttab", " edge", "ok "],
];

/** `rows` lines, seeded: 60% canonical in every field (or those `canonical` says), the others any mix. */
function generate(rows: number, seed: number, o: { quotes: boolean; canonical?: (i: number) => boolean }): string {
  let s = seed;
  const rnd = (n: number) => {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const canonical = o.canonical ? o.canonical(i) : rnd(10) < 6;
    const fields = POOL.map((pool, c) => {
      if (c === 0) {
        return String(i * (rnd(2) ? 1 : -1));
      }
      const v = pool[rnd(canonical ? 2 : pool.length)]!;
      return !o.quotes && v.includes('"') ? "plain" : v;
    });
    lines.push(fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}

async function run(name: string, csv: string, extra: string[]): Promise<{ files: string[]; log: string }> {
  const out = join(tmp, name);
  const r = await runBin([
    "run",
    JOB,
    "--verbose",
    "-i",
    `csv=${csv}`,
    "-i",
    `out=${out}`,
    "-i",
    `tmp=${join(tmp, "tmp")}`,
    "-i",
    "datetime_format=yyyy-MM-dd HH:mm:ss",
    ...extra,
  ]);
  expect(r.code).toBe(0);
  if (!extra.includes("--no-fuse")) {
    expect(r.stdout).toContain("may pass rows on as their source text");
  }
  const files = readdirSync(out)
    .map((f) => readFileSync(join(out, f), "utf8"))
    .filter((t) => t.length > 0);
  return { files, log: r.stdout };
}

/** Runs the file fused and with --no-fuse; returns the output and how many lines passed as bytes. */
async function same(name: string, text: string, extraSource: string[] = []): Promise<{ out: string; passed: number }> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, "in.csv");
  writeFileSync(csv, text);
  const fused = await run(`${name}-fused`, csv, extraSource);
  const decoded = await run(`${name}-decoded`, csv, [...extraSource, "--no-fuse"]);
  expect(fused.files.length).toBe(1);
  expect(fused.files).toEqual(decoded.files);
  const m = /(\d+) of \d+ line\(s\) of .* passed on as they are/.exec(fused.log);
  return { out: fused.files[0]!, passed: Number(m?.[1] ?? -1) };
}

/**
 * Runs `text` through fixtures/file/csv-to-two-csv.conf fused and with --no-fuse: each run's two
 * sinks' files (a: lines as they are, b: another datetime pattern) and its verbose log.
 */
async function twoSinks(
  name: string,
  text: string,
): Promise<{ fused: { a: string; b: string; log: string }; decoded: { a: string; b: string; log: string } }> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, "in.csv");
  writeFileSync(csv, text);
  const read = (d: string) =>
    readdirSync(d)
      .sort()
      .map((f) => readFileSync(join(d, f), "utf8"))
      .join("");
  const once = async (mode: string, extra: string[]) => {
    const o = (k: string) => join(dir, `${mode}-${k}`);
    const r = await runBin([
      "run",
      join("fixtures", "file", "csv-to-two-csv.conf"),
      "--verbose",
      "-i",
      `csv=${csv}`,
      "-i",
      `out=${o("a")}`,
      "-i",
      `out2=${o("b")}`,
      "-i",
      `tmp=${join(dir, "tmp")}`,
      ...extra,
    ]);
    expect(r.code).toBe(0);
    return { a: read(o("a")), b: read(o("b")), log: r.stdout };
  };
  return { fused: await once("fused", []), decoded: await once("decoded", ["--no-fuse"]) };
}

describe("csv lines passed on as bytes: generated files", () => {
  test("generated values of every type: fused output equals the decoded output", async () => {
    const { out, passed } = await same("plain", generate(3000, 7, { quotes: false }));
    expect(passed).toBeGreaterThan(1500);
    expect(passed).toBeLessThan(3000);
    const lines = out.split("\n");
    expect(lines.length).toBe(3001);
    // Trailing zeros cut (decimal stripped, double in Java's form), canonical values as they are.
    const forms = lines.map((l) => l.split(",").slice(2, 8).join(","));
    expect(forms).toContain("12.3,2024-02-29 23:59:59,true,0.5,7,2024-02-29");
    expect(forms.filter((l) => l.startsWith("12.30,"))).toEqual([]);
    expect(lines.filter((l) => l.includes(",12.0,")).length).toBeGreaterThan(50);
  });

  test("a quoted multi-line field midway: the splitter reads the rest the same way", async () => {
    const head = generate(500, 11, { quotes: false });
    const tail = generate(500, 13, { quotes: true });
    const { out, passed } = await same(
      "quoted",
      `${head}9,"multi\nline",1.50,2024-01-01 00:00:00,true,2.50,1,2024-01-01,x\n${tail}`,
    );
    expect(out).toContain('9,"multi\nline",1.5,2024-01-01 00:00:00,true,2.5,1,2024-01-01,x\n');
    expect(passed).toBeGreaterThan(250);
  });
});

describe("csv lines passed on as bytes: runs of lines that do not pass", () => {
  test("blocks of lines that all take the splitter (read a block at a time) between blocks that pass", async () => {
    // 8,000 lines (about 2 blocks) that each fail the scan (a non-canonical integer), with a quoted
    // field across lines among them, between plain lines that pass whole.
    const plain = (from: number) => generate(8000, from, { quotes: false, canonical: () => true });
    const slow = generate(8000, 31, { quotes: false, canonical: () => true })
      .split("\n")
      .map((l, i) => (l ? l.replace(/^-?\d+/, `00${i}`) : l))
      .join("\n");
    const text = `${plain(29)}${slow.replace("\n00", '\n7,"x\ny",1.5,2024-01-01 00:00:00,true,2.5,1,2024-01-01,z\n00')}${plain(37)}`;
    const { out, passed } = await same("slow-blocks", text);
    expect(out).toContain('7,"x\ny",1.5,2024-01-01 00:00:00,true,2.5,1,2024-01-01,z\n');
    // The plain lines after them pass again, but for the rest of the block where the run began.
    expect(passed).toBeGreaterThan(12_000);
  });
});

describe("csv lines passed on as bytes: blocks beside a sink that decodes", () => {
  test("blocks whose lines all pass, between blocks with lines that do not, beside a sink that decodes every row", async () => {
    // About 70 bytes a line: 40,000 lines are 11 blocks of 256 KiB in two splits, all passing but
    // for lines 9,000 to 9,009 and 31,000. The second sink's datetime pattern makes it decode each
    // row it is given, which drops the row's line; the next block must give the first sink lines again.
    const text = generate(40_000, 23, { quotes: false, canonical: (i) => !((i >= 9000 && i < 9010) || i === 31_000) });
    const { fused, decoded } = await twoSinks("blocks", text);
    expect(fused.log).toContain("may pass rows on as their source text");
    const passed = [...fused.log.matchAll(/(\d+) of (\d+) line\(s\) of .* passed on as they are/g)];
    expect(passed.reduce((n, m) => n + Number(m[1]), 0)).toBe(40_000 - 11);
    expect(fused.a.split("\n").length).toBe(40_001);
    expect(fused.a).toBe(decoded.a);
    expect(fused.b).toBe(decoded.b);
    expect(fused.b).toContain("2024/02/29 23:59:59");
  });

  test("a block that starts with a line that does not pass, between whole blocks whose rows a sink decodes", async () => {
    // Lines of exactly 64 bytes: a 256 KiB block holds 4,096 of them, so line 4,096 starts the
    // second block. It does not pass (a "+"), the rest of its block does; the blocks around pass whole.
    const line = (i: number) => {
      const head = `${i === 4096 ? `+${i}` : i},name,1.5,2024-01-01 00:00:00,true,0.5,7,2024-01-01,`;
      return `${head}${"x".repeat(63 - head.length)}`;
    };
    const text = `${Array.from({ length: 3 * 4096 }, (_, i) => line(i)).join("\n")}\n`;
    expect(text.length).toBe(3 * 4096 * 64);
    const { fused, decoded } = await twoSinks("block-head", text);
    expect(fused.a.split("\n").length).toBe(3 * 4096 + 1);
    expect(fused.a).toBe(decoded.a);
    expect(fused.b).toBe(decoded.b);
    expect(fused.a).toContain(`\n${line(8191)}\n${line(8192)}\n`);
  });
});

describe("csv lines passed on as bytes: late quotes and line-ending edges", () => {
  test("a cut made inside a late quoted field: a transactional sink's pipeline runs again with the right cuts, others wait for the scan", async () => {
    // 20,000 lines (about 300 KB, past the 256 KB scanned at once), then one quoted field holding
    // 20,000 line breaks across the middle of the file, where the cut falls, then 20,000 lines.
    const head = Array.from({ length: 20_000 }, (_, i) => `${i},name-${i}`);
    const field = Array.from({ length: 20_000 }, (_, i) => `inner line ${i}`).join("\n");
    const tail = Array.from({ length: 20_000 }, (_, i) => `${30_000 + i},name-${30_000 + i}`);
    const text = `${head.join("\n")}\n20000,"${field}"\n${tail.join("\n")}\n`;
    const dir = join(tmp, "split-quoted");
    mkdirSync(dir, { recursive: true });
    const csv = join(dir, "in.csv");
    writeFileSync(csv, text);
    for (const txn of [true, false]) {
      const out = join(dir, `out-${txn}`);
      const r = await runBin([
        "run",
        join("fixtures", "file", "csv-split-quoted.conf"),
        "-i",
        `csv=${csv}`,
        "-i",
        `out=${out}`,
        "-i",
        `tmp=${join(dir, "tmp")}`,
        "-i",
        `txn=${txn}`,
      ]);
      expect(r.code).toBe(0);
      const rerun = r.stdout.includes("runs again from the start with splits cut accordingly");
      expect([txn, rerun]).toEqual([txn, txn]);
      if (txn) {
        expect(r.stdout).toMatch(/was cut at byte \d+, inside a record \(a quoted field there holds a line break\)/);
        // The first run's files, written before its reader failed, are gone from tmp_path too.
        expect(readdirSync(join(dir, "tmp"), { recursive: true }).filter((f) => String(f).endsWith(".csv"))).toEqual(
          [],
        );
      }
      const written = readdirSync(out)
        .map((f) => readFileSync(join(out, f), "utf8"))
        .join("");
      const ids = [...written.matchAll(/^(\d+),/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
      expect(ids.length).toBe(40_001);
      expect(new Set(ids).size).toBe(40_001);
      expect(written).toContain(`20000,"${field}"\n`);
    }
  });

  test("BOM, CRLF and blank lines, and a last line without a newline", async () => {
    const body = generate(300, 17, { quotes: false }).split("\n");
    body[5] = `${body[5]}\r`;
    body.splice(10, 0, "", "");
    const text = `\uFEFF${body.join("\n").replace(/\n$/, "")}`;
    const { out, passed } = await same("edges", text);
    expect(passed).toBeGreaterThan(150);
    expect(out.split("\n").length).toBe(301);
    expect(out.charCodeAt(0)).not.toBe(0xfeff);
  });
});
