/** `seatunnel plan <file>`: the plan text, as `run --check` prints it, without running anything. */
import { parseRunArgs } from "./args.ts";
import { EXIT, printErrors } from "./errors.ts";
import { createLogger } from "../runtime/log.ts";
import { loadJob } from "./run.ts";
import { explain } from "../plan/explain.ts";

export async function planCommand(argv: readonly string[]): Promise<number> {
  try {
    const args = parseRunArgs(argv);
    if (!args.config) {
      process.stderr.write("error[USAGE]: seatunnel plan <job-file> [-i KEY=VALUE]\n");
      return EXIT.usage;
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
