import { describe, expect, test } from "bun:test";
import { ConfigError } from "../api/errors.ts";
import { readJob } from "./read.ts";
import { parseToml } from "./toml.ts";
import { type Node, type ObjectNode, getEntry, toPlain } from "../api/tree.ts";

async function errorOf(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const job = `# a TOML job
[env]
"job.mode" = "BATCH"
parallelism = 2

[source.FakeSource]
"row.num" = 9223372036854775807
schema = { fields = { name = "string" } }

[[transform]]
plugin_name = "Sql"
query = """
select *
from t"""

[[sink]]
plugin_name = "Console"

[[sink]]
plugin_name = "Console"
`;

const child = (n: Node, key: string): Node => {
  if (n.kind !== "object") {
    throw new Error(`not an object at ${key}`);
  }
  return getEntry(n, key)!.value;
};

describe("toml", () => {
  test("tables under source become plugin blocks and [[sink]] arrays pass through", async () => {
    expect(toPlain(await parseToml(job, "job.toml"))).toEqual({
      env: { "job.mode": "BATCH", parallelism: 2 },
      source: [{ plugin_name: "FakeSource", "row.num": "9223372036854775807", schema: { fields: { name: "string" } } }],
      transform: [{ plugin_name: "Sql", query: "select *\nfrom t" }],
      sink: [{ plugin_name: "Console" }, { plugin_name: "Console" }],
    });
  });

  test("keys get the line and column where they are written", async () => {
    const root: ObjectNode = await parseToml(job, "job.toml");
    expect(getEntry(root, "env")!.keyPos).toEqual({ file: "job.toml", line: 2, col: 1 });
    const source = child(root, "source");
    if (source.kind !== "array") {
      throw new Error("source");
    }
    const block = source.items[0]!;
    expect(child(block, "plugin_name").pos).toMatchObject({ line: 6, col: 1 });
    expect(child(block, "row.num")).toMatchObject({
      type: "number",
      text: "9223372036854775807",
      pos: { line: 7, col: 1 },
    });
    const sink = child(root, "sink");
    if (sink.kind !== "array") {
      throw new Error("sink");
    }
    expect(child(sink.items[1]!, "plugin_name").pos).toMatchObject({ line: 20, col: 1 });
  });

  test("a syntax error is a ConfigError at the line and column the TOML parser reports", async () => {
    const e = await errorOf(parseToml("a = 1\nb = = 2\n", "bad.toml"));
    expect(e.code).toBe("CONFIG_SYNTAX");
    expect(e.pos).toEqual({ file: "bad.toml", line: 2, col: 5 });
    expect(e.message).toStartWith("invalid TOML: Unexpected character");
  });

  test("readJob picks the TOML reader by extension and fills -i placeholders", async () => {
    const root = await readJob('[source.S]\nq = "${x:d}"\n', "job.toml", { variables: new Map(), env: {} });
    expect(toPlain(root)).toEqual({ source: [{ plugin_name: "S", q: "d" }] });
  });
});
