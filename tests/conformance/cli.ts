// Command line of the conformance runner (pure).
import { dirname, resolve } from "node:path";

export interface Options {
  bin: string;
  manifest: string;
  root: string;
  setupRoot: string;
  mirror: string | undefined;
  groups: string[];
  plugins: string[];
  only: string[];
  /** Time limit of batch rows, seconds. */
  timeout: number;
  gated: boolean;
  dryRun: boolean;
  keep: boolean;
  verbose: boolean;
  expected: string | undefined;
  json: string | undefined;
  /** A cluster member's address: every job runs with `-m cluster --cluster-address` it, not locally. */
  cluster: string | undefined;
  help: boolean;
}

export const USAGE = `usage: bun tests/conformance/runner.ts [--bin dist/seatunnel] [--manifest FILE] [--root DIR]
         [--setup-root DIR] [--mirror GITDIR] [--groups a,b] [--plugins A,B] [--only SUBSTRING]
         [--timeout S] [--gated] [--dry-run] [--keep] [-v] [--expected FILE] [--json OUT] [--cluster URL]`;

const VALUE_FLAGS = new Set([
  "--bin",
  "--manifest",
  "--root",
  "--setup-root",
  "--mirror",
  "--groups",
  "--plugins",
  "--only",
  "--timeout",
  "--expected",
  "--json",
  "--cluster",
]);
const BOOL_FLAGS = new Set(["--gated", "--dry-run", "--keep", "-v", "--verbose", "-h", "--help"]);

const list = (v: string | undefined): string[] =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/**
 * Parses argv (without the program). Paths given on the command line resolve against `cwd`; the
 * defaults are the project's `dist/seatunnel` and `../shared/conformance/manifest.tsv` next to the
 * project root. `--root` and `--setup-root` default to the manifest's folder. Throws on a bad flag.
 */
export function parseOptions(argv: string[], projectRoot: string, cwd: string): Options {
  const values = new Map<string, string>();
  const only: string[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) {
        throw new Error(`${name} needs a value`);
      }
      if (name === "--only") {
        only.push(value);
      } else {
        values.set(name, value);
      }
    } else if (BOOL_FLAGS.has(arg)) {
      flags.add(arg);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  const path = (flag: string): string | undefined => {
    const v = values.get(flag);
    return v === undefined ? undefined : resolve(cwd, v);
  };
  const manifest = path("--manifest") ?? resolve(projectRoot, "../shared/conformance/manifest.tsv");
  const timeout = Number(values.get("--timeout") ?? "120");
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error("--timeout must be a positive number of seconds");
  }
  const root = path("--root") ?? dirname(manifest);
  return {
    bin: path("--bin") ?? resolve(projectRoot, "dist/seatunnel"),
    manifest,
    root,
    setupRoot: path("--setup-root") ?? dirname(manifest),
    mirror: path("--mirror"),
    groups: list(values.get("--groups")),
    plugins: list(values.get("--plugins")),
    only,
    timeout,
    gated: flags.has("--gated"),
    dryRun: flags.has("--dry-run"),
    keep: flags.has("--keep"),
    verbose: flags.has("-v") || flags.has("--verbose"),
    expected: path("--expected"),
    json: path("--json"),
    cluster: values.get("--cluster"),
    help: flags.has("-h") || flags.has("--help"),
  };
}
