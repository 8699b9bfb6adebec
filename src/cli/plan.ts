/** `seatunnel plan <file>`: the plan text, as `run --check` prints it, without running anything. */
import { PLAN_FLAGS, parseRunArgs, UsageError } from "./args.ts";
import { commandHelp } from "./help.ts";
import { EXIT, printErrors } from "./errors.ts";
import { createLogger } from "../runtime/log.ts";
import { loadJob } from "./run.ts";
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
    const { bound } = await loadJob(args, log, true);
    const splits = new Map<number, number[] | string>();
    for (const n of bound.nodes) {
      if (!n?.source) {
        continue;
      }
      try {
        splits.set(
          n.node.id,
          (await n.source.splits(n.node.parallelism)).map((s) => s.length),
        );
      } catch (e) {
        splits.set(n.node.id, e instanceof Error ? e.message : String(e));
      }
    }
    process.stdout.write(`${explain(bound, splits)}\n`);
    return EXIT.ok;
  } catch (e) {
    return printErrors(e, argv.includes("--verbose"));
  }
}
