/**
 * Positioned tree → job model: the env options (validated like a connector's), and the ordered
 * source / transform / sink plugin blocks with their wiring names. Every problem is collected.
 */
import { ConfigError } from "../api/errors.ts";
import { opt, type OptionValues } from "../api/options.ts";
import { parseOptions } from "../api/parse-options.ts";
import type { PluginKind } from "../api/connector.ts";
import { errorHandlerWarnings, explainedKey } from "./error-handler.ts";
import { type Node, type ObjectNode, type Pos, describeNode, getEntry, outputEntry } from "../api/tree.ts";

export const envOptions = {
  "job.mode": opt.enum({
    values: ["BATCH", "STREAMING"] as const,
    default: "BATCH",
    doc: "BATCH runs bounded sources to their end; STREAMING runs until stopped",
  }),
  "job.name": opt.string({
    default: "SeaTunnel_Job",
    doc: "Job name (the CLI's -n/--name wins unless it is the default)",
  }),
  parallelism: opt.int({
    default: 1,
    min: 1,
    doc: "Default parallelism of sources (transforms and sinks follow their input)",
  }),
  "checkpoint.interval": opt.long({
    min: 1n,
    doc: "Milliseconds between checkpoints; without it BATCH jobs take no periodic checkpoint",
  }),
  "checkpoint.timeout": opt.long({ min: 1n, doc: "Milliseconds a checkpoint may take" }),
  "read_limit.rows_per_second": opt.int({ min: 1, doc: "Upper bound of rows read per second" }),
  "read_limit.bytes_per_second": opt.int({ min: 1, doc: "Upper bound of bytes read per second" }),
  "job.retry.times": opt.int({ default: 3, min: 0, doc: "How often a failed pipeline is restarted" }),
  "job.retry.interval.seconds": opt.int({
    default: 3,
    min: 0,
    doc: "Seconds to wait before restarting a failed pipeline",
  }),
  "savemode.execute.location": opt.enum({
    values: ["CLIENT", "CLUSTER"] as const,
    default: "CLUSTER",
    doc: "Where sink save modes run (CLIENT is deprecated in SeaTunnel)",
  }),
  "shade.identifier": opt.enum({
    values: ["default", "base64"] as const,
    default: "default",
    doc: "How username/password/auth/token values of plugin blocks are encoded",
  }),
  source_cache: opt.bool({
    default: false,
    doc: "Ours: sources write into an on-disk cache that the pipeline reads from, so reading goes on while a sink is slow or down; exactly once with checkpoints",
  }),
  "source_cache.max_bytes": opt.long({
    default: 1073741824n,
    min: 1n,
    doc: "Ours: unconsumed bytes the source cache may hold per chain before the pipeline fails with SOURCE_CACHE_FULL",
  }),
  "source_cache.dir": opt.string({ doc: "Ours: where cache segments go (default: <checkpoint dir>/<jobId>/cache)" }),
  "error_handler.mode": opt.enum({
    values: ["DISABLE", "LOG", "ROUTE"] as const,
    default: "DISABLE",
    doc: "Rows a reader cannot read (a bad value, a wrong field count): DISABLE fails the job; LOG logs each one, ROUTE writes each one to the reject files, and both skip it and go on",
  }),
  "error_handler.max_error_records": opt.long({
    default: 0n,
    min: 0n,
    doc: "The job fails, before committing, once more rows than this were rejected; 0: no limit (as in SeaTunnel)",
  }),
  "error_handler.reject_dir": opt.string({
    doc: "Ours: where ROUTE writes each reader's reject-<source>-<subtask>.dat (records as read) and .log (file, line, column, reason) (default: <checkpoint dir>/<jobId>/reject)",
  }),
  jars: opt.string({ doc: "Extra JVM jars (accepted and ignored: there is no JVM here)" }),
  custom_parameters: opt.map({ doc: "Engine-specific pass-through parameters" }),
  tag_filter: opt.map({ doc: "Run only on cluster members with these tags" }),
};

export type EnvOptions = OptionValues<typeof envOptions>;

