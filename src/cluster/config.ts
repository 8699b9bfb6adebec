/**
 * A member's engine configuration: SeaTunnel's seatunnel.yaml (the keys under `seatunnel.engine`
 * that apply here, docs/cluster.md "Configuration"), plus our `cluster.store`. A key this engine
 * has no use for (a JVM or Hazelcast setting) is accepted and named in the member's log; one it
 * cannot honour yet, or does not know, fails the member's start with the key's position.
 */
import { readFileSync } from "node:fs";
import { ConfigError, notKnown } from "../api/errors.ts";
import type { Pos } from "../api/tree.ts";

export type ScheduleStrategy = "WAIT" | "REJECT";

export interface EngineConfig {
  /** The file read, if any. */
  file: string | undefined;
  /** Dynamic slots (SeaTunnel's default): a member takes any number of jobs; else `slotNum` slots each. */
  dynamicSlot: boolean;
  slotNum: number;
  /** Defaults for jobs whose env does not set them (a streaming job's interval; any job's timeout). */
  checkpointInterval: number;
  checkpointTimeout: number;
  /** Where jobs' checkpoints go (undefined: the data directory's `checkpoint`), and how many per pipeline stay. */
  checkpointDir: string | undefined;
  retained: number;
  /** Ended jobs are forgotten this long after they ended. */
  historyExpireMinutes: number;
  /** A job no member has the slots for waits (WAIT, our default, as the issue of pipelines never failing for slots asks) or fails (REJECT). */
  scheduleStrategy: ScheduleStrategy;
  httpPort: number | undefined;
  contextPath: string;
  /** The REST API's security and port settings (seatunnel.engine.http). */
  http: HttpSettings;
  store: string | undefined;
  /** Keys read that change nothing here, for the member's log. */
  inert: string[];
}

/** seatunnel.engine.http beyond its port and context path: SeaTunnel's names (docs/cluster.md "Security"). */
export interface HttpSettings {
  /** Basic auth: on, with a user and a password (no default password here: on without one refuses to start). */
  basicAuth: boolean;
  user: string;
  password: string | undefined;
  /** HTTPS on `httpsPort` besides HTTP, with a PEM file of the certificate (chain) and its private key. */
  https: boolean;
  httpsPort: number;
  keyStorePath: string | undefined;
  /** The passphrase of an encrypted private key (key-manager-password, else key-store-password). */
  keyPassword: string | undefined;
  /** A PEM file of the certificates that client certificates must chain to (mutual TLS). */
  trustStorePath: string | undefined;
  /** Taken ports: the next free one of `portRange` ports from the configured one. */
  dynamicPort: boolean;
  portRange: number;
}

/** SeaTunnel's shipped seatunnel.yaml, where it sets a value, else its code's default. */
export const DEFAULT_ENGINE: EngineConfig = {
  file: undefined,
  dynamicSlot: true,
  slotNum: 2,
  checkpointInterval: 10_000,
  checkpointTimeout: 60_000,
  checkpointDir: undefined,
  retained: 3,
  historyExpireMinutes: 1440,
  scheduleStrategy: "WAIT",
  httpPort: undefined,
  contextPath: "",
  http: {
    basicAuth: false,
    user: "admin",
    password: undefined,
    https: false,
    httpsPort: 8443,
    keyStorePath: undefined,
    keyPassword: undefined,
    trustStorePath: undefined,
    dynamicPort: false,
    portRange: 100,
  },
  store: undefined,
  inert: [],
};

type Apply = (c: EngineConfig, v: unknown, bad: (m: string) => never) => void;

const int =
  (min: number, set: (c: EngineConfig, n: number) => void): Apply =>
  (c, v, bad) => {
    const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
      bad(`expects a whole number >= ${min}, received ${JSON.stringify(v)}`);
    }
    set(c, n as number);
  };

const bool =
  (set: (c: EngineConfig, b: boolean) => void): Apply =>
  (c, v, bad) => {
    const b = typeof v === "string" ? v.toLowerCase() : v;
    if (b !== true && b !== false && b !== "true" && b !== "false") {
      bad(`expects true or false, received ${JSON.stringify(v)}`);
    }
    set(c, b === true || b === "true");
  };

const text =
  (set: (c: EngineConfig, s: string) => void): Apply =>
  (c, v, bad) => {
    if (typeof v !== "string" && typeof v !== "number") {
      bad(`expects a text value, received ${JSON.stringify(v)}`);
    }
    set(c, String(v));
  };

const inert =
  (why: string): Apply =>
  (c, _v, _bad) =>
    void c.inert.push(why);

