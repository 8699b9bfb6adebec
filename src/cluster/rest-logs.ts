/**
 * Jobs' logs over HTTP, as SeaTunnel's REST API v2 lists them: `GET /logs/:jobId?format=json`
 * gives `[{node, logLink, logName}]` (an HTML list without `format=json`), `GET /logs` every
 * job's, `GET /log` this member's, and `GET /log/:name` (or `/logs/:name`) serves one log file
 * of this member, `job-<id>.log`: what the job's process wrote, every attempt
 * on this member one after the other. `?from=N` (ours) serves it from byte N, for a client that
 * follows a job (`seatunnel run -m cluster`). The job's secrets are masked (redact.ts).
 * `?member=ID` (ours) asks that member for its log.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { jobLogFile, jobsDir } from "./files.ts";
import type { ClusterMember } from "./member.ts";
import { BadRequest } from "./rest-jobs.ts";
import { redactText, secretsOf } from "./redact.ts";
import { memberHeaders } from "./http-listen.ts";

const LOG_NAME = /^job-(\d+)\.log$/;

/** A log route's answer (a Response), or undefined for a path that is not one. */
export async function logRoute(
  member: ClusterMember,
  path: string,
  url: URL,
  base: string,
): Promise<Response | undefined> {
  const [, head, arg] = /^\/(logs?)(?:\/(.+))?$/.exec(path) ?? [];
  if (head === undefined) {
    return undefined;
  }
  const link = (node: string, id: string): LogLink => {
    const address = member.cluster.members.find((m) => m.id === node)?.address ?? `http://${node}`;
    return { node, logLink: `${address}${base}/log/job-${id}.log`, logName: `job-${id}.log` };
  };
  if (head === "logs" && (arg === undefined || !LOG_NAME.test(arg))) {
    // One job's log (where its member is), or every job's the store knows.
    const jobs = arg === undefined ? await member.store.jobs.list() : [await member.store.jobs.get(arg)];
    const links = jobs.flatMap((j) => (j?.member ? [link(j.member, j.id)] : []));
    return listed(links, url);
  }
  if (head === "log" && arg === undefined) {
    const dir = jobsDir(member.dataDir);
    const me = member.cluster.member.id;
    const ids = existsSync(dir) ? readdirSync(dir).flatMap((f) => /^(\d+)\.log$/.exec(f)?.[1] ?? []) : [];
    return listed(
      ids.map((id) => link(me, id)),
      url,
    );
  }
  const on = url.searchParams.get("member");
  if (on !== null && on !== member.cluster.member.id) {
    return fromMember(member, on, path, url, base);
  }
  const id = LOG_NAME.exec(arg ?? "")?.[1];
  const job = id === undefined ? undefined : await member.store.jobs.get(id);
  return serveLog(member.dataDir, arg ?? "", url, job ? secretsOf(job.config) : []);
}

/**
 * One log file of this member, `job-<id>.log`, from byte `?from=` on, to its last whole line, with
 * the job's secrets masked: `x-log-next` is the byte to ask from next time.
 */
async function serveLog(dataDir: string, name: string, url: URL, secrets: string[]): Promise<Response> {
  const id = LOG_NAME.exec(name)?.[1];
  if (id === undefined) {
    throw new BadRequest(`no log "${name}": a job's log is named job-<jobId>.log`);
  }
  const file = jobLogFile(dataDir, id);
  if (!existsSync(file)) {
    return Response.json({ status: "fail", message: `no log of job ${id} on this member` }, { status: 404 });
  }
  const from = Number(url.searchParams.get("from") ?? 0);
  if (!Number.isInteger(from) || from < 0) {
    throw new BadRequest(`from must be a byte offset (a whole number), received "${url.searchParams.get("from")}"`);
  }
  const size = statSync(file).size;
  const bytes = new Uint8Array(await Bun.file(file).slice(Math.min(from, size), size).arrayBuffer());
  // Whole lines only, so that no secret is cut in two between reads.
  const end = bytes.lastIndexOf(10) + 1 || bytes.length;
  const text = redactText(new TextDecoder().decode(bytes.subarray(0, end)), secrets);
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "x-log-size": String(size),
      "x-log-next": String(Math.min(from, size) + end),
    },
  });
}

/** A log of another member (`?member=`), asked of it: the web view reads every log through its own member. */
async function fromMember(member: ClusterMember, on: string, path: string, url: URL, base: string): Promise<Response> {
  const address = member.cluster.members.find((m) => m.id === on)?.address;
  if (address === undefined) {
    return Response.json({ status: "fail", message: `no live member ${on}` }, { status: 404 });
  }
  const query = new URLSearchParams(url.searchParams);
  query.delete("member");
  const r = await fetch(`${address}${base}${path}?${query}`, {
    headers: memberHeaders(member.engine.http),
    signal: AbortSignal.timeout(5000),
  }).catch((e: Error) => Response.json({ status: "fail", message: `member ${on}: ${e.message}` }, { status: 502 }));
  return new Response(r.body, { status: r.status, headers: r.headers });
}

interface LogLink {
  node: string;
  logLink: string;
  logName: string;
}

/** SeaTunnel's log lists: JSON with `format=json`, else an HTML list. */
function listed(links: LogLink[], url: URL): Response {
  if (url.searchParams.get("format") === "json") {
    return Response.json(links);
  }
  const items = links.map((l) => `<li><a href="${l.logLink}">${l.node}: ${l.logName}</a></li>`).join("");
  return new Response(`<html><body><ul>${items}</ul></body></html>`, { headers: { "content-type": "text/html" } });
}
