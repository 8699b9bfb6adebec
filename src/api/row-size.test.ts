import { describe, expect, test } from "bun:test";
import { type Row, RowKind } from "./row.ts";
import { batchBytes, rowBytes } from "./row-size.ts";

const row = (fields: unknown[]): Row => ({ kind: RowKind.INSERT, table: "t", fields });

describe("row sizes, as SeaTunnel counts its bytes", () => {
  test("a string its length, numbers 8, booleans 1, bytes their length, null 0, arrays and maps their parts", () => {
    expect(rowBytes(row(["abcd", 1, 2n, true, null, new Uint8Array(5)]))).toBe(4 + 8 + 8 + 1 + 0 + 5);
    expect(rowBytes(row([["ab", "c"], new Map([["k", 1]])]))).toBe(3 + 1 + 8);
  });

  test("a small batch exactly; a large one from its sample, exact when its rows are alike", () => {
    expect(batchBytes([row(["a"]), row(["bcd"])])).toBe(4);
    const alike = Array.from({ length: 1000 }, (_, i) => row([i, "xxxxxxxxxx"]));
    expect(batchBytes(alike)).toBe(18_000);
    // Rows of every width from 0 to 99 characters: the sample's mean is near the batch's.
    const mixed = Array.from({ length: 1000 }, (_, i) => row(["y".repeat(i % 100)]));
    const exact = mixed.reduce((n, r) => n + rowBytes(r), 0);
    expect(Math.abs(batchBytes(mixed) - exact) / exact).toBeLessThan(0.1);
  });
});