const notYet =
  (what: string, unlessFalse = false): Apply =>
  (_c, v, bad) => {
    if (!(unlessFalse && (v === false || v === "false"))) {
      bad(`is not supported by this engine yet (${what})`);
    }
  };

/** Every key under `seatunnel.engine`, dotted. A key ending in `.*` takes a whole subtree. */
const KEYS: Record<string, Apply> = {
  "slot-service.dynamic-slot": bool((c, b) => (c.dynamicSlot = b)),
  "slot-service.slot-num": int(1, (c, n) => (c.slotNum = n)),
  "checkpoint.interval": int(1, (c, n) => (c.checkpointInterval = n)),
  "checkpoint.timeout": int(1, (c, n) => (c.checkpointTimeout = n)),
  "checkpoint.schema-change-timeout": inert("checkpoint.schema-change-timeout (no schema change events here)"),
  "checkpoint.storage.type": (_c, v, bad) => {
    if (v !== "localfile" && v !== "hdfs") {
      bad(`expects localfile or hdfs (with a file:// fs.defaultFS), received ${JSON.stringify(v)}`);
    }
  },
  "checkpoint.storage.max-retained": int(1, (c, n) => (c.retained = n)),
  "checkpoint.storage.plugin-config.namespace": text((c, s) => (c.checkpointDir = s)),
  "checkpoint.storage.plugin-config.storage.type": (_c, v, bad) => {
    if (v !== "hdfs" && v !== "localfile") {
      bad(`expects hdfs (a file:// fs.defaultFS: a directory every member can read), received ${JSON.stringify(v)}`);
    }
  },
  "checkpoint.storage.plugin-config.fs.defaultFS": (_c, v, bad) => {
    if (typeof v !== "string" || !v.startsWith("file:")) {
      bad(
        `must be a file:// URL: checkpoints go to a directory (one every member can read, such as an NFS mount); HDFS and object stores are not supported, received ${JSON.stringify(v)}`,
      );
    }
  },
  "history-job-expire-minutes": int(0, (c, n) => (c.historyExpireMinutes = n)),
  "job-schedule-strategy": (c, v, bad) => {
    const s = String(v).toUpperCase();
    if (s !== "WAIT" && s !== "REJECT") {
      bad(`expects WAIT or REJECT, received ${JSON.stringify(v)}`);
    }
    c.scheduleStrategy = s as ScheduleStrategy;
  },
  "http.enable-http": (_c, v, bad) => {
    if (v === false || v === "false") {
      bad("cannot be false here: clients and members reach a member only through its HTTP port");
    }
  },
  "http.port": int(1, (c, n) => (c.httpPort = n)),
  "http.context-path": text((c, s) => (c.contextPath = s === "/" ? "" : s.replace(/\/+$/, ""))),
  "http.enable-basic-auth": bool((c, b) => (c.http.basicAuth = b)),
  "http.basic-auth-username": text((c, s) => (c.http.user = s)),
  "http.basic-auth-password": text((c, s) => (c.http.password = s)),
  "http.enable-https": bool((c, b) => (c.http.https = b)),
  "http.https-port": int(1, (c, n) => (c.http.httpsPort = n)),
  "http.key-store-path": text((c, s) => (c.http.keyStorePath = s)),
  "http.key-store-password": text((c, s) => (c.http.keyPassword ??= s)),
  "http.key-manager-password": text((c, s) => (c.http.keyPassword = s)),
  "http.trust-store-path": text((c, s) => (c.http.trustStorePath = s)),
  "http.trust-store-password": inert("http.trust-store-password (the trust store is a PEM file)"),
  "http.enable-dynamic-port": bool((c, b) => (c.http.dynamicPort = b)),
  "http.port-range": int(1, (c, n) => (c.http.portRange = n)),
  "cluster.store": text((c, s) => (c.store = s)),
  "backup-count": inert("backup-count (state lives in the cluster store, not in Hazelcast maps)"),
  "print-execution-info-interval": inert("print-execution-info-interval (jobs log their own progress)"),
  "print-job-metrics-info-interval": inert("print-job-metrics-info-interval (the client prints its progress line)"),
  "job-metrics-backup-interval": inert("job-metrics-backup-interval (a job's counts are stored when it ends)"),
  task_execution_thread_share_mode: inert("task_execution_thread_share_mode (a pool of workers runs every chain)"),
  "queue-type": inert("queue-type (a fused chain passes rows without a queue)"),
  "classloader-cache-mode": inert("classloader-cache-mode (no JVM class loaders here)"),
  "jar-storage.*": inert("jar-storage (connectors are built into the binary)"),
  "metrics-fetch-timeout-ms": inert("metrics-fetch-timeout-ms (a job's counts are read from the store)"),
  "telemetry.metric.enabled": notYet("Prometheus metrics come with the REST API work", true),
  "telemetry.logs.scheduled-deletion-enable": inert("telemetry.logs (job logs stay in the data directory)"),
  "event-report-http.*": notYet("job events are not reported over HTTP"),
};

