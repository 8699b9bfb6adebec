import { describe, expect, test } from "bun:test";
import { createSource, hoconTree, parseBlock, quiet, sourceConformance } from "../../src/api/testing.ts";
import { getEntry, type ObjectNode } from "../../src/api/tree.ts";
import type { ParseResult } from "../../src/api/parse-options.ts";
import {
  ConfigError,
  type Decimal,
  type LocalDate,
  type LocalDateTime,
  RowKind,
  type PluginContext,
  type Row,
  type Source,
} from "../../src/api/index.ts";
import { fakeSource } from "./index.ts";
import { fakeSplits, type FakeSplit } from "./source.ts";

/** The first source block of a job file. */
function sourceBlock(conf: string): ObjectNode {
  const list = getEntry(hoconTree(conf, "job.conf"), "source")!.value;
  if (list.kind !== "array" || list.items[0]?.kind !== "object") {
    throw new Error("no source block");
  }
  return list.items[0];
}

/** `source { FakeSource { <body> } }` after an env line, so positions are those of a job file. */
const job = (body: string, mode = "BATCH") => `env { job.mode = ${mode} }\nsource {\n  FakeSource {\n${body}\n  }\n}\n`;

const parse = (body: string): ParseResult => parseBlock(fakeSource, sourceBlock(job(body)));

const create = (body: string, ctx: Partial<PluginContext> = {}): Promise<Source> =>
  createSource(fakeSource, sourceBlock(job(body)), { jobId: "1", ...ctx });

/** Runs every reader to its end; rows per reader. */
async function run(source: Source, parallelism: number): Promise<Row[][]> {
  const splits = await source.splits(parallelism);
  const out: Row[][] = [];
  for (let i = 0; i < parallelism; i++) {
    const reader = await source.reader({ subtask: i, parallelism, log: quiet });
    reader.addSplits(splits[i]!);
    const rows: Row[] = [];
    for (let batch = await reader.poll(); batch !== null; batch = await reader.poll()) {
      rows.push(...batch);
    }
    out.push(rows);
  }
  return out;
}

const SCHEMA = `schema = { fields { id = bigint, name = string, age = int } }`;

describe("FakeSource options", () => {
  test("defaults apply and values coerce as SeaTunnel does", () => {
    const { values, errors } = parse(
      `${SCHEMA}\n row.num = "10"\n string.fake.mode = template\n string.template = "a, b"\n bigint.template = [1, "2"]`,
    );
    expect(errors).toEqual([]);
    expect(values["row.num"]).toBe(10);
    expect(values["split.num"]).toBe(1);
    expect(values["split.read-interval"]).toBe(1);
    expect(values["string.length"]).toBe(5);
    expect(values["int.max"]).toBe(2147483647);
    expect(values["bigint.max"]).toBe(9223372036854775807n);
    expect(values["string.fake.mode"]).toBe("TEMPLATE");
    expect(values["string.template"]).toEqual(["a", "b"]);
    expect(values["bigint.template"]).toEqual([1n, 2n]);
  });

  test("a bad option is reported at its position", () => {
    const { errors } = parse(`${SCHEMA}\n    row.num = five`);
    expect(errors[0]?.format()).toBe(
      'error[CONFIG_OPTION_INVALID]: job.conf:5:15 source FakeSource: option "row.num" expects an integer >= 0, received "five"',
    );
  });

  test("ranges must lie within the type's allowed range", () => {
    const { errors } = parse(`${SCHEMA}\n tinyint.min = 200`);
    expect(errors[0]?.message).toContain('option "tinyint.min" expects an integer from 0 to 127, received 200');
    expect(parse(`${SCHEMA}\n int.min = -1`).errors[0]?.message).toContain('"int.min"');
  });

  test("TEMPLATE mode requires its template", () => {
    const { errors } = parse(`${SCHEMA}\n int.fake.mode = TEMPLATE`);
    expect(errors[0]?.message).toBe(
      'source FakeSource: option "int.template" is required when "int.fake.mode" = TEMPLATE',
    );
  });

  test("date template items are range-checked at their position", () => {
    const { errors } = parse(`${SCHEMA}\n    date.month.template = [1, 13]`);
    expect(errors[0]?.message).toContain("expects a list of integers from 1 to 12");
    expect(errors[0]?.pos).toMatchObject({ line: 5, col: 31 });
  });

  test("a row kind must be an exact upper-case name", () => {
    const { errors } = parse(`${SCHEMA}\n    rows = [ { kind = insert, fields = [1, "a", 2] } ]`);
    expect(errors[0]?.message).toContain(
      'rows[0].kind "insert" is not one of INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE',
    );
    expect(errors[0]?.pos).toMatchObject({ line: 5, col: 23 });
  });

  test("min above max is a conflict", async () => {
    await expect(create(`${SCHEMA}\n int.min = 10\n int.max = 5`)).rejects.toThrow(
      'option "int.min" (10) must be <= "int.max" (5)',
    );
  });

  test("a field value that does not fit its type is reported with its position", async () => {
    const e = await create(`${SCHEMA}\n    rows = [ { kind = INSERT, fields = [1, "a", "old"] } ]`).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toBe('source FakeSource: rows[0]: field "age" expects int, received "old"');
    expect((e as ConfigError).pos).toMatchObject({ line: 5, col: 49 });
  });

  test("schema is required without tables_configs", async () => {
    await expect(create("row.num = 1")).rejects.toThrow('option "schema" is required');
  });

  test("every example parses without errors or warnings", () => {
    for (const ex of fakeSource.examples) {
      const res = parseBlock(fakeSource, sourceBlock(ex.conf));
      expect({ title: ex.title, errors: res.errors, warnings: res.warnings }).toEqual({
        title: ex.title,
        errors: [],
        warnings: [],
      });
    }
  });
});

