/**
 * DAG + registry → bound plugins: each block's options parsed against its connector's spec (all
 * errors of all blocks collected), then `create()` called in topological order so every transform
 * and sink learns its input tables and output schemas at plan time. With `ctx.checkOnly`
 * (an offline `--check`) `create()` opens nothing; a table whose columns only its server knows then
 * has `unknownColumns`, and column lookups over it are skipped (skipsColumnCheck). With `connect`
 * (`--check --connect`, `validate`, `plan`) sources read their catalogs as in a run, and every
 * source and sink is then checked against its server (connect.ts).
 */
import type { Definition, Logger, PluginContext, Sink, Source, SourceDefinition, Transform } from "../api/connector.ts";
import { ConfigError, ConfigErrors, FIELD_NOT_FOUND, JobError } from "../api/errors.ts";
import { parseOptions } from "../api/parse-options.ts";
import { replacePlaceholders, TABLE_PLACEHOLDER } from "../api/placeholders.ts";
import type { TableSchema } from "../api/table.ts";
import { sameType } from "../api/types.ts";
import type { JobModel } from "../config/job.ts";
import type { Node, ObjectNode } from "../api/tree.ts";
import type { Registry } from "../registry/index.ts";
import { checkNodes, placed } from "./connect.ts";
import type { Dag, DagNode } from "./logical.ts";

export interface BoundNode {
  node: DagNode;
  def: Definition;
  options: Record<string, unknown>;
  ctx: PluginContext;
  inputs: TableSchema[];
  outputs: TableSchema[];
  source?: Source;
  transform?: Transform;
  sink?: Sink;
  /** A source bound offline because connecting failed (`connect`): the failure. */
  offline?: string;
  /** Column checks this transform or sink skipped: an input's columns are only known after connecting. */
  unchecked?: string;
}

export interface BoundJob {
  job: JobModel;
  dag: Dag;
  nodes: BoundNode[];
  jobId: string;
  jobName: string;
}

export interface BindOptions {
  jobId: string;
  jobName: string;
  log: Logger;
  checkOnly: boolean;
  /**
   * Sources may connect to learn their tables, and every source and sink is checked (check());
   * a source that cannot connect is bound offline and the failure reported in `connectErrors`.
   */
  connect?: boolean;
}

export interface BindResult {
  bound?: BoundJob;
  errors: ConfigError[];
  warnings: ConfigError[];
  /** Under `connect`: what connecting and the checks found. */
  connectErrors: ConfigError[];
  /** Every node created (sparse by node id), also when errors leave no job: to be closed. */
  created: BoundNode[];
}

export async function bindJob(job: JobModel, dag: Dag, registry: Registry, o: BindOptions): Promise<BindResult> {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const connectErrors: ConfigError[] = [];
  const defs = dag.nodes.map((n) => {
    try {
      return registry.resolve(n.block.kind, n.block.name, n.block.pos);
    } catch (e) {
      if (!(e instanceof ConfigError)) {
        throw e;
      }
      errors.push(e);
      return undefined;
    }
  });
  const bound: BoundNode[] = [];
  // A transform that failed stands in with its inputs, columns unknown, so what follows is checked too.
  const standIn: TableSchema[][] = [];
  const outputsOf = (i: number) => bound[i]?.outputs ?? standIn[i];
  for (const n of dag.nodes) {
    const def = defs[n.id];
    if (!def) {
      continue;
    }
    // When an upstream failed, options are still checked (all errors at once) but nothing is created.
    const upstreamOk = n.inputs.every((i) => outputsOf(i));
    const inputs = upstreamOk ? n.inputs.flatMap((i) => outputsOf(i)!) : [];
    if (upstreamOk && n.block.kind === "transform") {
      standIn[n.id] = inputs.map(unknownTable);
    }
    const block =
      n.block.kind === "sink" && inputs.length === 1 ? substitutePlaceholders(n.block.node, inputs[0]!) : n.block.node;
    const fills = n.block.kind === "sink" ? TABLE_PLACEHOLDER : undefined;
    const res = parseOptions(n.block.label, block, def.options, def.rules, def.allowUnknownOptions, fills);
    // An option's own error (a schema type, a tables_configs item) still names the block it is in.
    errors.push(
      ...res.errors.map((e) =>
        e.message.startsWith(`${n.block.label}:`)
          ? e
          : new ConfigError(e.code, `${n.block.label}: ${e.message}`, e.pos ?? n.block.pos),
      ),
    );
    warnings.push(...res.warnings);
    if (res.errors.length || !upstreamOk) {
      continue;
    }
    const b: BoundNode = { node: n, def, options: res.values, ctx: contextOf(n, job, o), inputs, outputs: [] };
    try {
      await create(b, job, o.connect ? connectErrors : undefined);
      bound[n.id] = b;
    } catch (e) {
      if (e instanceof ConfigErrors) {
        errors.push(...e.errors.map((x) => placed(x, n.block.label, n.block.pos)));
      } else if (!(e instanceof ConfigError || e instanceof JobError)) {
        throw e;
      } else if (skipsColumnCheck(b, e)) {
        bound[n.id] = b;
      } else {
        errors.push(placed(e, n.block.label, n.block.pos));
      }
    }
  }
  if (o.connect) {
    connectErrors.push(...(await checkNodes(bound)));
  }
  const result = { errors, warnings, connectErrors, created: bound };
  return errors.length ? result : { ...result, bound: { job, dag, nodes: bound, jobId: o.jobId, jobName: o.jobName } };
}

