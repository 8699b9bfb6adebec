/**
 * Job model → logical DAG, with SeaTunnel's wiring rules (ConfigParserUtil,
 * MultipleTableJobConfigParser): a simple job (1 source, ≤1 transform, 1 sink) is a straight line
 * whatever its names say; any other job must name its edges with result_table_name /
 * source_table_name (or plugin_output / plugin_input), uniquely, and use every table it makes.
 * Connected parts of the DAG become pipelines. Pure: no I/O.
 */
import { ConfigError } from "../api/errors.ts";
import type { JobModel, PluginBlock } from "../config/job.ts";

export const DEFAULT_ID = "default-identifier";

export interface DagNode {
  id: number;
  block: PluginBlock;
  /** Upstream node ids, in the order the inputs were named. */
  inputs: number[];
  parallelism: number;
  /** `Source[0]-FakeSource`, SeaTunnel's action name. */
  name: string;
}

export interface Pipeline {
  /** 1-based, in order of the first source in the file. */
  id: number;
  /** Node ids in topological order (sources first). */
  nodes: number[];
}

export interface Dag {
  nodes: DagNode[];
  pipelines: Pipeline[];
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Messages use the spelling the user wrote: plugin_output/plugin_input or the older result_table_name/source_table_name. */
const outputKey = (b: PluginBlock): string => b.outputKey ?? "result_table_name";
const inputKey = (b: PluginBlock): string => b.inputsKey ?? "source_table_name";
const newStyle = (key: string | undefined): boolean => key === "plugin_output" || key === "plugin_input";

export function buildDag(job: JobModel): { dag?: Dag; errors: ConfigError[]; warnings: ConfigError[] } {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const nodes: DagNode[] = [];
  const add = (block: PluginBlock, inputs: number[], parallelism: number) => {
    const node = {
      id: nodes.length,
      block,
      inputs,
      parallelism,
      name: `${cap(block.kind)}[${block.index}]-${block.name}`,
    };
    nodes.push(node);
    return node;
  };
  const simple = job.sources.length === 1 && job.transforms.length <= 1 && job.sinks.length === 1;
  if (!simple) {
    checkComplexGraph(job, errors);
  }
  if (errors.length) {
    return { errors, warnings };
  }

  const produced = new Map<string, DagNode>();
  const envPar = job.env.parallelism;
  for (const b of job.sources) {
    const n = add(b, [], Math.max(1, b.parallelism ?? envPar));
    produced.set(b.output ?? DEFAULT_ID, n);
  }
  const last = () => [...produced.values()].at(-1)!;
  const resolveInputs = (b: PluginBlock): DagNode[] | undefined => {
    const names = b.inputs ?? [DEFAULT_ID];
    const found = names.map((n) => produced.get(n));
    return found.every((x) => x !== undefined) ? (found as DagNode[]) : undefined;
  };
  if (simple) {
    // A straight line: names that do not match are only worth a warning (checkSimpleGraph).
    let prev = nodes[0]!;
    for (const b of [...job.transforms, ...job.sinks]) {
      if (b.inputs && !b.inputs.includes(prev.block.output ?? DEFAULT_ID)) {
        warnings.push(
          new ConfigError(
            "PLAN_INPUT_MISMATCH",
            `${b.label}: ${inputKey(b)} ${b.inputs.map((x) => `"${x}"`).join(", ")} does not match "${prev.block.output ?? DEFAULT_ID}"; this simple job is wired in file order anyway`,
            b.inputsPos ?? b.pos,
          ),
        );
      }
      const n = add(b, [prev.id], b.kind === "transform" ? (b.parallelism ?? prev.parallelism) : prev.parallelism);
      prev = n;
    }
  } else {
    const queue = [...job.transforms];
    let stall = 0;
    while (queue.length) {
      const b = queue.shift()!;
      const ins = resolveInputs(b);
      if (!ins && stall < queue.length + 1) {
        queue.push(b);
        stall++;
        continue;
      }
      stall = 0;
      const inputs = ins ?? [last()];
      const n = add(
        b,
        inputs.map((x) => x.id),
        b.parallelism ?? inputs[0]!.parallelism,
      );
      produced.set(b.output ?? DEFAULT_ID, n);
    }
    for (const b of job.sinks) {
      const inputs = resolveInputs(b) ?? [last()];
      add(
        b,
        inputs.map((x) => x.id),
        inputs[0]!.parallelism,
      );
    }
  }
  return { dag: { nodes, pipelines: pipelinesOf(nodes) }, errors, warnings };
}

/** ConfigParserUtil.checkComplexGraph: every edge named, unique, resolvable and used. */
function checkComplexGraph(job: JobModel, errors: ConfigError[]): void {
  const producers = new Map<string, PluginBlock>();
  for (const b of [...job.sources, ...job.transforms]) {
    if (b.output === undefined) {
      errors.push(
        new ConfigError(
          "PLAN_OUTPUT_MISSING",
          `${b.label}: this job has several sources, transforms or sinks, so every source and transform needs result_table_name (or plugin_output) to name its table`,
          b.pos,
        ),
      );
      continue;
    }
    const prev = producers.get(b.output);
    if (prev) {
      errors.push(
        new ConfigError(
          "PLAN_DUPLICATE_OUTPUT",
          `${b.label}: ${outputKey(b)} "${b.output}" is already used by ${prev.label}; every plugin must produce a different table name`,
          b.outputPos ?? b.pos,
        ),
      );
    } else {
      producers.set(b.output, b);
    }
  }
  const used = new Set<string>();
  for (const b of [...job.transforms, ...job.sinks]) {
    if (!b.inputs) {
      errors.push(
        new ConfigError(
          "PLAN_INPUT_MISSING",
          `${b.label}: this job has several sources, transforms or sinks, so every transform and sink needs source_table_name (or plugin_input) to name its input`,
          b.pos,
        ),
      );
      continue;
    }
    for (const name of b.inputs) {
      used.add(name);
      if (!producers.has(name)) {
        const known = [...producers.keys()].map((k) => `"${k}"`).join(", ");
        errors.push(
          new ConfigError(
            "PLAN_UNRESOLVED_INPUT",
            `${b.label}: ${inputKey(b)} "${name}" matches no ${newStyle(b.inputsKey) ? "plugin_output" : "result_table_name"} (known: ${known || "none"})`,
            b.inputsPos ?? b.pos,
          ),
        );
      }
      if (producers.get(name) === b) {
        errors.push(new ConfigError("PLAN_CYCLE", `${b.label}: reads its own output "${name}"`, b.inputsPos ?? b.pos));
      }
    }
  }
  for (const [name, b] of producers) {
    if (!used.has(name)) {
      errors.push(
        new ConfigError(
          "PLAN_UNUSED_OUTPUT",
          `${b.label}: table "${name}" is produced but no transform or sink reads it (${newStyle(b.outputKey) ? "plugin_input" : "source_table_name"})`,
          b.outputPos ?? b.pos,
        ),
      );
    }
  }
  if (!errors.length) {
    checkCycles(job, producers, errors);
  }
}

function checkCycles(job: JobModel, producers: Map<string, PluginBlock>, errors: ConfigError[]): void {
  const state = new Map<PluginBlock, 1 | 2>();
  // The path being walked: each block with the input name followed out of it.
  const path: { block: PluginBlock; via: string }[] = [];
  const visit = (b: PluginBlock): boolean => {
    if (state.get(b) === 2) {
      return true;
    }
    if (state.get(b) === 1) {
      const loop = path.slice(path.findIndex((p) => p.block === b));
      const next = (i: number) => (loop[i + 1]?.block ?? b).label;
      const steps = loop.map((p, i) =>
        i === 0 ? `its input "${p.via}" comes from ${next(i)}` : `which reads "${p.via}" from ${next(i)}`,
      );
      errors.push(
        new ConfigError(
          "PLAN_CYCLE",
          `${b.label}: ${steps.join(", ")}; the job graph must not have cycles`,
          b.inputsPos ?? b.pos,
        ),
      );
      return false;
    }
    state.set(b, 1);
    for (const n of b.inputs ?? []) {
      const p = producers.get(n);
      if (!p) {
        continue;
      }
      path.push({ block: b, via: n });
      const ok = visit(p);
      path.pop();
      if (!ok) {
        return false;
      }
    }
    state.set(b, 2);
    return true;
  };
  for (const b of job.transforms) {
    if (!visit(b)) {
      return;
    }
  }
}

/** Connected components, numbered by their first node; nodes listed in id order (already topological). */
function pipelinesOf(nodes: DagNode[]): Pipeline[] {
  const parent = nodes.map((n) => n.id);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const n of nodes) {
    for (const i of n.inputs) {
      parent[find(n.id)] = find(i);
    }
  }
  const groups = new Map<number, number[]>();
  for (const n of nodes) {
    const r = find(n.id);
    if (!groups.has(r)) {
      groups.set(r, []);
    }
    groups.get(r)!.push(n.id);
  }
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!).map((ids, i) => ({ id: i + 1, nodes: topo(ids, nodes) }));
}

function topo(ids: number[], nodes: DagNode[]): number[] {
  const out: number[] = [];
  const done = new Set<number>();
  const visit = (id: number) => {
    if (done.has(id)) {
      return;
    }
    done.add(id);
    for (const i of nodes[id]!.inputs) {
      visit(i);
    }
    out.push(id);
  };
  for (const id of ids) {
    visit(id);
  }
  return out;
}

/** Downstream consumers of each node. */
export function consumersOf(dag: Dag): number[][] {
  const out: number[][] = dag.nodes.map(() => []);
  for (const n of dag.nodes) {
    for (const i of n.inputs) {
      out[i]!.push(n.id);
    }
  }
  return out;
}