describe("FakeSource splits", () => {
  test("each reader gets ids i, i+P, … of ceil(row.num/split.num) rows", async () => {
    const src = await create(`${SCHEMA}\n row.num = 10\n split.num = 3`);
    const splits = (await src.splits(2)) as FakeSplit[][];
    expect(splits.map((s) => s.map((x) => [x.splitId, x.rowNum]))).toEqual([
      [
        [0, 4],
        [2, 4],
        [4, 2],
      ],
      [
        [1, 4],
        [3, 4],
        [5, 2],
      ],
    ]);
  });

  test("no rows means no splits", async () => {
    const src = await create(`${SCHEMA}\n row.num = 0`);
    expect(await src.splits(3)).toEqual([[], [], []]);
  });

  for (const p of [1, 2, 4]) {
    test(`parallelism ${p} emits ${p} × row.num rows`, async () => {
      const src = await create(`${SCHEMA}\n row.num = 10\n split.num = 3\n split.read-interval = 0`);
      const rows = await run(src, p);
      expect(rows.map((r) => r.length)).toEqual(Array(p).fill(10));
    });
  }

  test("splits survive structuredClone", () => {
    const tables = [
      {
        index: 0,
        schema: { id: "t", path: { table: "t" }, columns: [] },
        gens: [],
        rowNum: 3,
        splitNum: 2,
        readInterval: 0,
      },
    ];
    const splits = fakeSplits(tables, 2);
    expect(structuredClone(splits)).toEqual(splits);
  });
});

