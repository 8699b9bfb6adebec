/**
 * The flags of `seatunnel run` — SeaTunnel's client flags (ClientCommandArgs, JCommander style:
 * `-cn`, `-can` are whole flags, not bundles) plus ours. Unknown flags are usage errors with a
 * did-you-mean, not silently kept as SeaTunnel does.
 */
import { notKnown } from "../api/errors.ts";

/**
 * A bad command line. `command` (`run`, `connectors describe`) names the help that shows the right
 * usage; `hint`, when given, is the line printed after the error instead of the pointer to that help.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command = "run",
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

type FlagType = "bool" | "string" | "repeat" | "multi";

interface FlagSpec {
  names: readonly string[];
  key: keyof RunArgs;
  type: FlagType;
  hint?: string;
  doc: string;
  /** Talks to a running cluster: marked "[cluster mode]" in the help. */
  cluster?: boolean;
}

export interface RunArgs {
  config?: string;
  variables: string[];
  check: boolean;
  connect: boolean;
  name?: string;
  encrypt: boolean;
  decrypt: boolean;
  master: string;
  restore?: string;
  savepoint?: string;
  cluster?: string;
  clusterAddress?: string;
  jobId?: string;
  cancelJob: string[];
  metrics?: string;
  setJobId?: string;
  runningMetrics: boolean;
  list: boolean;
  async: boolean;
  closeJob: boolean;
  help: boolean;
  verbose: boolean;
  json: boolean;
  strict: boolean;
  noProgress: boolean;
  noFuse: boolean;
  workers?: string;
  slots?: string;
  checkpointDir?: string;
  retainedCheckpoints?: string;
}

