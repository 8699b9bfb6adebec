/**
 * The command tree, declared with citty: each command's name, summary and arguments, dispatched by
 * citty's runCommand. A command's module is imported only when it runs, so this file stays small
 * (`--version` never gets here: src/main.ts answers it before importing anything).
 *
 * Ours rather than citty's: the help texts (help.ts; the global help lists the commands of this
 * tree) and the usage errors (exit 234, one wording); citty's runMain would print its own coloured
 * usage and exit the process. citty keeps a flag it does not know without a word, so every command
 * checks its flags itself: run, validate and plan with run's parser (SeaTunnel's flags are
 * JCommander's: `-cn` is one flag, `-i a=1,b=2` one value), checkpoints against the args declared here.
 */
import { type ArgsDef, type CommandDef, type CommandMeta, defineCommand, runCommand, type SubCommandsDef } from "citty";
import { ConfigError, ConfigErrors, notKnown } from "../api/errors.ts";
import { UsageError } from "./args.ts";
import { EXIT, printErrors } from "./errors.ts";

/** What the commands need from main.ts, and where the command that ran leaves its exit code. */
interface Env {
  version: string;
  workerEntry: URL;
  done(code: number): void;
}

/** Thrown by a command group's setup that answered by itself (`connectors -h`): citty then runs no subcommand. */
class Answered {}

const isHelp = (a: string | undefined) => a === "-h" || a === "--help";

/** A first argument that names a job file: SeaTunnel's client form `seatunnel job.conf`. */
const JOB_FILE = /\.(conf|json|toml|sql|hocon)$/i;

/**
 * A positional argument. It is never `required` for citty, which would reject its absence in its own
 * words: each command says what is missing. `valueHint` is how the global help shows it.
 */
const positional = (valueHint: string, description: string) =>
  ({ type: "positional", required: false, valueHint, description }) as const;

const JOB_FILE_ARG = { "job-file": positional("<job-file>", "The job file: .conf (HOCON), .json, .toml or .sql") };

/**
 * `seatunnel <argv>`: no arguments and `-h` print the global help (exit 234, as SeaTunnel's client);
 * flags or a job file first are SeaTunnel's client form of `run`; anything else goes to citty.
 */
export async function dispatch(argv: readonly string[], version: string, workerEntry: URL): Promise<number> {
  let exitCode: number = EXIT.ok;
  const root = rootCommand({
    version,
    workerEntry,
    done: (code) => {
      exitCode = code;
    },
  });
  const first = argv[0];
  if (first === undefined || isHelp(first)) {
    (first === undefined ? process.stderr : process.stdout).write(`${await globalHelp(version, root)}\n`);
    return EXIT.usage;
  }
  const clientForm = first.startsWith("-") || JOB_FILE.test(first);
  try {
    await runCommand(root, { rawArgs: clientForm ? ["run", ...argv] : [...argv] });
  } catch (e) {
    if (e instanceof Answered) {
      return EXIT.ok;
    }
    // A usage error, or a bad config file a command read (a member's seatunnel.yaml): positioned, exit 2.
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof ConfigErrors) {
      return printErrors(e, false);
    }
    throw e;
  }
  return exitCode;
}

function rootCommand(env: Env): CommandDef {
  const subCommands = {
    ...jobCommands(env),
    connectors: connectorsCommand(env),
    checkpoints: checkpointsCommand(env),
    cluster: clusterCommand(env),
    version: defineCommand({
      meta: { name: "version", description: "Print the version" },
      run: async ({ rawArgs }) => {
        if (isHelp(rawArgs[0])) {
          return env.done(await printHelp("version"));
        }
        if (rawArgs.length) {
          throw new UsageError(`unexpected argument "${rawArgs[0]}": version takes none`, "version");
        }
        process.stdout.write(`${env.version}\n`);
        env.done(EXIT.ok);
      },
    }),
    help: defineCommand({
      meta: { name: "help", description: "Print a command's help" },
      args: { command: positional("[command]", "The command, e.g. run or connectors describe") },
      run: async ({ rawArgs }) => {
        const words = rawArgs.filter((a) => !isHelp(a));
        if (words.length) {
          return env.done(await printHelp(words.join(" ")));
        }
        process.stdout.write(`${await globalHelp(env.version, root)}\n`);
        env.done(EXIT.ok);
      },
    }),
  };
  const root = defineCommand({
    meta: { name: "seatunnel", description: "Runs Apache SeaTunnel job files" },
    subCommands,
    // Checked here rather than by citty: its error has its own wording, and its lookup (`name in
    // subCommands`) would take `toString` for a command.
    setup: ({ rawArgs }) => {
      const names = Object.keys(subCommands);
      if (!names.includes(rawArgs[0]!)) {
        const message = notKnown("command", rawArgs[0]!, "command", names, `commands: ${names.join(", ")}`);
        throw new UsageError(message, "help");
      }
    },
  });
  return root;
}

