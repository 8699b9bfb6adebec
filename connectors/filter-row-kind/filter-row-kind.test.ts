import { describe, expect, test } from "bun:test";
import { RowKind, T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { filterRowKindTransform as def } from "./index.ts";

const fake = table("fake", [["id", T.int]]);
const rows = [
  rowOf("fake", [1]),
  rowOf("fake", [2], RowKind.UPDATE_BEFORE),
  rowOf("fake", [3], RowKind.UPDATE_AFTER),
  rowOf("fake", [4], RowKind.DELETE),
];

describe("FilterRowKind", () => {
  test("exclude_kinds drops rows of those kinds and keeps the others as the same objects", () => {
    const t = createTransform(def, `exclude_kinds = ["DELETE"]`, [fake]);
    const out = t.process(rows);
    expect(out.map((r) => r.fields[0])).toEqual([1, 2, 3]);
    expect(out[0]).toBe(rows[0]!);
    expect(t.outputs[0]).toBe(fake);
  });

  test("include_kinds keeps only those kinds, names in any case", () => {
    const t = createTransform(def, `include_kinds = [insert, Update_After]`, [fake]);
    expect(t.process(rows).map((r) => r.fields[0])).toEqual([1, 3]);
  });

  test("a batch with nothing to drop comes back as the same array", () => {
    const t = createTransform(def, `exclude_kinds = [DELETE]`, [fake]);
    const batch = rows.slice(0, 3);
    expect(t.process(batch)).toBe(batch);
  });

  test("an unknown kind is an option error naming the kinds", () => {
    const e = parseBlock(def, `include_kinds = [INSERT, UPSERT]`).errors[0]!;
    expect(e.message).toContain(`"UPSERT" is not one of INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE`);
    expect(e.pos?.line).toBe(3);
  });

  test("both or neither option is an error", () => {
    expect(parseBlock(def, `include_kinds = [INSERT]\nexclude_kinds = [DELETE]`).errors[0]!.code).toBe(
      "CONFIG_OPTION_CONFLICT",
    );
    expect(parseBlock(def, ``).errors[0]!.code).toBe("CONFIG_OPTION_MISSING");
    expect(configError(() => createTransform(def, `include_kinds = []`, [fake])).message).toContain(
      "are mutually exclusive",
    );
  });
});