export const RUN_FLAGS: readonly FlagSpec[] = [
  {
    names: ["-c", "--config"],
    key: "config",
    type: "string",
    hint: "FILE",
    doc: "Job file (.conf HOCON, .json, .toml, .sql)",
  },
  {
    names: ["-i", "--variable"],
    key: "variables",
    type: "repeat",
    hint: "KEY=VALUE",
    doc: "Variable for ${KEY} in the job file; repeatable, comma-separated pairs allowed",
  },
  {
    names: ["--check"],
    key: "check",
    type: "bool",
    doc: "Read, validate and plan the job, print the plan; offline: touch no data, connect to nothing",
  },
  {
    names: ["--connect"],
    key: "connect",
    type: "bool",
    doc: "With --check: also connect to every source and sink and check credentials, tables and columns",
  },
  {
    names: ["-n", "--name"],
    key: "name",
    type: "string",
    hint: "NAME",
    doc: "Job name (default: env job.name, else SeaTunnel)",
  },
  {
    names: ["-m", "--master", "-e", "--deploy-mode"],
    key: "master",
    type: "string",
    hint: "local|cluster",
    doc: "Where the job runs; local (default here) runs it in this process",
  },
  {
    names: ["--encrypt"],
    key: "encrypt",
    type: "bool",
    doc: "Print the job with sensitive options encoded by env.shade.identifier; run nothing",
  },
  {
    names: ["--decrypt"],
    key: "decrypt",
    type: "bool",
    doc: "Print the job with sensitive options decoded; run nothing",
  },
  {
    names: ["-r", "--restore"],
    key: "restore",
    type: "string",
    hint: "JOB_ID",
    doc: "Resume a stopped or crashed job from its last checkpoint (give the same job file)",
  },
  {
    names: ["-s", "--savepoint"],
    key: "savepoint",
    type: "string",
    hint: "JOB_ID",
    doc: "Take a savepoint of a running job and stop it",
    cluster: true,
  },
  { names: ["-cn", "--cluster"], key: "cluster", type: "string", hint: "NAME", doc: "Cluster name" },
  {
    names: ["--cluster-address"],
    key: "clusterAddress",
    type: "string",
    hint: "URL",
    doc: "A member of the cluster for -m cluster (default: $SEATUNNEL_CLUSTER, else http://127.0.0.1:8080)",
  },
  {
    names: ["-j", "--job-id"],
    key: "jobId",
    type: "string",
    hint: "JOB_ID",
    doc: "Print a job's status",
    cluster: true,
  },
  {
    names: ["-can", "--cancel-job"],
    key: "cancelJob",
    type: "multi",
    hint: "JOB_ID...",
    doc: "Cancel jobs",
    cluster: true,
  },
  { names: ["--metrics"], key: "metrics", type: "string", hint: "JOB_ID", doc: "Print a job's metrics", cluster: true },
  {
    names: ["--set-job-id"],
    key: "setJobId",
    type: "string",
    hint: "ID",
    doc: "Use this job id instead of a generated one",
  },
  {
    names: ["--get_running_job_metrics"],
    key: "runningMetrics",
    type: "bool",
    doc: "Print metrics of all running jobs",
    cluster: true,
  },
  { names: ["-l", "--list"], key: "list", type: "bool", doc: "List jobs", cluster: true },
  { names: ["--async"], key: "async", type: "bool", doc: "Return right after submitting (cluster mode)" },
  {
    names: ["-cj", "--close-job"],
    key: "closeJob",
    type: "bool",
    doc: "Cancel the job when this client is stopped (default true)",
  },
  { names: ["-h", "--help"], key: "help", type: "bool", doc: "Show this help (exit code 234, as SeaTunnel's client)" },
  { names: ["--verbose"], key: "verbose", type: "bool", doc: "Debug logs and stack traces" },
  {
    names: ["--json"],
    key: "json",
    type: "bool",
    doc: "Print one JSON object on stdout, whatever the outcome; logs go to stderr",
  },
  {
    names: ["--strict"],
    key: "strict",
    type: "bool",
    doc: "Every warning is an error (unknown options, unresolved variables, -i pieces without =)",
  },
  { names: ["--no-progress"], key: "noProgress", type: "bool", doc: "No live progress line on a terminal" },
  {
    names: ["--workers"],
    key: "workers",
    type: "string",
    hint: "N",
    doc: "Worker threads for the job's chains (default: cores; 0 runs everything on the main thread)",
  },
  {
    names: ["--slots"],
    key: "slots",
    type: "string",
    hint: "N",
    doc: "Chains that may run at once; pipelines wait for free slots (default: no limit)",
  },
  {
    names: ["--checkpoint-dir"],
    key: "checkpointDir",
    type: "string",
    hint: "DIR",
    doc: "Where checkpoints are stored (default: $SEATUNNEL_CHECKPOINT_DIR, else <temp dir>/seatunnel/checkpoint)",
  },
  {
    names: ["--retained-checkpoints"],
    key: "retainedCheckpoints",
    type: "string",
    hint: "N",
    doc: "Checkpoints kept per pipeline (default: 3, SeaTunnel's checkpoint.storage.max-retained)",
  },
  {
    names: ["--no-fuse"],
    key: "noFuse",
    type: "bool",
    doc: "Debug: serialize rows at every operator boundary, to measure what fusion saves",
  },
];

/** The flags `seatunnel plan` takes: those that change what is planned, and help. */
export const PLAN_FLAGS: readonly FlagSpec[] = RUN_FLAGS.filter((f) =>
  (["config", "variables", "name", "strict", "verbose", "help"] as (keyof RunArgs)[]).includes(f.key),
).map((f) => (f.key === "help" ? { ...f, doc: "Show this help" } : f));

