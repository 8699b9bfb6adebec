/**
 * SeaTunnel's multi-table transform options (AbstractMultiCatalogTransform): every transform
 * accepts `table_match_regex` (which input tables the block's own options apply to, matched
 * against the whole table id) and `table_transform` (per-table option sets keyed by
 * `table_path`, which win over the regex). A table that neither selects passes through unchanged.
 * Each selected table gets its own step, built once at plan time; rows are routed by table id.
 * The engine owns this: a transform declared with `defineTableTransform` writes only its step.
 */
import {
  defineTransform,
  type Example,
  type Features,
  type PluginContext,
  type Transform,
  type TransformDefinition,
} from "./connector.ts";
import { ConfigError } from "./errors.ts";
import { type Opt, type OptionValues, opt, type Rule } from "./options.ts";
import type { Row } from "./row.ts";
import type { TableSchema } from "./table.ts";
import { describeNode, type ObjectNode } from "./convert.ts";
import { parseOptions } from "./parse-options.ts";
import { javaFullMatch, JavaRegexError } from "./java-regex.ts";

/** One `table_transform` item: the table it is for and its own option values. */
export interface TableRule<V> {
  tablePath: string;
  values: V;
}

/** What a transform does to one input table. */
export interface TableStep {
  output: TableSchema;
  /** The row itself when unchanged, a new row, or null to drop it. Never mutates `r`. */
  row(r: Row): Row | null;
  /** A tight loop over a batch of this table's rows (optional; defaults to `row` per row). */
  batch?(rows: Row[]): Row[];
}

/** The step of a table the transform leaves alone. */
export const identityStep = (t: TableSchema): TableStep => ({ output: t, row: (r) => r, batch: (rows) => rows });

const PATH_KEYS = ["table_path", "tablePath"];

function tableTransformOption<O extends Record<string, Opt<unknown>>>(
  options: O,
  rules: readonly Rule[],
): Opt<TableRule<OptionValues<O>>[]> {
  return {
    meta: {
      type: "list<object>",
      expects: 'a list of { table_path = "db.table", <options of this transform> }',
      doc: "Per-table options: each item names a table by table_path (database[.schema].table) and carries this transform's options for that table; it wins over table_match_regex",
      default: [],
      required: false,
      example: `table_transform = [ { table_path = "test.table1", ... } ]`,
    },
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: TableRule<OptionValues<O>>[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `table_transform[${i}] is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const pathEntry = item.entries.find((e) => PATH_KEYS.includes(e.key));
        const path =
          pathEntry?.value.kind === "scalar" && pathEntry.value.type !== "null" ? pathEntry.value.text : undefined;
        if (path === undefined) {
          return { ok: false, message: `table_transform[${i}] needs table_path = "database.table"`, pos: item.pos };
        }
        const body: ObjectNode = {
          kind: "object",
          pos: item.pos,
          entries: item.entries.filter((e) => !PATH_KEYS.includes(e.key)),
        };
        const res = parseOptions(`table_transform[${i}] (${path})`, body, options, rules);
        // There is no warning channel here: an unknown key in an item is an error, not a warning.
        const problem = res.errors[0] ?? res.warnings.find((w) => w.code === "CONFIG_OPTION_UNKNOWN");
        if (problem) {
          return { ok: false, error: problem };
        }
        out.push({ tablePath: path, values: res.values as OptionValues<O> });
      }
      return { ok: true, value: out };
    },
  };
}

/** `table_match_regex` and `table_transform` for a transform with these options. */
export function multiTableOptions<O extends Record<string, Opt<unknown>>>(options: O, rules: readonly Rule[] = []) {
  return {
    table_match_regex: opt.string({
      default: ".*",
      doc: "Java regular expression matched against each input table id (database[.schema].table); the block's options apply to matching tables, other tables pass through unchanged",
    }),
    table_transform: tableTransformOption(options, rules),
  };
}

export interface MultiTableValues<V> {
  table_match_regex: string;
  table_transform: TableRule<V>[];
}

/** One input table and what happens to it. */
export interface ResolvedStep {
  input: TableSchema;
  step: TableStep;
  /** False when no option set selected the table (identity). */
  selected: boolean;
}

/** Picks each input table's option set (table_transform > table_match_regex > none) and builds its step. */
export function resolveSteps<V>(
  ctx: PluginContext,
  options: V & MultiTableValues<V>,
  inputs: readonly TableSchema[],
  build: (table: TableSchema, values: V) => TableStep,
): ResolvedStep[] {
  let match: RegExp;
  try {
    match = javaFullMatch(options.table_match_regex ?? ".*");
  } catch (e) {
    if (e instanceof JavaRegexError) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${ctx.label}: option "table_match_regex": ${e.message}`);
    }
    throw e;
  }
  const rules = options.table_transform ?? [];
  const seen = new Set<string>();
  const out: ResolvedStep[] = [];
  for (const input of inputs) {
    if (seen.has(input.id)) {
      continue;
    }
    seen.add(input.id);
    const rule = rules.find((r) => r.tablePath === input.id);
    const values = rule ? rule.values : match.test(input.id) ? options : undefined;
    out.push(
      values === undefined
        ? { input, step: identityStep(input), selected: false }
        : { input, step: build(input, values), selected: true },
    );
  }
  return out;
}

