/** The member's REST API v2, by paths relative to the page (so under any context path). */

export interface Overview {
  projectVersion: string;
  totalSlot: string;
  unassignedSlot: string;
  works: string;
  runningJobs: string;
  finishedJobs: string;
  failedJobs: string;
  cancelledJobs: string;
}

export interface Member {
  id: string;
  address: string;
  role: string;
  tags: Record<string, string>;
  slots: number;
  startedMs: number;
  heartbeatMs: number;
}

export interface ClusterState {
  cluster: string;
  member: string;
  master: { member: string; epoch: number } | null;
  members: Member[];
}

export interface CheckpointEvent {
  pipeline: number;
  id: number;
  kind: string;
  ok: boolean;
  startedMs: number;
  durationMs: number;
  error?: string;
}

export interface Vertex {
  vertexId: number;
  type: string;
  vertexName: string;
  tablePaths: string[];
  pipeline: number;
  inputs: number[];
  parallelism: number;
  rows: number | null;
}

export interface JobInfo {
  jobId: string;
  jobName: string;
  jobStatus: string;
  createTime: string | null;
  finishedTime?: string;
  errorMsg: string | null;
  member: string | null;
  attempt: number;
  metrics: {
    SourceReceivedCount: string;
    SinkWriteCount: string;
    SourceReceivedQPS: string;
    SinkWriteQPS: string;
    SourceReceivedBytes: string;
    SinkWriteBytes: string;
  };
  result?: { checkpoints?: { completed: number; failed: number; recent: CheckpointEvent[] } };
  jobDag?: { vertexInfoMap: Vertex[]; envOptions: Record<string, unknown> } | null;
}

async function answer<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => ({}))) as { message?: string };
  if (!r.ok) {
    throw new Error(body.message ?? `${r.status} ${r.statusText}`);
  }
  return body as T;
}

export const get = async <T>(path: string): Promise<T> => answer<T>(await fetch(path));

export const post = async <T>(path: string, body: unknown): Promise<T> =>
  answer<T>(await fetch(path, { method: "POST", body: JSON.stringify(body) }));

/** A job's log on `node` from byte `from`: its text (secrets masked by the member) and where to read on. */
export async function logText(node: string, name: string, from: number): Promise<{ text: string; next: number }> {
  const r = await fetch(`log/${encodeURIComponent(name)}?member=${encodeURIComponent(node)}&from=${from}`);
  if (!r.ok) {
    return { text: "", next: from };
  }
  const text = await r.text();
  return { text, next: Number(r.headers.get("x-log-next") ?? from) };
}
