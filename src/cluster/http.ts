/**
 * A member's HTTP service on `http.port` under `http.context-path`, as SeaTunnel's REST API v2
 * (Jetty on 8080): `GET /overview` with SeaTunnel's payload, and our own `GET /cluster` (the
 * member's view: who is master at which epoch, the live members). Errors answer as SeaTunnel's
 * ExceptionHandlingFilter does: `{"status":"fail","message":...}`, 400 for a bad request and 404 for
 * an unknown path here. The job endpoints come with jobs.
 */
import { VERSION } from "../version.ts";
import type { ClusterMember } from "./member.ts";

export interface HttpOptions {
  port: number;
  /** `http.context-path`: "" or a path starting with `/`. */
  contextPath: string;
  /** `slot-service.dynamic-slot`: slots are counted as 0 (unbounded), as SeaTunnel's overview does. */
  dynamicSlots: boolean;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fail = (message: string, status: number) => json({ status: "fail", message }, status);

/** SeaTunnel's overview: counts as strings; `tag=value` query pairs keep the members with those tags. */
function overview(member: ClusterMember, o: HttpOptions, query: URLSearchParams): Record<string, string> {
  const tags = [...query.entries()];
  const members = member.cluster.members.filter((m) => tags.every(([k, v]) => m.tags[k] === v));
  const workers = members.filter((m) => m.role !== "master");
  const slots = o.dynamicSlots ? 0 : workers.reduce((n, m) => n + m.slots, 0);
  return {
    projectVersion: VERSION,
    gitCommitAbbrev: "",
    totalSlot: String(slots),
    unassignedSlot: String(slots),
    works: String(workers.length),
    // No job runs on a cluster yet: jobs come with the job service.
    runningJobs: "0",
    finishedJobs: "0",
    failedJobs: "0",
    cancelledJobs: "0",
  };
}

function clusterState(member: ClusterMember): unknown {
  const v = member.cluster;
  return {
    cluster: v.cluster,
    member: v.member.id,
    role: v.member.role,
    master: v.master ? { member: v.master.holder, epoch: v.master.epoch } : null,
    isMaster: member.epoch !== undefined,
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

/** Serves the member's endpoints; throws a clear error when the port is taken. */
export function serveMember(member: ClusterMember, o: HttpOptions): ReturnType<typeof Bun.serve> {
  const base = o.contextPath.replace(/\/+$/, "");
  try {
    return Bun.serve({
      port: o.port,
      fetch(req) {
        const url = new URL(req.url);
        if (!url.pathname.startsWith(`${base}/`)) {
          return fail(`no such path: ${url.pathname}`, 404);
        }
        const path = url.pathname.slice(base.length);
        if (req.method !== "GET") {
          return fail(`${req.method} ${path} is not served by this member`, 404);
        }
        if (path === "/overview") {
          return json(overview(member, o, url.searchParams));
        }
        if (path === "/cluster") {
          return json(clusterState(member));
        }
        return fail(`no such path: ${url.pathname}`, 404);
      },
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new Error(`port ${o.port} is in use (by another member or program): choose another with --port N`);
    }
    throw e;
  }
}
