import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import type { RejectedRecord, RowPromises, Source, SourceReader } from "../../src/api/index.ts";
import { linesBefore } from "./bad-records.ts";
import { createLocalFileSource } from "./source.ts";
import { ctx, quiet, sourceOpts } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "file-local-reject-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (rel: string, data: string | Uint8Array) => {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, data);
  return p;
};

type Seen = Omit<RejectedRecord, "raw"> & { raw: string };
const schema = { fields: { id: "int", name: "string", ts: "timestamp" } };
/** What a fused chain into a COPY or csv sink promises: rows go through the line path. */
const LINES: RowPromises = { sourceText: true, seaTunnelText: true, releasesRows: true };

async function source(o: Record<string, unknown>, parallelism = 1): Promise<Source> {
  return createLocalFileSource(sourceOpts(o), ctx(parallelism));
}

/** Polls a reader to its end (or `batches` batches), copying each row's values before the next poll. */
async function drain(r: SourceReader, rows: unknown[][], batches = Number.POSITIVE_INFINITY): Promise<boolean> {
  for (let i = 0; i < batches; i++) {
    const b = await r.poll();
    if (b === null) {
      return true;
    }
    rows.push(...b.map((x) => [...x.fields]));
  }
  return false;
}

/** Every row and rejected record of a source, `parallelism` readers one after the other. */
async function readRejecting(
  o: Record<string, unknown>,
  consumers?: RowPromises,
  parallelism = 1,
): Promise<{ rows: unknown[][]; rejected: Seen[] }> {
  const s = await source(o, parallelism);
  const groups = await s.splits(parallelism);
  const rows: unknown[][] = [];
  const rejected: Seen[] = [];
  const reject = (r: RejectedRecord) => rejected.push({ ...r, raw: Buffer.from(r.raw).toString("latin1") });
  for (let i = 0; i < parallelism; i++) {
    const r = await s.reader({ subtask: i, parallelism, log: quiet, reject, ...(consumers ? { consumers } : {}) });
    r.addSplits(structuredClone(groups[i] ?? []));
    await drain(r, rows);
    await r.close?.();
  }
  return { rows, rejected };
}

const BAD_CSV = [
  "1,a,2024-01-01 00:00:00",
  "x,b,2024-01-01 00:00:00",
  "3,c,2024-13-01 00:00:00",
  "4,d",
  '5,"e"x,2024-01-01 00:00:00',
  "6,f,2024-01-01 00:00:00",
  "7,g,2024-02-30 00:00:00\r",
  "8,h,2024-01-01 00:00:00",
  "9,i",
].join("\n");

/** What the handler gets of BAD_CSV at `p`. */
const badCsvRejects = (p: string): Seen[] => [
  {
    file: p,
    line: 2,
    column: 1,
    field: "id",
    reason: 'expects int, received "x"',
    raw: "x,b,2024-01-01 00:00:00\n",
  },
  {
    file: p,
    line: 3,
    column: 3,
    field: "ts",
    reason: 'expects timestamp (yyyy-MM-dd HH:mm:ss), received "2024-13-01 00:00:00"',
    raw: "3,c,2024-13-01 00:00:00\n",
  },
  { file: p, line: 4, reason: "expected 3 field(s), found 2", raw: "4,d\n" },
  {
    file: p,
    line: 5,
    reason: 'invalid character "x" after a closing quote; expected the delimiter "," or the end of the line',
    raw: '5,"e"x,2024-01-01 00:00:00\n',
  },
  {
    file: p,
    line: 7,
    column: 3,
    field: "ts",
    reason: 'expects timestamp (yyyy-MM-dd HH:mm:ss), received "2024-02-30 00:00:00"',
    raw: "7,g,2024-02-30 00:00:00\r\n",
  },
  { file: p, line: 9, reason: "expected 3 field(s), found 2", raw: "9,i" },
];

