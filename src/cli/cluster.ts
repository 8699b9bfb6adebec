/**
 * `seatunnel cluster start|stop`: a long-lived cluster member (SeaTunnel's server flags -cn, -d, -r)
 * and its clean stop. A member joins the cluster of its name through the store (a SQLite file in
 * its data directory by default, or PostgreSQL with --store), keeps its heartbeat, takes part in
 * the master election, and serves HTTP (docs/cluster.md). Each running member leaves a pid file in
 * `<data dir>/members/`, which `stop` reads.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { join, resolve } from "node:path";
import { notKnown } from "../api/errors.ts";
import type { EngineConfig } from "../cluster/config.ts";
import type { ClusterMember } from "../cluster/member.ts";
import type { Role } from "../cluster/store.ts";
import { CRASH_ENV, parseCrashSpec } from "../checkpoint/crash-points.ts";
import { groupUsage, UsageError } from "./args.ts";
import { EXIT } from "./errors.ts";
import { selfArgv } from "./gc-tuning.ts";

const ROLES: Role[] = ["master", "worker", "master_and_worker"];

const USAGE = {
  start: `Usage: seatunnel cluster start [-cn NAME] [-r ROLE] [-d] [--data-dir DIR] [--port N] [--host NAME]
                              [--store URL] [--config FILE]

Runs a cluster member until it is stopped (SIGTERM, SIGINT or \`seatunnel cluster stop\`). Members
with the same cluster name and store form one cluster; the store's master lease elects the master,
so no member is configured as one.

Flags:
  -cn, --cluster NAME   The cluster's name (default: seatunnel)
  -r, --role ROLE       master, worker or master_and_worker (default); a worker is never master
  -d, --daemon          Run in the background: print its pid, address and log file, and return
  --data-dir DIR        The member's files: the SQLite store, pid files, logs (default:
                        $SEATUNNEL_DATA_DIR, else ~/.local/share/seatunnel)
  --port N              HTTP port (default: 8080, SeaTunnel's seatunnel.engine.http.port)
  --host NAME           The name other members and clients reach this member by, and the host
                        its id and checkpoints are known under (default: this machine's hostname)
  --store URL           A postgresql:// URL: the store for members on several machines (default:
                        cluster.db in the data directory, for members on this machine)
  --config FILE         SeaTunnel's seatunnel.yaml (default: $SEATUNNEL_HOME/config/seatunnel.yaml,
                        else seatunnel.yaml in the data directory, where one exists); --port and
                        --store override its http.port and cluster.store
  -h, --help            Show this help`,
  stop: `Usage: seatunnel cluster stop [-cn NAME] [--data-dir DIR]

Stops the members started from the data directory (those of cluster NAME only, with -cn): each
releases the master lease if it holds it and leaves the cluster, and the command waits for it.

Flags:
  -cn, --cluster NAME   Only members of this cluster
  --data-dir DIR        As for start
  -h, --help            Show this help`,
};

const GENERAL = `Usage: seatunnel cluster start [-cn NAME] [-r ROLE] [-d] [--data-dir DIR] [--port N] [--host NAME]
                              [--store URL] [--config FILE]
       seatunnel cluster stop [-cn NAME] [--data-dir DIR]
Run \`seatunnel cluster <start|stop> -h\` for details.`;

type Sub = keyof typeof USAGE;

export function clusterHelp(sub?: Sub): string {
  return sub ? USAGE[sub] : GENERAL;
}

/** `seatunnel cluster` before a subcommand runs: its own -h (true: answered), or a usage error for a missing or unknown subcommand. */
export function clusterGroup(argv: readonly string[], subs: readonly string[]): boolean {
  return groupUsage("cluster", GENERAL, argv, subs);
}

interface Flags {
  help: boolean;
  cluster?: string;
  role: Role;
  daemon: boolean;
  dataDir: string;
  port?: number;
  host?: string;
  store?: string;
  config?: string;
}

const FLAGS: Record<string, { key: keyof Flags; value?: string; in: Sub[] }> = {
  "-cn": { key: "cluster", value: "NAME", in: ["start", "stop"] },
  "--cluster": { key: "cluster", value: "NAME", in: ["start", "stop"] },
  "-r": { key: "role", value: "ROLE", in: ["start"] },
  "--role": { key: "role", value: "ROLE", in: ["start"] },
  "-d": { key: "daemon", in: ["start"] },
  "--daemon": { key: "daemon", in: ["start"] },
  "--data-dir": { key: "dataDir", value: "DIR", in: ["start", "stop"] },
  "--port": { key: "port", value: "N", in: ["start"] },
  "--store": { key: "store", value: "URL", in: ["start"] },
  "--host": { key: "host", value: "NAME", in: ["start"] },
  "--config": { key: "config", value: "FILE", in: ["start"] },
  "-h": { key: "help", in: ["start", "stop"] },
  "--help": { key: "help", in: ["start", "stop"] },
};

