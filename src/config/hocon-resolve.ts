/**
 * Resolves HOCON substitutions (FACTS §1.4 steps 1-3): an unquoted `${x}` is looked up as a config
 * path from the root (`->` separated; `${a.b}` is the flat key `a.b`), then as an environment
 * variable, then as a `-i` variable. `${?x}` that resolves to nothing removes its entry or list item.
 */
import { ConfigError, didYouMean } from "../api/errors.ts";
import type { RawArray, RawEntry, RawObject, RawSpace, RawSubst, RawValue } from "./hocon.ts";
import {
  type ArrayNode,
  type Entry,
  type Node,
  type ObjectNode,
  type Pos,
  arrayNode,
  describeNode,
  getEntry,
  objectNode,
  scalar,
} from "../api/tree.ts";

export interface ResolveOptions {
  /** `-i key=value` variables. */
  variables: Map<string, string>;
  /** The process environment. */
  env: Record<string, string | undefined>;
}

/** Node count above which a job (after substitutions copied values around) is rejected. */
const MAX_NODES = 1_000_000;

/**
 * Resolves every substitution. All problems are collected and thrown as ONE ConfigError (the first,
 * with the others summarised in its message), so callers only ever see ConfigError.
 */
export function resolveHocon(root: RawObject, opts: ResolveOptions): ObjectNode {
  const r = new Resolver(root, opts);
  const out = r.object(root);
  const [first, ...more] = r.errors;
  if (first && more.length === 0) {
    throw first;
  }
  if (first) {
    const listed = more.slice(0, 3).map((e) => `${e.pos ? `${e.pos.line}:${e.pos.col} ` : ""}${e.message}`);
    const rest = more.length > 3 ? `; and ${more.length - 3} more` : "";
    throw new ConfigError(
      first.code,
      `${first.message} (${more.length} more problem${more.length > 1 ? "s" : ""}: ${listed.join("; ")}${rest})`,
      first.pos,
    );
  }
  if (countNodes(out, new Map()) > MAX_NODES) {
    throw new ConfigError(
      "CONFIG_TOO_LARGE",
      `expected at most ${MAX_NODES} values after substitution, found more (substitutions copy values exponentially)`,
      root.pos,
    );
  }
  return out;
}

/**
 * A `-i` value as a config value: `[a,b]` becomes a list of strings split on `,` (not trimmed),
 * like SeaTunnel's PropertiesParser; anything else is a string.
 */
export function variableNode(value: string, pos: Pos): Node {
  if (value.length >= 2 && value.startsWith("[") && value.endsWith("]")) {
    const inner = value.slice(1, -1);
    return arrayNode(inner === "" ? [] : inner.split(",").map((v) => scalar("string", v, pos)), pos);
  }
  return scalar("string", value, pos);
}

type Found = { node: Node } | "cycle" | undefined;

class Resolver {
  readonly errors: ConfigError[] = [];
  private readonly memo = new Map<RawValue, Node | null>();
  private readonly active = new Set<RawValue>();

  constructor(
    private readonly root: RawObject,
    private readonly opts: ResolveOptions,
  ) {}

  /** null = the value is absent (an unresolved `${?x}`). Memoized, with cycle detection. */
  value(v: RawValue): Node | null {
    if (v.kind === "scalar") {
      return v;
    }
    const known = this.memo.get(v);
    if (known !== undefined) {
      return known;
    }
    this.active.add(v);
    let out: Node | null;
    if (v.kind === "object") {
      out = this.object(v);
    } else if (v.kind === "array") {
      out = this.array(v);
    } else if (v.kind === "subst") {
      out = this.subst(v);
    } else {
      out = this.concat(v.parts, v.pos);
    }
    this.active.delete(v);
    this.memo.set(v, out);
    return out;
  }

  object(v: RawObject): ObjectNode {
    const entries: Entry[] = [];
    for (const e of v.entries) {
      const value = this.value(e.value);
      if (value !== null) {
        entries.push({ key: e.key, keyPos: e.keyPos, value });
      }
    }
    return objectNode(entries, v.pos);
  }

  private array(v: RawArray): ArrayNode {
    const items: Node[] = [];
    for (const item of v.items) {
      const value = this.value(item);
      if (value !== null) {
        items.push(value);
      }
    }
    return arrayNode(items, v.pos);
  }