/** A plugin block of the job file. */
export interface PluginBlock {
  kind: PluginKind;
  /** 0-based index within its section. */
  index: number;
  name: string;
  node: ObjectNode;
  pos: Pos;
  /** `source FakeSource`, `sink Console #2` when a name repeats in its section. */
  label: string;
  /** result_table_name / plugin_output */
  output?: string;
  outputPos?: Pos;
  /** The key `output` was written with, for messages: `plugin_output` or `result_table_name`. */
  outputKey?: string;
  /** source_table_name / plugin_input */
  inputs?: string[];
  inputsPos?: Pos;
  /** The key `inputs` were written with: `plugin_input` or `source_table_name`. */
  inputsKey?: string;
  parallelism?: number;
}

export interface JobModel {
  file: string;
  env: EnvOptions;
  envNode?: ObjectNode;
  sources: PluginBlock[];
  transforms: PluginBlock[];
  sinks: PluginBlock[];
  warnings: ConfigError[];
}

const SECTIONS = [
  ["source", "sources"],
  ["transform", "transforms"],
  ["sink", "sinks"],
] as const;

const OTHER_ENGINE_KEY = /option "(execution|spark|flink)\./;
const SENSITIVE = ["password", "username", "auth", "token"];

/** `decodeSecrets: false` keeps base64-shaded values as written (for `--encrypt`, whose input is plain). */
export function buildJob(
  root: ObjectNode,
  file: string,
  o: { decodeSecrets?: boolean } = {},
): { job?: JobModel; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const envEntry = getEntry(root, "env");
  let envNode: ObjectNode | undefined;
  if (envEntry && envEntry.value.kind !== "object") {
    errors.push(
      new ConfigError(
        "CONFIG_ENV_INVALID",
        `env expects an object, received ${describeNode(envEntry.value)}`,
        envEntry.value.pos,
      ),
    );
  } else {
    envNode = envEntry?.value as ObjectNode | undefined;
  }
  const envRes = parseOptions("env", envNode ?? { kind: "object", entries: [], pos: root.pos }, envOptions);
  errors.push(...envRes.errors);
  // Flink/Spark engine keys are common in shared job files; Zeta ignores them and so do we.
  warnings.push(...envRes.warnings.filter((w) => !OTHER_ENGINE_KEY.test(w.message) && !explainedKey(w)));
  warnings.push(...errorHandlerWarnings(envNode));
  const env = envRes.values as EnvOptions;
  const known = new Set(["env", "source", "transform", "sink"]);
  for (const e of root.entries) {
    if (!known.has(e.key)) {
      warnings.push(
        new ConfigError(
          "CONFIG_SECTION_UNKNOWN",
          `top-level section "${e.key}" is not used; expected env, source, transform or sink`,
          e.keyPos,
        ),
      );
    }
  }
  const model: JobModel = { file, env, sources: [], transforms: [], sinks: [], warnings };
  // A section whose blocks are all broken was still written: its own errors say what is wrong.
  const written = new Set<string>();
  if (envNode) {
    model.envNode = envNode;
  }
  for (const [section, field] of SECTIONS) {
    const entry = getEntry(root, section);
    if (!entry) {
      continue;
    }
    if (entry.value.kind !== "array") {
      errors.push(
        new ConfigError(
          "CONFIG_SECTION_INVALID",
          `${section} expects plugin blocks such as ${section} { Name { ... } }, received ${describeNode(entry.value)}`,
          entry.value.pos,
        ),
      );
      written.add(section);
      continue;
    }
    if (entry.value.items.length > 0) {
      written.add(section);
    }
    model[field] = entry.value.items.flatMap((item, index) => {
      const b = toBlock(section, item, index, errors);
      return b ? [b] : [];
    });
    labelDuplicates(model[field]);
  }
  if (model.sources.length === 0 && !written.has("source")) {
    errors.push(
      new ConfigError(
        "CONFIG_SOURCE_MISSING",
        "the job has no source; add a source { ... } block (Source and Sink can not be null)",
        root.pos,
      ),
    );
  }
  if (model.sinks.length === 0 && !written.has("sink")) {
    errors.push(
      new ConfigError(
        "CONFIG_SINK_MISSING",
        "the job has no sink; add a sink { ... } block (Source and Sink can not be null)",
        root.pos,
      ),
    );
  }
  if (env["shade.identifier"] === "base64" && o.decodeSecrets !== false) {
    for (const b of [...model.sources, ...model.sinks]) {
      decodeBase64Secrets(b.node);
    }
  }
  return errors.length ? { errors } : { job: model, errors };
}