describe("LocalFile with the error handler on", () => {
  for (const [name, consumers] of [
    ["records", undefined],
    ["lines passed on whole", LINES],
  ] as const) {
    test(`hands each bad csv record as read to the handler and reads on (${name})`, async () => {
      const p = put(`bad-${name.length}.csv`, BAD_CSV);
      const { rows, rejected } = await readRejecting(
        { path: p, file_format_type: "csv", schema, ragged_rows: "error" },
        consumers,
      );
      expect(rows.map((r) => r[0])).toEqual([1, 6, 8]);
      expect(rejected).toEqual(badCsvRejects(p));
    });
  }

  test("without a handler the first bad record fails the read, naming file, line and column", async () => {
    const p = put("fail.csv", BAD_CSV);
    const s = await source({ path: p, file_format_type: "csv", schema, ragged_rows: "error" });
    const r = await s.reader({ subtask: 0, parallelism: 1, log: quiet });
    r.addSplits((await s.splits(1))[0]!);
    await expect(drain(r, [])).rejects.toThrow(`reading "${p}" line 2, column 1 ("id"): expects int, received "x"`);
  });

  test("a restore from a snapshot taken after a rejected record neither rejects it again nor repeats a row", async () => {
    const lines = Array.from({ length: 700 }, (_, i) => `${i},n${i},2024-01-01 00:00:00`);
    for (const at of [10, 300, 650]) {
      lines[at] = `${at},n${at},not a time`;
    }
    const p = put("restore.csv", `${lines.join("\n")}\n`);
    const s = await source({ path: p, file_format_type: "csv", schema });
    const rejected: number[] = [];
    const reject = (r: RejectedRecord) => rejected.push(r.line);
    const first = await s.reader({ subtask: 0, parallelism: 1, log: quiet, reject });
    first.addSplits((await s.splits(1))[0]!);
    const rows: unknown[][] = [];
    expect(await drain(first, rows, 1)).toBe(false);
    const snapshot = structuredClone(first.snapshot!());
    await first.close?.();
    const again = await s.reader({ subtask: 0, parallelism: 1, log: quiet, reject });
    again.addSplits(snapshot);
    await drain(again, rows);
    expect(rejected).toEqual([11, 301, 651]);
    expect(rows.map((r) => r[0])).toEqual(
      Array.from({ length: 700 }, (_, i) => i).filter((i) => ![10, 300, 650].includes(i)),
    );
  });
});

describe("LocalFile with the error handler on: positions and encodings", () => {
  test("a split that starts inside a file names the file's own lines", async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i},name-${i},2024-01-01 00:00:00`);
    lines[377] = "377,x,2024-01-01 25:00:00";
    const p = put("split.csv", `${lines.join("\n")}\n`);
    const o = { path: p, file_format_type: "csv", schema, file_split_size: 1024 };
    for (const consumers of [undefined, LINES]) {
      const { rows, rejected } = await readRejecting(o, consumers, 2);
      expect(rows.length).toBe(399);
      expect(rejected.map((r) => [r.line, r.raw])).toEqual([[378, "377,x,2024-01-01 25:00:00\n"]]);
    }
    expect(linesBefore(p, 0)).toBe(0);
    expect(linesBefore(p, Buffer.byteLength(`${lines.slice(0, 3).join("\n")}\n`))).toBe(3);
  });

  test("a record of a file in another encoding is rejected in its own bytes", async () => {
    const p = put("gbk.csv", iconv.encode("1,中文,2024-01-01 00:00:00\n2,坏,2024-01-01\n", "gbk"));
    const { rows, rejected } = await readRejecting({ path: p, file_format_type: "csv", schema, encoding: "GBK" });
    expect(rows).toHaveLength(1);
    expect(rejected[0]!.raw).toBe(iconv.encode("2,坏,2024-01-01\n", "gbk").toString("latin1"));
  });

  test("json: a line that is not JSON, or has a value that does not convert, is rejected whole", async () => {
    const p = put(
      "bad.json",
      [
        '{"id": 1, "name": "a"}',
        '{"id": 2, "name": ',
        '[{"id": 3, "name": "b"}, {"id": "x", "name": "c"}]',
        '[{"id": 4, "name": "d"}, {"id": 5, "name": "e"}]',
      ].join("\n"),
    );
    const { rows, rejected } = await readRejecting({
      path: p,
      file_format_type: "json",
      schema: { fields: { id: "int", name: "string" } },
    });
    expect(rows).toEqual([
      [1, "a"],
      [4, "d"],
      [5, "e"],
    ]);
    expect(rejected.map((r) => [r.line, r.raw])).toEqual([
      [2, '{"id": 2, "name": \n'],
      [3, '[{"id": 3, "name": "b"}, {"id": "x", "name": "c"}]\n'],
    ]);
    expect(rejected[0]!.reason).toStartWith("not valid JSON");
  });
});
