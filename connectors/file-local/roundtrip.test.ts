import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Column,
  type DataType,
  Decimal,
  LocalDate,
  LocalDateTime,
  LocalTime,
  type Row,
  RowKind,
  T,
  type TableSchema,
} from "../../src/api/index.ts";
import { plainStripped } from "../file-common/text-values.ts";
import { readAllRows, writeRows } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "file-local-roundtrip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROW_T: DataType = {
  kind: "row",
  fields: [
    { name: "a", type: T.int },
    { name: "b", type: T.string },
  ],
};
const COLUMNS: Column[] = (
  [
    ["c_string", T.string],
    ["c_boolean", T.boolean],
    ["c_tinyint", T.tinyint],
    ["c_smallint", T.smallint],
    ["c_int", T.int],
    ["c_bigint", T.bigint],
    ["c_float", T.float],
    ["c_double", T.double],
    ["c_decimal", T.decimal(38, 18)],
    ["c_date", T.date],
    ["c_time", T.time],
    ["c_timestamp", T.timestamp],
    ["c_bytes", T.bytes],
    ["c_array", T.array(T.int)],
    ["c_tags", T.array(T.string)],
    ["c_map", T.map(T.string, T.string)],
    ["c_row", ROW_T],
  ] as [string, DataType][]
).map(([name, type]) => ({ name, type, nullable: true }));
const TABLE: TableSchema = { id: "t", path: { table: "t" }, columns: COLUMNS };

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  "",
  " padded ",
  "comma, here",
  'quote " here',
  "new\nline",
  "测试 unicode",
  "plain",
  "semi;colon",
  "tab\there",
];
const WORDS = ["alpha", "beta", "gamma with space", "delta,comma", "ε"];

/**
 * Rows within what SeaTunnel's text formats can represent: nested strings are non-blank and
 * nested collections non-empty (a blank nested field reads back as null in SeaTunnel too).
 */
function generate(n: number): Row[] {
  const r = rng(7);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const digits = (k: number) => Array.from({ length: k }, () => int(0, 9)).join("");
  const maybe = <V>(v: () => V): V | null => (r() < 0.1 ? null : v());
  return Array.from({ length: n }, (_, i) => ({
    kind: RowKind.INSERT,
    table: "t",
    fields: [
      maybe(() => STRINGS[i % STRINGS.length]!),
      maybe(() => r() < 0.5),
      maybe(() => int(-128, 127)),
      maybe(() => int(-32768, 32767)),
      maybe(() => int(-2147483648, 2147483647)),
      maybe(() => BigInt(`${r() < 0.5 ? "-" : ""}${int(1, 8)}${digits(18)}`)),
      maybe(() => Math.fround((r() - 0.5) * 10 ** int(-10, 38))),
      maybe(() => (r() - 0.5) * 10 ** int(-300, 300)),
      maybe(() => Decimal.parse(`${r() < 0.5 ? "-" : ""}${digits(20)}.${digits(18)}`)),
      maybe(() => LocalDate.fromEpochDay(int(-719162, 2932896))),
      maybe(() => new LocalTime(int(0, 23), int(0, 59), int(0, 59), int(0, 999999) * 1000)),
      maybe(() =>
        LocalDateTime.fromEpochMicros(BigInt(int(-2_000_000_000, 4_000_000_000)) * 1_000_000n + BigInt(int(0, 999999))),
      ),
      maybe(() => new TextEncoder().encode(`bytes-${i}`)),
      maybe(() => Array.from({ length: int(1, 4) }, () => int(-1000, 1000))),
      maybe(() => Array.from({ length: int(1, 3) }, () => WORDS[int(0, WORDS.length - 1)]!)),
      maybe(() => new Map(Array.from({ length: int(1, 3) }, (_, k) => [`k${k}`, WORDS[int(0, WORDS.length - 1)]!]))),
      maybe(() => [int(-5, 5), WORDS[int(0, WORDS.length - 1)]!]),
    ],
  }));
}

/** A comparable form of a value: exact digits, ISO text, hex bytes, map entries. */
function canon(v: unknown): unknown {
  if (v === null || v === undefined) {
    return null;
  }
  if (v instanceof Decimal) {
    return `dec:${plainStripped(v)}`;
  }
  if (v instanceof LocalDate || v instanceof LocalTime || v instanceof LocalDateTime) {
    return `${v.constructor.name}:${v.toString()}`;
  }
  if (v instanceof Uint8Array) {
    return `hex:${Buffer.from(v).toString("hex")}`;
  }
  if (v instanceof Map) {
    return [...v].map(([k, x]) => [canon(k), canon(x)]);
  }
  if (Array.isArray(v)) {
    return v.map(canon);
  }
  if (typeof v === "bigint") {
    return `big:${v}`;
  }
  return v;
}

