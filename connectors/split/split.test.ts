import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { configError, createTransform, rowOf, table } from "../../src/api/testing.ts";
import { splitTransform as def } from "./index.ts";

const fake = table("fake", [
  ["name", T.string],
  ["age", T.int],
]);
const split = (body: string, values: unknown[]) =>
  createTransform(def, body, [fake])
    .process(values.map((v) => rowOf("fake", [v, 1])))
    .map((r) => r.fields.slice(2));

describe("Split", () => {
  test("appends STRING fields of length 200 with the parts", () => {
    const t = createTransform(def, `separator = " "\nsplit_field = name\noutput_fields = [first, second]`, [fake]);
    expect(t.outputs[0]!.columns.slice(2)).toEqual([
      { name: "first", type: T.string, nullable: true, columnLength: 200, comment: "" },
      { name: "second", type: T.string, nullable: true, columnLength: 200, comment: "" },
    ]);
    expect(t.process([rowOf("fake", ["Joy Ding", 20])])[0]!.fields).toEqual(["Joy Ding", 20, "Joy", "Ding"]);
  });

  test("the last output gets the rest, missing parts and null input give nulls", () => {
    const body = `separator = ","\nsplit_field = name\noutput_fields = [a, b]`;
    expect(split(body, ["x,y,z", "x", null, "", ",y"])).toEqual([
      ["x", "y,z"],
      ["x", null],
      [null, null],
      ["", null],
      ["", "y"],
    ]);
  });

  test("the separator is a Java regex and trailing empty parts are kept", () => {
    expect(split(`separator = "\\\\|"\nsplit_field = name\noutput_fields = [a, b, c]`, ["a|b|"])).toEqual([
      ["a", "b", ""],
    ]);
  });

  test("a non-string field is split in its Java text", () => {
    const t = createTransform(def, `separator = "1"\nsplit_field = age\noutput_fields = [f1, f2]`, [fake]);
    expect(t.process([rowOf("fake", ["x", 2131])])[0]!.fields.slice(2)).toEqual(["2", "31"]);
  });

  test("unknown field, duplicate outputs and a bad separator fail at plan time", () => {
    expect(
      configError(() => createTransform(def, `separator = " "\nsplit_field = nme\noutput_fields = [a]`, [fake])).code,
    ).toBe("CONFIG_FIELD_NOT_FOUND");
    expect(
      configError(() => createTransform(def, `separator = " "\nsplit_field = name\noutput_fields = [a, a]`, [fake]))
        .message,
    ).toContain(`names "a" twice`);
    expect(
      configError(() => createTransform(def, `separator = "("\nsplit_field = name\noutput_fields = [a]`, [fake]))
        .message,
    ).toContain(`option "separator"`);
  });
});