/** The help of `command` (`connectors describe`) on stdout; an unknown one is a usage error. */
async function printHelp(command: string): Promise<number> {
  const { commandHelp } = await import("./help.ts");
  process.stdout.write(`${commandHelp(command)}\n`);
  return EXIT.ok;
}

async function globalHelp(version: string, root: CommandDef): Promise<string> {
  const { globalHelp: text } = await import("./help.ts");
  return text(version, summaries(root));
}

/** run, validate and plan: citty dispatches them, run's parser reads their flags. */
function jobCommands(env: Env) {
  return {
    run: defineCommand({
      meta: { name: "run", description: "Run a job file (SeaTunnel's client flags and ours)" },
      args: JOB_FILE_ARG,
      run: async ({ rawArgs }) => {
        const { setWorkerUrl } = await import("../runtime/worker-pool.ts");
        setWorkerUrl(env.workerEntry);
        const { runCommand: runJob } = await import("./run.ts");
        env.done(await runJob(rawArgs));
      },
    }),
    validate: defineCommand({
      meta: {
        name: "validate",
        description: "Check a job file and connect to every source and sink (run --check --connect)",
      },
      args: JOB_FILE_ARG,
      run: async ({ rawArgs }) => {
        if (rawArgs.some(isHelp)) {
          return env.done(await printHelp("validate"));
        }
        // The same as `run --check --connect`: every stage, connecting to every source and sink.
        const { runCommand: runJob } = await import("./run.ts");
        env.done(await runJob(["--check", "--connect", ...rawArgs]));
      },
    }),
    plan: defineCommand({
      meta: { name: "plan", description: "Print a job's plan without running it" },
      args: JOB_FILE_ARG,
      run: async ({ rawArgs }) => {
        const { planCommand } = await import("./plan.ts");
        env.done(await planCommand(rawArgs));
      },
    }),
  };
}

function connectorsCommand(env: Env): CommandDef {
  const leaf = (sub: "list" | "describe", meta: CommandMeta, args: ArgsDef = {}) =>
    defineCommand({
      meta,
      args,
      run: async ({ rawArgs }) => {
        const { connectorsSubcommand } = await import("./connectors.ts");
        env.done(await connectorsSubcommand(sub, rawArgs));
      },
    });
  const subCommands = {
    list: leaf("list", { name: "list", description: "List every source, transform and sink" }),
    describe: leaf(
      "describe",
      { name: "describe", description: "Every option of a connector; `describe env` for the env block" },
      { name: positional("<Name>", "A connector's name (any case), or env") },
    ),
  };
  return groupCommand(
    { name: "connectors", description: "The sources, transforms and sinks of this build" },
    subCommands,
    async (rawArgs, names) => (await import("./connectors.ts")).connectorsGroup(rawArgs, names),
  );
}

/**
 * A command of subcommands whose own arguments (help, a name no subcommand has) `answers` takes
 * first, loaded only then: true when it answered, and nothing else runs.
 */
function groupCommand(
  meta: CommandMeta,
  subCommands: SubCommandsDef,
  answers: (rawArgs: string[], names: string[]) => Promise<boolean>,
): CommandDef {
  return defineCommand({
    meta,
    subCommands,
    setup: async ({ rawArgs }) => {
      if (await answers(rawArgs, Object.keys(subCommands))) {
        throw new Answered();
      }
    },
  });
}

const DIR = { type: "string", valueHint: "DIR", description: "The checkpoint directory" } as const;
const HELP = { type: "boolean", alias: "h", description: "Show this help" } as const;
const LIST_ARGS = { dir: DIR, json: { type: "boolean", description: "One JSON object" }, help: HELP } as const;
const PRUNE_ARGS = {
  "older-than": { type: "string", valueHint: "AGE", description: "Only folders last written longer ago than AGE" },
  dir: DIR,
  "dry-run": { type: "boolean", description: "Say what would be removed; remove nothing" },
  help: HELP,
} as const;