/** Where `path` (keys from the top) is written in a block-style YAML text: each key below its parent. */
export function yamlPos(text: string, file: string, path: readonly string[]): Pos | undefined {
  const lines = text.split("\n");
  let at = 0;
  let indent = -1;
  let found: Pos | undefined;
  for (const key of path) {
    found = undefined;
    for (let i = at; i < lines.length; i++) {
      const line = lines[i]!;
      const m = /^(\s*)(["']?)([^:"']+)\2\s*:/.exec(line);
      if (m === null || line.trim().startsWith("#")) {
        continue;
      }
      const own = m[1]!.length;
      if (own <= indent) {
        break;
      }
      if (m[3]!.trim() === key) {
        found = { file, line: i + 1, col: own + 1 };
        at = i + 1;
        indent = own;
        break;
      }
    }
    if (found === undefined) {
      return undefined;
    }
  }
  return found;
}

/** The dotted keys under `node` with their values: a mapping's keys are walked into, anything else is a leaf. */
function leaves(node: unknown, prefix: string[], out: [string[], unknown][]): void {
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) {
      leaves(v, [...prefix, k], out);
    }
  } else {
    out.push([prefix, node]);
  }
}

/** The key of KEYS that `path` (below seatunnel.engine) names, taking dotted YAML keys (`storage.type`) as written. */
function keyOf(path: readonly string[]): string | undefined {
  const dotted = path.join(".");
  if (KEYS[dotted]) {
    return dotted;
  }
  for (let n = path.length - 1; n > 0; n--) {
    const tree = `${path.slice(0, n).join(".")}.*`;
    if (KEYS[tree]) {
      return tree;
    }
  }
  return undefined;
}

/** Reads seatunnel.yaml at `file`; throws ConfigError with the position of what is wrong. */
export function readEngineConfig(file: string): EngineConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError("CLUSTER_CONFIG", `cannot read the engine config ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(text);
  } catch (e) {
    throw new ConfigError("CLUSTER_CONFIG", `${file}: not valid YAML (${(e as Error).message.replace(/^YAML /, "")})`);
  }
  const c: EngineConfig = { ...DEFAULT_ENGINE, http: { ...DEFAULT_ENGINE.http }, file, inert: [] };
  const top = (doc ?? {}) as Record<string, unknown>;
  const all: [string[], unknown][] = [];
  leaves(top, [], all);
  for (const [path, value] of all) {
    const pos = yamlPos(text, file, path);
    const fail = (m: string): never => {
      throw new ConfigError("CLUSTER_CONFIG", pos ? m : `${file}: ${m}`, pos);
    };
    if (path[0] !== "seatunnel" || path[1] !== "engine") {
      fail(`"${path.join(".")}" is not a seatunnel.yaml key: every key goes under seatunnel.engine`);
    }
    const below = path.slice(2);
    const key = keyOf(below);
    if (key === undefined) {
      const names = Object.keys(KEYS).filter((k) => !k.endsWith(".*"));
      fail(
        notKnown(
          "key",
          `seatunnel.engine.${below.join(".")}`,
          "seatunnel.yaml key",
          names.map((k) => `seatunnel.engine.${k}`),
        ),
      );
    }
    KEYS[key!]!(c, value, (m) => fail(`seatunnel.engine.${below.join(".")} ${m}`));
  }
  c.inert = [...new Set(c.inert)];
  checkHttp(c.http, (key, m) => {
    const path = ["seatunnel", "engine", "http", key];
    throw new ConfigError("CLUSTER_CONFIG", `seatunnel.engine.http.${key} ${m}`, yamlPos(text, file, path));
  });
  return c;
}

/** What the HTTP settings need together: a password with basic auth, a key store with HTTPS. */
function checkHttp(h: HttpSettings, bad: (key: string, m: string) => never): void {
  if (h.basicAuth && !h.password) {
    bad(
      "enable-basic-auth",
      "is true but basic-auth-password is not set: this engine has no default password; set one (and basic-auth-username, admin by default)",
    );
  }
  if (h.https && !h.keyStorePath) {
    bad(
      "enable-https",
      "is true but key-store-path is not set: give a PEM file of the certificate and its private key",
    );
  }
}
