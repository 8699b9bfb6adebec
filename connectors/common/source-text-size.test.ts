/** Rows that keep their source text are measured for the byte counts without being decoded. */
import { describe, expect, test } from "bun:test";
import { RowKind } from "../../src/api/index.ts";
import { batchBytes, ByteEstimator } from "../../src/api/row-size.ts";
import { LazyRow } from "./source-text.ts";

describe("rows that keep their source text", () => {
  test("are measured from their text, never decoded (a writer may still write the text as read)", async () => {
    let decoded = 0;
    const codec = {
      decode: (raw: unknown) => {
        decoded++;
        return String(raw).split("\t");
      },
    };
    const rows = Array.from({ length: 100 }, (_, i) => new LazyRow(RowKind.INSERT, "t", `${i}\tname ${i}`, codec));
    const exact = rows.reduce((n, r) => n + r.byteSize(), 0);
    expect(new ByteEstimator().add(rows)).toBeGreaterThan(exact * 0.9);
    expect(batchBytes(rows.slice(0, 10))).toBe(rows.slice(0, 10).reduce((n, r) => n + r.byteSize(), 0));
    expect(decoded).toBe(0);
    // Once its fields are read, it is measured from its values.
    expect(rows[5]!.fields).toEqual(["5", "name 5"]);
    expect(rows[5]!.byteSize()).toBe(1 + 6);
  });
});