const str = (n: Node | undefined): string | undefined =>
  n && n.kind === "scalar" && n.type !== "null" ? n.text : undefined;

function toBlock(kind: PluginKind, item: Node, index: number, errors: ConfigError[]): PluginBlock | undefined {
  if (item.kind !== "object") {
    errors.push(
      new ConfigError(
        "CONFIG_SECTION_INVALID",
        `${kind} #${index + 1} expects a plugin block, received ${describeNode(item)}`,
        item.pos,
      ),
    );
    return undefined;
  }
  const nameEntry = getEntry(item, "plugin_name");
  const name = str(nameEntry?.value)?.trim();
  if (!name) {
    errors.push(
      new ConfigError(
        "CONFIG_PLUGIN_NAME_MISSING",
        `${kind} #${index + 1}: the 'plugin_name' option is not configured, please configure it`,
        item.pos,
      ),
    );
    return undefined;
  }
  const block: PluginBlock = {
    kind,
    index,
    name,
    node: item,
    pos: nameEntry?.keyPos ?? item.pos,
    label: `${kind} ${name}`,
  };
  const out = outputEntry(item);
  if (out) {
    const text = str(out.value);
    if (text === undefined) {
      errors.push(
        new ConfigError(
          "CONFIG_OPTION_INVALID",
          `${block.label}: option "${out.key}" expects a table name, received ${describeNode(out.value)}`,
          out.value.pos,
        ),
      );
    } else {
      block.output = text;
      block.outputPos = out.value.pos;
      block.outputKey = out.key;
    }
  }
  const inp = getEntry(item, "plugin_input") ?? getEntry(item, "source_table_name");
  if (inp) {
    const v = inp.value;
    const names =
      v.kind === "array"
        ? v.items.map(str)
        : str(v)
            ?.split(",")
            .map((s) => s.trim());
    if (!names || names.some((n) => n === undefined || n === "")) {
      errors.push(
        new ConfigError(
          "CONFIG_OPTION_INVALID",
          `${block.label}: option "${inp.key}" expects a table name or a list of table names, received ${describeNode(v)}`,
          v.pos,
        ),
      );
    } else {
      block.inputs = names as string[];
      block.inputsPos = v.pos;
      block.inputsKey = inp.key;
    }
  }
  const par = getEntry(item, "parallelism");
  if (par) {
    const t = str(par.value);
    if (t === undefined || !/^\d+$/.test(t.trim()) || Number(t) < 1) {
      errors.push(
        new ConfigError(
          "CONFIG_OPTION_INVALID",
          `${block.label}: option "parallelism" expects an integer >= 1, received ${describeNode(par.value)}`,
          par.value.pos,
        ),
      );
    } else {
      block.parallelism = Number(t);
    }
  }
  return block;
}

function labelDuplicates(blocks: PluginBlock[]): void {
  const count = new Map<string, number>();
  for (const b of blocks) {
    count.set(b.name.toLowerCase(), (count.get(b.name.toLowerCase()) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  for (const b of blocks) {
    const k = b.name.toLowerCase();
    if ((count.get(k) ?? 0) < 2) {
      continue;
    }
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    b.label = `${b.kind} ${b.name} #${n}`;
  }
}

/** shade.identifier = base64: sensitive values at the top of a plugin block are base64-encoded. */
function decodeBase64Secrets(node: ObjectNode): void {
  for (const e of node.entries) {
    if (!SENSITIVE.includes(e.key.toLowerCase()) || e.value.kind !== "scalar" || e.value.type !== "string") {
      continue;
    }
    e.value = { ...e.value, text: Buffer.from(e.value.text, "base64").toString("utf8") };
  }
}
