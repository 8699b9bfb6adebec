/**
 * Entry point: argv → command. `--version` answers without loading anything else; every command
 * module is imported only when used, to keep start-up short.
 */
import { VERSION as RELEASE } from "./version.ts";

const VERSION = `seatunnel ${RELEASE} (Bun ${Bun.version}; runs Apache SeaTunnel 2.3.8 job files)`;

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--version" || first === "-V") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // SeaTunnel's client form: `seatunnel --config job.conf -m local -i k=v`, or any flag first.
  if (first === undefined || first.startsWith("-") || /\.(conf|json|toml|sql|hocon)$/i.test(first)) {
    if (first === undefined || first === "--help" || first === "-h") {
      return help(first === undefined ? [] : [first]);
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
      if (rest.includes("-h") || rest.includes("--help")) {
        const { commandHelp } = await import("./cli/help.ts");
        process.stdout.write(`${commandHelp("validate")}\n`);
        return 0;
      }
      const { runCommand } = await import("./cli/run.ts");
      return runCommand(["--check", "--connect", ...rest]);
    }
    case "plan": {
      const { planCommand } = await import("./cli/plan.ts");
      return planCommand(rest);
    }
    case "connectors": {
      const { connectorsCommand } = await import("./cli/connectors.ts");
      return connectorsCommand(rest);
    }
    case "checkpoints": {
      const { checkpointsCommand } = await import("./cli/checkpoints.ts");
      return checkpointsCommand(rest);
    }
    case "version":
      return version(rest);
    case "help":
      return help(argv);
    default: {
      const [{ UsageError }, { printErrors }, { notKnown }, { COMMANDS }] = await Promise.all([
        import("./cli/args.ts"),
        import("./cli/errors.ts"),
        import("./api/errors.ts"),
        import("./cli/help.ts"),
      ]);
      const names = [...new Set(COMMANDS.map(([c]) => c.split(" ")[0]!))];
      const message = notKnown("command", first, "command", names, `commands: ${names.join(", ")}`);
      return printErrors(new UsageError(message, "help"), false);
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

/**
 * `seatunnel help [command]` and `seatunnel -h`: help on stdout, exit 0; SeaTunnel's client exits
 * 234 after `-h`, and so does ours; no arguments at all is a usage error (help on stderr, 234).
 */
async function help(argv: string[]): Promise<number> {
  const [{ commandHelp, globalHelp }, { printErrors }] = await Promise.all([
    import("./cli/help.ts"),
    import("./cli/errors.ts"),
  ]);
  if (argv.length === 0) {
    process.stderr.write(`${globalHelp(VERSION)}\n`);
    return 234;
  }
  const topic = argv.slice(1).filter((a) => a !== "-h" && a !== "--help");
  try {
    const text = topic.length ? commandHelp(topic.join(" ")) : globalHelp(VERSION);
    process.stdout.write(`${text}\n`);
  } catch (e) {
    return printErrors(e, false);
  }
  return argv[0] === "help" ? 0 : 234;
}

async function version(argv: string[]): Promise<number> {
  if (argv[0] === "-h" || argv[0] === "--help") {
    return help(["help", "version"]);
  }
  if (argv.length) {
    const [{ UsageError }, { printErrors }] = await Promise.all([import("./cli/args.ts"), import("./cli/errors.ts")]);
    return printErrors(new UsageError(`unexpected argument "${argv[0]}": version takes none`, "version"), false);
  }
  process.stdout.write(`${VERSION}\n`);
  return 0;
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
