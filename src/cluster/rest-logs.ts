/**
 * Jobs' logs over HTTP, as SeaTunnel's REST API v2 lists them: `GET /logs/:jobId?format=json`
 * gives `[{node, logLink, logName}]` (an HTML list without `format=json`), and `GET /log/:name`
 * serves one log file of this member, `job-<id>.log`: what the job's process wrote, every attempt
 * on this member one after the other. `?from=N` (ours) serves it from byte N, for a client that
 * follows a job (`seatunnel run -m cluster`).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ClusterMember } from "./member.ts";
import { BadRequest } from "./rest-jobs.ts";

const LOG_NAME = /^job-(\d+)\.log$/;

/** The log file of job `id` in a data directory. */
export const jobLogFile = (dataDir: string, id: string) => join(dataDir, "jobs", `${id}.log`);

/** A log route's answer (a Response), or undefined for a path that is not one. */
export async function logRoute(
  member: ClusterMember,
  path: string,
  url: URL,
  base: string,
): Promise<Response | undefined> {
  const [, head, arg] = /^\/([a-z-]+)\/(.+)$/.exec(path) ?? [];
  if (head === "logs" && arg !== undefined) {
    const j = await member.store.jobs.get(arg);
    if (j === undefined) {
      return Response.json([]);
    }
    const node = j.member ?? member.cluster.member.id;
    const address = member.cluster.members.find((m) => m.id === node)?.address ?? `http://${node}`;
    const logName = `job-${j.id}.log`;
    const links = [{ node, logLink: `${address}${base}/log/${logName}`, logName }];
    if (url.searchParams.get("format") === "json") {
      return Response.json(links);
    }
    const items = links.map((l) => `<li><a href="${l.logLink}">${l.node}: ${l.logName}</a></li>`).join("");
    return new Response(`<html><body><ul>${items}</ul></body></html>`, { headers: { "content-type": "text/html" } });
  }
  if (head === "log" && arg !== undefined) {
    const id = LOG_NAME.exec(arg)?.[1];
    if (id === undefined) {
      throw new BadRequest(`no log "${arg}": a job's log is named job-<jobId>.log`);
    }
    const file = jobLogFile(member.dataDir, id);
    if (!existsSync(file)) {
      return Response.json({ status: "fail", message: `no log of job ${id} on this member` }, { status: 404 });
    }
    const from = Number(url.searchParams.get("from") ?? 0);
    if (!Number.isInteger(from) || from < 0) {
      throw new BadRequest(`from must be a byte offset (a whole number), received "${url.searchParams.get("from")}"`);
    }
    const size = statSync(file).size;
    return new Response(Bun.file(file).slice(Math.min(from, size), size), {
      headers: { "content-type": "text/plain; charset=utf-8", "x-log-size": String(size) },
    });
  }
  return undefined;
}