describe("FakeSource data: table ids, kinds and generated values", () => {
  test("rows carry the table id: schema.table, else result_table_name, else default.default.default", async () => {
    expect((await run(await create(SCHEMA), 1))[0]![0]!.table).toBe("default.default.default");
    expect((await run(await create(`result_table_name = fake\n ${SCHEMA}`), 1))[0]![0]!.table).toBe("fake");
    const named = await create(`result_table_name = fake\n schema = { table = "db.t", fields { a = int } }`);
    expect(named.tables[0]!.id).toBe("db.t");
    expect((await run(named, 1))[0]![0]!.table).toBe("db.t");
  });

  test("every split emits all listed rows, with their kinds", async () => {
    const rows = `rows = [ { kind = INSERT, fields = [1, "a", 10] }, { kind = DELETE, fields = { name = "b", id = 2 } } ]`;
    const once = await run(await create(`${SCHEMA}\n ${rows}`), 2);
    expect(once.map((r) => r.length)).toEqual([2, 2]);
    expect(once[0]!.map((r) => [r.kind, r.fields])).toEqual([
      [RowKind.INSERT, [1n, "a", 10]],
      [RowKind.DELETE, [2n, "b", null]],
    ]);
    const perSplit = await run(
      await create(`${SCHEMA}\n ${rows}\n row.num = 5\n split.num = 5\n split.read-interval = 0`),
      1,
    );
    expect(perSplit[0]!.length).toBe(10);
  });

  test("templates and [min, max) ranges are obeyed", async () => {
    const src =
      await create(`schema = { fields { s = string, i = int, t = tinyint, b = bigint, d = date, ts = timestamp } }
      row.num = 500
      string.template = [x, y]
      int.min = 5
      int.max = 8
      tinyint.template = [1, 300]
      bigint.min = 10
      bigint.max = 12
      date.year.template = [1999]
      date.month.template = [2]
      time.hour.template = [23]`);
    const rows = (await run(src, 1))[0]!;
    expect(rows.length).toBe(500);
    for (const {
      fields: [s, i, t, b, d, ts],
    } of rows) {
      expect(["x", "y"]).toContain(s as string);
      expect(i as number).toBeGreaterThanOrEqual(5);
      expect(i as number).toBeLessThan(8);
      expect([1, 44]).toContain(t as number); // 300 wraps like Java's byteValue()
      expect([10n, 11n]).toContain(b as bigint);
      expect((d as LocalDate).year).toBe(1999);
      expect((d as LocalDate).month).toBe(2);
      expect((ts as LocalDateTime).time.hour).toBe(23);
    }
    expect(new Set(rows.map((r) => r.fields[1])).size).toBe(3);
  });

  test("random strings and bytes have the configured lengths; columnLength wins", async () => {
    const src = await create(`string.length = 7
      bytes.length = 3
      array.size = 2
      map.size = 1
      schema = { columns = [ { name = s, type = string }, { name = l, type = string, columnLength = 2 }, { name = b, type = bytes },
        { name = a, type = "array<int>" }, { name = m, type = "map<string, boolean>" } ] }`);
    const [s, l, b, a, m] = (await run(src, 1))[0]![0]!.fields;
    expect(s).toMatch(/^[A-Za-z]{7}$/);
    expect(l).toMatch(/^[A-Za-z]{2}$/);
    expect(b).toBeInstanceOf(Uint8Array);
    expect((b as Uint8Array).length).toBe(3);
    expect((a as number[]).length).toBe(2);
    expect((m as Map<string, boolean>).size).toBe(1);
  });
});

describe("FakeSource data: defaults and decimals", () => {
  test("a column's defaultValue replaces random data", async () => {
    const src = await create(`schema = { columns = [
      { name = c, type = string, defaultValue = "fixed" },
      { name = n, type = int, defaultValue = "42" },
      { name = d, type = date, defaultValue = CURRENT_DATE },
      { name = x, type = "decimal(6, 2)", defaultValue = 1.5 } ] }`);
    const today = new Date();
    for (const { fields } of (await run(src, 1))[0]!) {
      expect(fields[0]).toBe("fixed");
      expect(fields[1]).toBe(42);
      expect((fields[2] as LocalDate).year).toBe(today.getFullYear());
      expect(String(fields[3])).toBe("1.50");
    }
  });

  test("a bad defaultValue is reported at its position", () => {
    const { errors } = parse(`    schema = { columns = [ { name = n, type = int, defaultValue = "x" } ] }`);
    expect(errors[0]?.message).toBe('schema.columns: defaultValue of field "n" expects int, received "x"');
    expect(errors[0]?.pos).toMatchObject({ line: 4, col: 67 });
  });

  test("decimals have p − s integer digits and s fraction digits", async () => {
    const rows = (
      await run(await create(`schema = { fields { d = "decimal(5, 2)", w = "decimal(30, 8)" } }\n row.num = 200`), 1)
    )[0]!;
    for (const { fields } of rows) {
      const [d, w] = fields as [Decimal, Decimal];
      expect(d.scale).toBe(2);
      expect(d.unscaled >= 0n && d.unscaled < 100000n).toBe(true);
      expect(w.scale).toBe(8);
      expect(w.unscaled < 10n ** 30n).toBe(true);
    }
    expect(new Set(rows.map((r) => String(r.fields[1]))).size).toBeGreaterThan(190);
  });
});