function contextOf(n: DagNode, job: JobModel, o: BindOptions): PluginContext {
  return {
    label: n.block.label,
    jobId: o.jobId,
    jobName: o.jobName,
    jobMode: job.env["job.mode"],
    parallelism: n.parallelism,
    log: o.log,
    checkOnly: o.checkOnly && !o.connect,
    ...(n.block.output !== undefined ? { outputName: n.block.output } : {}),
  };
}

const unknownInput = (b: BoundNode): TableSchema | undefined => b.inputs.find((t) => t.unknownColumns);

/**
 * A column lookup that failed because an input's columns are only known after connecting is a
 * check skipped, not a problem: the node is bound with its inputs (columns unknown) as outputs.
 */
function skipsColumnCheck(b: BoundNode, e: ConfigError | JobError): boolean {
  const input = unknownInput(b);
  if (!input || !(e instanceof ConfigError) || e.code !== FIELD_NOT_FOUND) {
    return false;
  }
  b.unchecked = uncheckedText(input);
  if (b.def.kind === "transform") {
    b.outputs = b.inputs.map(unknownTable);
  }
  return true;
}

const uncheckedText = (t: TableSchema) => `columns not checked: those of "${t.id}" are only known after connecting`;

const unknownTable = (t: TableSchema): TableSchema => ({ ...t, columns: [], unknownColumns: true });

/**
 * A source under `connect` that fails to connect is created again offline, so what it feeds is still
 * checked; the failure goes to `failures`.
 */
async function createSource(b: BoundNode, failures: ConfigError[] | undefined): Promise<Source> {
  const def = b.def as SourceDefinition;
  if (!failures) {
    return def.create(b.options as never, b.ctx);
  }
  try {
    return await def.create(b.options as never, b.ctx);
  } catch (e) {
    if (!(e instanceof JobError || e instanceof ConfigError || e instanceof ConfigErrors)) {
      throw e;
    }
    const offline = { ...b.ctx, checkOnly: true };
    const source = await Promise.resolve()
      .then(() => def.create(b.options as never, offline))
      .catch(() => undefined);
    if (!source) {
      throw e;
    }
    const found = e instanceof ConfigErrors ? e.errors : [e];
    failures.push(...found.map((x) => placed(x, b.node.block.label, b.node.block.pos)));
    b.offline = found.map((x) => x.message).join("; ");
    return source;
  }
}

async function create(b: BoundNode, job: JobModel, failures: ConfigError[] | undefined): Promise<void> {
  const { def, options, ctx, inputs } = b;
  const label = b.node.block.label;
  if (def.kind === "source") {
    const source = await createSource(b, failures);
    const mode = job.env["job.mode"];
    if (mode === "BATCH" && def.features.batch === false) {
      throw new ConfigError(
        "PLAN_JOB_MODE",
        `${label} only runs in STREAMING jobs; set env { job.mode = "STREAMING" }`,
      );
    }
    if (mode === "STREAMING" && def.features.streaming === false) {
      throw new ConfigError("PLAN_JOB_MODE", `${label} only runs in BATCH jobs; set env { job.mode = "BATCH" }`);
    }
    b.source = source;
    b.outputs = source.tables;
    return;
  }
  if (inputs.length > 1 && !def.features.multiTable && !unknownInput(b)) {
    const first = inputs[0]!;
    const differs = inputs.some(
      (t) =>
        t.columns.length !== first.columns.length ||
        t.columns.some((c, i) => c.name !== first.columns[i]!.name || !sameType(c.type, first.columns[i]!.type)),
    );
    if (differs) {
      throw new ConfigError(
        "PLAN_INPUT_TYPES_DIFFER",
        `${label} receives tables with different structures (${inputs.map((t) => `"${t.id}"`).join(", ")}) and does not support several tables`,
      );
    }
  }
  if (def.kind === "transform") {
    b.transform = def.create(options as never, inputs, ctx);
    b.outputs = b.transform.outputs;
  } else {
    b.sink = await def.create(options as never, inputs, ctx);
  }
  // What is computed from columns nobody knows yet is not known either.
  const input = unknownInput(b);
  if (input) {
    b.unchecked = uncheckedText(input);
    b.outputs = b.outputs.map(unknownTable);
  }
}

/** A copy of the block with sink placeholders replaced in every string value. */
function substitutePlaceholders(block: ObjectNode, table: TableSchema): ObjectNode {
  const walk = (n: Node): Node => {
    if (n.kind === "scalar") {
      return n.type === "string" && n.text.includes("${") ? { ...n, text: replacePlaceholders(n.text, table) } : n;
    }
    if (n.kind === "array") {
      return { ...n, items: n.items.map(walk) };
    }
    return { ...n, entries: n.entries.map((e) => ({ ...e, value: walk(e.value) })) };
  };
  return walk(block) as ObjectNode;
}