function checkpointsCommand(env: Env): CommandDef {
  const list = defineCommand({
    meta: { name: "list", description: "Kept checkpoint folders: job, state, size" },
    args: LIST_ARGS,
    run: async ({ rawArgs, args }) => {
      const { checkpointsCommand: checkpoints } = await import("./checkpoints.ts");
      checkFlags("checkpoints list", rawArgs, LIST_ARGS);
      env.done(checkpoints("list", { dir: args.dir, json: args.json, help: args.help }));
    },
  });
  const prune = defineCommand({
    meta: { name: "prune", description: "Remove kept checkpoint folders of jobs that are not running" },
    args: PRUNE_ARGS,
    run: async ({ rawArgs, args }) => {
      const { checkpointsCommand: checkpoints, durationMs } = await import("./checkpoints.ts");
      checkFlags("checkpoints prune", rawArgs, PRUNE_ARGS, (key, value) => {
        if (key === "older-than") {
          durationMs(value);
        }
      });
      const flags = { dir: args.dir, olderThan: args["older-than"], dryRun: args["dry-run"], help: args.help };
      env.done(checkpoints("prune", flags));
    },
  });
  const subCommands = { list, prune };
  return groupCommand(
    { name: "checkpoints", description: "The checkpoint folders kept by failed and stopped jobs" },
    subCommands,
    async (rawArgs, names) => (await import("./checkpoints.ts")).checkpointsGroup(rawArgs, names),
  );
}

/** `cluster start|stop`: their flags (SeaTunnel's -cn, -d, -r among them) are read by cluster.ts. */
function clusterCommand(env: Env): CommandDef {
  const sub = (name: "start" | "stop", description: string) =>
    defineCommand({
      meta: { name, description },
      run: async ({ rawArgs }) => {
        const { clusterCommand: cluster } = await import("./cluster.ts");
        // SeaTunnel's projectVersion is the release alone: "seatunnel 0.1.0 (Bun ...)" → "0.1.0".
        env.done(await cluster(name, rawArgs, env.version.split(" ")[1] ?? env.version));
      },
    });
  const subCommands = {
    start: sub("start", "Run a cluster member until it is stopped"),
    stop: sub("stop", "Stop the members started from a data directory"),
  };
  return groupCommand(
    { name: "cluster", description: "Cluster members: start one, stop them" },
    subCommands,
    async (rawArgs, names) => (await import("./cluster.ts")).clusterGroup(rawArgs, names),
  );
}

/**
 * Holds argv to the flags `args` declares, which citty does not: it keeps an unknown flag without a
 * word and reads a missing value as "". An unknown flag, a stray word, a missing value, or a value
 * `checkValue` rejects is a usage error; the first from the left is reported.
 */
function checkFlags(
  command: string,
  argv: readonly string[],
  args: ArgsDef,
  checkValue: (key: string, value: string) => void = () => {},
): void {
  const keyOf = new Map<string, string>();
  for (const [key, def] of Object.entries(args)) {
    if (def.type === "positional") {
      continue;
    }
    for (const alias of "alias" in def ? [def.alias ?? []].flat() : []) {
      keyOf.set(alias.length === 1 ? `-${alias}` : `--${alias}`, key);
    }
    keyOf.set(`--${key}`, key);
  }
  const usage = (message: string) => new UsageError(message, command, `Run \`seatunnel ${command} -h\` for the flags.`);
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const key = keyOf.get(name);
    if (key === undefined) {
      throw usage(
        name.startsWith("-")
          ? notKnown("flag", name, `flag of ${command}`, keyOf.keys())
          : `${command}: unexpected argument "${name}"`,
      );
    }
    if (args[key]!.type === "string") {
      const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (!value) {
        throw usage(`${command}: flag "${name}" needs a value`);
      }
      try {
        checkValue(key, value);
      } catch (e) {
        throw usage((e as Error).message);
      }
    }
  }
}

/** The global help's list of commands, from the tree: `connectors describe <Name>` and its summary. */
function summaries(cmd: CommandDef, path = ""): [string, string][] {
  const subs = cmd.subCommands as Record<string, CommandDef> | undefined;
  if (subs) {
    return Object.entries(subs).flatMap(([name, sub]) => summaries(sub, path ? `${path} ${name}` : name));
  }
  const hints = Object.values((cmd.args ?? {}) as ArgsDef).flatMap((a) =>
    a.type === "positional" && a.valueHint ? [a.valueHint] : [],
  );
  return [[[path, ...hints].join(" "), (cmd.meta as CommandMeta).description ?? ""]];
}
