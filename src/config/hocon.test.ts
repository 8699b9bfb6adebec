import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../api/errors.ts";
import { readHocon } from "./hocon.ts";
import { readJob } from "./read.ts";
import { type Node, type ObjectNode, getEntry, toPlain } from "../api/tree.ts";
import { parseVariableArgs } from "./variables.ts";

const opts = (vars: Record<string, string> = {}, env: Record<string, string> = {}) => ({
  variables: new Map(Object.entries(vars)),
  env,
});
const parse = (text: string, vars: Record<string, string> = {}, env: Record<string, string> = {}): ObjectNode =>
  readHocon(text, "job.conf", opts(vars, env));
const plain = (text: string, vars: Record<string, string> = {}, env: Record<string, string> = {}) =>
  toPlain(parse(text, vars, env));

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

const at = (obj: ObjectNode, ...path: string[]): Node => {
  let cur: Node = obj;
  for (const k of path) {
    if (cur.kind !== "object") {
      throw new Error(`not an object at ${k}`);
    }
    cur = getEntry(cur, k)!.value;
  }
  return cur;
};

describe("hocon: keys, plugin blocks and values", () => {
  test("dotted keys stay one flat key and -> nests", () => {
    expect(plain("row.num = 10\na->b.c = 1")).toEqual({ "row.num": 10, a: { "b.c": 1 } });
  });

  test("plugin blocks become an ordered list with plugin_name, duplicates kept", () => {
    const root = parse(
      `source {\n  FakeSource { row.num = 1 }\n}\nsink {\n  Console {}\n  Console { plugin_name = "Other" }\n}`,
    );
    expect(toPlain(root)).toEqual({
      source: [{ plugin_name: "FakeSource", "row.num": 1 }],
      sink: [{ plugin_name: "Console" }, { plugin_name: "Other" }],
    });
    const first = at(root, "source");
    if (first.kind !== "array" || first.items[0]?.kind !== "object") {
      throw new Error("not a list");
    }
    expect(first.items[0].entries[0]!.value.pos).toEqual({ file: "job.conf", line: 2, col: 3 });
  });

  test("the array form of plugin sections is kept unchanged", () => {
    expect(plain(`source = [ { plugin_name = "FakeSource", a = 1 }, ]`)).toEqual({
      source: [{ plugin_name: "FakeSource", a: 1 }],
    });
  });

  test("a root wrapped in braces reads like an unwrapped one", () => {
    expect(plain("{ env { parallelism = 2 } }")).toEqual(plain("env { parallelism = 2 }"));
  });

  test("big integers and number text are kept exactly", () => {
    const root = parse("a = 9223372036854775807\nb = 1.50\nc = -0.5e10");
    expect(at(root, "a")).toMatchObject({ type: "number", text: "9223372036854775807" });
    expect(at(root, "b")).toMatchObject({ type: "number", text: "1.50" });
    expect(at(root, "c")).toMatchObject({ type: "number", text: "-0.5e10" });
  });

  test("quoted strings decode JSON escapes and triple quotes are verbatim", () => {
    expect(plain('a = "x\\ty\\u0041\\""\nb = """ raw "quoted" \\n\n line"""')).toEqual({
      a: 'x\tyA"',
      b: ' raw "quoted" \\n\n line',
    });
  });

  test("values written together concatenate with their spaces", () => {
    expect(plain('a = foo  bar\nb = "x" 1 true\nc = [1] [2]\nd = {x = 1} {y = 2}')).toEqual({
      a: "foo  bar",
      b: "x 1 true",
      c: [1, 2],
      d: { x: 1, y: 2 },
    });
  });

  test("comments, commas, colons and trailing commas are accepted", () => {
    const text = "# c1\n// c2\na: 1, b = [1,\n 2, # in list\n]\nc { d = true } // after\ne = null\n";
    expect(plain(text)).toEqual({ a: 1, b: [1, 2], c: { d: true }, e: null });
  });
});

describe("hocon: merging, appending and substitutions", () => {
  test("duplicate keys merge objects and later scalars win", () => {
    expect(plain("a { x = 1, y = 1 }\na { y = 2 }\nb = 1\nb = 2\nc->d = 1\nc { e = 2 }")).toEqual({
      a: { x: 1, y: 2 },
      b: 2,
      c: { d: 1, e: 2 },
    });
  });

  test("+= appends to a list", () => {
    expect(plain("a = [1]\na += 2\nb += x")).toEqual({ a: [1, 2], b: ["x"] });
  });

  test("a key may be followed by its brace on the next line", () => {
    expect(plain("env\n{\n  parallelism = 1\n}")).toEqual({ env: { parallelism: 1 } });
  });

  test("substitutions resolve config paths, flat dotted keys and concatenations", () => {
    expect(plain('a.b = 5\nc = ${a.b}\nd { e = x }\nf = ${d->e}\ng = "pre-"${c}"-post"\nh = ${d}')).toEqual({
      "a.b": 5,
      c: 5,
      d: { e: "x" },
      f: "x",
      g: "pre-5-post",
      h: { e: "x" },
    });
  });

  test("an unresolved optional substitution removes its entry or list item", () => {
    expect(plain("a = ${?nope}\nb = [1, ${?nope}]\nc = x ${?nope}")).toEqual({ b: [1], c: "x" });
  });
});

