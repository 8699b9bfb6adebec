/**
 * Option helpers: a connector declares each option once (key → `opt.*(...)`) and that one object
 * drives validation with file:line:col, SeaTunnel's coercions (`"5"` is an int, `TRUE` is a
 * bool, enums ignore case, a comma string is a list), `connectors describe` and the examples test.
 * Values are checked with valibot schemas after coercion.
 */
import * as v from "valibot";
import type { Node, Pos } from "./tree.ts";
import { toPlain } from "./tree.ts";
import { ConfigError } from "./errors.ts";

/** What `connectors describe` shows for an option. */
export interface OptionMeta {
  /** Type as shown to users: `int`, `string`, `enum`, `list<string>`, `map`, `object`, `schema`… */
  type: string;
  /** Human phrase used in errors: `an integer >= 0`. */
  expects: string;
  doc: string;
  default?: unknown;
  required: boolean;
  secret?: boolean;
  example?: string;
  /** Allowed values of an enum. */
  values?: readonly string[];
  /** Older keys that are still read (SeaTunnel's withFallbackKeys); a hit logs a deprecation warning. */
  fallbackKeys?: readonly string[];
  /**
   * Names of `${name}` the connector fills in this option's value itself (a file name's
   * `${transactionId}`); any other `${name}` left in a job file's value warns as an unresolved variable.
   */
  placeholders?: RegExp;
}

/** Thrown by a coercion when the written value cannot become the option's type. */
export class OptionMismatch extends Error {
  constructor(readonly at?: Pos) {
    super("mismatch");
  }
}

/**
 * One declared option. `parse` turns a tree node into the typed value or throws
 * OptionMismatch / returns valibot issues; option-parsing code (parseOptions) calls it, connectors
 * never do.
 */
export interface Opt<T> {
  readonly meta: OptionMeta;
  readonly parse: (
    node: Node,
  ) => { ok: true; value: T } | { ok: false; message?: string; pos?: Pos; error?: ConfigError };
}

/** The typed values of a record of options (what `create()` receives). */
export type OptionValues<O extends Record<string, Opt<unknown>>> = {
  [K in keyof O]: O[K] extends Opt<infer T> ? T : never;
};

interface Common<T> {
  doc: string;
  default?: T;
  required?: boolean;
  secret?: boolean;
  example?: string;
  fallbackKeys?: readonly string[];
  placeholders?: RegExp;
}

function make<T>(
  meta: Omit<OptionMeta, "required"> & { required?: boolean },
  coerce: (n: Node) => unknown,
  schema: v.GenericSchema<unknown, T>,
): Opt<T> {
  return {
    meta: { ...meta, required: meta.required ?? false },
    parse(node) {
      let raw: unknown;
      try {
        raw = coerce(node);
      } catch (e) {
        if (e instanceof ConfigError) {
          return { ok: false, error: e };
        }
        if (e instanceof OptionMismatch) {
          return { ok: false, pos: e.at };
        }
        throw e;
      }
      const r = v.safeParse(schema, raw);
      if (r.success) {
        return { ok: true, value: r.output };
      }
      return { ok: false, message: issueMessage(r.issues[0]), pos: issuePos(node, r.issues[0]) };
    },
  };
}

function issueMessage(issue: v.BaseIssue<unknown> | undefined): string | undefined {
  if (!issue) {
    return undefined;
  }
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return path ? `${path}: ${issue.message}` : undefined;
}

/** Finds the node a valibot issue path points at, for its position. */
function issuePos(node: Node, issue: v.BaseIssue<unknown> | undefined): Pos {
  let cur: Node = node;
  for (const step of issue?.path ?? []) {
    if (cur.kind === "object") {
      const e = cur.entries.find((x) => x.key === String(step.key));
      if (!e) {
        break;
      }
      cur = e.value;
    } else if (cur.kind === "array" && typeof step.key === "number" && cur.items[step.key]) {
      cur = cur.items[step.key]!;
    } else {
      break;
    }
  }
  return cur.pos;
}

const scalarText = (n: Node): string => {
  if (n.kind !== "scalar" || n.type === "null") {
    throw new OptionMismatch(n.pos);
  }
  return n.text;
};

