import { describe, expect, test } from "bun:test";
import { type OptionValues, opt } from "./options.ts";
import { blockListOption, blockOption } from "./parse-options.ts";
import { optionsOf, parseBlock } from "./testing.ts";
import { defineTransform } from "./connector.ts";

const spec = {
  free: opt.int({ doc: "no default, not required" }),
  given: opt.int({ doc: "with a default", default: 5 }),
  needed: opt.string({ doc: "required", required: true }),
  kinds: opt.list({ of: "string", doc: "a list without a default" }),
};
type Values = OptionValues<typeof spec>;

// Compile-time checks (make typecheck): an option with neither a default nor `required: true` may be absent.
const absent: Values["free"] = undefined;
const alsoAbsent: Values["kinds"] = undefined;
// @ts-expect-error an option with a default always has a value
const neverAbsent: Values["given"] = undefined;
// @ts-expect-error a required option always has a value
const requiredAbsent: Values["needed"] = undefined;

const def = defineTransform({
  name: "TypedOptions",
  doc: "Test transform for option typing",
  options: spec,
  features: { batch: true },
  examples: [],
  create: () => ({ outputs: [], process: (rows) => rows }),
});

describe("option values", () => {
  test("an option without default or requirement is undefined when not written; a default fills in", () => {
    const v = optionsOf<Values>(def, `needed = x`);
    expect(v.free).toBeUndefined();
    expect(v.kinds).toBeUndefined();
    expect(v.given).toBe(5);
    expect(v.needed).toBe("x");
    expect([absent, alsoAbsent, neverAbsent, requiredAbsent]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

const columns = {
  name: opt.string({ doc: "column name", required: true }),
  width: opt.int({ doc: "width", default: 10, min: 1 }),
};
const blocks = defineTransform({
  name: "Blocks",
  doc: "Test transform for nested option blocks",
  options: {
    layout: blockOption("layout", { doc: "one nested block", options: columns }),
    columns: blockListOption("columns", { doc: "a list of blocks", options: columns }),
  },
  features: { batch: true },
  examples: [],
  create: () => ({ outputs: [], process: (rows) => rows }),
});

describe("nested option blocks", () => {
  test("a block and a list of blocks are parsed with their own spec: defaults, coercion", () => {
    const v = optionsOf(blocks, `layout { name = a }\ncolumns = [ { name = b, width = "3" }, { name = c } ]`);
    expect(v).toEqual({
      layout: { name: "a", width: 10 },
      columns: [
        { name: "b", width: 3 },
        { name: "c", width: 10 },
      ],
    });
  });

  test("a bad value, a missing key or an unknown key inside an item is an error at its own position", () => {
    const errors = (body: string) => parseBlock(blocks, body).errors.map((e) => e.format());
    expect(errors(`columns = [ { name = b }, { name = c, width = 0 } ]`)[0]).toMatch(
      /^error\[CONFIG_OPTION_INVALID\]: job\.conf:3:47 option "columns"\[1\]: option "width" expects an integer >= 1/,
    );
    expect(errors(`layout { width = 2 }`)[0]).toContain(`option "layout": option "name" is required`);
    expect(errors(`columns = [ { name = b, wdth = 2 } ]`)[0]).toContain(
      `option "columns"[0]: option "wdth" is not a known option; did you mean "width"?`,
    );
    expect(errors(`columns = [ 5 ]`)[0]).toContain(`item 0 is`);
  });
});

const either = defineTransform({
  name: "Either",
  doc: "Test transform for requiredUnless",
  options: { path: opt.string({ doc: "a path" }), many: opt.list({ of: "string", doc: "several paths" }) },
  // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
  rules: [{ requiredUnless: "many", then: ["path"] }],
  features: { batch: true },
  examples: [],
  create: () => ({ outputs: [], process: (rows) => rows }),
});

describe("rule requiredUnless", () => {
  test("the options are required unless the key is written", () => {
    const errors = (body: string) => parseBlock(either, body).errors.map((e) => e.format());
    expect(errors("")).toEqual([
      'error[CONFIG_OPTION_MISSING]: job.conf:2:10 transform Either: option "path" is required unless "many" is set (a string): a path',
    ]);
    expect(errors(`path = a`)).toEqual([]);
    expect(errors(`many = [a, b]`)).toEqual([]);
  });
});
