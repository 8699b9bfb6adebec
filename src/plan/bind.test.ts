import { describe, expect, test } from "bun:test";
import { defineSink, defineSource, defineTransform } from "../api/connector.ts";
import { ConfigError, FIELD_NOT_FOUND, JobError } from "../api/errors.ts";
import { opt } from "../api/options.ts";
import type { TableSchema } from "../api/table.ts";
import { T } from "../api/types.ts";
import { readHocon } from "../config/hocon.ts";
import { buildJob } from "../config/job.ts";
import { Registry } from "../registry/index.ts";
import { bindJob, type BindResult } from "./bind.ts";
import { closeNodes } from "./connect.ts";
import { buildDag } from "./logical.ts";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const closed: string[] = [];

/** A database source: columns from its "catalog" when connected, unknown offline; `refuse` fails connecting. */
const catalogSource = defineSource({
  name: "Catalog",
  doc: "test source",
  options: { refuse: opt.bool({ default: false, doc: "fail to connect" }), table: opt.string({ doc: "table" }) },
  features: { batch: true, external: true },
  examples: [],
  create(o, ctx) {
    const path = { database: "db", table: o.table ?? "t" };
    const id = `db.${path.table}`;
    if (ctx.checkOnly) {
      return {
        tables: [{ id, path, columns: [], unknownColumns: true }],
        bounded: true,
        splits: () => [],
        reader: () => null as never,
      };
    }
    if (o.refuse) {
      throw new JobError("X_CONNECT", "connecting: password refused");
    }
    const table: TableSchema = { id, path, columns: [{ name: "id", type: T.int, nullable: false }] };
    return {
      tables: [table],
      bounded: true,
      splits: () => [],
      reader: () => null as never,
      check: async () => [new ConfigError("X_QUERY", `the query of ${id} does not run`)],
      close: () => void closed.push(id),
    };
  },
});

/** Looks a field up (FIELD_NOT_FOUND when missing); `other` fails for a reason that is not about columns. */
const lookup = defineTransform({
  name: "Lookup",
  doc: "test transform",
  options: { field: opt.string({ required: true, doc: "field" }), other: opt.bool({ default: false, doc: "fail" }) },
  features: { batch: true },
  examples: [],
  create(o, inputs, ctx) {
    if (o.other) {
      throw new ConfigError("OTHER", `${ctx.label}: options contradict each other`);
    }
    if (!inputs[0]!.columns.some((c) => c.name === o.field)) {
      throw new ConfigError(FIELD_NOT_FOUND, `${ctx.label}: no field "${o.field}"`);
    }
    return { outputs: inputs, process: (b) => b };
  },
});

const target = defineSink({
  name: "Target",
  doc: "test sink",
  options: {},
  features: { batch: true, external: true },
  examples: [],
  create: () => ({
    writer: () => ({ write() {}, close() {} }),
    check: async () => [new ConfigError("X_AUTH", "refused")],
  }),
});

async function bind(text: string, o: { checkOnly: boolean; connect?: boolean }): Promise<BindResult> {
  const built = buildJob(readHocon(text, "job.conf", { variables: new Map(), env: {} }), "job.conf");
  const dag = buildDag(built.job!).dag!;
  const registry = new Registry([catalogSource, lookup, target]);
  return bindJob(built.job!, dag, registry, { jobId: "1", jobName: "t", log: quiet, ...o });
}

const LINE = (transform: string) => `source { Catalog {} }\ntransform { Lookup { ${transform} } }\nsink { Target {} }`;

describe("bindJob offline: columns only known after connecting", () => {
  test("a column lookup over them is a check skipped, and what follows is unknown too", async () => {
    const r = await bind(LINE('field = "flag"'), { checkOnly: true });
    expect(r.errors).toEqual([]);
    const [, t, s] = r.bound!.nodes;
    expect(t!.unchecked).toBe('columns not checked: those of "db.t" are only known after connecting');
    expect(t!.outputs).toEqual([
      { id: "db.t", path: { database: "db", table: "t" }, columns: [], unknownColumns: true },
    ]);
    expect(s!.unchecked).toBeDefined();
  });

  test("any other error of the same plugin is still an error", async () => {
    const r = await bind(LINE('field = "flag", other = true'), { checkOnly: true });
    expect(r.errors.map((e) => e.format())).toEqual([
      "error[OTHER]: job.conf:2:13 transform Lookup: options contradict each other",
    ]);
  });

  test("with the columns known, a missing field is an error", async () => {
    const r = await bind(LINE('field = "flag"'), { checkOnly: false });
    expect(r.errors.map((e) => e.code)).toEqual([FIELD_NOT_FOUND]);
  });
});

describe("bindJob connected", () => {
  test("reports a refused source, the other source's and the sinks' checks, and binds the refused one offline", async () => {
    const r = await bind(
      `source {
  Catalog { refuse = true, plugin_output = "a" }
  Catalog { table = "u", plugin_output = "b" }
}
sink {
  Target { plugin_input = "a" }
  Target { plugin_input = "b" }
}`,
      { checkOnly: true, connect: true },
    );
    expect(r.errors).toEqual([]);
    expect(r.connectErrors.map((e) => e.format())).toEqual([
      "error[X_CONNECT]: job.conf:2:3 source Catalog #1: connecting: password refused",
      "error[X_QUERY]: job.conf:3:3 source Catalog #2: the query of db.u does not run",
      "error[X_AUTH]: job.conf:6:3 sink Target #1: refused",
      "error[X_AUTH]: job.conf:7:3 sink Target #2: refused",
    ]);
    const nodes = r.bound!.nodes;
    expect(nodes[0]!.offline).toBe("connecting: password refused");
    expect(nodes[0]!.outputs[0]!.unknownColumns).toBe(true);
    expect(nodes[1]!.outputs[0]!.columns.map((c) => c.name)).toEqual(["id"]);
    await closeNodes(nodes);
    expect(closed).toContain("db.u");
  });

  test("a transform that fails to bind stands in with unknown columns, so the sink after it is still checked", async () => {
    const r = await bind(LINE('field = "flag"'), { checkOnly: true, connect: true });
    expect(r.errors.map((e) => e.code)).toEqual([FIELD_NOT_FOUND]);
    expect(r.connectErrors.map((e) => e.code)).toEqual(["X_QUERY", "X_AUTH"]);
    expect(r.created[2]!.inputs[0]!.unknownColumns).toBe(true);
  });
});
