import { describe, expect, test } from "bun:test";
import type { ConfigError } from "../api/errors.ts";
import { readHocon } from "../config/hocon.ts";
import { buildJob, type JobModel } from "../config/job.ts";
import { buildDag, consumersOf, DEFAULT_ID, type Dag } from "./logical.ts";

/** A job model from HOCON text (connectors are not looked up: planning needs only names). */
function jobOf(text: string): JobModel {
  const built = buildJob(readHocon(text, "job.conf", { variables: new Map(), env: {} }), "job.conf");
  if (!built.job) {
    throw new Error(`job did not build: ${built.errors.map((e) => e.format()).join("\n")}`);
  }
  return built.job;
}

function plan(text: string): { dag?: Dag; errors: ConfigError[]; warnings: ConfigError[] } {
  return buildDag(jobOf(text));
}

function dagOf(text: string): Dag {
  const r = plan(text);
  if (!r.dag) {
    throw new Error(`plan failed: ${r.errors.map((e) => e.format()).join("\n")}`);
  }
  return r.dag;
}

/** `name <- input names` per node, the shape of the graph in one readable list. */
const edges = (dag: Dag): string[] =>
  dag.nodes.map((n) => `${n.name} <- ${n.inputs.map((i) => dag.nodes[i]!.name).join(", ")}`);
const codes = (errors: ConfigError[]) => errors.map((e) => e.code);

describe("buildDag: simple graphs (one source, at most one transform, one sink)", () => {
  test("a job without any table names is wired source → transform → sink", () => {
    const dag = dagOf(`source { FakeSource {} }\ntransform { Sql {} }\nsink { Console {} }`);
    expect(edges(dag)).toEqual([
      "Source[0]-FakeSource <- ",
      "Transform[0]-Sql <- Source[0]-FakeSource",
      "Sink[0]-Console <- Transform[0]-Sql",
    ]);
    expect(dag.pipelines).toEqual([{ id: 1, nodes: [0, 1, 2] }]);
  });

  test("names that do not match are wired in file order anyway, with a warning for each", () => {
    const r = plan(`
source { FakeSource { result_table_name = "a" } }
transform { Sql { source_table_name = "nope", result_table_name = "b" } }
sink { Console { plugin_input = "other" } }`);
    expect(r.errors).toEqual([]);
    expect(edges(r.dag!)).toEqual([
      "Source[0]-FakeSource <- ",
      "Transform[0]-Sql <- Source[0]-FakeSource",
      "Sink[0]-Console <- Transform[0]-Sql",
    ]);
    expect(codes(r.warnings)).toEqual(["PLAN_INPUT_MISMATCH", "PLAN_INPUT_MISMATCH"]);
    expect(r.warnings[0]!.message).toBe(
      'transform Sql: source_table_name "nope" does not match "a"; this simple job is wired in file order anyway',
    );
    expect(r.warnings[1]!.message).toBe(
      'sink Console: plugin_input "other" does not match "b"; this simple job is wired in file order anyway',
    );
    expect(r.warnings[0]!.pos).toMatchObject({ line: 3, col: 39 });
  });

  test("a matching name gives no warning, and an unnamed source produces the default table", () => {
    const r = plan(`source { FakeSource {} }\nsink { Console { source_table_name = "${DEFAULT_ID}" } }`);
    expect(r.warnings).toEqual([]);
    expect(edges(r.dag!)).toEqual(["Source[0]-FakeSource <- ", "Sink[0]-Console <- Source[0]-FakeSource"]);
  });
});

