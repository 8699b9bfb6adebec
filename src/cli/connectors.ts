/** `seatunnel connectors list` and `seatunnel connectors describe <Name>`: generated from the specs. */
import type { Definition } from "../api/connector.ts";
import type { OptionMeta } from "../api/options.ts";
import { COMMON_KEYS } from "../api/parse-options.ts";
import { envOptions } from "../config/job.ts";
import { builtinRegistry } from "../registry/index.ts";
import { EXIT } from "./errors.ts";
import { didYouMean } from "../api/errors.ts";

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

export async function describeCommand(name: string | undefined): Promise<number> {
  const reg = await builtinRegistry();
  if (!name) {
    process.stderr.write("error[USAGE]: seatunnel connectors describe <Name>\n");
    return EXIT.usage;
  }
  if (name.toLowerCase() === "env") {
    process.stdout.write(`${describeEnv()}\n`);
    return EXIT.ok;
  }
  const defs = reg.all.filter((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!defs.length) {
    const hint = didYouMean(name, reg.names());
    process.stderr.write(
      `error[CONFIG_UNKNOWN_CONNECTOR]: "${name}" is not a known connector${hint ? `; did you mean "${hint}"?` : ""}\n`,
    );
    return EXIT.usage;
  }
  process.stdout.write(`${defs.map(describe).join("\n\n")}\n`);
  return EXIT.ok;
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

function optionLines(key: string, m: OptionMeta): string[] {
  const lines = [`  ${key}`];
  lines.push(`    type: ${m.type}${m.values ? ` (${m.values.join(" | ")})` : ""}`);
  lines.push(`    required: ${m.required ? "yes" : "no"}`);
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
    out.push(...optionLines(k, o.meta));
  }
  out.push("", `common options: ${COMMON_KEYS.filter((k) => k !== "plugin_name").join(", ")}`);
  for (const r of d.rules ?? []) {
    if ("exclusive" in r) {
      out.push(`rule: ${r.required ? "exactly one" : "at most one"} of ${r.exclusive.join(", ")}`);
    } else if ("requiredIf" in r) {
      out.push(
        `rule: ${r.then.join(", ")} required when ${r.requiredIf.key}${r.requiredIf.equals === undefined ? " is set" : ` = ${String(r.requiredIf.equals)}`}`,
      );
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
