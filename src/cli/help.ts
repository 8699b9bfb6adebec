/**
 * Every command's help text, printed by `<command> --help` and `seatunnel help <command>`; the
 * global help lists the commands. Plain text: no colour, no paths, the same on a terminal or not.
 */
import { flagLines, PLAN_FLAGS, RUN_FLAGS, runHelp, UsageError } from "./args.ts";
import { notKnown } from "../api/errors.ts";
import { checkpointsHelp } from "./checkpoints.ts";
import { clusterHelp } from "./cluster.ts";

const HELP_FLAG = `  ${"-h, --help".padEnd(40)} Show this help`;

const HELP: Record<string, () => string> = {
  run: runHelp,
  plan: () =>
    [
      "Usage: seatunnel plan <job-file> [flags]",
      "",
      "Prints the job's plan (pipelines, parallelism, splits, fused chains) without running it.",
      "",
      "Flags:",
      ...flagLines(PLAN_FLAGS),
    ].join("\n"),
  validate: () =>
    [
      "Usage: seatunnel validate <job-file> [flags]",
      "",
      "Reads, validates and plans the job like run --check, then connects to every source and sink:",
      "credentials, tables and columns are checked and every problem is reported at once. Nothing is",
      "read, written or created. The same as run --check --connect; takes run's flags.",
      "",
      "Flags:",
      HELP_FLAG,
    ].join("\n"),
  checkpoints: checkpointsHelp,
  "checkpoints list": () => checkpointsHelp("list"),
  "checkpoints prune": () => checkpointsHelp("prune"),
  cluster: clusterHelp,
  "cluster start": () => clusterHelp("start"),
  "cluster stop": () => clusterHelp("stop"),
  connectors: () =>
    [
      "Usage: seatunnel connectors list",
      "       seatunnel connectors describe <Name>",
      "",
      "Commands:",
      `  ${"list".padEnd(40)} List every source, transform and sink`,
      `  ${"describe <Name>".padEnd(40)} Every option of a connector; describe env: the env block`,
      "",
      "Flags:",
      HELP_FLAG,
    ].join("\n"),
  "connectors list": () =>
    [
      "Usage: seatunnel connectors list",
      "",
      "Lists every source, transform and sink with its first sentence.",
      "",
      "Flags:",
      HELP_FLAG,
    ].join("\n"),
  "connectors describe": () =>
    [
      "Usage: seatunnel connectors describe <Name>",
      "",
      "Every option of a connector: key, type, default, whether it is required (or when), doc, example.",
      "Names match case-insensitively; `env` describes the env block of a job file.",
      "",
      "Flags:",
      HELP_FLAG,
    ].join("\n"),
  version: () => ["Usage: seatunnel version", "", "Prints the version.", "", "Flags:", HELP_FLAG].join("\n"),
  help: () => ["Usage: seatunnel help [command]", "", "Prints the help of a command, or this overview."].join("\n"),
};

/** The help of `command` (`connectors describe`), or a UsageError naming the commands there are. */
export function commandHelp(command: string): string {
  const text = HELP[command];
  if (!text) {
    const known = Object.keys(HELP);
    throw new UsageError(notKnown("command", command, "command", known, `commands: ${known.join(", ")}`), "help");
  }
  return text();
}

/**
 * `seatunnel --help`: the commands (usage form and summary, from the command tree in commands.ts),
 * then run's flags (SeaTunnel's client takes them without `run`).
 */
export function globalHelp(version: string, commands: readonly [string, string][]): string {
  return [
    version,
    "",
    "Usage: seatunnel <command> [flags]",
    "       seatunnel --config <job-file> [flags]     (SeaTunnel's client form)",
    "",
    "Commands:",
    ...commands.map(([name, doc]) => `  ${name.padEnd(40)} ${doc}`),
    "",
    "Run `seatunnel <command> --help` for a command's flags. Flags of run and of the client form:",
    ...flagLines(RUN_FLAGS),
  ].join("\n");
}
