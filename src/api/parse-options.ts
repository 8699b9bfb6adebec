/**
 * Applies a connector's declared options to a plugin block: looks each key up (flat dotted key,
 * nested form or fallback key), coerces, validates, applies defaults and rules, and collects every
 * problem of the block as a ConfigError instead of stopping at the first.
 */
import type { Entry, Node, ObjectNode, Pos } from "./tree.ts";
import { describeNode, lookup } from "./tree.ts";
import { ConfigError, didYouMean, notKnown } from "./errors.ts";
import type { Opt, OptionValues, Rule } from "./options.ts";
import { unresolvedIn } from "./unresolved.ts";

/** Options every plugin block may carry besides its own (CommonOptions + newer aliases). */
export const COMMON_KEYS = [
  "plugin_name",
  "result_table_name",
  "source_table_name",
  "plugin_output",
  "plugin_input",
  "parallelism",
] as const;

export interface ParseResult {
  values: Record<string, unknown>;
  positions: Record<string, Pos>;
  errors: ConfigError[];
  warnings: ConfigError[];
}

/**
 * `fills`: names of `${name}` the engine fills in every value of this block (a sink's table
 * placeholders); any other `${name}` left in a value is a CONFIG_VARIABLE_UNRESOLVED warning.
 */
export function parseOptions(
  label: string,
  block: ObjectNode,
  options: Record<string, Opt<unknown>>,
  rules: readonly Rule[] = [],
  allowUnknown = false,
  fills?: RegExp,
): ParseResult {
  const res: ParseResult = { values: {}, positions: {}, errors: [], warnings: [] };
  const used = new Set<Entry>();
  const optionOf = new Map<Entry, Opt<unknown>>();
  for (const [key, o] of Object.entries(options)) {
    let entry = lookup(block, key);
    if (!entry) {
      for (const fb of o.meta.fallbackKeys ?? []) {
        entry = lookup(block, fb);
        if (entry) {
          res.warnings.push(
            new ConfigError(
              "CONFIG_OPTION_DEPRECATED",
              `${label}: option "${fb}" is deprecated; please use "${key}" instead`,
              entry.keyPos,
            ),
          );
          break;
        }
      }
    }
    if (!entry) {
      if (o.meta.default !== undefined) {
        res.values[key] = o.meta.default;
      }
      continue;
    }
    markUsed(block, entry, used);
    optionOf.set(entry, o);
    res.positions[key] = entry.keyPos;
    const r = o.parse(entry.value);
    if (r.ok) {
      res.values[key] = r.value;
    } else if (r.error) {
      res.errors.push(r.error);
    } else {
      const detail = r.message ? ` (${r.message})` : "";
      const hint = enumHint(entry.value, o.meta.values);
      res.errors.push(
        new ConfigError(
          "CONFIG_OPTION_INVALID",
          `${label}: option "${key}" expects ${o.meta.expects}, received ${describeNode(entry.value)}${detail}${hint}`,
          r.pos ?? entry.value.pos,
        ),
      );
    }
  }
  checkRules(label, block, options, rules, res);
  for (const e of block.entries) {
    res.warnings.push(...unresolvedIn(label, e, optionOf.get(e), fills));
  }
  for (const [key, o] of Object.entries(options)) {
    if (o.meta.required && !(key in res.values) && !res.errors.some((e) => e.message.includes(`"${key}"`))) {
      if (!rules.some((r) => "exclusive" in r && r.exclusive.includes(key))) {
        res.errors.push(
          new ConfigError(
            "CONFIG_OPTION_MISSING",
            `${label}: option "${key}" is required (${o.meta.expects}): ${o.meta.doc}`,
            block.pos,
          ),
        );
      }
    }
  }
  if (!allowUnknown) {
    const known = [
      ...Object.keys(options),
      ...COMMON_KEYS,
      ...Object.values(options).flatMap((o) => o.meta.fallbackKeys ?? []),
    ];
    for (const e of block.entries) {
      if (used.has(e) || (COMMON_KEYS as readonly string[]).includes(e.key)) {
        continue;
      }
      if (isPrefixOfKnown(e, known)) {
        continue;
      }
      res.warnings.push(
        new ConfigError("CONFIG_OPTION_UNKNOWN", `${label}: ${notKnown("option", e.key, "option", known)}`, e.keyPos),
      );
    }
  }
  return res;
}

/** `; did you mean "STREAMING"?` for a misspelt or shortened enum value, else "". */
function enumHint(node: Node, values: readonly string[] | undefined): string {
  if (!values || node.kind !== "scalar") {
    return "";
  }
  const text = node.text.trim().toLowerCase();
  if (text === "") {
    return "";
  }
  const prefixed = values.filter((v) => v.toLowerCase().startsWith(text));
  const hint = didYouMean(text, values) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  return hint ? `; did you mean "${hint}"?` : "";
}

function markUsed(block: ObjectNode, entry: Entry, used: Set<Entry>): void {
  used.add(entry);
  // A nested hit (`row { num = 5 }`) uses its top-level entry too.
  for (const e of block.entries) {
    if (e.value === entry.value || (e.value.kind === "object" && contains(e.value, entry))) {
      used.add(e);
    }
  }
}

function contains(obj: ObjectNode, entry: Entry): boolean {
  return obj.entries.some((e) => e === entry || (e.value.kind === "object" && contains(e.value, entry)));
}

