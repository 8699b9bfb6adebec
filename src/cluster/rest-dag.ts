/**
 * A job's DAG as SeaTunnel's job-info shows it (`jobDag`: `vertexInfoMap`, `pipelineEdges`,
 * `envOptions`), planned offline from the job's stored file, with ours beside each vertex: its
 * pipeline, inputs, parallelism and rows (a source's read, a sink's written, from the job's live
 * or final counts). Sensitive env options are masked.
 */
import type { ObjectNode } from "../api/tree.ts";
import { readJob } from "../config/read.ts";
import { planJob } from "../plan/load.ts";
import type { Dag } from "../plan/logical.ts";
import type { ClusterJob, JobCounts } from "./jobs.ts";
import { redactConfig } from "./redact.ts";

export interface Vertex {
  vertexId: number;
  type: "source" | "transform" | "sink";
  vertexName: string;
  tablePaths: string[];
  pipeline: number;
  inputs: number[];
  parallelism: number;
  /** Rows through the vertex: read for a source, written for a sink; null where not counted. */
  rows: number | null;
}

interface Planned {
  dag: Dag;
  env: Record<string, unknown>;
}

/** Plans of stored job files, by job id: a job's file does not change once stored. */
const plans = new Map<string, Planned>();

async function planOf(j: ClusterJob): Promise<Planned | undefined> {
  const known = plans.get(j.id);
  if (known) {
    return known;
  }
  let tree: ObjectNode;
  try {
    tree = await readJob(j.config, "job.json", { variables: new Map(), env: {} });
    const { dag } = await planJob(tree, "job.json", { decodeSecrets: false });
    const env = ((JSON.parse(j.config) as { env?: Record<string, unknown> }).env ?? {}) as Record<string, unknown>;
    const planned = { dag, env };
    if (plans.size > 500) {
      plans.clear();
    }
    plans.set(j.id, planned);
    return planned;
  } catch {
    // A file that checked when it was submitted plans now; one that does not has no DAG to show.
    return undefined;
  }
}

/** SeaTunnel's `jobDag` of job `j`, with each vertex's rows; undefined when its file does not plan. */
export async function jobDag(j: ClusterJob): Promise<Record<string, unknown> | undefined> {
  const planned = await planOf(j);
  if (planned === undefined) {
    return undefined;
  }
  const { dag, env } = planned;
  const counts = (j.metrics ?? {}) as JobCounts;
  const pipelineOf = new Map<number, number>();
  for (const p of dag.pipelines) {
    for (const n of p.nodes) {
      pipelineOf.set(n, p.id);
    }
  }
  const sources = dag.nodes.filter((n) => n.block.kind === "source").length;
  const rowsOf = (n: Dag["nodes"][number]): number | null => {
    if (n.block.kind === "source") {
      const table = n.block.output ? counts.sources?.[n.block.output]?.read : undefined;
      return table ?? (sources === 1 ? (counts.read ?? 0) : null);
    }
    if (n.block.kind === "sink") {
      return counts.sinks?.[n.name]?.written ?? 0;
    }
    return null;
  };
  const vertices: Vertex[] = dag.nodes.map((n) => ({
    vertexId: n.id + 1,
    type: n.block.kind as Vertex["type"],
    vertexName: n.name,
    tablePaths: [n.block.output ?? n.block.inputs?.join(",") ?? ""].filter(Boolean),
    pipeline: pipelineOf.get(n.id) ?? 1,
    inputs: n.inputs.map((i) => i + 1),
    parallelism: n.parallelism,
    rows: rowsOf(n),
  }));
  const pipelineEdges = Object.fromEntries(
    dag.pipelines.map((p) => [
      String(p.id),
      p.nodes.flatMap((n) =>
        dag.nodes[n]!.inputs.map((i) => ({ inputVertexId: String(i + 1), targetVertexId: String(n + 1) })),
      ),
    ]),
  );
  return { jobId: j.id, envOptions: redactConfig(env), vertexInfoMap: vertices, pipelineEdges };
}