describe("buildDag: complex graphs", () => {
  test("every source and transform must name its table", () => {
    const r = plan(`source { A {}\nB { result_table_name = "b" } }\nsink { C { source_table_name = "b" } }`);
    expect(r.dag).toBeUndefined();
    expect(codes(r.errors)).toEqual(["PLAN_OUTPUT_MISSING"]);
    expect(r.errors[0]!.message).toStartWith("source A: this job has several sources");
    expect(r.errors[0]!.pos).toMatchObject({ line: 1, col: 10 });
  });

  test("every transform and sink must name its input", () => {
    const r = plan(`source { A { result_table_name = "a" } }\nsink { C { source_table_name = "a" }\nD {} }`);
    expect(codes(r.errors)).toEqual(["PLAN_INPUT_MISSING"]);
    expect(r.errors[0]!.message).toStartWith("sink D: this job has several sources");
  });

  test("an input that no plugin produces is an error naming the known tables", () => {
    const r = plan(`
source { A { plugin_output = "fake" }
         B { plugin_output = "fake1" } }
sink { C { plugin_input = ["fake", "fake1"] }
       D { plugin_input = "fake2" } }`);
    expect(codes(r.errors)).toEqual(["PLAN_UNRESOLVED_INPUT"]);
    expect(r.errors[0]!.format()).toBe(
      'error[PLAN_UNRESOLVED_INPUT]: job.conf:5:27 sink D: plugin_input "fake2" matches no plugin_output (known: "fake", "fake1")',
    );
  });

  test("two plugins may not produce the same table", () => {
    const r = plan(
      `source { A { result_table_name = "t" }\nA { result_table_name = "t" } }\nsink { C { source_table_name = "t" } }`,
    );
    expect(codes(r.errors)).toEqual(["PLAN_DUPLICATE_OUTPUT"]);
    expect(r.errors[0]!.message).toBe(
      'source A #2: result_table_name "t" is already used by source A #1; every plugin must produce a different table name',
    );
    expect(r.errors[0]!.pos).toMatchObject({ line: 2, col: 25 });
  });

  test("a table that nobody reads is an error", () => {
    const r = plan(
      `source { A { result_table_name = "a" }\nB { result_table_name = "b" } }\nsink { C { source_table_name = "a" } }`,
    );
    expect(codes(r.errors)).toEqual(["PLAN_UNUSED_OUTPUT"]);
    expect(r.errors[0]!.message).toBe(
      'source B: table "b" is produced but no transform or sink reads it (source_table_name)',
    );
  });

  test("all problems of the graph are reported together, block by block", () => {
    const r = plan(`source { A {}\nB { result_table_name = "b" } }\nsink { C { source_table_name = "x" }\nD {} }`);
    expect(codes(r.errors)).toEqual([
      "PLAN_OUTPUT_MISSING",
      "PLAN_UNRESOLVED_INPUT",
      "PLAN_INPUT_MISSING",
      "PLAN_UNUSED_OUTPUT",
    ]);
  });

  test("a transform reading its own output is a cycle", () => {
    const r = plan(
      `source { A { result_table_name = "a" } }\ntransform { T { source_table_name = "t", result_table_name = "t" } }\nsink { C { source_table_name = ["a", "t"] }\nD { source_table_name = "t" } }`,
    );
    expect(codes(r.errors)).toEqual(["PLAN_CYCLE"]);
    expect(r.errors[0]!.message).toBe('transform T: reads its own output "t"');
  });

  test("a longer cycle is reported with the path that closes it", () => {
    const r = plan(`
source { A { result_table_name = "a" } }
transform {
  T { source_table_name = "v", result_table_name = "u" }
  U { source_table_name = "u", result_table_name = "v" }
}
sink { C { source_table_name = ["a", "v"] } }`);
    expect(codes(r.errors)).toEqual(["PLAN_CYCLE"]);
    expect(r.errors[0]!.message).toBe(
      'transform T: its input "v" comes from transform U, which reads "u" from transform T; the job graph must not have cycles',
    );
    expect(r.errors[0]!.pos).toMatchObject({ line: 4, col: 27 });
  });

  test("transforms may be listed before the transforms they read from", () => {
    const dag = dagOf(`
source { S { result_table_name = "s" } }
transform {
  Second { source_table_name = "first", result_table_name = "second" }
  First { source_table_name = "s", result_table_name = "first" }
}
sink { K { source_table_name = "second" }\nK2 { source_table_name = "s" } }`);
    expect(edges(dag)).toEqual([
      "Source[0]-S <- ",
      "Transform[1]-First <- Source[0]-S",
      "Transform[0]-Second <- Transform[1]-First",
      "Sink[0]-K <- Transform[0]-Second",
      "Sink[1]-K2 <- Source[0]-S",
    ]);
  });
});

