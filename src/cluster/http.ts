/**
 * A member's HTTP service on `http.port` under `http.context-path`, as SeaTunnel's REST API v2
 * (Jetty on 8080): `GET /overview` with SeaTunnel's payload, and our own `GET /cluster` (the
 * member's view: who is master at which epoch, the live members), and the job endpoints
 * (rest-jobs.ts), and the web view at `/` (src/web). Errors answer as SeaTunnel's ExceptionHandlingFilter does:
 * `{"status":"fail","message":...}`, 400 for a bad request, 500 otherwise, and 404 for an unknown
 * path here.
 */
import type { ClusterJob, JobState } from "./jobs.ts";
import { slotUse } from "./master.ts";
import type { ClusterMember } from "./member.ts";
import { BadRequest, forgetViews, jobRoute, viewJobs } from "./rest-jobs.ts";
import { logRoute } from "./rest-logs.ts";
import { webRoute } from "../web/serve.ts";
import { optionRules } from "./rest-options.ts";
import { adminRoute } from "./rest-admin.ts";
import { prometheusText } from "./prometheus.ts";
import type { HttpSettings } from "./config.ts";
import { type Listening, listen, memberHeaders } from "./http-listen.ts";

/** The states /overview counts as running, as SeaTunnel does. */
const RUNNING = new Set<JobState>(["RUNNING", "CANCELING", "DOING_SAVEPOINT"]);

export interface HttpOptions {
  /** SeaTunnel's `projectVersion`: this build's version. */
  version: string;
  port: number;
  /** `http.context-path`: "" or a path starting with `/`. */
  contextPath: string;
  /** 127.0.0.1, or every interface (0.0.0.0) for a member given a host. */
  hostname: string;
  settings: HttpSettings;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fail = (message: string, status: number) => json({ status: "fail", message }, status);

/** SeaTunnel's overview: counts as strings; `tag=value` query pairs keep the members with those tags. */
function overview(
  member: ClusterMember,
  o: HttpOptions,
  query: URLSearchParams,
  jobs: ClusterJob[],
): Record<string, string> {
  const tags = [...query.entries()];
  const members = member.cluster.members.filter((m) => tags.every(([k, v]) => m.tags[k] === v));
  const workers = members.filter((m) => m.role !== "master");
  const slots = slotUse(workers, jobs);
  return {
    projectVersion: o.version,
    gitCommitAbbrev: "",
    totalSlot: String(slots.total),
    unassignedSlot: String(slots.free),
    works: String(workers.length),
    runningJobs: String(jobs.filter((j) => RUNNING.has(j.state)).length),
    finishedJobs: String(jobs.filter((j) => j.state === "FINISHED").length),
    failedJobs: String(jobs.filter((j) => j.state === "FAILED").length),
    cancelledJobs: String(jobs.filter((j) => j.state === "CANCELED").length),
  };
}

function clusterState(member: ClusterMember): unknown {
  const v = member.cluster;
  return {
    cluster: v.cluster,
    member: v.member.id,
    role: v.member.role,
    master: v.master ? { member: v.master.holder, epoch: v.master.epoch } : null,
    isMaster: v.epoch !== undefined,
    members: v.members.map((m) => ({
      id: m.id,
      address: m.address,
      role: m.role,
      tags: m.tags,
      slots: m.slots,
      startedMs: m.startedMs,
      heartbeatMs: m.heartbeatMs,
    })),
  };
}

/** Asks the master, when it is another member, to run its tick now (a hint: it runs within a second anyway). */
function wakeMaster(member: ClusterMember, base: string, h: HttpSettings): void {
  const v = member.cluster;
  const master = v.master?.holder;
  const address = v.members.find((m) => m.id === master)?.address;
  if (master !== undefined && master !== v.member.id && address !== undefined) {
    fetch(`${address}${base}/wake`, {
      method: "POST",
      headers: memberHeaders(h),
      signal: AbortSignal.timeout(1000),
    }).catch(() => undefined);
  }
}

/**
 * Serves the member's endpoints (see http-listen.ts for how); until `attach` gives it the member
 * (which needs the port taken for its address), a request is answered 503.
 */
export function serveMember(o: HttpOptions): Listening & { attach(member: ClusterMember): void } {
  const base = o.contextPath.replace(/\/+$/, "");
  let member: ClusterMember | undefined;
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    if (base !== "" && url.pathname === base) {
      return Response.redirect(`${base}/`, 302);
    }
    if (!url.pathname.startsWith(`${base}/`)) {
      return fail(`no such path: ${url.pathname}`, 404);
    }
    if (member === undefined) {
      return fail("this member is starting", 503);
    }
    try {
      return await route(member, o, req, url, base);
    } catch (e) {
      return fail((e as Error).message, e instanceof BadRequest || e instanceof SyntaxError ? 400 : 500);
    }
  };
  const listening = listen(handler, o.settings, o.port, o.hostname);
  return { ...listening, attach: (m) => void (member = m) };
}

async function route(member: ClusterMember, o: HttpOptions, req: Request, url: URL, base: string): Promise<Response> {
  const path = url.pathname.slice(base.length);
  if (req.method === "GET" && path === "/overview") {
    return json(overview(member, o, url.searchParams, await viewJobs(member.store)));
  }
  if (req.method === "GET" && path === "/option-rules") {
    return json(await optionRules(url.searchParams));
  }
  if (req.method === "GET" && path === "/cluster") {
    return json(clusterState(member));
  }
  if (req.method === "GET" && (path === "/metrics" || path === "/openmetrics")) {
    return new Response(await prometheusText(member), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  }
  // Ours: the master has given this member a job; its tick runs now.
  if (req.method === "POST" && path === "/wake") {
    member.wake();
    return json({});
  }
  if (req.method === "GET") {
    const answer = webRoute(path) ?? (await logRoute(member, path, url, base));
    if (answer !== undefined) {
      return answer;
    }
  }
  const answer = (await adminRoute(member, req, path, url, base)) ?? (await jobRoute(member.store, req, path, url));
  if (req.method === "POST") {
    forgetViews(member.store);
    // A submission or a stop: this member's tick and the master's run now.
    member.wake();
    wakeMaster(member, base, o.settings);
  }
  return answer === undefined ? fail(`no such path: ${req.method} ${url.pathname}`, 404) : json(answer);
}
