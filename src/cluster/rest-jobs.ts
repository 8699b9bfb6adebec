/**
 * The job endpoints of SeaTunnel's REST API v2 on a member: `POST /submit-job` (the job file as
 * JSON, or HOCON, SQL or TOML with `?format=`; `?jobId=&jobName=`), `POST /submit-job/upload` (a
 * multipart `config_file`), `POST /submit-jobs`, `POST /stop-jobs`, `GET /job-info/:jobId`,
 * `GET /running-jobs`, `GET /finished-jobs/:state`,
 * `POST /stop-job` (`isStopWithSavePoint`: SAVEPOINT_DONE, resumed by a submission with
 * `isStartWithSavePoint=true` and its jobId). A submitted job is checked as `seatunnel run --check` checks a file (every
 * option, the plan, offline) before it is stored: an invalid one is refused with its positioned
 * errors and never reaches a member.
 */
import { ConfigError, ConfigErrors } from "../api/errors.ts";
import { toPlain } from "../api/tree.ts";
import type { Logger } from "../api/connector.ts";
import { newJobId } from "../runtime/job-id.ts";
import { chainCount } from "../runtime/job-master.ts";
import { readJob } from "../config/read.ts";
import { bindPlanned, planJob } from "../plan/load.ts";
import { closeNodes } from "../plan/connect.ts";
import {
  ACTIVE_STATES,
  ALL_STATES,
  type ClusterJob,
  FINAL_STATES,
  JobAlreadyExists,
  type JobCounts,
  type JobState,
} from "./jobs.ts";
import type { ClusterStore } from "./store.ts";
import { redactText, secretsOf } from "./redact.ts";
import { jobDag } from "./rest-dag.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A request SeaTunnel answers with 400 (its IllegalArgumentException). */
export class BadRequest extends Error {}

/** `yyyy-MM-dd HH:mm:ss` of epoch milliseconds, as SeaTunnel's REST API prints times (UTC here). */
const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace("T", " "));

/** A job's counts (live while it runs, final once it ended) under SeaTunnel's metric names, as strings. */
export function seaTunnelMetrics(counts: Record<string, unknown>): Record<string, unknown> {
  const m = counts as JobCounts;
  const written: Record<string, string> = {};
  for (const sink of Object.values(m.sinks ?? {})) {
    for (const [table, n] of Object.entries(sink.tables ?? {})) {
      written[table] = String(Number(written[table] ?? 0) + n);
    }
  }
  return {
    SourceReceivedCount: String(m.read ?? 0),
    SinkWriteCount: String(m.written ?? 0),
    SourceReceivedQPS: String(m.readPerSecond ?? 0),
    SinkWriteQPS: String(m.writtenPerSecond ?? 0),
    SourceReceivedBytes: String(m.readBytes ?? 0),
    SinkWriteBytes: String(m.writtenBytes ?? 0),
    SourceReceivedBytesPerSeconds: String(m.readBytesPerSecond ?? 0),
    SinkWriteBytesPerSeconds: String(m.writtenBytesPerSecond ?? 0),
    TableSourceReceivedCount: Object.fromEntries(Object.entries(m.sources ?? {}).map(([t, v]) => [t, String(v.read)])),
    TableSinkWriteCount: written,
  };
}

/** A job as SeaTunnel's job-info shows it, plus where it runs and its run's counts. */
export function jobInfo(j: ClusterJob): Record<string, unknown> {
  const m = j.metrics ?? {};
  // An error may quote the job's secrets (a connection URL): masked, as in its log.
  const secrets = j.error !== null || (m as { error?: unknown }).error ? secretsOf(j.config) : [];
  const hide = <T>(v: T): T => (secrets.length || j.error ? JSON.parse(redactText(JSON.stringify(v), secrets)) : v);
  return {
    jobId: j.id,
    jobName: j.name,
    jobStatus: j.state,
    createTime: time(j.submittedMs),
    ...(j.finishedMs !== null ? { finishedTime: time(j.finishedMs) } : {}),
    errorMsg: j.error === null ? null : redactText(j.error, secrets),
    metrics: seaTunnelMetrics(m),
    isStartWithSavePoint: j.restore,
    member: j.member,
    attempt: j.attempt,
    ...(j.metrics !== null ? { result: hide(j.metrics) } : {}),
  };
}

