import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { copyTransform as def } from "./index.ts";

const fake = table("fake", [
  ["name", T.string],
  ["age", T.int],
]);

describe("Copy", () => {
  test("fields appends copies in the written order with the source column's type", () => {
    const t = createTransform(def, `fields { name1 = name, name2 = name, age1 = age }`, [fake]);
    expect(t.outputs[0]!.columns.map((c) => `${c.name}:${c.type.kind}`)).toEqual([
      "name:string",
      "age:int",
      "name1:string",
      "name2:string",
      "age1:int",
    ]);
    const input = rowOf("fake", ["Joy", 20]);
    expect(t.process([input])[0]!.fields).toEqual(["Joy", 20, "Joy", "Joy", 20]);
    expect(input.fields).toEqual(["Joy", 20]);
  });

  test("src_field and dest_field copy one field", () => {
    const t = createTransform(def, `src_field = "name"\ndest_field = "name1"`, [fake]);
    expect(t.process([rowOf("fake", ["Joy", 20])])[0]!.fields).toEqual(["Joy", 20, "Joy"]);
  });

  test("a copy named like an existing field replaces it in place", () => {
    const t = createTransform(def, `fields { age = name }`, [fake]);
    expect(t.outputs[0]!.columns.map((c) => `${c.name}:${c.type.kind}`)).toEqual(["name:string", "age:string"]);
    expect(t.process([rowOf("fake", ["Joy", 20])])[0]!.fields).toEqual(["Joy", "Joy"]);
  });

  test("src_field without dest_field, nothing to copy, or an unknown source are errors", () => {
    expect(parseBlock(def, `src_field = name`).errors[0]!.message).toContain(`go together; missing "dest_field"`);
    expect(configError(() => createTransform(def, ``, [fake])).message).toContain("set fields");
    expect(configError(() => createTransform(def, `fields { x = nme }`, [fake])).message).toContain(
      `did you mean "name"?`,
    );
  });

  test("table_transform items may name their table with the older tablePath key", () => {
    const a = table("test.table1", [["id", T.int]]);
    const b = table("test.table2", [["name", T.string]]);
    const t = createTransform(
      def,
      `table_match_regex = "none"\ntable_transform = [ { tablePath = "test.table1", fields { id_1 = id } }, { table_path = "test.table2", fields { name_2 = name } } ]`,
      [a, b],
    );
    expect(t.outputs.map((o) => o.columns.map((c) => c.name))).toEqual([
      ["id", "id_1"],
      ["name", "name_2"],
    ]);
  });
});