describe("FakeSource data: tables_configs and seeds", () => {
  test("tables_configs gives one table per item, each row carrying its table id", async () => {
    const src = await create(`seed = 1
      tables_configs = [
        { row.num = 3, schema = { table = "db.a", fields { id = int } } },
        { row.num = 2, split.num = 2, schema = { table = "db.b", fields { id = string } } } ]`);
    expect(src.tables.map((t) => t.id)).toEqual(["db.a", "db.b"]);
    const rows = (await run(src, 2)).flat();
    expect(rows.filter((r) => r.table === "db.a").length).toBe(6);
    expect(rows.filter((r) => r.table === "db.b").length).toBe(4);
  });

  test("tables_configs table names must be unique", async () => {
    const body = `tables_configs = [ { schema = { fields { id = int } } }, { schema = { fields { id = int } } } ]`;
    await expect(create(body)).rejects.toThrow(
      "table name: [default.default.default, default.default.default] must be unique",
    );
  });

  test("an error inside tables_configs points into the item", () => {
    const { errors } = parse(`    tables_configs = [ { row.num = x, schema = { fields { id = int } } } ]`);
    expect(errors[0]?.message).toContain('tables_configs[0]: option "row.num" expects an integer >= 0, received "x"');
    expect(errors[0]?.pos).toMatchObject({ line: 4, col: 36 });
  });

  test("the same seed gives the same rows whatever the parallelism schedule", async () => {
    const body = `${SCHEMA}\n seed = 99\n row.num = 50\n split.num = 4\n split.read-interval = 0`;
    const a = await run(await create(body), 3);
    const b = await run(await create(body), 3);
    expect(a).toEqual(b);
    // Reader 1's splits run by another subtask (another schedule) give the same rows.
    const src = await create(body);
    const r1 = await src.reader({ subtask: 2, parallelism: 3, log: quiet });
    r1.addSplits((await src.splits(3))[1]!);
    const alone: Row[] = [];
    for (let x = await r1.poll(); x !== null; x = await r1.poll()) {
      alone.push(...x);
    }
    expect(alone).toEqual(a[1]!);
    const other = await run(await create(`${SCHEMA}\n seed = 100\n row.num = 50`), 1);
    expect(other[0]).not.toEqual(a[0]!.slice(0, 50));
  });
});

describe("FakeSource reader", () => {
  test("keeps the source contract: splits survive structuredClone, a restored snapshot neither loses nor repeats", async () => {
    const body = `${SCHEMA}\n seed = 5\n row.num = 10000\n split.num = 4\n split.read-interval = 0`;
    await sourceConformance(() => create(body), 1);
    await sourceConformance(() => create(body, { parallelism: 2 }), 2);
  });

  test("a finished bounded reader returns null, a streaming one idles with []", async () => {
    const streaming = await create(`${SCHEMA}\n row.num = 3`, { jobMode: "STREAMING" });
    expect(streaming.bounded).toBe(false);
    const reader = await streaming.reader({ subtask: 0, parallelism: 1, log: quiet });
    reader.addSplits((await streaming.splits(1))[0]!);
    expect(((await reader.poll()) ?? []).length).toBe(3);
    expect(await reader.poll()).toEqual([]);
    expect(await reader.poll()).toEqual([]);
    const batch = await create(`${SCHEMA}\n row.num = 3`);
    expect(batch.bounded).toBe(true);
  });

  test("split.read-interval keeps a minimum gap between split starts", async () => {
    const src = await create(`${SCHEMA}\n row.num = 2\n split.num = 2\n split.read-interval = 60000`);
    const reader = await src.reader({ subtask: 0, parallelism: 1, log: quiet });
    reader.addSplits((await src.splits(1))[0]!);
    expect(((await reader.poll()) ?? []).length).toBe(1);
    // The second split may not start within the interval: the reader reports "nothing right now".
    expect(await reader.poll()).toEqual([]);
    expect(reader.snapshot!().length).toBe(1);
  });
});