/** The file name a submission's body is read as: the `format` parameter (json by default, SeaTunnel's json and hocon, our sql and toml). */
export function bodyFile(format: string | null): string {
  const f = (format ?? "json").toLowerCase();
  const ext = { json: "json", hocon: "conf", conf: "conf", sql: "sql", toml: "toml" }[f];
  if (ext === undefined) {
    throw new BadRequest(`format must be json, hocon, sql or toml, received "${format}"`);
  }
  return `job.${ext}`;
}

/** A submission checked offline as `seatunnel run --check` checks a file: its config as JSON, name and slots. */
interface Checked {
  jobId: string;
  jobName: string;
  restore: boolean;
  config: string;
  need: { min: number; max: number };
}

/** Reads and checks a submitted job file `text` (named `file`, whose extension says its format). */
async function checkJob(text: string, file: string, params: Record<string, string | undefined>): Promise<Checked> {
  const restore = params.isStartWithSavePoint === "true";
  if (restore && !params.jobId) {
    throw new BadRequest("Please provide jobId when start with save point.");
  }
  const jobId = params.jobId || newJobId();
  if (!/^\d+$/.test(jobId)) {
    throw new BadRequest(`jobId must be a number, received "${jobId}"`);
  }
  try {
    const tree = await readJob(text, file, { variables: new Map(), env: {} });
    const planned = await planJob(tree, file);
    const jobName = params.jobName || planned.job.env["job.name"];
    const bound = await bindPlanned(planned, { jobId, jobName, log: quiet, checkOnly: true });
    await closeNodes(bound.nodes);
    // Its slots: one per chain; its largest pipeline's chains at least (pipelines may take turns).
    const chains = bound.dag.pipelines.map((p) => chainCount(bound, p));
    const need = {
      min: Math.max(1, ...chains),
      max: Math.max(
        1,
        chains.reduce((a, b) => a + b, 0),
      ),
    };
    // Stored as JSON, whatever the format it came in: the member runs `<id>.json`.
    return { jobId, jobName, restore, config: JSON.stringify(toPlain(tree)), need };
  } catch (e) {
    // Positioned, as `seatunnel run --check` prints them (file names as the body's format: job.conf:3:5).
    if (e instanceof ConfigErrors || e instanceof ConfigError) {
      throw new BadRequest(e instanceof ConfigError ? e.format() : e.message);
    }
    throw e;
  }
}

async function store1(store: ClusterStore, c: Checked): Promise<{ jobId: string; jobName: string }> {
  try {
    await store.jobs.submit(c.jobId, c.jobName, c.config, c.restore, c.need);
  } catch (e) {
    throw e instanceof JobAlreadyExists ? new BadRequest(e.message) : e;
  }
  return { jobId: c.jobId, jobName: c.jobName };
}

const paramsOf = (q: URLSearchParams) => ({
  jobId: q.get("jobId") ?? undefined,
  jobName: q.get("jobName") ?? undefined,
  isStartWithSavePoint: q.get("isStartWithSavePoint") ?? undefined,
});

/** `POST /submit-job`: checks the job file offline and stores it PENDING; its id and name. */
export async function submitJob(
  store: ClusterStore,
  body: string,
  query: URLSearchParams,
): Promise<{ jobId: string; jobName: string }> {
  return store1(store, await checkJob(body, bodyFile(query.get("format")), paramsOf(query)));
}

/** `POST /submit-job/upload`: the job file as the multipart field `config_file`, read by its name's extension. */
async function submitUpload(store: ClusterStore, req: Request, query: URLSearchParams) {
  const form = await req.formData().catch(() => undefined);
  const file = form?.get("config_file");
  if (!(file instanceof File)) {
    throw new BadRequest("the job file goes in the multipart field config_file");
  }
  // readJob reads .json, .sql and .toml as such and any other name as HOCON.
  if (!/\.(json|conf|config|hocon|sql|toml)$/i.test(file.name)) {
    throw new BadRequest(`${file.name}: a job file's name ends in .json, .conf, .config, .sql or .toml`);
  }
  return store1(store, await checkJob(await file.text(), file.name, paramsOf(query)));
}

/** `POST /submit-jobs`: an array of job files (JSON), each with its `params`; all are checked before any is stored. */
async function submitJobs(store: ClusterStore, body: string) {
  const jobs = JSON.parse(body) as unknown;
  if (!Array.isArray(jobs)) {
    throw new BadRequest("submit-jobs takes a JSON array of jobs, each with its params");
  }
  const checked: Checked[] = [];
  for (const [i, j] of jobs.entries()) {
    const { params, ...config } = (j ?? {}) as { params?: Record<string, string | undefined> };
    try {
      checked.push(await checkJob(JSON.stringify(config), "job.json", params ?? {}));
    } catch (e) {
      throw new BadRequest(`job ${i + 1} of ${jobs.length}: ${(e as Error).message}`);
    }
  }
  const out = [];
  for (const c of checked) {
    out.push(await store1(store, c));
  }
  return out;
}