describe("hocon: errors and limits", () => {
  test("syntax errors name what was expected and where the object was opened", () => {
    const e = errorOf(() => parse("env {\n  a = 1\n  b {\n"));
    expect(e.code).toBe("CONFIG_SYNTAX");
    expect(e.pos).toEqual({ file: "job.conf", line: 4, col: 1 });
    expect(e.message).toBe('expected "}" to close the object opened at 3:5, found end of file');
  });

  test("a missing separator points at the offending character", () => {
    const e = errorOf(() => parse("a = 1\nb c\n"));
    expect(e.format()).toBe(
      'error[CONFIG_SYNTAX]: job.conf:2:4 expected "=", ":" or "{" after the key "b c", found a newline',
    );
    expect(errorOf(() => parse("a = 1 b = 2")).message).toBe(
      'expected "," or a newline after the value of "a", found "="',
    );
    expect(errorOf(() => parse('a = "open\n')).pos).toMatchObject({ line: 1, col: 10 });
    expect(errorOf(() => parse("a = [1,,2]")).pos).toMatchObject({ line: 1, col: 8 });
    expect(errorOf(() => parse("a = 1 }")).message).toContain('no "{" to close');
    expect(errorOf(() => parse("a = !x")).message).toContain("reserved character");
  });

  test("include is rejected with a position", () => {
    const e = errorOf(() => parse('a = 1\ninclude "other.conf"'));
    expect(e.pos).toMatchObject({ line: 2, col: 1 });
    expect(e.message).toContain("include is not supported");
    expect(plain("include = 1")).toEqual({ include: 1 });
  });

  test("defaults outside quotes are explained", () => {
    expect(errorOf(() => parse("a = ${x:1}")).message).toContain("only work inside a quoted string");
  });

  test("deep nesting is a ConfigError, not a stack overflow", () => {
    expect(errorOf(() => parse(`a = ${"[".repeat(100000)}`)).message).toContain("levels of nested");
    expect(errorOf(() => parse(`a ${"{ b ".repeat(300)}`)).code).toBe("CONFIG_SYNTAX");
  });

  test("substitutions that copy values exponentially are rejected quickly", () => {
    const lines = ["a0 = [1, 2]"];
    for (let i = 1; i < 60; i++) {
      lines.push(`a${i} = [\${a${i - 1}}, \${a${i - 1}}]`);
    }
    expect(errorOf(() => parse(lines.join("\n"))).code).toBe("CONFIG_TOO_LARGE");
  });

  test("a plugin section child that is not a block is an error at its value", () => {
    const e = errorOf(() => parse("source {\n  FakeSource = 1\n}"));
    expect(e.pos).toMatchObject({ line: 2, col: 16 });
    expect(e.message).toContain('inside "source"');
  });
});

// ---------------------------------------------------------------------------------------------
const CORPUS = join(import.meta.dir, "../../../shared/conformance");

function confFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? confFiles(join(dir, d.name)) : d.name.endsWith(".conf") ? [join(dir, d.name)] : [],
  );
}

/** The `-i` values of each file's first manifest row. */
function manifestVariables(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const rows = readFileSync(join(CORPUS, "manifest.tsv"), "utf8").split("\n").slice(1);
  for (const row of rows) {
    const [path, , , , args] = row.split("\t");
    if (!path || out.has(path)) {
      continue;
    }
    const values = (args ?? "")
      .split(/(?:^|\s)-i\s+/)
      .slice(1)
      .map((v) => v.replace(/\s--?[a-z].*$/, ""));
    out.set(path, parseVariableArgs(values));
  }
  return out;
}

describe("hocon corpus", () => {
  const files = confFiles(CORPUS);
  const vars = manifestVariables();

  test("the corpus has job files", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  test("every conformance job file parses into source and sink lists with plugin_name", async () => {
    for (const file of files) {
      const rel = file.slice(CORPUS.length + 1);
      const tree = await readJob(readFileSync(file, "utf8"), file, { variables: vars.get(rel) ?? new Map(), env: {} });
      for (const section of ["source", "sink"]) {
        const list = getEntry(tree, section)?.value;
        expect({ rel, section, kind: list?.kind }).toEqual({ rel, section, kind: "array" });
        if (list?.kind !== "array") {
          continue;
        }
        expect(list.items.length).toBeGreaterThan(0);
        for (const item of list.items) {
          const name = item.kind === "object" ? getEntry(item, "plugin_name")?.value : undefined;
          expect({ rel, type: name?.kind === "scalar" ? name.type : undefined }).toEqual({ rel, type: "string" });
        }
      }
    }
  });

  test("mutated job files only ever fail with a ConfigError", async () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = files.map((f) => readFileSync(f, "utf8"));
    const noise = '{}[]"=:,$?#/\\\n +-.x1';
    for (let round = 0; round < 3000; round++) {
      let text = texts[rand(texts.length)]!;
      for (let m = 1 + rand(3); m > 0; m--) {
        const i = rand(text.length + 1);
        const kind = rand(4);
        if (kind === 0) {
          text = text.slice(0, i) + noise[rand(noise.length)] + text.slice(i + 1);
        } else if (kind === 1) {
          text = text.slice(0, i);
        } else if (kind === 2) {
          text = text.slice(0, i) + text.slice(text.indexOf("\n", i) + 1 || text.length);
        } else {
          text = text.slice(0, i) + String.fromCharCode(rand(128)) + text.slice(i);
        }
      }
      for (const name of ["m.conf", "m.json"]) {
        try {
          await readJob(text, name, opts({ x: "1" }));
        } catch (e) {
          if (!(e instanceof ConfigError)) {
            throw new Error(`non-ConfigError for mutated input: ${String(e)}\n${text}`);
          }
        }
      }
    }
  });
});
