import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { createTransform, rowOf, table } from "../../src/api/testing.ts";
import { tableRenameTransform as def } from "./index.ts";

const shop = table("source.user_shop", [["id", T.int]]);
const order = table("source.user_order", [["id", T.int]]);

describe("TableRename", () => {
  test("renames every table and re-tags its rows as SeaTunnel's example does", () => {
    const t = createTransform(
      def,
      `convert_case = "UPPER"\nprefix = "CDC_"\nsuffix = "_TABLE"\nreplacements_with_regex = [ { replace_from = "user", replace_to = "U" } ]`,
      [shop, order],
    );
    expect(t.outputs.map((o) => o.id)).toEqual(["SOURCE.CDC_U_SHOP_TABLE", "SOURCE.CDC_U_ORDER_TABLE"]);
    expect(t.outputs[0]!.path).toEqual({ database: "SOURCE", table: "CDC_U_SHOP_TABLE" });
    const input = [rowOf("source.user_shop", [1]), rowOf("source.user_order", [2])];
    const out = t.process(input);
    expect(out.map((r) => r.table)).toEqual(["SOURCE.CDC_U_SHOP_TABLE", "SOURCE.CDC_U_ORDER_TABLE"]);
    expect(out[0]!.fields).toBe(input[0]!.fields);
    expect(input[0]!.table).toBe("source.user_shop");
  });

  test("lower-cases and renames only the tables table_match_regex selects", () => {
    const t = createTransform(def, `table_match_regex = "(?i).*shop"\nconvert_case = LOWER\nsuffix = "_t"`, [
      table("SRC.SHOP", [["id", T.int]]),
      order,
    ]);
    expect(t.outputs.map((o) => o.id)).toEqual(["src.shop_t", "source.user_order"]);
    const rows = [rowOf("source.user_order", [1])];
    expect(t.process(rows)[0]).toBe(rows[0]!);
  });

  test("a single-table input renames whatever rows arrive", () => {
    const t = createTransform(def, `prefix = "x_"`, [table("fake", [["id", T.int]])]);
    expect(t.outputs[0]!.id).toBe("x_fake");
    expect(t.process([rowOf("fake", [1])])[0]!.table).toBe("x_fake");
  });
});
