import { describe, expect, test } from "bun:test";
import { T, type DataType } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { tableMergeTransform as def } from "./index.ts";

const cols: [string, DataType][] = [
  ["id", T.int],
  ["name", T.string],
];
const u1 = table("source.user_1", cols);
const u2 = table("source.user_2", cols);
const shop = table("source.shop", [["id", T.int]]);

describe("TableMerge", () => {
  test("merges the matched tables into one, listed after the tables it leaves alone", () => {
    const t = createTransform(
      def,
      `table_match_regex = "source\\\\.user_.*"\ndatabase = "user_db"\ntable = "user_all"`,
      [u1, shop, u2],
    );
    expect(t.outputs.map((o) => o.id)).toEqual(["source.shop", "user_db.user_all"]);
    expect(t.outputs[1]!.columns).toEqual(u1.columns);
    const out = t.process([
      rowOf("source.user_1", [1, "a"]),
      rowOf("source.shop", [2]),
      rowOf("source.user_2", [3, "b"]),
    ]);
    expect(out.map((r) => r.table)).toEqual(["user_db.user_all", "source.shop", "user_db.user_all"]);
  });

  test("tables with different fields cannot be merged", () => {
    const e = configError(() => createTransform(def, `table = "all"`, [u1, shop]));
    expect(e.message).toContain(
      "The schema of the tables to be merged must be the same. The schema of the table source.user_1 (id INT, name STRING) is different from the schema of the table source.shop (id INT)",
    );
  });

  test("table is required", () => {
    expect(parseBlock(def, `database = x`).errors[0]!.message).toContain(`option "table" is required`);
  });
});
