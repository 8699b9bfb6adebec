/**
 * The job endpoints of SeaTunnel's REST API v2 on a member: `POST /submit-job` (the job file as
 * JSON, `?jobId=&jobName=`), `GET /job-info/:jobId`, `GET /running-jobs`, `GET /finished-jobs/:state`,
 * `POST /stop-job` (`isStopWithSavePoint`: SAVEPOINT_DONE, resumed by a submission with
 * `isStartWithSavePoint=true` and its jobId). A submitted job is checked as `seatunnel run --check` checks a file (every
 * option, the plan, offline) before it is stored: an invalid one is refused with its positioned
 * errors and never reaches a member.
 */
import { ConfigError, ConfigErrors } from "../api/errors.ts";
import type { Logger } from "../api/connector.ts";
import { newJobId } from "../runtime/job-id.ts";
import { chainCount } from "../runtime/job-master.ts";
import { readJob } from "../config/read.ts";
import { bindPlanned, planJob } from "../plan/load.ts";
import { closeNodes } from "../plan/connect.ts";
import { ACTIVE_STATES, type ClusterJob, FINAL_STATES, JobAlreadyExists, type JobState } from "./jobs.ts";
import type { ClusterStore } from "./store.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A request SeaTunnel answers with 400 (its IllegalArgumentException). */
export class BadRequest extends Error {}

/** `yyyy-MM-dd HH:mm:ss` of epoch milliseconds, as SeaTunnel's REST API prints times (UTC here). */
const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace("T", " "));

/** A job as SeaTunnel's job-info shows it, plus where it runs and its run's counts. */
export function jobInfo(j: ClusterJob): Record<string, unknown> {
  const m = j.metrics ?? {};
  return {
    jobId: j.id,
    jobName: j.name,
    jobStatus: j.state,
    createTime: time(j.submittedMs),
    ...(j.finishedMs !== null ? { finishedTime: time(j.finishedMs) } : {}),
    errorMsg: j.error,
    metrics: { SourceReceivedCount: String(m.read ?? 0), SinkWriteCount: String(m.written ?? 0) },
    isStartWithSavePoint: j.restore,
    member: j.member,
    attempt: j.attempt,
    ...(j.metrics !== null ? { result: j.metrics } : {}),
  };
}

/** Checks a submitted job file (JSON) offline and stores it as PENDING; returns its id and name. */
export async function submitJob(
  store: ClusterStore,
  body: string,
  query: URLSearchParams,
): Promise<{ jobId: string; jobName: string }> {
  const restore = query.get("isStartWithSavePoint") === "true";
  if (restore && !query.get("jobId")) {
    throw new BadRequest("Please provide jobId when start with save point.");
  }
  const jobId = query.get("jobId") || newJobId();
  if (!/^\d+$/.test(jobId)) {
    throw new BadRequest(`jobId must be a number, received "${jobId}"`);
  }
  let jobName: string;
  let need: { min: number; max: number };
  try {
    const tree = await readJob(body, "job.json", { variables: new Map(), env: {} });
    const planned = await planJob(tree, "job.json");
    jobName = query.get("jobName") || planned.job.env["job.name"];
    const bound = await bindPlanned(planned, { jobId, jobName, log: quiet, checkOnly: true });
    await closeNodes(bound.nodes);
    // Its slots: one per chain; its largest pipeline's chains at least (pipelines may take turns).
    const chains = bound.dag.pipelines.map((p) => chainCount(bound, p));
    need = {
      min: Math.max(1, ...chains),
      max: Math.max(
        1,
        chains.reduce((a, b) => a + b, 0),
      ),
    };
  } catch (e) {
    if (e instanceof ConfigErrors || e instanceof ConfigError) {
      throw new BadRequest(e.message);
    }
    throw e;
  }
  try {
    await store.jobs.submit(jobId, jobName, body, restore, need);
  } catch (e) {
    throw e instanceof JobAlreadyExists ? new BadRequest(e.message) : e;
  }
  return { jobId, jobName };
}

const STATES = new Set<string>(["PENDING", ...ACTIVE_STATES, ...FINAL_STATES]);

/** The job routes: an answer, or undefined for a path that is not one of them. */
export async function jobRoute(
  store: ClusterStore,
  method: string,
  path: string,
  url: URL,
  body: () => Promise<string>,
): Promise<unknown> {
  const [, head, arg] = /^\/([a-z-]+)(?:\/(.*))?$/.exec(path) ?? [];
  if (method === "POST" && head === "submit-job" && arg === undefined) {
    return submitJob(store, await body(), url.searchParams);
  }
  if (method === "POST" && head === "stop-job" && arg === undefined) {
    const req = JSON.parse(await body()) as { jobId?: unknown; isStopWithSavePoint?: unknown };
    const id = String(req.jobId ?? "");
    if (!(await store.jobs.get(id))) {
      throw new BadRequest(`no job ${id} in this cluster`);
    }
    await store.jobs.stop(id, req.isStopWithSavePoint === true ? "savepoint" : "cancel");
    return { jobId: id };
  }
  if (method !== "GET") {
    return undefined;
  }
  if (head === "job-info" || head === "running-job") {
    if (!arg) {
      throw new BadRequest("The jobId must not be empty.");
    }
    const j = await store.jobs.get(arg);
    return j ? jobInfo(j) : { jobId: arg };
  }
  if (head === "running-jobs" && arg === undefined) {
    return (await store.jobs.list(["PENDING", ...ACTIVE_STATES])).map(jobInfo);
  }
  if (head === "finished-jobs") {
    const state = (arg ?? "").toUpperCase();
    if (state !== "" && !STATES.has(state)) {
      throw new BadRequest(`no job state "${arg}": one of ${FINAL_STATES.join(", ")}`);
    }
    const jobs = await store.jobs.list(state === "" ? FINAL_STATES : [state as JobState]);
    return jobs.sort((a, b) => (a.finishedMs ?? 0) - (b.finishedMs ?? 0)).map(jobInfo);
  }
  return undefined;
}