const toInteger = (n: Node): number => {
  const t = scalarText(n).trim();
  if (!/^[+-]?\d+$/.test(t)) {
    throw new OptionMismatch(n.pos);
  }
  return Number(t);
};

const toBigInt = (n: Node): bigint => {
  const t = scalarText(n).trim();
  if (!/^[+-]?\d+$/.test(t)) {
    throw new OptionMismatch(n.pos);
  }
  return BigInt(t);
};

const toNumber = (n: Node): number => {
  const t = scalarText(n).trim();
  const x = Number(t);
  if (t === "" || !Number.isFinite(x)) {
    throw new OptionMismatch(n.pos);
  }
  return x;
};

const toBool = (n: Node): boolean => {
  const t = scalarText(n).toLowerCase();
  if (t === "true") {
    return true;
  }
  if (t === "false") {
    return false;
  }
  throw new OptionMismatch(n.pos);
};

/** A list from an array node, or from a comma-separated string (SeaTunnel splits and trims). */
const toList = (n: Node, item: (n: Node) => unknown): unknown[] => {
  if (n.kind === "array") {
    return n.items.map(item);
  }
  if (n.kind === "scalar" && n.type === "string") {
    if (n.text.trim() === "") {
      return [];
    }
    return n.text.split(",").map((s) => item({ kind: "scalar", type: "string", text: s.trim(), pos: n.pos }));
  }
  if (n.kind === "scalar" && n.type !== "null") {
    return [item(n)];
  }
  throw new OptionMismatch(n.pos);
};

const range = (min?: number, max?: number): string =>
  min !== undefined && max !== undefined
    ? ` from ${min} to ${max}`
    : min !== undefined
      ? ` >= ${min}`
      : max !== undefined
        ? ` <= ${max}`
        : "";

const bounded = (min?: number, max?: number) => {
  const checks: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [];
  if (min !== undefined) {
    checks.push(v.minValue(min));
  }
  if (max !== undefined) {
    checks.push(v.maxValue(max));
  }
  return checks;
};