/** The data directory unless --data-dir says otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SEATUNNEL_DATA_DIR || join(homedir(), ".local", "share", "seatunnel");
}

export function parseClusterFlags(sub: Sub, argv: readonly string[]): Flags {
  const f: Flags = { help: false, role: "master_and_worker", daemon: false, dataDir: defaultDataDir() };
  const command = `cluster ${sub}`;
  const usage = (m: string) =>
    new UsageError(`${command}: ${m}`, command, `Run \`seatunnel ${command} -h\` for the flags.`);
  const names = Object.keys(FLAGS).filter((n) => FLAGS[n]!.in.includes(sub));
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const def = FLAGS[name];
    if (def === undefined || !def.in.includes(sub)) {
      throw usage(
        name.startsWith("-") ? notKnown("flag", name, `flag of ${command}`, names) : `unexpected argument "${name}"`,
      );
    }
    if (def.value === undefined) {
      (f as unknown as Record<string, unknown>)[def.key] = true;
      continue;
    }
    const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
    if (!value) {
      throw usage(`flag "${name}" needs a value (${def.value})`);
    }
    if (def.key === "role") {
      if (!ROLES.includes(value as Role)) {
        throw usage(`flag "${name}" expects one of ${ROLES.join(", ")}, received "${value}"`);
      }
      f.role = value as Role;
    } else if (def.key === "port") {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
        throw usage(`flag "${name}" expects a port number (1-65535), received "${value}"`);
      }
      f.port = Number(value);
    } else {
      (f as unknown as Record<string, unknown>)[def.key] =
        def.key === "dataDir" || def.key === "config" ? resolve(value) : value;
    }
  }
  return f;
}

const membersDir = (dataDir: string) => join(dataDir, "members");

interface PidFile {
  pid: number;
  cluster: string;
  member: string;
  address: string;
}

/** `seatunnel cluster start|stop`; resolves with the exit code once the member has stopped. */
export async function clusterCommand(sub: Sub, argv: readonly string[], version: string): Promise<number> {
  const f = parseClusterFlags(sub, argv);
  if (f.help) {
    process.stdout.write(`${USAGE[sub]}\n`);
    return EXIT.ok;
  }
  if (sub === "stop") {
    return stopMembers(f);
  }
  try {
    parseCrashSpec(process.env[CRASH_ENV]);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { readEngineConfig, DEFAULT_ENGINE } = await import("../cluster/config.ts");
  const file = f.config ?? engineConfigFile(f.dataDir);
  const engine = file ? readEngineConfig(file) : DEFAULT_ENGINE;
  const member: Member = { ...f, port: f.port ?? engine.httpPort ?? 8080, store: f.store ?? engine.store, engine };
  return f.daemon ? startDaemon(member, argv) : runMember(member, version);
}

/** A start's flags with seatunnel.yaml applied: the port and store it says unless the flags say otherwise. */
type Member = Flags & { port: number; engine: EngineConfig };

/** SeaTunnel's place for seatunnel.yaml ($SEATUNNEL_HOME/config), else the data directory's, where one exists. */
function engineConfigFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    ...(env.SEATUNNEL_HOME ? [join(env.SEATUNNEL_HOME, "config", "seatunnel.yaml")] : []),
    join(dataDir, "seatunnel.yaml"),
  ];
  return candidates.find((c) => existsSync(c));
}

