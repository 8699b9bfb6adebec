/**
 * DAG + registry → bound plugins: each block's options parsed against its connector's spec (all
 * errors of all blocks collected), then `create()` called in topological order so every transform
 * and sink learns its input tables and output schemas at plan time. `create()` does no I/O by
 * contract, so `--check` and `seatunnel plan` run this too.
 */
import type { Definition, Logger, PluginContext, Sink, Source, Transform } from "../api/connector.ts";
import { ConfigError, JobError } from "../api/errors.ts";
import { parseOptions } from "../api/parse-options.ts";
import { replacePlaceholders, TABLE_PLACEHOLDER } from "../api/placeholders.ts";
import type { TableSchema } from "../api/table.ts";
import { sameType } from "../api/types.ts";
import type { JobModel } from "../config/job.ts";
import type { Node, ObjectNode } from "../api/tree.ts";
import type { Registry } from "../registry/index.ts";
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
}

export async function bindJob(
  job: JobModel,
  dag: Dag,
  registry: Registry,
  o: BindOptions,
): Promise<{ bound?: BoundJob; errors: ConfigError[]; warnings: ConfigError[] }> {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const parsed: ({ def: Definition; options: Record<string, unknown> } | undefined)[] = dag.nodes.map((n) => {
    try {
      const def = registry.resolve(n.block.kind, n.block.name, n.block.pos);
      return { def, options: {} };
    } catch (e) {
      if (e instanceof ConfigError) {
        errors.push(e);
      } else {
        throw e;
      }
      return undefined;
    }
  });
  const bound: BoundNode[] = [];
  for (const n of dag.nodes) {
    const p = parsed[n.id];
    if (!p) {
      continue;
    }
    // When an upstream failed, options are still checked (all errors at once) but nothing is created.
    const upstreamOk = n.inputs.every((i) => bound[i]);
    const inputs = upstreamOk ? n.inputs.flatMap((i) => bound[i]!.outputs) : [];
    const block =
      n.block.kind === "sink" && inputs.length === 1 ? substitutePlaceholders(n.block.node, inputs[0]!) : n.block.node;
    const fills = n.block.kind === "sink" ? TABLE_PLACEHOLDER : undefined;
    const res = parseOptions(n.block.label, block, p.def.options, p.def.rules, p.def.allowUnknownOptions, fills);
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
    const ctx: PluginContext = {
      label: n.block.label,
      jobId: o.jobId,
      jobName: o.jobName,
      jobMode: job.env["job.mode"],
      parallelism: n.parallelism,
      log: o.log,
      checkOnly: o.checkOnly,
      ...(n.block.output !== undefined ? { outputName: n.block.output } : {}),
    };
    try {
      const b: BoundNode = { node: n, def: p.def, options: res.values, ctx, inputs, outputs: [] };
      await create(b, job);
      bound[n.id] = b;
    } catch (e) {
      if (e instanceof ConfigError) {
        errors.push(
          e.pos
            ? e
            : new ConfigError(
                e.code,
                e.message.startsWith(n.block.label) ? e.message : `${n.block.label}: ${e.message}`,
                n.block.pos,
              ),
        );
      } else if (e instanceof JobError) {
        errors.push(new ConfigError(e.code, `${n.block.label}: ${e.message}`, n.block.pos));
      } else {
        throw e;
      }
    }
  }
  if (errors.length) {
    return { errors, warnings };
  }
  return { bound: { job, dag, nodes: bound, jobId: o.jobId, jobName: o.jobName }, errors, warnings };
}

async function create(b: BoundNode, job: JobModel): Promise<void> {
  const { def, options, ctx, inputs } = b;
  const label = b.node.block.label;
  if (def.kind === "source") {
    const source = await def.create(options as never, ctx);
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
  if (inputs.length > 1 && !def.features.multiTable) {
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