/** Runs `row` over a batch; returns the batch itself when every row came back unchanged. */
export function mapBatch(rows: Row[], row: (r: Row) => Row | null): Row[] {
  let out: Row[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const o = row(r);
    if (out === undefined) {
      if (o === r) {
        continue;
      }
      out = rows.slice(0, i);
    }
    if (o !== null) {
      out.push(o);
    }
  }
  return out ?? rows;
}

/** A Transform over resolved steps; rows of a table without a step pass through. */
export function stepsTransform(
  steps: readonly ResolvedStep[],
  outputs: TableSchema[] = steps.map((s) => s.step.output),
): Transform {
  if (steps.length === 1) {
    const step = steps[0]!.step;
    const row = step.row;
    return { outputs, process: step.batch ? step.batch.bind(step) : (rows) => mapBatch(rows, row) };
  }
  const byId = new Map<string, TableStep>();
  for (const s of steps) {
    byId.set(s.input.id, s.step);
  }
  const route = (r: Row): Row | null => {
    const step = byId.get(r.table);
    return step === undefined ? r : step.row(r);
  };
  return { outputs, process: (rows) => mapBatch(rows, route) };
}

/** resolveSteps + stepsTransform: the usual multi-table transform. */
function perTable<V>(
  ctx: PluginContext,
  options: V & MultiTableValues<V>,
  inputs: readonly TableSchema[],
  build: (table: TableSchema, values: V) => TableStep,
): Transform {
  return stepsTransform(resolveSteps(ctx, options, inputs, build));
}

/** A transform that works table by table: its own options and the step it builds for one table. */
export interface TableTransformSpec<O extends Record<string, Opt<unknown>>> {
  /** SeaTunnel's plugin name, looked up case-insensitively. */
  name: string;
  doc: string;
  /** The transform's own options; table_match_regex and table_transform are added. */
  options: O;
  rules?: readonly Rule[];
  features?: Omit<Features, "multiTable">;
  examples: readonly Example[];
  /**
   * The step for one selected input table, with the options that apply to it (the block's, or
   * its table_transform item's). Runs at plan time and again once per subtask; throw a
   * ConfigError for a table the options do not fit (the plan fails with it).
   */
  step(table: TableSchema, options: OptionValues<O>, ctx: PluginContext): TableStep;
}

/**
 * Declares a per-table transform: `options` plus SeaTunnel's table_match_regex / table_transform,
 * and a create() that picks each input table's options, builds its step and routes rows by table.
 */
export function defineTableTransform<O extends Record<string, Opt<unknown>>>(
  spec: TableTransformSpec<O>,
): TransformDefinition {
  const options = { ...spec.options, ...multiTableOptions(spec.options, spec.rules ?? []) };
  return defineTransform({
    name: spec.name,
    doc: spec.doc,
    options,
    ...(spec.rules ? { rules: spec.rules } : {}),
    features: { batch: true, streaming: true, ...spec.features, multiTable: true },
    examples: spec.examples,
    create: (values, inputs, ctx) =>
      perTable<OptionValues<O>>(
        ctx,
        values as unknown as OptionValues<O> & MultiTableValues<OptionValues<O>>,
        inputs,
        (table, own) => spec.step(table, own, ctx),
      ),
  });
}
