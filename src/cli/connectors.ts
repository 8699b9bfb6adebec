/** `seatunnel connectors list` and `seatunnel connectors describe <Name>`: generated from the specs. */
import type { Definition } from "../api/connector.ts";
import type { OptionMeta, Rule } from "../api/options.ts";
import { COMMON_KEYS } from "../api/parse-options.ts";
import { envOptions } from "../config/job.ts";
import { builtinRegistry } from "../registry/index.ts";
import { EXIT, printErrors } from "./errors.ts";
import { notKnown } from "../api/errors.ts";
import { UsageError } from "./args.ts";
import { commandHelp } from "./help.ts";

export async function listCommand(): Promise<number> {
  const reg = await builtinRegistry();
  const out: string[] = [];
  for (const kind of ["source", "transform", "sink"] as const) {
    out.push(`${kind}s:`);
    for (const d of reg.all.filter((x) => x.kind === kind).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(`  ${d.name.padEnd(20)} ${firstSentence(d.doc)}`);
    }
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

export async function describeCommand(name: string): Promise<number> {
  if (name.toLowerCase() === "env") {
    process.stdout.write(`${describeEnv()}\n`);
    return EXIT.ok;
  }
  const defs = (await builtinRegistry()).lookup(name);
  if (typeof defs === "string") {
    throw new UsageError(defs, "connectors describe");
  }
  process.stdout.write(`${defs.map(describe).join("\n\n")}\n`);
  return EXIT.ok;
}

/**
 * `seatunnel connectors`, before citty picks list or describe: its own -h (returns true: answered),
 * or a usage error for a missing or unknown subcommand (`subs`: the tree's).
 */
export function connectorsGroup(argv: readonly string[], subs: readonly string[]): boolean {
  const sub = argv[0];
  if (sub === "-h" || sub === "--help") {
    process.stdout.write(`${commandHelp("connectors")}\n`);
    return true;
  }
  if (sub === undefined || !subs.includes(sub)) {
    throw new UsageError(
      sub === undefined
        ? "connectors needs a command: list, or describe <Name>"
        : notKnown(
            "command",
            `connectors ${sub}`,
            "command",
            subs.map((s) => `connectors ${s}`),
          ),
      "connectors",
    );
  }
  return false;
}

/** `seatunnel connectors list` and `connectors describe <Name>` (argv: what follows), each with its own --help. */
export async function connectorsSubcommand(sub: "list" | "describe", rest: readonly string[]): Promise<number> {
  const command = `connectors ${sub}`;
  try {
    if (rest.includes("-h") || rest.includes("--help")) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    const flag = rest.find((a) => a.startsWith("-"));
    if (flag !== undefined) {
      throw new UsageError(notKnown("flag", flag, `flag of ${command}`, ["--help"]), command);
    }
    if (sub === "list") {
      if (rest.length) {
        throw new UsageError(`unexpected argument "${rest[0]}": connectors list takes none`, command);
      }
      return await listCommand();
    }
    if (rest.length !== 1) {
      throw new UsageError(
        rest.length
          ? `connectors describe takes one name, received ${rest.length}`
          : "connectors describe needs a connector name, e.g. FakeSource",
        command,
      );
    }
    return await describeCommand(rest[0]!);
  } catch (e) {
    return printErrors(e, false);
  }
}

/** Up to the first full stop that ends a sentence (not the one in `db.table`), on one line. */
function firstSentence(doc: string): string {
  const flat = doc.trim().replace(/\s+/g, " ");
  const end = flat.search(/\.(\s|$)/);
  const s = end < 0 ? flat : flat.slice(0, end);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

const show = (v: unknown): string =>
  typeof v === "bigint"
    ? v.toString()
    : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

/** `yes`, `no`, or when: the rules that make an option required (`when x = y`, `unless x is set`, `one of a, b`). */
function requiredText(key: string, m: OptionMeta, rules: readonly Rule[]): string {
  if (m.required) {
    return "yes";
  }
  const when: string[] = [];
  for (const r of rules) {
    if ("requiredIf" in r && r.then.includes(key)) {
      const { key: k, equals } = r.requiredIf;
      when.push(`when ${k}${equals === undefined ? " is set" : ` = ${String(equals)}`}`);
    } else if ("requiredUnless" in r && r.then.includes(key)) {
      when.push(`unless ${r.requiredUnless} is set`);
    } else if ("exclusive" in r && r.required && r.exclusive.includes(key)) {
      when.push(`one of ${r.exclusive.join(", ")}`);
    }
  }
  return when.length ? when.join("; ") : "no";
}

function optionLines(key: string, m: OptionMeta, rules: readonly Rule[] = []): string[] {
  const lines = [`  ${key}`];
  lines.push(`    type: ${m.type}${m.values ? ` (${m.values.join(" | ")})` : ""}`);
  lines.push(`    required: ${requiredText(key, m, rules)}`);
  lines.push(`    default: ${m.default === undefined ? "(none)" : m.secret ? "******" : show(m.default)}`);
  if (m.fallbackKeys?.length) {
    lines.push(`    also read from: ${m.fallbackKeys.join(", ")}`);
  }
  if (m.secret) {
    lines.push("    secret: yes (redacted in logs)");
  }
  lines.push(`    doc: ${m.doc}`);
  if (m.example) {
    lines.push(`    example: ${m.example}`);
  }
  return lines;
}

/** `connectors describe env`: the options of a job's env block, SeaTunnel's and ours. */
export function describeEnv(): string {
  const out = ["env (the job's settings)", "", "options:"];
  for (const [k, o] of Object.entries(envOptions)) {
    out.push(...optionLines(k, o.meta));
  }
  return out.join("\n");
}

export function describe(d: Definition): string {
  const out = [`${d.name} (${d.kind})`, "", d.doc.trim(), ""];
  const features = Object.entries(d.features)
    .filter(([, v]) => v)
    .map(([k]) => k);
  if (features.length) {
    out.push(`features: ${features.join(", ")}`, "");
  }
  out.push("options:");
  for (const [k, o] of Object.entries(d.options)) {
    out.push(...optionLines(k, o.meta, d.rules));
  }
  out.push("", `common options: ${COMMON_KEYS.filter((k) => k !== "plugin_name").join(", ")}`);
  for (const r of d.rules ?? []) {
    if ("exclusive" in r) {
      out.push(`rule: ${r.required ? "exactly one" : "at most one"} of ${r.exclusive.join(", ")}`);
    } else if ("requiredIf" in r) {
      out.push(
        `rule: ${r.then.join(", ")} required when ${r.requiredIf.key}${r.requiredIf.equals === undefined ? " is set" : ` = ${String(r.requiredIf.equals)}`}`,
      );
    } else if ("requiredUnless" in r) {
      out.push(`rule: ${r.then.join(", ")} required unless ${r.requiredUnless} is set`);
    } else {
      out.push(`rule: ${r.bundled.join(", ")} go together`);
    }
  }
  for (const ex of d.examples) {
    out.push(
      "",
      `example: ${ex.title}`,
      ...ex.conf
        .trim()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  }
  return out.join("\n");
}
