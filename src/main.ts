/**
 * Entry point: argv → command. `--version` answers without loading anything else; every command
 * module is imported only when used, to keep start-up short.
 */
import { VERSION as RELEASE } from "./version.ts";

const VERSION = `seatunnel ${RELEASE} (Bun ${Bun.version}; runs Apache SeaTunnel 2.3.8 job files)`;

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--version" || first === "-V" || first === "version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // SeaTunnel's client form: `seatunnel --config job.conf -m local -i k=v`, or any flag first.
  if (first === undefined || first.startsWith("-") || /\.(conf|json|toml|sql|hocon)$/i.test(first)) {
    if (first === undefined || first === "--help" || first === "-h") {
      return help(234);
    }
    await useWorkerEntry();
    const { runCommand } = await import("./cli/run.ts");
    return runCommand(argv);
  }
  const rest = argv.slice(1);
  switch (first) {
    case "run": {
      await useWorkerEntry();
      const { runCommand } = await import("./cli/run.ts");
      return runCommand(rest);
    }
    case "validate": {
      // The same as `run --check --connect`: every stage, connecting to every source and sink.
      const { runCommand } = await import("./cli/run.ts");
      return runCommand(["--check", "--connect", ...rest]);
    }
    case "plan": {
      const { planCommand } = await import("./cli/plan.ts");
      return planCommand(rest);
    }
    case "connectors":
      return connectors(rest);
    case "checkpoints": {
      const { checkpointsCommand } = await import("./cli/checkpoints.ts");
      return checkpointsCommand(rest);
    }
    case "help":
      return help(0);
    default: {
      const { didYouMean } = await import("./api/errors.ts");
      const hint = didYouMean(first, ["run", "validate", "plan", "connectors", "checkpoints", "version", "help"]);
      process.stderr.write(
        `error[USAGE]: unknown command "${first}"${hint ? `; did you mean "${hint}"?` : ""}; run \`seatunnel help\`\n`,
      );
      return 234;
    }
  }
}

/**
 * In the compiled binary only an entry file's import.meta.url points into the embedded files, so
 * the worker's URL is built here and handed to the pool (STACK-NOTES).
 */
async function useWorkerEntry(): Promise<void> {
  const { setWorkerUrl } = await import("./runtime/worker-pool.ts");
  setWorkerUrl(new URL("./runtime/worker-entry.ts", import.meta.url));
}

async function connectors(argv: string[]): Promise<number> {
  const [{ listCommand, describeCommand }, { defineCommand, runMain }] = await Promise.all([
    import("./cli/connectors.ts"),
    import("citty"),
  ]);
  let code = 0;
  const cmd = defineCommand({
    meta: { name: "connectors", description: "List connectors or describe one" },
    subCommands: {
      list: defineCommand({
        meta: { description: "List every source, transform and sink" },
        run: async () => void (code = await listCommand()),
      }),
      describe: defineCommand({
        meta: { description: "Every option of a connector: key, type, default, required, doc, example" },
        args: {
          name: {
            type: "positional",
            required: true,
            description: "Connector name, e.g. FakeSource; env: the env block",
          },
        },
        run: async ({ args }) => void (code = await describeCommand(args.name)),
      }),
    },
  });
  if (argv.length === 0) {
    argv = ["--help"];
  }
  await runMain(cmd, { rawArgs: argv });
  return code;
}

async function help(code: number): Promise<number> {
  const { runUsage } = await import("./cli/args.ts");
  process.stdout.write(`${VERSION}\n\n${runUsage()}\n`);
  return code;
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
