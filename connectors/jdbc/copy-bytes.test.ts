import { describe, expect, test } from "bun:test";
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";
import { parseType } from "../../src/api/type-text.ts";
import { CopyBytes, type ValueWriter, valueWriters } from "./copy-bytes.ts";
import { copyLine } from "./pgtext.ts";

const dec = new TextDecoder();

/** CopyBytes' line must be copyLine's text, byte for byte. */
function same(fields: unknown[], writers?: ValueWriter[]): void {
  const out = new CopyBytes();
  out.row(fields, writers);
  expect(dec.decode(out.bytes.subarray(0, out.n))).toBe(copyLine(fields));
}

const EDGES: unknown[] = [
  null,
  undefined,
  "",
  "plain",
  "tab\there",
  "new\nline",
  "cr\rhere",
  "back\\slash",
  "vt\u000bff\u000c",
  "ünïcödé \\ \t",
  "emoji 😀 𝄞 after",
  "  edge  ",
  0,
  -0,
  1,
  -1,
  2 ** 31 - 1,
  -(2 ** 31) + 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  1e21,
  0.1,
  -82.758,
  5e-324,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0n,
  -7n,
  2147483647n,
  2147483648n,
  -2147483648n,
  -(2n ** 63n),
  2n ** 64n,
  true,
  false,
  new Decimal(0n, 2),
  new Decimal(5n, 3),
  new Decimal(-5n, 3),
  new Decimal(123456n, 2),
  new Decimal(-123456n, 0),
  new Decimal(9007199254740991n, 4),
  new Decimal(-9007199254740991n, 9),
  new Decimal(9007199254740992n, 2),
  new Decimal(12345678901234567890n, 12),
  new Decimal(42n, -2),
  new LocalDate(2024, 2, 29),
  new LocalDate(0, 1, 1),
  new LocalDate(9999, 12, 31),
  new LocalDate(10000, 1, 1),
  new LocalDateTime(new LocalDate(2024, 6, 10), new LocalTime(7, 5, 3, 0)),
  new LocalDateTime(new LocalDate(2024, 6, 10), new LocalTime(0, 0, 0, 120_000_000)),
  new LocalDateTime(new LocalDate(1, 1, 1), new LocalTime(23, 59, 59, 5)),
  new LocalDateTime(new LocalDate(2024, 6, 10), new LocalTime(12, 0, 0, 999_999_999)),
  new LocalTime(1, 2, 3, 400),
  new Uint8Array([0, 92, 255]),
  [1, null, "a b"],
  new Map([["k", 1]]),
];

describe("CopyBytes", () => {
  test("every edge value is written as copyLine writes it", () => {
    for (const v of EDGES) {
      same([v]);
    }
    same(EDGES);
  });

  test("random rows of every kind of value", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const value = (): unknown => {
      switch (rnd(7)) {
        case 0:
          return String.fromCharCode(
            ...Array.from({ length: rnd(12) }, () => [9, 10, 13, 92, 65 + rnd(26), 233, 0x4e2d][rnd(7)]!),
          );
        case 1:
          return (rnd(2) ? -1 : 1) * rnd(2 ** 31) * 10 ** (rnd(8) - 4);
        case 2:
          return BigInt(rnd(2 ** 31)) * BigInt(rnd(2 ** 31)) * (rnd(2) ? -1n : 1n);
        case 3:
          return new Decimal(BigInt(rnd(2 ** 31)) * BigInt(rnd(2 ** 24)) * (rnd(2) ? -1n : 1n), rnd(12));
        case 4:
          return new LocalDateTime(
            new LocalDate(rnd(10000), 1 + rnd(12), 1 + rnd(28)),
            new LocalTime(rnd(24), rnd(60), rnd(60), rnd(3) ? 0 : rnd(1e9)),
          );
        case 5:
          return rnd(2) === 0;
        default:
          return null;
      }
    };
    for (let i = 0; i < 20_000; i++) {
      same(Array.from({ length: 1 + rnd(8) }, value));
    }
  });

  test("writers by column type give the same text, and a value of another kind than its column's too", () => {
    const types = [
      "string",
      "int",
      "bigint",
      "double",
      "decimal(20, 4)",
      "timestamp",
      "date",
      "boolean",
      "float",
      "smallint",
    ];
    const writers = valueWriters(types.map((t) => parseType(t)));
    for (const v of EDGES) {
      same(
        types.map(() => v),
        writers,
      );
    }
    same(["s", 7, 7n, 0.25, new Decimal(12345n, 4), EDGES[52], EDGES[48], true, 1.5, -3], writers);
  });

  test("doubles written from their digits are the numbers' shortest text", () => {
    const out = new CopyBytes();
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
    const check = (v: number) => {
      out.n = 0;
      out.double(v);
      expect(dec.decode(out.bytes.subarray(0, out.n))).toBe(Object.is(v, -0) ? "-0" : String(v));
    };
    for (let i = 0; i < 200_000; i++) {
      const frac = Math.floor(rnd() * 8);
      const whole = Math.floor(rnd() * 10 ** Math.floor(rnd() * 17));
      check(Number(`${rnd() < 0.5 ? "-" : ""}${whole}.${String(Math.floor(rnd() * 10 ** frac)).padStart(frac, "0")}`));
      check(rnd() * 10 ** (Math.floor(rnd() * 30) - 10));
    }
    for (const v of [0.1, 0.3, 1e-6, 5e-7, 2 ** 52 + 0.5, 4503599627370495.5, 1e15 - 0.5, 3e9, -0, 2 ** 31 + 0.5]) {
      check(v);
    }
  });

  test("grows past its first buffer", () => {
    const out = new CopyBytes();
    const long = "x".repeat(200_000);
    out.row([long, "é".repeat(50_000)]);
    expect(out.n).toBe(200_000 + 1 + 100_000 + 1);
  });
});
