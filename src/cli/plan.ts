/**
 * `seatunnel plan <file>`: the plan text, as `run --check` prints it, without running anything.
 * It connects as the run would, to show each source's real splits and tables; a source that cannot
 * connect is shown offline with the reason (a warning), and the rest of the plan still prints.
 */
import { PLAN_FLAGS, parseRunArgs, UsageError } from "./args.ts";
import { commandHelp } from "./help.ts";
import { EXIT, printErrors } from "./errors.ts";
import { createLogger } from "../runtime/log.ts";
import { loadJob } from "./run.ts";
import type { BoundJob } from "../plan/bind.ts";
import { closeNodes } from "../plan/connect.ts";
import { explain } from "../plan/explain.ts";

export async function planCommand(argv: readonly string[]): Promise<number> {
  try {
    const args = parseRunArgs(argv, PLAN_FLAGS, "plan");
    if (args.help) {
      process.stdout.write(`${commandHelp("plan")}\n`);
      return EXIT.ok;
    }
    if (!args.config) {
      throw new UsageError("no job file given; run: seatunnel plan <job-file>", "plan");
    }
    const log = createLogger({ verbose: args.verbose });
    const { bound } = await loadJob(args, log, true, "warnings");
    try {
      process.stdout.write(`${explain(bound, await splitsOf(bound))}\n`);
    } finally {
      await closeNodes(bound.nodes);
    }
    return EXIT.ok;
  } catch (e) {
    return printErrors(e, argv.includes("--verbose"));
  }
}

/** Per source node: the number of splits each reader gets, computed as the run computes them. */
async function splitsOf(bound: BoundJob): Promise<Map<number, number[] | string>> {
  const splits = new Map<number, number[] | string>();
  for (const n of bound.nodes) {
    if (!n?.source) {
      continue;
    }
    if (n.offline !== undefined) {
      splits.set(n.node.id, "unknown offline (known after connecting)");
      continue;
    }
    try {
      splits.set(
        n.node.id,
        (await n.source.splits(n.node.parallelism)).map((s) => s.length),
      );
    } catch (e) {
      splits.set(n.node.id, `unknown (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return splits;
}
