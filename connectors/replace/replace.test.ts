import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { replaceTransform as def } from "./index.ts";

const fake = table("fake", [
  ["id", T.int],
  ["name", T.string],
]);
const run = (body: string, values: unknown[]) =>
  createTransform(def, body, [fake])
    .process(values.map((v) => rowOf("fake", [1, v])))
    .map((r) => r.fields[1]);

describe("Replace", () => {
  test("literal mode replaces every occurrence, even of regex characters", () => {
    expect(run(`replace_field = name\npattern = "."\nreplacement = "_"`, ["a.b.c", "abc"])).toEqual(["a_b_c", "abc"]);
  });

  test("regex mode replaces every match, or only the first with replace_first", () => {
    expect(run(`replace_field = name\npattern = " "\nreplacement = "_"\nis_regex = true`, ["Joy Ding Dong"])).toEqual([
      "Joy_Ding_Dong",
    ]);
    expect(
      run(`replace_field = name\npattern = ".+"\nreplacement = "b"\nis_regex = true\nreplace_first = true`, [
        "anything",
      ]),
    ).toEqual(["b"]);
    expect(
      run(`replace_field = name\npattern = "o"\nreplacement = "0"\nis_regex = true\nreplace_first = true`, ["foo"]),
    ).toEqual(["f0o"]);
  });

  test("Java replacement syntax: groups with $n, a literal dollar with \\\\$", () => {
    expect(
      run(`replace_field = name\npattern = "(\\\\w+) (\\\\w+)"\nreplacement = "$2 $1 \\\\$"\nis_regex = true`, [
        "Joy Ding",
      ]),
    ).toEqual(["Ding Joy $"]);
    expect(run(`replace_field = name\npattern = "a"\nreplacement = "$&"`, ["a"])).toEqual(["$&"]);
  });

  test("null stays null and an unchanged row passes on as the same object", () => {
    const t = createTransform(def, `replace_field = name\npattern = x\nreplacement = y`, [fake]);
    const rows = [rowOf("fake", [1, null]), rowOf("fake", [2, "abc"])];
    const out = t.process(rows);
    expect(out[0]).toBe(rows[0]!);
    expect(out[1]).toBe(rows[1]!);
    expect(t.outputs[0]!.columns).toEqual(fake.columns);
  });

  test("a non-string field is replaced in its Java text and becomes STRING", () => {
    const t = createTransform(def, `replace_field = id\npattern = "1"\nreplacement = "one"`, [fake]);
    expect(t.outputs[0]!.columns[0]!.type).toEqual(T.string);
    expect(t.process([rowOf("fake", [12, "x"])])[0]!.fields).toEqual(["one2", "x"]);
  });

  test("bad fields, patterns and group references fail at plan time", () => {
    expect(
      configError(() => createTransform(def, `replace_field = nam\npattern = a\nreplacement = b`, [fake])).message,
    ).toContain(`did you mean "name"?`);
    expect(
      configError(() =>
        createTransform(def, `replace_field = name\npattern = "(a"\nreplacement = b\nis_regex = true`, [fake]),
      ).message,
    ).toContain("invalid regular expression");
    expect(
      configError(() =>
        createTransform(def, `replace_field = name\npattern = "a"\nreplacement = "$1"\nis_regex = true`, [fake]),
      ).message,
    ).toContain("refers to group 1");
    expect(parseBlock(def, `replace_field = name`).errors.map((e) => e.code)).toEqual([
      "CONFIG_OPTION_MISSING",
      "CONFIG_OPTION_MISSING",
    ]);
  });
});
