import { describe, expect, test } from "bun:test";
import { ConfigError } from "../api/errors.ts";
import { parseJson } from "./json.ts";
import { readJob } from "./read.ts";
import { getEntry, toPlain } from "../api/tree.ts";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const job = `{
  "env": { "job.mode": "BATCH", "big": 9223372036854775807 },
  "source": [ { "plugin_name": "FakeSource", "row.num": 5 } ],
  "sink": [ { "plugin_name": "Console" } ]
}`;

describe("json", () => {
  test("a JSON job reads into the tree with exact numbers and flat dotted keys", () => {
    const root = parseJson(job, "job.json");
    expect(toPlain(root)).toEqual({
      env: { "job.mode": "BATCH", big: "9223372036854775807" },
      source: [{ plugin_name: "FakeSource", "row.num": 5 }],
      sink: [{ plugin_name: "Console" }],
    });
    const env = getEntry(root, "env")!;
    expect(env.keyPos).toEqual({ file: "job.json", line: 2, col: 3 });
    if (env.value.kind !== "object") {
      throw new Error("env");
    }
    expect(getEntry(env.value, "big")!.value).toMatchObject({
      type: "number",
      text: "9223372036854775807",
      pos: { line: 2, col: 40 },
    });
  });

  test("plugin sections written as objects are converted like HOCON", () => {
    expect(toPlain(parseJson('{"source": {"FakeSource": {"a": 1}, "X": {"plugin_name": "Y"}}}', "j.json"))).toEqual({
      source: [{ plugin_name: "FakeSource", a: 1 }, { plugin_name: "Y" }],
    });
  });

  test("syntax errors carry the position of the offending character", () => {
    const e = errorOf(() => parseJson('{\n  "a": 1,\n  "b" 2\n}', "j.json"));
    expect(e.format()).toBe('error[CONFIG_SYNTAX]: j.json:3:7 expected ":" after the key "b", found "2"');
    expect(errorOf(() => parseJson('{"a": [1, 2', "j.json")).message).toBe(
      'expected "," or "]" in the list opened at 1:7, found end of file',
    );
    expect(errorOf(() => parseJson('{"a": 1,}', "j.json")).message).toBe(
      'expected a quoted key after ",", found "}" (JSON allows no comma after the last entry)',
    );
    expect(errorOf(() => parseJson("[]", "j.json")).message).toContain('expected "{"');
    expect(errorOf(() => parseJson('{"a": tru}', "j.json")).pos).toMatchObject({ col: 7 });
  });

  test("a repeated key is rejected with both positions", () => {
    const e = errorOf(() => parseJson('{"a": 1,\n "a": 2}', "j.json"));
    expect(e.message).toContain("first at 1:2");
    expect(e.pos).toMatchObject({ line: 2, col: 2 });
  });

  test("deep nesting is a ConfigError", () => {
    expect(errorOf(() => parseJson(`{"a": ${"[".repeat(5000)}`, "j.json")).message).toContain("levels of nested");
  });

  test("readJob picks the JSON reader by extension and fills -i placeholders", async () => {
    const root = await readJob('{"source": [{"plugin_name": "S", "q": "${x}"}], "sink": []}', "job.JSON", {
      variables: new Map([["x", "1"]]),
      env: {},
    });
    expect(toPlain(root)).toEqual({ source: [{ plugin_name: "S", q: "1" }], sink: [] });
  });
});