describe("buildDag: fan-out, fan-in and pipelines", () => {
  test("fan-out: several sinks read one source", () => {
    const dag = dagOf(
      `source { S { result_table_name = "s" } }\nsink { A { source_table_name = "s" }\nB { source_table_name = "s" } }`,
    );
    expect(edges(dag)).toEqual(["Source[0]-S <- ", "Sink[0]-A <- Source[0]-S", "Sink[1]-B <- Source[0]-S"]);
    expect(consumersOf(dag)).toEqual([[1, 2], [], []]);
    expect(dag.pipelines).toEqual([{ id: 1, nodes: [0, 1, 2] }]);
  });

  test("fan-in: one sink reads several sources, in the order it names them", () => {
    const dag = dagOf(
      `source { S1 { result_table_name = "one" }\nS2 { result_table_name = "two" } }\nsink { K { source_table_name = "two,one" } }`,
    );
    expect(dag.nodes[2]!.inputs).toEqual([1, 0]);
    expect(dag.pipelines).toEqual([{ id: 1, nodes: [0, 1, 2] }]);
  });

  test("independent parts of the graph become separate pipelines, numbered by their first source", () => {
    const dag = dagOf(`
source {
  S1 { result_table_name = "one" }
  S2 { result_table_name = "two" }
}
transform { T { source_table_name = "two", result_table_name = "t" } }
sink {
  K2 { source_table_name = "t" }
  K1 { source_table_name = "one" }
}`);
    expect(dag.pipelines).toEqual([
      { id: 1, nodes: [0, 4] },
      { id: 2, nodes: [1, 2, 3] },
    ]);
  });
});

describe("buildDag: parallelism", () => {
  test("sources take env.parallelism unless they set their own", () => {
    const dag = dagOf(
      `env { parallelism = 3 }\nsource { A { result_table_name = "a" }\nB { result_table_name = "b", parallelism = 2 } }\nsink { K { source_table_name = "a" }\nL { source_table_name = "b" } }`,
    );
    expect(dag.nodes.map((n) => n.parallelism)).toEqual([3, 2, 3, 2]);
  });

  test("a transform inherits its input's parallelism unless it sets its own; a sink always follows its input", () => {
    const dag = dagOf(`
env { parallelism = 4 }
source { S { result_table_name = "s" } }
transform {
  T1 { source_table_name = "s", result_table_name = "t1" }
  T2 { source_table_name = "t1", result_table_name = "t2", parallelism = 2 }
}
sink { K { source_table_name = "t2", parallelism = 7 }\nK1 { source_table_name = "s" } }`);
    expect(dag.nodes.map((n) => `${n.block.name}=${n.parallelism}`)).toEqual(["S=4", "T1=4", "T2=2", "K=2", "K1=4"]);
  });

  test("in a simple job the transform and sink follow the source's own parallelism", () => {
    const dag = dagOf(`env { parallelism = 5 }\nsource { S { parallelism = 2 } }\ntransform { T {} }\nsink { K {} }`);
    expect(dag.nodes.map((n) => n.parallelism)).toEqual([2, 2, 2]);
  });

  test("a fan-in node takes the parallelism of its first input", () => {
    const dag = dagOf(
      `source { A { result_table_name = "a", parallelism = 3 }\nB { result_table_name = "b" } }\nsink { K { source_table_name = ["b", "a"] } }`,
    );
    expect(dag.nodes[2]!.parallelism).toBe(1);
  });
});
