import { describe, expect, test } from "bun:test";
import { RowKind, T } from "../../src/api/index.ts";
import { configError, createTransform, rowOf, table } from "../../src/api/testing.ts";
import { rowKindExtractorTransform as def } from "./index.ts";

const fake = table("fake", [
  ["pk_id", T.bigint],
  ["name", T.string],
]);
const rows = [
  rowOf("fake", [1n, "A"]),
  rowOf("fake", [1n, "A"], RowKind.UPDATE_BEFORE),
  rowOf("fake", [1n, "F"], RowKind.UPDATE_AFTER),
  rowOf("fake", [1n, "F"], RowKind.DELETE),
];

describe("RowKindExtractor", () => {
  test("appends the short kind as row_kind by default and makes every row an INSERT", () => {
    const t = createTransform(def, ``, [fake]);
    expect(t.outputs[0]!.columns[2]).toEqual({
      name: "row_kind",
      type: T.string,
      nullable: false,
      columnLength: 13,
      defaultValue: "+I",
      comment: "Output column of RowKind",
    });
    const out = t.process(rows);
    expect(out.map((r) => r.fields[2])).toEqual(["+I", "-U", "+U", "-D"]);
    expect(out.every((r) => r.kind === RowKind.INSERT)).toBe(true);
    expect(rows[3]!.kind).toBe(RowKind.DELETE);
  });

  test("FULL writes the kind names into custom_field_name", () => {
    const t = createTransform(def, `custom_field_name = "custom_name"\ntransform_type = full`, [fake]);
    expect(t.outputs[0]!.columns[2]!.name).toBe("custom_name");
    expect(t.process(rows).map((r) => r.fields[2])).toEqual(["INSERT", "UPDATE_BEFORE", "UPDATE_AFTER", "DELETE"]);
  });

  test("a field name that already exists fails at plan time", () => {
    expect(configError(() => createTransform(def, `custom_field_name = name`, [fake])).message).toContain(
      "field name name already exists",
    );
  });
});
