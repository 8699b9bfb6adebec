/**
 * The plan as text: what `seatunnel plan` and `run --check` print and what golden tests compare.
 * Pure: derived from the DAG and the bound plugins only.
 */
import type { TableSchema } from "../api/table.ts";
import { typeToString } from "../api/types.ts";
import type { BoundJob, BoundNode } from "./bind.ts";
import { consumersOf } from "./logical.ts";

const tableLine = (t: TableSchema) =>
  t.unknownColumns
    ? `${t.id} (columns known after connecting)`
    : `${t.id} (${t.columns.map((c) => `${c.name} ${typeToString(c.type)}`).join(", ")})`;

/** The lines under one node: its tables, where a sink writes them, what was not checked, its splits. */
function nodeLines(b: BoundNode, sp: number[] | string | undefined): string[] {
  const out: string[] = [];
  const sink = b.def.kind === "sink";
  for (const t of sink ? b.inputs : b.outputs) {
    out.push(`    ${sink ? "receives" : "produces"} ${tableLine(t)}`);
    const target = b.sink?.targets?.[t.id];
    if (target !== undefined) {
      out.push(`      into ${target}`);
    }
  }
  if (b.offline !== undefined) {
    out.push(`    offline: ${b.offline}`);
  }
  if (b.unchecked !== undefined) {
    out.push(`    ${b.unchecked}`);
  }
  if (typeof sp === "string") {
    out.push(`    splits: ${sp}`);
  } else if (sp) {
    out.push(`    splits: ${sp.reduce((a, x) => a + x, 0)} (per reader: ${sp.join(", ")})`);
  }
  return out;
}

/**
 * `splits`: per source node, the number of splits each reader gets, or why it is not known
 * (computed by `seatunnel plan`, which asks each source's enumerator; `--check` leaves it out).
 */
export function explain(job: BoundJob, splits?: Map<number, number[] | string>): string {
  const { dag } = job;
  const consumers = consumersOf(dag);
  const out: string[] = [];
  out.push(
    `Job "${job.jobName}" (${job.job.env["job.mode"]}): ${dag.pipelines.length} pipeline${dag.pipelines.length === 1 ? "" : "s"}`,
  );
  for (const p of dag.pipelines) {
    out.push(`Pipeline ${p.id}:`);
    for (const id of p.nodes) {
      const b = job.nodes[id]!;
      const n = b.node;
      const to = consumers[id]!.map((c) => dag.nodes[c]!.name);
      out.push(`  ${n.name} parallelism=${n.parallelism}${to.length ? ` -> ${to.join(", ")}` : ""}`);
      out.push(...nodeLines(b, splits?.get(id)));
    }
    const sources = p.nodes.filter((id) => job.nodes[id]!.def.kind === "source");
    for (const s of sources) {
      const chain = walk(s, consumers, (id) => dag.nodes[id]!.name);
      out.push(`  fused chain x${dag.nodes[s]!.parallelism}: ${chain}`);
    }
  }
  return out.join("\n");
}

/** `A -> B -> {C, D}` for a chain from one source. */
function walk(id: number, consumers: number[][], name: (id: number) => string): string {
  const next = consumers[id]!;
  if (next.length === 0) {
    return name(id);
  }
  if (next.length === 1) {
    return `${name(id)} -> ${walk(next[0]!, consumers, name)}`;
  }
  return `${name(id)} -> {${next.map((n) => walk(n, consumers, name)).join("; ")}}`;
}

/**
 * The plan's shape — every node's action name, parallelism, inputs and tables — as one line. A
 * checkpoint is only restored into a job with the same fingerprint.
 */
export function fingerprint(job: BoundJob): string {
  return job.dag.nodes
    .map((n) => {
      const b = job.nodes[n.id];
      const tables = (b ? (b.def.kind === "sink" ? b.inputs : b.outputs) : []).map((t) => t.id).join("+");
      return `${n.name}*${n.parallelism}<${n.inputs.join("+")}>[${tables}]`;
    })
    .join(" ");
}
