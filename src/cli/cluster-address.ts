/**
 * Which cluster member the client talks to, and as whom: the addresses it is given (flag,
 * environment, client config file), the first that answers, and the user and password an address
 * may carry (`http://USER:PASSWORD@host:port`, basic auth), which are never printed.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { JobError } from "../api/errors.ts";
import { redactUrl } from "../cluster/postgres.ts";
import type { RunArgs } from "./args.ts";

export const DEFAULT_CLUSTER = "http://127.0.0.1:8080";

/**
 * The members the client may talk to, in order: --cluster-address, else $SEATUNNEL_CLUSTER, else
 * `cluster-address` of the client config file ($SEATUNNEL_CLIENT_CONFIG, else
 * ~/.config/seatunnel/client.yaml, where it exists), else the default. Each may list several,
 * comma-separated (the file: a YAML list too).
 */
export function clusterAddresses(args: RunArgs, env: NodeJS.ProcessEnv = process.env): string[] {
  const given = args.clusterAddress || env.SEATUNNEL_CLUSTER || fromClientConfig(env) || DEFAULT_CLUSTER;
  return given
    .split(",")
    .map((a) => a.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

function fromClientConfig(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.SEATUNNEL_CLIENT_CONFIG || join(homedir(), ".config", "seatunnel", "client.yaml");
  if (!existsSync(file)) {
    if (env.SEATUNNEL_CLIENT_CONFIG) {
      throw new JobError("CLUSTER_CLIENT_CONFIG", `the client config ${file} (SEATUNNEL_CLIENT_CONFIG) does not exist`);
    }
    return undefined;
  }
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new JobError("CLUSTER_CLIENT_CONFIG", `${file}: not valid YAML (${(e as Error).message})`);
  }
  const v = (doc as Record<string, unknown> | null)?.["cluster-address"];
  if (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"))) {
    return [v].flat().join(",");
  }
  throw new JobError("CLUSTER_CLIENT_CONFIG", `${file}: cluster-address must be an address or a list of them`);
}

/** The first of the client's members that answers (each tried for a second), or an error naming them all. */
export async function clusterAddress(args: RunArgs): Promise<string> {
  const all = clusterAddresses(args);
  if (all.length === 1) {
    return all[0]!;
  }
  for (const base of all) {
    const ok = await fetch(`${base}/cluster`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) {
      return base;
    }
  }
  throw new JobError(
    "CLUSTER_UNREACHABLE",
    `no cluster member answers at ${all.map(shown).join(", ")}: start one with \`seatunnel cluster start\`, or give a member's address with --cluster-address or SEATUNNEL_CLUSTER`,
  );
}

/** A member's address as printed: its password (if the user gave one) as ***. */
export const shown = redactUrl;

/** `link` with the user and password of `base` (a member's address as the user gave it), where it has none. */
export function withCredentials(link: string, base: string): string {
  const from = new URL(base);
  const to = new URL(link);
  if (from.username !== "" && to.username === "") {
    to.username = from.username;
    to.password = from.password;
  }
  return to.href;
}
