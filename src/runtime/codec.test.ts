import { describe, expect, test } from "bun:test";
import { RowKind, type Row } from "../api/row.ts";
import type { TableSchema } from "../api/table.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, T, type DataType } from "../api/types.ts";
import { decodeBatch, encodeBatch } from "./codec.ts";

const table = (id: string, cols: [string, DataType][]): TableSchema => ({
  id,
  path: { table: id },
  columns: cols.map(([name, type]) => ({ name, type, nullable: true })),
});

const all = table("all", [
  ["s", T.string],
  ["b", T.boolean],
  ["i8", T.tinyint],
  ["i32", T.int],
  ["i64", T.bigint],
  ["f", T.float],
  ["d", T.double],
  ["dec", T.decimal(38, 10)],
  ["n", T.null],
  ["bytes", T.bytes],
  ["date", T.date],
  ["time", T.time],
  ["ts", T.timestamp],
  ["arr", T.array(T.string)],
  ["map", T.map(T.string, T.int)],
  [
    "row",
    {
      kind: "row",
      fields: [
        { name: "a", type: T.int },
        { name: "b", type: T.array(T.bigint) },
      ],
    },
  ],
]);

describe("codec", () => {
  test("every type round-trips exactly, nulls included", () => {
    const rows: Row[] = [
      {
        kind: RowKind.UPDATE_AFTER,
        table: "all",
        fields: [
          "héllo ✓",
          true,
          -7,
          2147483647,
          9223372036854775807n,
          Math.fround(1.5),
          0.1,
          Decimal.parse("-12345678901234567890123.4567890123"),
          null,
          new Uint8Array([0, 255, 7]),
          new LocalDate(1999, 12, 31),
          new LocalTime(23, 59, 58, 123456000),
          new LocalDateTime(new LocalDate(2024, 2, 29), new LocalTime(1, 2, 3, 4000)),
          ["a", null, ""],
          new Map([
            ["k", 1],
            ["z", null],
          ]),
          [5, [1n, -2n]],
        ],
      },
      { kind: RowKind.DELETE, table: "all", fields: all.columns.map(() => null) },
    ];
    const back = decodeBatch(encodeBatch(rows, [all]), [all]);
    expect(back).toEqual(rows);
    expect((back[0]!.fields[7] as Decimal).toString()).toBe("-12345678901234567890123.4567890123");
  });

  test("rows of several tables keep their table ids and types", () => {
    const a = table("db.a", [["x", T.int]]);
    const b = table("db.b", [
      ["y", T.string],
      ["z", T.bigint],
    ]);
    const rows: Row[] = [
      { kind: RowKind.INSERT, table: "db.b", fields: ["q", 1n] },
      { kind: RowKind.INSERT, table: "db.a", fields: [3] },
    ];
    expect(decodeBatch(encodeBatch(rows, [a, b]), [a, b])).toEqual(rows);
  });
});
