import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { filterTransform as def } from "./index.ts";

const fake = table(
  "fake",
  [
    ["name", T.string],
    ["age", T.int],
    ["card", T.int],
  ],
  {
    primaryKey: { name: "pk", columnNames: ["card"] },
    constraintKeys: [
      {
        constraintName: "uk",
        constraintType: "UNIQUE_KEY",
        constraintColumns: [{ columnName: "age", sortType: "ASC" }],
      },
    ],
  },
);

describe("Filter", () => {
  test("include_fields keeps the listed fields in the listed order", () => {
    const t = createTransform(def, `include_fields = [card, name]`, [fake]);
    expect(t.outputs[0]!.columns.map((c) => c.name)).toEqual(["card", "name"]);
    expect(t.outputs[0]!.primaryKey?.columnNames).toEqual(["card"]);
    expect(t.outputs[0]!.constraintKeys).toEqual([]);
    expect(t.process([rowOf("fake", ["Joy", 20, 123])])).toEqual([rowOf("fake", [123, "Joy"])]);
  });

  test("exclude_fields removes the listed fields and keeps input order", () => {
    const t = createTransform(def, `exclude_fields = [age]`, [fake]);
    expect(t.outputs[0]!.columns.map((c) => c.name)).toEqual(["name", "card"]);
    expect(t.process([rowOf("fake", ["Joy", 20, 123])])).toEqual([rowOf("fake", ["Joy", 123])]);
  });

  test("the old key fields still works as include_fields, with a deprecation warning", () => {
    const res = parseBlock(def, `fields = ["age", "name"]`);
    expect(res.errors).toEqual([]);
    expect(res.warnings[0]!.message).toContain(`option "fields" is deprecated; please use "include_fields"`);
    expect(res.values.include_fields).toEqual(["age", "name"]);
  });

  test("include_fields and exclude_fields cannot be used together, and one is required", () => {
    expect(parseBlock(def, `include_fields = [a]\nexclude_fields = [b]`).errors[0]!.code).toBe(
      "CONFIG_OPTION_CONFLICT",
    );
    expect(parseBlock(def, ``).errors[0]!.code).toBe("CONFIG_OPTION_MISSING");
  });

  test("an unknown field fails at plan time with a suggestion", () => {
    const e = configError(() => createTransform(def, `exclude_fields = [agee]`, [fake]));
    expect(e.message).toContain(`names field "agee", which table "fake" does not have; did you mean "age"?`);
  });

  test("keeping every field in order passes rows through unchanged", () => {
    const t = createTransform(def, `include_fields = [name, age, card]`, [fake]);
    const rows = [rowOf("fake", ["a", 1, 2])];
    expect(t.process(rows)).toBe(rows);
  });
});
