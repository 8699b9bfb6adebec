import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { createTransform, rowOf, table } from "../../src/api/testing.ts";
import { tableFilterTransform as def } from "./index.ts";

const u1 = table("test.user_1", [["id", T.int]]);
const u2 = table("test.user_22", [["id", T.int]]);
const shop = table("test.shop", [["id", T.int]]);
const other = table("prod.user_3", [["id", T.int]]);
const all = [u1, u2, shop, other];
const rows = all.map((t, i) => rowOf(t.id, [i]));

describe("TableFilter", () => {
  test("INCLUDE keeps only the tables whose names fully match", () => {
    const t = createTransform(def, `database_pattern = "test"\ntable_pattern = "user_\\\\d+"`, all);
    expect(t.outputs.map((o) => o.id)).toEqual(["test.user_1", "test.user_22"]);
    const out = t.process(rows);
    expect(out.map((r) => r.table)).toEqual(["test.user_1", "test.user_22"]);
    expect(out[0]).toBe(rows[0]!);
  });

  test("EXCLUDE drops the matching tables", () => {
    const t = createTransform(
      def,
      `database_pattern = "test"\ntable_pattern = "user_\\\\d+"\npattern_mode = "EXCLUDE"`,
      all,
    );
    expect(t.outputs.map((o) => o.id)).toEqual(["test.shop", "prod.user_3"]);
    expect(t.process(rows).map((r) => r.table)).toEqual(["test.shop", "prod.user_3"]);
  });

  test("without patterns INCLUDE keeps everything and EXCLUDE drops everything", () => {
    expect(createTransform(def, ``, all).outputs).toHaveLength(4);
    const t = createTransform(def, `pattern_mode = EXCLUDE`, all);
    expect(t.outputs).toEqual([]);
    expect(t.process(rows)).toEqual([]);
  });
});