  private subst(s: RawSubst): Node | null {
    const found = this.lookup(s.path);
    if (found !== undefined && found !== "cycle") {
      return found.node;
    }
    const name = s.path.join(".");
    const env = s.path.length === 1 ? this.opts.env[name] : undefined;
    if (env !== undefined) {
      return scalar("string", env, s.pos);
    }
    const variable = this.opts.variables.get(name) ?? this.opts.variables.get(s.path.join("->"));
    if (variable !== undefined) {
      return variableNode(variable, s.pos);
    }
    if (s.optional) {
      return null;
    }
    const message =
      found === "cycle"
        ? `variable "${s.text}" refers to itself; define it elsewhere, pass it with -i ${name}=value or set the environment variable ${name}`
        : `variable "${s.text}" is not defined; pass it with -i ${name}=value or set the environment variable ${name}`;
    const known = [...this.opts.variables.keys(), ...this.root.entries.map((e) => e.key)];
    const hint = didYouMean(name, known);
    this.errors.push(
      new ConfigError("CONFIG_VARIABLE_UNRESOLVED", hint ? `${message}; did you mean "${hint}"?` : message, s.pos),
    );
    return null;
  }

  /** Walks a config path from the root; values on the way are resolved as needed. */
  private lookup(path: string[]): Found {
    let raw: RawValue = this.root;
    let k = 0;
    for (; k < path.length && raw.kind === "object"; k++) {
      const entry: RawEntry | undefined = raw.entries.find((e) => e.key === path[k]);
      if (!entry) {
        return undefined;
      }
      raw = entry.value;
    }
    if (this.active.has(raw) && k === path.length) {
      return "cycle";
    }
    if (this.active.has(raw)) {
      return undefined;
    }
    let node = this.value(raw);
    for (; k < path.length; k++) {
      if (node === null || node.kind !== "object") {
        return undefined;
      }
      node = getEntry(node, path[k]!)?.value ?? null;
    }
    return node === null ? undefined : { node };
  }

  /** Strings join (spaces between them kept); lists append; objects merge. */
  private concat(parts: (RawValue | RawSpace)[], pos: Pos): Node | null {
    const vals: (Node | RawSpace)[] = [];
    for (const p of parts) {
      if (p.kind === "ws") {
        vals.push(p);
      } else {
        const v = this.value(p);
        if (v !== null) {
          vals.push(v);
        }
      }
    }
    while (vals[0]?.kind === "ws") {
      vals.shift();
    }
    while (vals[vals.length - 1]?.kind === "ws") {
      vals.pop();
    }
    const nodes = vals.filter((v): v is Node => v.kind !== "ws");
    const first = nodes[0];
    if (first === undefined) {
      return null;
    }
    if (vals.length === 1) {
      return first;
    }
    if (nodes.every((n) => n.kind === "object")) {
      return nodes.reduce((a, b) => mergeObjects(a as ObjectNode, b as ObjectNode));
    }
    if (nodes.every((n) => n.kind === "array")) {
      return arrayNode(
        nodes.flatMap((n) => (n as ArrayNode).items),
        first.pos,
      );
    }
    const bad = nodes.find((n) => n.kind !== "scalar");
    if (bad) {
      const other = nodes.find((n) => n.kind !== bad.kind) ?? first;
      this.errors.push(
        new ConfigError(
          "CONFIG_VALUE_CONCAT",
          `expected values of one kind written together, found ${describeNode(bad)} next to ${describeNode(other)}`,
          bad.pos,
        ),
      );
      return null;
    }
    const text = vals.map((v) => (v.kind === "scalar" || v.kind === "ws" ? v.text : "")).join("");
    const quoted = nodes.some((n) => n.kind === "scalar" && n.quoted === true);
    return scalar("string", text, pos, quoted);
  }
}

function mergeObjects(a: ObjectNode, b: ObjectNode): ObjectNode {
  const entries = [...a.entries];
  for (const e of b.entries) {
    const i = entries.findIndex((x) => x.key === e.key);
    const prev = entries[i];
    if (!prev) {
      entries.push(e);
    } else if (prev.value.kind === "object" && e.value.kind === "object") {
      entries[i] = { ...e, value: mergeObjects(prev.value, e.value) };
    } else {
      entries[i] = e;
    }
  }
  return objectNode(entries, a.pos);
}

function countNodes(n: Node, seen: Map<Node, number>): number {
  const known = seen.get(n);
  if (known !== undefined) {
    return known;
  }
  let total = 1;
  if (n.kind === "object") {
    for (const e of n.entries) {
      total += countNodes(e.value, seen);
    }
  } else if (n.kind === "array") {
    for (const item of n.items) {
      total += countNodes(item, seen);
    }
  }
  total = Math.min(total, MAX_NODES + 1);
  seen.set(n, total);
  return total;
}