const rowsOf = (rows: Row[]) => rows.map((r) => r.fields.map(canon));
const schema = {
  fields: Object.fromEntries(
    COLUMNS.map((c) => [c.name, c.type.kind === "row" ? { a: "int", b: "string" } : typeName(c.type)]),
  ),
};
function typeName(t: DataType): string {
  if (t.kind === "decimal") {
    return `decimal(${t.precision}, ${t.scale})`;
  }
  if (t.kind === "array") {
    return `array<${typeName(t.element)}>`;
  }
  if (t.kind === "map") {
    return `map<${typeName(t.key)}, ${typeName(t.value)}>`;
  }
  return t.kind;
}
const temporal = { datetime_format: "yyyy-MM-dd HH:mm:ss.SSSSSS", time_format: "HH:mm:ss.SSSSSS" };

describe("LocalFile round trip", () => {
  test("csv → parquet → json → csv keeps every value of a generated file with all types", async () => {
    const generated = generate(400);
    const at = (name: string) => join(dir, name);
    const sink = (name: string, format: string) => ({
      path: at(name),
      file_format_type: format,
      tmp_path: at("tmp"),
      ...temporal,
    });
    const source = (name: string, format: string) => ({
      path: at(name),
      file_format_type: format,
      schema,
      ...temporal,
    });

    await writeRows(sink("csv1", "csv"), [TABLE], generated);
    const csv1 = (await readAllRows(source("csv1", "csv"))).rows;
    expect(rowsOf(csv1)).toEqual(rowsOf(generated));

    await writeRows(sink("parquet", "parquet"), [TABLE], csv1);
    const pq = await readAllRows({ path: at("parquet"), file_format_type: "parquet" });
    expect(pq.tables[0]!.columns.map((c) => typeName(c.type))).toEqual(
      COLUMNS.map((c) => (c.type.kind === "row" ? "row" : typeName(c.type))),
    );
    expect(rowsOf(pq.rows)).toEqual(rowsOf(csv1));

    await writeRows(sink("json", "json"), [TABLE], pq.rows);
    const json = (await readAllRows(source("json", "json"))).rows;
    expect(rowsOf(json)).toEqual(rowsOf(csv1));

    await writeRows(sink("csv2", "csv"), [TABLE], json);
    const csv2 = (await readAllRows(source("csv2", "csv"), 2)).rows;
    expect(rowsOf(csv2).sort()).toEqual(rowsOf(csv1).sort());
  });

  test("excel and xml keep strings, numbers, booleans and dates", async () => {
    const cols = COLUMNS.filter((c) =>
      ["c_string", "c_boolean", "c_int", "c_double", "c_date", "c_bigint", "c_decimal"].includes(c.name),
    );
    const table: TableSchema = { id: "t", path: { table: "t" }, columns: cols };
    const idx = cols.map((c) => COLUMNS.indexOf(c));
    const rows = generate(50).map((r) => ({ ...r, fields: idx.map((i) => r.fields[i]) }));
    const sch = { fields: Object.fromEntries(cols.map((c) => [c.name, typeName(c.type)])) };
    await writeRows({ path: join(dir, "xlsx"), file_format_type: "excel", tmp_path: join(dir, "tmp") }, [table], rows);
    const xl = await readAllRows({
      path: join(dir, "xlsx"),
      file_format_type: "excel",
      skip_header_row_number: 1,
      schema: sch,
    });
    // Excel stores an empty string as no cell at all.
    const blankIsNull = (rs: Row[]) => rowsOf(rs).map((f) => f.map((v) => (v === "" ? null : v)));
    expect(blankIsNull(xl.rows)).toEqual(blankIsNull(rows));
    await writeRows(
      { path: join(dir, "xml"), file_format_type: "xml", xml_use_attr_format: true, tmp_path: join(dir, "tmp") },
      [table],
      rows,
    );
    const xml = await readAllRows({
      path: join(dir, "xml"),
      file_format_type: "xml",
      xml_row_tag: "RECORD",
      xml_use_attr_format: true,
      schema: sch,
    });
    expect(blankIsNull(xml.rows)).toEqual(blankIsNull(rows));
  });
});