/** `POST /stop-job` of one `{jobId, isStopWithSavePoint}`. */
async function stopJob(store: ClusterStore, req: { jobId?: unknown; isStopWithSavePoint?: unknown }) {
  const id = String(req?.jobId ?? "");
  if (!(await store.jobs.get(id))) {
    throw new BadRequest(`no job ${id} in this cluster`);
  }
  await store.jobs.stop(id, req.isStopWithSavePoint === true ? "savepoint" : "cancel");
  return { jobId: id };
}

const STATES = new Set<string>(ALL_STATES);

/** How long a job list read for a view (overview, job lists, /metrics) is answered again. */
const VIEW_MS = 100;
const views = new WeakMap<ClusterStore, Map<string, { at: number; jobs: Promise<ClusterJob[]> }>>();

/**
 * The store's jobs of `states` for a read-only view, read at most every VIEW_MS per member: a
 * monitor polling a thousand times a second costs the member ten store reads. Decisions (the
 * master, the runner) always read the store itself.
 */
export function viewJobs(store: ClusterStore, states: readonly JobState[] = []): Promise<ClusterJob[]> {
  let byKey = views.get(store);
  if (byKey === undefined) {
    byKey = new Map();
    views.set(store, byKey);
  }
  const key = states.join(",");
  const now = performance.now();
  const hit = byKey.get(key);
  if (hit && now - hit.at < VIEW_MS) {
    return hit.jobs;
  }
  const jobs = store.jobs.list(states);
  byKey.set(key, { at: now, jobs });
  jobs.catch(() => byKey.delete(key));
  return jobs;
}

/** A submission or a stop through this member: its next view reads the store. */
export const forgetViews = (store: ClusterStore) => views.delete(store);

/** The job routes: an answer, or undefined for a path that is not one of them. */
export async function jobRoute(store: ClusterStore, req: Request, path: string, url: URL): Promise<unknown> {
  const method = req.method;
  const [, head, arg] = /^\/([a-z-]+)(?:\/(.*))?$/.exec(path) ?? [];
  if (method === "POST") {
    if (head === "submit-job" && arg === undefined) {
      return submitJob(store, await req.text(), url.searchParams);
    }
    if (head === "submit-job" && arg === "upload") {
      return submitUpload(store, req, url.searchParams);
    }
    if (head === "submit-jobs" && arg === undefined) {
      return submitJobs(store, await req.text());
    }
    if (head === "stop-job" && arg === undefined) {
      return stopJob(store, JSON.parse(await req.text()));
    }
    if (head === "stop-jobs" && arg === undefined) {
      const all = JSON.parse(await req.text()) as unknown;
      if (!Array.isArray(all)) {
        throw new BadRequest("stop-jobs takes a JSON array of {jobId, isStopWithSavePoint}");
      }
      // Every job must exist before any is stopped.
      for (const one of all as { jobId?: unknown }[]) {
        if (!(await store.jobs.get(String(one?.jobId ?? "")))) {
          throw new BadRequest(`no job ${String(one?.jobId ?? "")} in this cluster`);
        }
      }
      const out = [];
      for (const one of all) {
        out.push(await stopJob(store, one));
      }
      return out;
    }
    return undefined;
  }
  if (method !== "GET") {
    return undefined;
  }
  if (head === "job-info" || head === "running-job") {
    if (!arg) {
      throw new BadRequest("The jobId must not be empty.");
    }
    const j = await store.jobs.get(arg);
    return j ? { ...jobInfo(j), jobDag: (await jobDag(j)) ?? null } : { jobId: arg };
  }
  if (head === "running-jobs" && arg === undefined) {
    return (await viewJobs(store, ["PENDING", ...ACTIVE_STATES])).map(jobInfo);
  }
  if (head === "finished-jobs") {
    const state = (arg ?? "").toUpperCase();
    if (state !== "" && !STATES.has(state)) {
      throw new BadRequest(`no job state "${arg}": one of ${FINAL_STATES.join(", ")}`);
    }
    const jobs = await viewJobs(store, state === "" ? FINAL_STATES : [state as JobState]);
    return jobs.sort((a, b) => (a.finishedMs ?? 0) - (b.finishedMs ?? 0)).map(jobInfo);
  }
  return undefined;
}
