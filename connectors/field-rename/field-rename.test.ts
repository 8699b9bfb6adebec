import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { fieldRenameTransform as def } from "./index.ts";

const users = table(
  "source.user_shop",
  [
    ["id", T.int],
    ["name", T.string],
    ["create_time", T.timestamp],
  ],
  {
    primaryKey: { name: "pk", columnNames: ["id"] },
    constraintKeys: [
      {
        constraintName: "uk",
        constraintType: "UNIQUE_KEY",
        constraintColumns: [{ columnName: "name", sortType: "ASC" }],
      },
    ],
  },
);
const names = (body: string) => createTransform(def, body, [users]).outputs[0]!.columns.map((c) => c.name);

describe("FieldRename", () => {
  test("upper-cases, replaces, and adds prefix and suffix as SeaTunnel's example does", () => {
    const body = `convert_case = "UPPER"\nprefix = "F_"\nsuffix = "_S"\nreplacements_with_regex = [ { replace_from = "create_time", replace_to = "SOURCE_CREATE_TIME" } ]`;
    expect(names(body)).toEqual(["F_ID_S", "F_NAME_S", "F_SOURCE_CREATE_TIME_S"]);
  });

  test("renames key columns too and passes rows through as the same objects", () => {
    const t = createTransform(def, `convert_case = UPPER`, [users]);
    expect(t.outputs[0]!.primaryKey).toEqual({ name: "pk", columnNames: ["ID"] });
    expect(t.outputs[0]!.constraintKeys![0]!.constraintColumns[0]!.columnName).toBe("NAME");
    const rows = [rowOf("source.user_shop", [1, "a", null])];
    expect(t.process(rows)).toBe(rows);
  });

  test("the last matching rule wins and replaces every match; is_regex = false needs the whole name", () => {
    expect(
      names(
        `replacements_with_regex = [ { replace_from = "e", replace_to = "E" }, { replace_from = "_", replace_to = "-" } ]`,
      ),
    ).toEqual(["id", "namE", "create-time"]);
    expect(
      names(
        `replacements_with_regex = [ { replace_from = "name", replace_to = "n", is_regex = false }, { replace_from = "nam", replace_to = "x", is_regex = false } ]`,
      ),
    ).toEqual(["id", "n", "create_time"]);
  });

  test("specific pairs win over every other rule", () => {
    expect(
      names(`convert_case = LOWER\nprefix = p_\nspecific = [ { field_name = "id", target_name = "user_id" } ]`),
    ).toEqual(["user_id", "p_name", "p_create_time"]);
  });

  test("two fields renamed to one name and bad rules are errors", () => {
    expect(
      configError(() => createTransform(def, `specific = [ { field_name = id, target_name = name } ]`, [users]))
        .message,
    ).toContain(`would both be renamed to "name"`);
    expect(
      parseBlock(def, `replacements_with_regex = [ { replace_form = a, replace_to = b } ]`).errors[0]!.message,
    ).toContain(`did you mean "replace_from"?`);
    expect(
      configError(() =>
        createTransform(def, `replacements_with_regex = [ { replace_from = "(", replace_to = b } ]`, [users]),
      ).message,
    ).toContain("invalid regular expression");
  });
});