export const opt = {
  /** A 32-bit style integer; numeric strings are accepted. */
  int<const C extends Common<number> & { min?: number; max?: number }>(o: C): Opt<Given<number, C>> {
    return make(
      { ...o, type: "int", expects: `an integer${range(o.min, o.max)}` },
      toInteger,
      v.pipe(v.number(), v.integer(), ...bounded(o.min ?? -2147483648, o.max ?? 2147483647)),
    ) as Opt<Given<number, C>>;
  },
  /** A 64-bit integer kept exact as bigint. */
  long<const C extends Common<bigint> & { min?: bigint; max?: bigint }>(o: C): Opt<Given<bigint, C>> {
    const lo = o.min ?? -(2n ** 63n);
    const hi = o.max ?? 2n ** 63n - 1n;
    return make(
      { ...o, type: "long", expects: `an integer${o.min !== undefined ? ` >= ${o.min}` : ""}` },
      toBigInt,
      v.pipe(v.bigint(), v.minValue(lo), v.maxValue(hi)),
    ) as Opt<Given<bigint, C>>;
  },
  /** A floating-point number. */
  number<const C extends Common<number> & { min?: number; max?: number }>(o: C): Opt<Given<number, C>> {
    return make(
      { ...o, type: "double", expects: `a number${range(o.min, o.max)}` },
      toNumber,
      v.pipe(v.number(), ...bounded(o.min, o.max)),
    ) as Opt<Given<number, C>>;
  },
  bool<const C extends Common<boolean>>(o: C): Opt<Given<boolean, C>> {
    return make({ ...o, type: "boolean", expects: "true or false" }, toBool, v.boolean()) as Opt<Given<boolean, C>>;
  },
  string<const C extends Common<string> & { nonEmpty?: boolean }>(o: C): Opt<Given<string, C>> {
    const coerce = (n: Node): string => {
      if (n.kind === "scalar" && n.type !== "null") {
        return n.text;
      }
      if (n.kind === "scalar") {
        throw new OptionMismatch(n.pos);
      }
      return JSON.stringify(toPlain(n));
    };
    return make(
      { ...o, type: "string", expects: o.nonEmpty ? "a non-empty string" : "a string" },
      coerce,
      o.nonEmpty ? v.pipe(v.string(), v.minLength(1)) : v.string(),
    ) as Opt<Given<string, C>>;
  },
  /** One of `values`, matched case-insensitively; the value returned is the declared spelling. */
  enum<
    const E extends string,
    const C extends Common<E> & { values: readonly E[] } = Common<E> & { values: readonly E[] },
  >(o: C & { values: readonly E[] }): Opt<Given<E, C>> {
    const coerce = (n: Node): string => {
      const t = scalarText(n).trim();
      const hit = o.values.find((x) => x.toLowerCase() === t.toLowerCase());
      if (hit === undefined) {
        throw new OptionMismatch(n.pos);
      }
      return hit;
    };
    return make(
      { ...o, type: "enum", values: o.values, expects: `one of ${o.values.join(", ")}` },
      coerce,
      v.picklist(o.values),
    ) as Opt<Given<E, C>>;
  },
  /** A list of strings or numbers; a plain string is split on `,`. */
  list<I extends "string" | "int" | "number" | "long", const C extends Common<ItemType<I>[]> = Common<ItemType<I>[]>>(
    o: C & { of: I; minItems?: number },
  ): Opt<Given<ItemType<I>[], C>> {
    const item = {
      string: (n: Node) => scalarText(n),
      int: toInteger,
      number: toNumber,
      long: (n: Node) => toBigInt(n),
    }[o.of];
    const schema = v.pipe(v.array(v.unknown()), v.minLength(o.minItems ?? 0)) as unknown as v.GenericSchema<
      unknown,
      ItemType<I>[]
    >;
    return make(
      {
        ...o,
        type: `list<${o.of}>`,
        expects: `a list of ${o.of === "string" ? "strings" : "numbers"}${o.minItems ? ` with at least ${o.minItems} item(s)` : ""}`,
      },
      (n) => toList(n, item),
      schema,
    ) as Opt<Given<ItemType<I>[], C>>;
  },
  /** A map of string keys to string values (e.g. JDBC properties, HTTP headers). */
  map<const C extends Common<Record<string, string>>>(o: C): Opt<Given<Record<string, string>, C>> {
    const coerce = (n: Node): Record<string, string> => {
      if (n.kind !== "object") {
        throw new OptionMismatch(n.pos);
      }
      const out: Record<string, string> = {};
      for (const e of n.entries) {
        out[e.key] = e.value.kind === "scalar" ? e.value.text : JSON.stringify(toPlain(e.value));
      }
      return out;
    };
    return make(
      { ...o, type: "map", expects: "an object of key = value pairs" },
      coerce,
      v.record(v.string(), v.string()),
    ) as Opt<Given<Record<string, string>, C>>;
  },
  /** Any structured value, validated by a valibot schema over its plain JS form. */
  object<T>(o: Common<T> & { schema: v.GenericSchema<unknown, T>; type?: string; expects?: string }): Opt<T> {
    return make({ ...o, type: o.type ?? "object", expects: o.expects ?? "an object" }, toPlain, o.schema);
  },
  /** The raw positioned node, for options a connector parses itself (schemas, rules). */
  node(o: Common<Node> & { type: string; expects: string }): Opt<Node> {
    return make(
      { ...o },
      (n) => n,
      v.custom<Node>(() => true),
    );
  },
};

/** What create() gets for an option: its type, or `T | undefined` when it has neither a default nor `required: true`. */
type Given<T, C> = C extends { default: unknown } ? T : C extends { required: true } ? T : T | undefined;

type ItemType<I> = I extends "string" ? string : I extends "long" ? bigint : number;

/**
 * A cross-option rule as data: option parsing enforces it and `connectors describe` shows it on
 * each option it names. `requiredUnless`: the `then` options are required unless that key is set
 * (LocalFile's path unless tables_configs).
 */
export type Rule =
  | { exclusive: readonly string[]; required?: boolean }
  | { requiredIf: { key: string; equals?: unknown }; then: readonly string[] }
  | { requiredUnless: string; then: readonly string[] }
  | { bundled: readonly string[] };
