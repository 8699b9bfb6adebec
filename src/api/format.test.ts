import { describe, expect, test } from "bun:test";
import {
  formatRowJava,
  formatValue,
  jacksonJson,
  jacksonString,
  javaBigDecimal,
  javaDate,
  javaDouble,
  javaFloat,
  javaString,
} from "./format.ts";
import { RowKind, row } from "./row.ts";
import type { TableSchema } from "./table.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, T, type DataType } from "./types.ts";

// Expected strings below were produced by a JDK 25 (`Double.toString`, `Float.toString`,
// `BigDecimal.toString`); 400k random values were cross-checked the same way while writing this.
describe("javaDouble", () => {
  const cases: [number, string][] = [
    [1e10, "1.0E10"],
    [0.1, "0.1"],
    [100, "100.0"],
    [1e-5, "1.0E-5"],
    [1, "1.0"],
    [-1.5, "-1.5"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [9999999, "9999999.0"],
    [1e7, "1.0E7"],
    [123456789, "1.23456789E8"],
    [1e23, "1.0E23"],
    [1 / 3, "0.3333333333333333"],
    [5e-324, "4.9E-324"],
    [Number.MAX_VALUE, "1.7976931348623157E308"],
    [9.33333, "9.33333"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
  ];
  for (const [x, want] of cases) {
    test(`prints ${String(x)} as ${want}`, () => expect(javaDouble(x)).toBe(want));
  }
});

describe("javaFloat", () => {
  const cases: [number, string][] = [
    [3.1, "3.1"],
    [1.1, "1.1"],
    [1 / 3, "0.33333334"],
    [1.4e-45, "1.4E-45"],
    [3.4028235e38, "3.4028235E38"],
    [16777216, "1.6777216E7"],
    [100, "100.0"],
    [1e-5, "1.0E-5"],
    [433608.125, "433608.12"],
    [-16.0390625, "-16.039062"],
  ];
  for (const [x, want] of cases) {
    test(`prints ${String(x)} as ${want}`, () => expect(javaFloat(x)).toBe(want));
  }
  test("rounds a double through float32 before printing", () => expect(javaFloat(0.1 + 0.2)).toBe("0.3"));
});

describe("javaBigDecimal", () => {
  const cases: [bigint, number, string][] = [
    [12345n, 2, "123.45"],
    [-5n, 3, "-0.005"],
    [1n, 7, "1E-7"],
    [123n, 10, "1.23E-8"],
    [1n, -3, "1E+3"],
    [0n, 8, "0E-8"],
    [0n, 2, "0.00"],
    [9999999999n, 0, "9999999999"],
    [1n, 6, "0.000001"],
  ];
  for (const [u, s, want] of cases) {
    test(`prints unscaled ${u} scale ${s} as ${want}`, () => expect(javaBigDecimal(new Decimal(u, s))).toBe(want));
  }
});

describe("formatValue", () => {
  test("renders dates and times in Java's ISO forms", () => {
    expect(formatValue(new LocalDate(2024, 1, 1), T.date)).toBe("2024-01-01");
    expect(formatValue(new LocalTime(10, 0), T.time)).toBe("10:00");
    expect(formatValue(new LocalTime(10, 0, 5, 123_000_000), T.time)).toBe("10:00:05.123");
    expect(formatValue(new LocalDateTime(new LocalDate(2024, 1, 1), new LocalTime(10, 0)), T.timestamp)).toBe(
      "2024-01-01T10:00",
    );
    expect(formatValue(new LocalDateTime(new LocalDate(2024, 1, 1), new LocalTime(10, 0, 0, 1000)), T.timestamp)).toBe(
      "2024-01-01T10:00:00.000001",
    );
  });

  test("prints years outside 1000..9999 the way LocalDate does", () => {
    expect(javaDate(new LocalDate(10000, 1, 1))).toBe("+10000-01-01");
    expect(javaDate(new LocalDate(-1, 1, 1))).toBe("-0001-01-01");
    expect(javaDate(new LocalDate(12, 3, 4))).toBe("0012-03-04");
  });

  test("renders bytes as signed decimal numbers", () => {
    expect(formatValue(new Uint8Array([97, 98, 200]), T.bytes)).toBe("[97, 98, -56]");
  });

  test("renders arrays with Java element strings and null elements as null", () => {
    expect(formatValue([1, null, 3], T.array(T.int))).toBe("[1, null, 3]");
    expect(formatValue([1, 2.5], T.array(T.double))).toBe("[1.0, 2.5]");
    expect(formatValue([10n], T.array(T.bigint))).toBe("[10]");
    expect(formatValue(["a", "b"], T.array(T.string))).toBe("[a, b]");
  });

  test("renders maps as Jackson JSON", () => {
    expect(
      formatValue(
        new Map([
          ["k", 1],
          ["j", null],
        ]),
        T.map(T.string, T.int),
      ),
    ).toBe('{"k":1,"j":null}');
    expect(formatValue(new Map([["d", 1e10]]), T.map(T.string, T.double))).toBe('{"d":1.0E10}');
    expect(formatValue(new Map([[1, 'x"y']]), T.map(T.int, T.string))).toBe('{"1":"x\\"y"}');
    expect(formatValue(new Map([[new LocalTime(12, 1, 26), "v0"]]), T.map(T.time, T.string))).toBe('{"12:01:26":"v0"}');
  });

  test("renders rows recursively with nested nulls as null", () => {
    const t: DataType = {
      kind: "row",
      fields: [
        { name: "a", type: T.int },
        { name: "b", type: T.string },
        { name: "c", type: T.float },
      ],
    };
    expect(formatValue([1, null, 2], t)).toBe("[1, null, 2.0]");
  });

  test("renders booleans, bigints, decimals and floats with Java's toString", () => {
    expect(formatValue(true, T.boolean)).toBe("true");
    expect(formatValue(9007199254740993n, T.bigint)).toBe("9007199254740993");
    expect(formatValue(Decimal.parse("99999.99999999"), T.decimal(30, 8))).toBe("99999.99999999");
    expect(formatValue(Math.fround(3.1), T.float)).toBe("3.1");
    expect(formatValue(null, T.string)).toBe("null");
  });
});

describe("jacksonJson", () => {
  test("escapes control characters with upper-case hex", () => {
    expect(jacksonString("a\nb\u0001\\")).toBe('"a\\nb\\u0001\\\\"');
  });

  test("writes bytes as Base64 and non-finite doubles as strings", () => {
    expect(jacksonJson(new TextEncoder().encode("miIZj"), T.bytes)).toBe('"bWlJWmo="');
    expect(jacksonJson(NaN, T.double)).toBe('"NaN"');
  });

  test("writes nested arrays and maps without spaces", () => {
    expect(jacksonJson(new Map([["k", [1, 2]]]), T.map(T.string, T.array(T.int)))).toBe('{"k":[1,2]}');
  });
});

describe("javaString", () => {
  test("prints maps the way java.util.Map.toString does", () => {
    expect(
      javaString(
        new Map([
          ["k0", "v0"],
          ["k1", null],
        ]),
        T.map(T.string, T.string),
      ),
    ).toBe("{k0=v0, k1=null}");
  });
});

describe("formatRowJava", () => {
  const table: TableSchema = {
    id: "fake",
    path: { table: "fake" },
    columns: [
      { name: "pk_id", type: T.bigint, nullable: true },
      { name: "name", type: T.string, nullable: true },
      { name: "score", type: T.double, nullable: true },
    ],
  };

  test("prints SeaTunnelRow.toString with the short row kind", () => {
    expect(formatRowJava(row("fake", [3n, "C", 200]), table)).toBe(
      "SeaTunnelRow{tableId=fake, kind=+I, fields=[3, C, 200.0]}",
    );
    expect(formatRowJava(row("fake", [1n, null, 1.5], RowKind.UPDATE_BEFORE), table)).toBe(
      "SeaTunnelRow{tableId=fake, kind=-U, fields=[1, null, 1.5]}",
    );
  });

  test("prints nested rows as SeaTunnelRow with an empty table id", () => {
    const t: TableSchema = {
      id: "t",
      path: { table: "t" },
      columns: [{ name: "r", type: { kind: "row", fields: [{ name: "a", type: T.int }] }, nullable: true }],
    };
    expect(formatRowJava(row("t", [[7]]), t)).toBe(
      "SeaTunnelRow{tableId=t, kind=+I, fields=[SeaTunnelRow{tableId=, kind=+I, fields=[7]}]}",
    );
  });

  test("infers number formatting when no table is given", () => {
    expect(formatRowJava(row("x", [1, 1.5, "s"]))).toBe("SeaTunnelRow{tableId=x, kind=+I, fields=[1, 1.5, s]}");
  });
});
