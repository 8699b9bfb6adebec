/**
 * Entry point: argv → command. `--version` answers without loading anything else (citty included);
 * every other command goes through the citty command tree of src/cli/commands.ts, whose command
 * modules are imported only when used, to keep start-up short.
 */
import { VERSION as RELEASE } from "./version.ts";

const VERSION = `seatunnel ${RELEASE} (Bun ${Bun.version}; runs Apache SeaTunnel 2.3.8 job files)`;

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--version" || first === "-V") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { dispatch } = await import("./cli/commands.ts");
  // In the compiled binary only an entry file's import.meta.url points into the embedded files, so
  // the worker's URL is built here and handed to the pool by `run` (STACK-NOTES).
  return dispatch(argv, VERSION, new URL("./runtime/worker-entry.ts", import.meta.url));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error[INTERNAL]: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.argv.includes("--verbose") && e instanceof Error && e.stack) {
      process.stderr.write(`${e.stack}\n`);
    }
    process.exit(1);
  },
);