/** `row { ... }` is fine when some declared key starts with `row.`. */
function isPrefixOfKnown(e: Entry, known: string[]): boolean {
  return e.value.kind === "object" && known.some((k) => k.startsWith(`${e.key}.`));
}

function checkRules(
  label: string,
  block: ObjectNode,
  options: Record<string, Opt<unknown>>,
  rules: readonly Rule[],
  res: ParseResult,
): void {
  const written = (k: string) => res.positions[k] !== undefined;
  for (const rule of rules) {
    if ("exclusive" in rule) {
      const present = rule.exclusive.filter(written);
      if (present.length > 1) {
        res.errors.push(
          new ConfigError(
            "CONFIG_OPTION_CONFLICT",
            `${label}: options ${present.map((k) => `"${k}"`).join(" and ")} cannot be used together; choose one`,
            res.positions[present[1]!],
          ),
        );
      } else if (present.length === 0 && rule.required) {
        res.errors.push(
          new ConfigError(
            "CONFIG_OPTION_MISSING",
            `${label}: one of the options ${rule.exclusive.map((k) => `"${k}"`).join(", ")} is required`,
            block.pos,
          ),
        );
      }
    } else if ("requiredIf" in rule) {
      const { key, equals } = rule.requiredIf;
      const hit = equals === undefined ? written(key) : res.values[key] === equals;
      if (!hit) {
        continue;
      }
      for (const k of rule.then) {
        if (
          !(k in res.values) ||
          (options[k]?.meta.default !== undefined && !written(k) && options[k]?.meta.required)
        ) {
          if (!written(k)) {
            res.errors.push(
              new ConfigError(
                "CONFIG_OPTION_MISSING",
                `${label}: option "${k}" is required when "${key}"${equals === undefined ? " is set" : ` = ${String(equals)}`}`,
                res.positions[key] ?? block.pos,
              ),
            );
          }
        }
      }
    } else if ("requiredUnless" in rule) {
      if (written(rule.requiredUnless)) {
        continue;
      }
      for (const k of rule.then.filter((x) => !written(x))) {
        res.errors.push(
          new ConfigError(
            "CONFIG_OPTION_MISSING",
            `${label}: option "${k}" is required unless "${rule.requiredUnless}" is set (${options[k]?.meta.expects ?? "a value"}): ${options[k]?.meta.doc ?? ""}`,
            block.pos,
          ),
        );
      }
    } else {
      const present = rule.bundled.filter(written);
      if (present.length > 0 && present.length < rule.bundled.length) {
        const missing = rule.bundled.filter((k) => !written(k));
        res.errors.push(
          new ConfigError(
            "CONFIG_OPTION_MISSING",
            `${label}: options ${rule.bundled.map((k) => `"${k}"`).join(", ")} go together; missing ${missing.map((k) => `"${k}"`).join(", ")}`,
            block.pos,
          ),
        );
      }
    }
  }
}

/** What `blockOption` / `blockListOption` take: the nested block's own options and rules. */
interface BlockSpec<O extends Record<string, Opt<unknown>>> {
  doc: string;
  options: O;
  rules?: readonly Rule[];
  required?: boolean;
  example?: string;
}

/** Parses one nested block; its first problem (an unknown key included: there is no warning channel) fails it. */
function parseBlock<O extends Record<string, Opt<unknown>>>(
  label: string,
  node: Node,
  spec: BlockSpec<O>,
): { ok: true; value: OptionValues<O> } | { ok: false; message?: string; pos?: Pos; error?: ConfigError } {
  if (node.kind !== "object") {
    return { ok: false, pos: node.pos };
  }
  const res = parseOptions(label, node, spec.options, spec.rules ?? []);
  const problem = res.errors[0] ?? res.warnings.find((w) => w.code === "CONFIG_OPTION_UNKNOWN");
  return problem ? { ok: false, error: problem } : { ok: true, value: res.values as OptionValues<O> };
}

/**
 * An option whose value is a block of options (`read_limit { rows = 5 }`), parsed with its own spec:
 * coercion, defaults, rules and positions as for a plugin's block.
 */
export function blockOption<O extends Record<string, Opt<unknown>>>(
  key: string,
  spec: BlockSpec<O>,
): Opt<OptionValues<O> | undefined> {
  return {
    meta: {
      doc: spec.doc,
      type: "object",
      expects: `an object of ${Object.keys(spec.options).join(", ")}`,
      required: spec.required ?? false,
      ...(spec.example ? { example: spec.example } : {}),
    },
    parse: (node) => parseBlock(`option "${key}"`, node, spec),
  };
}

/** An option whose value is a list of blocks (`columns = [ { name = a }, { name = b } ]`), each parsed with `spec`. */
export function blockListOption<O extends Record<string, Opt<unknown>>>(
  key: string,
  spec: BlockSpec<O>,
): Opt<OptionValues<O>[] | undefined> {
  return {
    meta: {
      doc: spec.doc,
      type: "list<object>",
      expects: `a list of objects of ${Object.keys(spec.options).join(", ")}`,
      required: spec.required ?? false,
      ...(spec.example ? { example: spec.example } : {}),
    },
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: OptionValues<O>[] = [];
      for (const [i, item] of node.items.entries()) {
        const r = parseBlock(`option "${key}"[${i}]`, item, spec);
        if (!r.ok) {
          return r.error
            ? r
            : { ok: false, message: `item ${i} is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        out.push(r.value);
      }
      return { ok: true, value: out };
    },
  };
}