/** Parses `run`'s command line; `flags`/`command` narrow it for another command that takes a job file (plan). */
export function parseRunArgs(argv: readonly string[], flags = RUN_FLAGS, command = "run"): RunArgs {
  const out: RunArgs = {
    variables: [],
    check: false,
    connect: false,
    encrypt: false,
    decrypt: false,
    master: "local",
    cancelJob: [],
    runningMetrics: false,
    list: false,
    async: false,
    closeJob: true,
    help: false,
    verbose: false,
    json: false,
    strict: false,
    noProgress: false,
    noFuse: false,
  };
  const rec = out as unknown as Record<string, unknown>;
  const all = flags.flatMap((f) => f.names);
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (!raw.startsWith("-") || raw === "-") {
      if (out.config !== undefined) {
        throw new UsageError(`unexpected argument "${raw}": the job file is already "${out.config}"`, command);
      }
      out.config = raw;
      continue;
    }
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const spec = flags.find((f) => f.names.includes(name));
    if (!spec) {
      throw new UsageError(notKnown("flag", name, `flag of ${command}`, all), command);
    }
    const value = (): string => {
      if (inline !== undefined) {
        return inline;
      }
      const v = argv[++i];
      if (v === undefined) {
        throw new UsageError(`flag "${name}" needs a value (${spec.hint ?? "VALUE"})`, command);
      }
      return v;
    };
    switch (spec.type) {
      case "bool": {
        const next = inline ?? argv[i + 1];
        if (next !== undefined && /^(true|false)$/i.test(next)) {
          if (inline === undefined) {
            i++;
          }
          rec[spec.key] = next.toLowerCase() === "true";
        } else {
          rec[spec.key] = true;
        }
        break;
      }
      case "string":
        rec[spec.key] = value();
        break;
      case "repeat":
        (rec[spec.key] as string[]).push(value());
        break;
      case "multi": {
        const list = rec[spec.key] as string[];
        if (inline !== undefined) {
          list.push(inline);
        }
        while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) {
          list.push(argv[++i]!);
        }
        if (!list.length) {
          throw new UsageError(`flag "${name}" needs at least one value (${spec.hint})`);
        }
        break;
      }
    }
  }
  checkRunArgs(out);
  return out;
}

/** Checks the flag values that parsing alone accepts as any string, and lower-cases the master. */
function checkRunArgs(out: RunArgs): void {
  const master = out.master.toLowerCase();
  if (master !== "local" && master !== "cluster") {
    throw new UsageError(`-m/--master expects local or cluster, received "${out.master}"`);
  }
  out.master = master;
  if (out.connect && !out.check) {
    throw new UsageError("--connect goes with --check (or run: seatunnel validate <job-file>)");
  }
  for (const [k, flag] of [
    ["workers", "--workers"],
    ["slots", "--slots"],
    ["retainedCheckpoints", "--retained-checkpoints"],
  ] as const) {
    const v = out[k];
    if (v !== undefined && !/^\d+$/.test(v)) {
      throw new UsageError(`${flag} expects a whole number, received "${v}"`);
    }
    if (k !== "workers" && v === "0") {
      throw new UsageError(`${flag} expects at least 1`);
    }
  }
}

/** The flag lines of a help text: `  -i, --variable KEY=VALUE   doc`. */
export function flagLines(flags: readonly FlagSpec[]): string[] {
  return flags.map(
    (f) =>
      `  ${`${f.names.join(", ")}${f.hint ? ` ${f.hint}` : ""}`.padEnd(40)} ${f.doc}${f.cluster ? " [cluster mode]" : ""}`,
  );
}

/** `seatunnel run --help`. */
export function runHelp(): string {
  return [
    "Usage: seatunnel run <job-file> [flags]",
    "       seatunnel --config <job-file> [flags]     (SeaTunnel's client form)",
    "",
    "Runs a job file: reads, validates and plans it, then moves its rows.",
    "Exit codes: 0 finished, 1 failed, 2 invalid job file, 130 stopped by a signal, 234 usage error.",
    "",
    "Flags:",
    ...flagLines(RUN_FLAGS),
  ].join("\n");
}

/**
 * A command group (`checkpoints`, `cluster`) before its subcommand runs: its own -h prints
 * `general` (true: answered, nothing else runs), and a missing or unknown subcommand (`subs`: the
 * tree's) is a usage error whose hint is `general`.
 */
export function groupUsage(group: string, general: string, argv: readonly string[], subs: readonly string[]): boolean {
  const sub = argv[0];
  if (sub === "-h" || sub === "--help") {
    process.stdout.write(`${general}\n`);
    return true;
  }
  if (sub === undefined || !subs.includes(sub)) {
    const what =
      sub === undefined
        ? "no subcommand given"
        : notKnown("subcommand", sub, `subcommand of ${group}`, subs, `subcommands: ${subs.join(", ")}`);
    throw new UsageError(what, group, general);
  }
  return false;
}
