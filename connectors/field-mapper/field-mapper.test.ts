import { describe, expect, test } from "bun:test";
import { RowKind, T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { fieldMapperTransform as def } from "./index.ts";

const fake = table(
  "fake",
  [
    ["id", T.int],
    ["name", T.string],
    ["age", T.int],
    ["card", T.int],
  ],
  { primaryKey: { name: "pk", columnNames: ["id"] } },
);
const MAPPER = `field_mapper = { id = id, card = card, name = new_name }`;

describe("FieldMapper", () => {
  test("keeps only the mapped fields, in map order, renamed, at plan time", () => {
    const t = createTransform(def, MAPPER, [fake]);
    expect(t.outputs[0]!.columns.map((c) => `${c.name}:${c.type.kind}`)).toEqual([
      "id:int",
      "card:int",
      "new_name:string",
    ]);
    expect(t.outputs[0]!.id).toBe("fake");
    expect(t.outputs[0]!.primaryKey).toEqual({ name: "pk", columnNames: ["id"] });
  });

  test("projects rows into new row objects and keeps kind and table", () => {
    const t = createTransform(def, MAPPER, [fake]);
    const input = [rowOf("fake", [1, "Joy", 20, 123]), rowOf("fake", [2, "May", 21, 456], RowKind.DELETE)];
    const out = t.process(input);
    expect(out).toEqual([rowOf("fake", [1, 123, "Joy"]), rowOf("fake", [2, 456, "May"], RowKind.DELETE)]);
    expect(input[0]!.fields).toEqual([1, "Joy", 20, 123]);
  });

  test("drops the primary key when its column is renamed away", () => {
    const t = createTransform(def, `field_mapper = { id = key, name = name }`, [fake]);
    expect(t.outputs[0]!.primaryKey).toBeUndefined();
  });

  test("passes rows through as the same objects when the mapping only renames", () => {
    const t = createTransform(def, `field_mapper = { id = a, name = b, age = c, card = d }`, [fake]);
    const input = [rowOf("fake", [1, "x", 2, 3])];
    expect(t.process(input)[0]).toBe(input[0]!);
    expect(t.outputs[0]!.columns.map((c) => c.name)).toEqual(["a", "b", "c", "d"]);
  });

  test("keeps integer-like keys in the written order", () => {
    const t = createTransform(def, `field_mapper = { name = "2", id = "1" }`, [fake]);
    expect(t.outputs[0]!.columns.map((c) => c.name)).toEqual(["2", "1"]);
  });

  test("a field the input lacks fails at plan time naming it, a suggestion and the fields", () => {
    const e = configError(() => createTransform(def, `field_mapper = { nmae = n, idd = i }`, [fake]));
    expect(e.code).toBe("CONFIG_FIELD_NOT_FOUND");
    expect(e.message).toBe(
      `transform FieldMapper: option "field_mapper" names fields "nmae", "idd", which table "fake" does not have; did you mean "name", "id"? (fields: id, name, age, card)`,
    );
  });

  test("two fields mapped to one name fail at plan time", () => {
    expect(configError(() => createTransform(def, `field_mapper = { id = x, name = x }`, [fake])).message).toContain(
      `maps two fields to "x"`,
    );
  });

  test("field_mapper is required", () => {
    expect(parseBlock(def, "").errors[0]!.message).toContain(`option "field_mapper" is required`);
  });

  test("maps each table of a multi-table input with its own table_transform rule", () => {
    const a = table("test.a", [
      ["id", T.int],
      ["name", T.string],
    ]);
    const b = table("test.b", [
      ["id", T.int],
      ["name", T.string],
    ]);
    const c = table("other.c", [["x", T.int]]);
    const t = createTransform(
      def,
      `table_match_regex = "test\\\\..*"\nfield_mapper = { name = n }\ntable_transform = [ { table_path = "test.b", field_mapper = { id = i } } ]`,
      [a, b, c],
    );
    expect(t.outputs.map((o) => o.columns.map((x) => x.name))).toEqual([["n"], ["i"], ["x"]]);
    const rows = [rowOf("test.a", [1, "A"]), rowOf("test.b", [2, "B"]), rowOf("other.c", [3])];
    const out = t.process(rows);
    expect(out.map((r) => r.fields)).toEqual([["A"], [2], [3]]);
    expect(out[2]).toBe(rows[2]!);
  });

  test("a table_transform item is checked like the block itself", () => {
    const errors = parseBlock(def, `field_mapper = { a = b }\ntable_transform = [ { table_path = "x.y" } ]`).errors;
    expect(errors[0]!.message).toContain(`table_transform[0] (x.y): option "field_mapper" is required`);
  });
});

describe("FieldMapper over several tables (src/api/multi-table.ts)", () => {
  test("table_transform wins over table_match_regex, unselected tables pass through", () => {
    const a = table("db.a", [
      ["x", T.int],
      ["y", T.int],
    ]);
    const b = table("db.b", [
      ["x", T.int],
      ["y", T.int],
    ]);
    const c = table("other.c", [
      ["x", T.int],
      ["y", T.int],
    ]);
    const t = createTransform(
      def,
      `table_match_regex = "db\\\\..*"\nfield_mapper { x = x }\ntable_transform = [ { table_path = "db.b", field_mapper { y = y } } ]`,
      [a, b, c],
    );
    expect(t.outputs.map((o) => o.columns.map((col) => col.name))).toEqual([["x"], ["y"], ["x", "y"]]);
  });

  test("an unknown key or a missing table_path in a table_transform item is an error; a bad regex fails the plan", () => {
    expect(
      parseBlock(
        def,
        `field_mapper { x = x }\ntable_transform = [ { table_path = a, field_mapper { x = y }, tabel_match = 1 } ]`,
      ).errors[0]!.message,
    ).toContain(`"tabel_match" is not a known option`);
    expect(
      parseBlock(def, `field_mapper { x = x }\ntable_transform = [ { field_mapper { x = y } } ]`).errors[0]!.message,
    ).toContain("needs table_path");
    expect(
      configError(() =>
        createTransform(def, `field_mapper { x = x }\ntable_match_regex = "("`, [table("t", [["x", T.int]])]),
      ).message,
    ).toContain(`option "table_match_regex"`);
  });
});
