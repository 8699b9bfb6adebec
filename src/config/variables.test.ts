import { describe, expect, test } from "bun:test";
import { ConfigError } from "../api/errors.ts";
import { readHocon } from "./hocon.ts";
import { readJob, readJobFile } from "./read.ts";
import { toPlain } from "../api/tree.ts";
import { applyPlaceholders, parseVariableArgs, replacePlaceholders, splitVariableArg } from "./variables.ts";

const vars = (o: Record<string, string>) => new Map(Object.entries(o));
const read = (text: string, v: Record<string, string> = {}, env: Record<string, string> = {}) =>
  readJob(text, "job.conf", { variables: vars(v), env });

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<ConfigError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("-i arguments", () => {
  test("an -i argument splits on commas outside quotes and brackets, trimmed", () => {
    expect(splitVariableArg('a=1, b=2,list=[x,y],q="c,d"')).toEqual(["a=1", "b=2", "list=[x,y]", 'q="c,d"']);
    expect([...parseVariableArgs(["a=1,b=2", "noequals", "c=x=y", "d="])]).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "x=y"],
      ["d", ""],
    ]);
  });

  test("an -i piece without = sets nothing and is handed to warn, naming the argument it came from", () => {
    const warnings: ConfigError[] = [];
    const vars = parseVariableArgs(["a=1,b", "c", "d=2,"], (w) => warnings.push(...w));
    expect([...vars]).toEqual([
      ["a", "1"],
      ["d", "2"],
    ]);
    expect(warnings.map((w) => [w.code, w.message, w.pos])).toEqual([
      [
        "CONFIG_VARIABLE_MALFORMED",
        '-i piece "b" (of -i a=1,b: -i splits on commas outside "..." and [...], and keeps such quotes in the value) has no "=", so it sets no variable; expected -i name=value',
        undefined,
      ],
      [
        "CONFIG_VARIABLE_MALFORMED",
        '-i piece "c" has no "=", so it sets no variable; expected -i name=value',
        undefined,
      ],
    ]);
  });

  test("a quoted -i value keeps its comma and its quotes, as SeaTunnel's client does", () => {
    const warnings: ConfigError[] = [];
    expect([...parseVariableArgs(['city="a,b"'], (w) => warnings.push(...w))]).toEqual([["city", '"a,b"']]);
    expect(warnings).toEqual([]);
  });

  test("sink placeholder names cannot be set with -i", async () => {
    const e = await errorOf(() => parseVariableArgs(["table_name=x"]));
    expect(e.code).toBe("CONFIG_VARIABLE_RESERVED");
    expect(e.message).toStartWith(
      "System placeholders cannot be used. Incorrect config parameter: table_name (from -i table_name=x",
    );
    expect(e.pos).toBeUndefined();
  });
});

describe("variables", () => {
  test("an unquoted substitution prefers the config, then the environment, then -i", async () => {
    const text = "a = 1\nb = ${a}\nc = ${HOME}\nd = ${only}";
    expect(toPlain(await read(text, { a: "9", HOME: "/i", only: "v" }, { HOME: "/env" }))).toEqual({
      a: 1,
      b: 1,
      c: "/env",
      d: "v",
    });
  });

  test("an unquoted -i list value becomes a list of untrimmed strings", async () => {
    expect(toPlain(await read('t = ${l}\ns = "${l}"', { l: "[a, b]" }))).toEqual({ t: ["a", " b"], s: "[a, b]" });
  });

  test("an unresolved unquoted substitution is an error at the ${ with a did-you-mean", async () => {
    const e = await errorOf(read("env {\n  n = ${rowNum}\n}", { rownum: "5" }));
    expect(e.code).toBe("CONFIG_VARIABLE_UNRESOLVED");
    expect(e.pos).toEqual({ file: "job.conf", line: 2, col: 7 });
    expect(e.message).toBe(
      'variable "${rowNum}" is not defined; pass it with -i rowNum=value or set the environment variable rowNum; did you mean "rownum"?',
    );
  });

  test("several unresolved substitutions are reported in one ConfigError", async () => {
    const e = await errorOf(read("a = ${x}\nb = ${y}"));
    expect(e.message).toContain("1 more problem: 2:5");
  });

  test("a self-referencing substitution is reported, not looped on", async () => {
    expect((await errorOf(read("a = ${a}"))).message).toContain("refers to itself");
    expect(toPlain(await read('PATH = ${PATH}":/x"', {}, { PATH: "/bin" }))).toEqual({ PATH: "/bin:/x" });
  });

  test("an unresolved optional substitution removes the entry", async () => {
    expect(toPlain(await read("a = ${?nope}\nb = 1"))).toEqual({ b: 1 });
  });

  test("placeholders in strings use -i values, then defaults, else stay", () => {
    const v = vars({ a: "A", empty: "" });
    expect(replacePlaceholders("${a}-${b}-${b:d }-${empty:x}-${empty}-${c:}", v)).toBe("A-${b}-d-x-${empty}-");
  });

  test("placeholders are filled in quoted and unquoted strings, nested objects and lists", async () => {
    const text =
      'env { name = "${job:def}" }\nsource { S { q = "x ${a}", l = ["${a}", 1], o { p = "${a}" } } }\nsink { K {} }';
    expect(toPlain(await read(text, { a: "A" }))).toEqual({
      env: { name: "def" },
      source: [{ plugin_name: "S", q: "x A", l: ["A", 1], o: { p: "A" } }],
      sink: [{ plugin_name: "K" }],
    });
  });

  test("environment variables are not used for placeholders in strings", async () => {
    expect(toPlain(await read('a = "${HOME}"', {}, { HOME: "/root" }))).toEqual({ a: "${HOME}" });
  });

  test("placeholders keep positions and types of untouched values", () => {
    const root = readHocon('a = 5\nb = "${x}"', "j.conf", { variables: new Map(), env: {} });
    const out = applyPlaceholders(root, vars({ x: "7" }));
    expect(out.entries[0]!.value).toBe(root.entries[0]!.value);
    expect(out.entries[1]!.value).toMatchObject({ text: "7", pos: { line: 2, col: 5 } });
  });

  test("a missing job file is CONFIG_FILE_NOT_FOUND without a position", async () => {
    const e = await errorOf(readJobFile("/nonexistent/job.conf", { variables: new Map(), env: {} }));
    expect(e.code).toBe("CONFIG_FILE_NOT_FOUND");
    expect(e.message).toBe('job file "/nonexistent/job.conf" does not exist');
    expect(e.pos).toBeUndefined();
  });
});
