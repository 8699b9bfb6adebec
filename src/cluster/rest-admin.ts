/**
 * SeaTunnel's REST API v2 endpoints about a member rather than a job: `POST /encrypt-config` (a
 * job config with its sensitive options shaded, as `seatunnel run --encrypt`), `POST /update-tags`
 * (this member's tags, which /overview's tag filters and the web view read), and
 * `GET /system-monitoring-information` (every live member's processors, memory, load and
 * threads, asked of each member: `?member=self` answers for this one alone).
 */
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { encodeSensitive } from "../config/shade.ts";
import type { ClusterMember } from "./member.ts";
import { memberHeaders } from "./http-listen.ts";
import { BadRequest } from "./rest-jobs.ts";

const size = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)}G` : `${(bytes / 2 ** 20).toFixed(1)}M`;

/** This member's figures, in SeaTunnel's names and string forms (the JVM's heap and GC: JavaScriptCore's). */
function monitoring(member: ClusterMember): Record<string, string> {
  const m = process.memoryUsage();
  const heapUsed = m.heapUsed;
  const heapTotal = m.heapTotal;
  const [one] = loadavg();
  const usage = process.cpuUsage();
  return {
    member: member.cluster.member.id,
    processors: String(cpus().length),
    "physical.memory.total": size(totalmem()),
    "physical.memory.free": size(freemem()),
    "heap.memory.used": size(heapUsed),
    "heap.memory.total": size(heapTotal),
    "heap.memory.used/total": `${((heapUsed / Math.max(1, heapTotal)) * 100).toFixed(2)}%`,
    "process.rss": size(m.rss),
    "process.cpu.time": `${Math.round((usage.user + usage.system) / 1000)}ms`,
    "load.systemAverage": one!.toFixed(2),
    "uptime.seconds": String(Math.round(process.uptime())),
    "jobs.running": String(member.runner.runningCount),
  };
}

/** An admin route's answer, or undefined for a path that is not one. */
export async function adminRoute(
  member: ClusterMember,
  req: Request,
  path: string,
  url: URL,
  base: string,
): Promise<unknown> {
  if (req.method === "POST" && path === "/encrypt-config") {
    const config = JSON.parse(await req.text()) as unknown;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new BadRequest("encrypt-config takes a job config as a JSON object");
    }
    return encodeSensitive(config as Record<string, unknown>);
  }
  if (req.method === "POST" && path === "/update-tags") {
    const text = await req.text();
    if (text.trim() === "") {
      throw new BadRequest("Request body is empty.");
    }
    let tags: unknown;
    try {
      tags = JSON.parse(text);
    } catch {
      throw new BadRequest("Invalid JSON format in request body.");
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
      throw new BadRequest("Invalid JSON format in request body.");
    }
    await member.setTags(Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])));
    return { status: "success", message: "update node tags done." };
  }
  if (req.method === "GET" && path === "/system-monitoring-information") {
    if (url.searchParams.get("member") === "self") {
      return [monitoring(member)];
    }
    const me = member.cluster.member.id;
    const others = member.cluster.members.filter((m) => m.id !== me);
    const answers = await Promise.all(
      others.map((m) =>
        fetch(`${m.address}${base}/system-monitoring-information?member=self`, {
          headers: memberHeaders(member.engine.http),
          signal: AbortSignal.timeout(2000),
        })
          .then((r) => (r.ok ? (r.json() as Promise<Record<string, string>[]>) : []))
          .catch(() => [{ member: m.id, error: "did not answer" }]),
      ),
    );
    return [monitoring(member), ...answers.flat()];
  }
  return undefined;
}