async function runMember(f: Member, version: string): Promise<number> {
  // Loaded here: the help and stop need none of it.
  const { createLogger } = await import("../runtime/log.ts");
  const { ClusterMember } = await import("../cluster/member.ts");
  const { serveMember } = await import("../cluster/http.ts");
  const log = createLogger({ verbose: false });
  const cluster = f.cluster ?? "seatunnel";
  const host = f.host ?? hostname();
  // Without a host, only this machine reaches the member (127.0.0.1); with one, every interface.
  let server: ReturnType<typeof serveMember>;
  try {
    server = serveMember({
      version,
      port: f.port,
      contextPath: f.engine.contextPath,
      hostname: f.host === undefined ? "127.0.0.1" : "0.0.0.0",
      settings: f.engine.http,
    });
  } catch (e) {
    process.stderr.write(`error[CLUSTER_HTTP]: ${(e as Error).message}\n`);
    return EXIT.jobFailed;
  }
  const port = server.port;
  const address = `http://${f.host ?? "127.0.0.1"}:${port}`;
  // Slots 0: dynamic (any number of jobs).
  const slots = f.engine.dynamicSlot ? 0 : f.engine.slotNum;
  const info = { id: `${host}:${port}`, address, role: f.role, tags: {}, slots };
  mkdirSync(membersDir(f.dataDir), { recursive: true });
  let member: ClusterMember;
  try {
    const self = selfArgv();
    // The words before `cluster` (bun's script, or none in the compiled binary) start a job's `run`.
    const command = { path: self.path, args: self.argv.slice(1, self.argv.indexOf("cluster")) };
    member = await ClusterMember.start({
      store: { cluster, url: f.store, dataDir: f.dataDir },
      info,
      log,
      self: command,
      engine: f.engine,
    });
  } catch (e) {
    server.stop();
    process.stderr.write(`error[CLUSTER_STORE]: ${(e as Error).message}\n`);
    return EXIT.jobFailed;
  }
  server.attach(member);
  const pidFile = join(membersDir(f.dataDir), `${port}.pid`);
  const pid: PidFile = { pid: process.pid, cluster, member: info.id, address };
  writeFileSync(pidFile, `${JSON.stringify(pid)}\n`);
  const https = server.httpsPort === undefined ? "" : ` and HTTPS on port ${server.httpsPort}`;
  const auth = f.engine.http.basicAuth ? ", with basic auth" : "";
  log.info(
    `Member ${info.id} serves HTTP on ${f.host === undefined ? "127.0.0.1" : "every interface"} port ${port}${https}${auth}; its data directory is ${f.dataDir}.`,
  );
  if (f.engine.file) {
    const inert = f.engine.inert.length ? `; without effect here: ${f.engine.inert.join(", ")}` : "";
    log.info(`Engine config ${f.engine.file}: ${slots ? `${slots} slots` : "dynamic slots"}${inert}.`);
  }
  await new Promise<void>((done) => {
    const stop = (sig: string) => {
      log.info(`Member ${info.id} stops (${sig}).`);
      done();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  server.stop();
  await member.stop();
  rmSync(pidFile, { force: true });
  log.info(`Member ${info.id} left cluster "${cluster}".`);
  return EXIT.ok;
}

/** Starts the member in the background (its output to a log file) and returns once it serves HTTP. */
async function startDaemon(f: Member, argv: readonly string[]): Promise<number> {
  const logs = join(f.dataDir, "logs");
  mkdirSync(logs, { recursive: true });
  const logFile = join(logs, `member-${f.port}.log`);
  const fd = openSync(logFile, "a");
  const self = selfArgv();
  const args = [
    ...self.argv.slice(1, self.argv.indexOf("cluster") + 2),
    ...argv.filter((a) => a !== "-d" && a !== "--daemon"),
  ];
  const child = Bun.spawn([self.path, ...args], { stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-5).join("\n");
      process.stderr.write(`error[CLUSTER_START]: the member exited with code ${child.exitCode}:\n${tail}\n`);
      return EXIT.jobFailed;
    }
    // It writes its pid file once it serves HTTP (on the port it took) and has joined.
    const own = memberPidFiles(f.dataDir).find((p) => p.pid === child.pid);
    if (own !== undefined) {
      process.stdout.write(`Member ${own.member} started (pid ${child.pid}): ${own.address}, log ${logFile}\n`);
      return EXIT.ok;
    }
    await Bun.sleep(100);
  }
  process.stderr.write(`error[CLUSTER_START]: the member did not serve HTTP within 15 s; see ${logFile}\n`);
  return EXIT.jobFailed;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid files of the members started from `dataDir`, with their paths. */
function memberPidFiles(dataDir: string): (PidFile & { path: string })[] {
  const dir = membersDir(dataDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".pid")) : [];
  return files.flatMap((name) => {
    const path = join(dir, name);
    try {
      return [{ ...(JSON.parse(readFileSync(path, "utf8")) as PidFile), path }];
    } catch {
      return [];
    }
  });
}

async function stopMembers(f: Flags): Promise<number> {
  let stopped = 0;
  for (const p of memberPidFiles(f.dataDir)) {
    if (f.cluster !== undefined && p.cluster !== f.cluster) {
      continue;
    }
    if (!alive(p.pid)) {
      rmSync(p.path, { force: true });
      continue;
    }
    process.kill(p.pid, "SIGTERM");
    const until = Date.now() + 20_000;
    while (alive(p.pid) && Date.now() < until) {
      await Bun.sleep(50);
    }
    if (alive(p.pid)) {
      process.stderr.write(`error[CLUSTER_STOP]: member ${p.member} (pid ${p.pid}) did not stop within 20 s\n`);
      return EXIT.jobFailed;
    }
    process.stdout.write(`Stopped member ${p.member} of cluster "${p.cluster}" (pid ${p.pid}).\n`);
    stopped++;
  }
  if (stopped === 0) {
    process.stdout.write(
      `No member started from ${f.dataDir}${f.cluster ? ` for cluster "${f.cluster}"` : ""} is running.\n`,
    );
  }
  return EXIT.ok;
}
