/**
 * What a SQL function declares: its names, family, signature and doc (shown by `connectors
 * describe Sql`), minimum argument count, result type (ZetaSQLType) and an implementation bound
 * once per query to the static argument types, so no per-row type dispatch is needed.
 */
import type { DataType } from "../../../src/api/index.ts";
import { classCast, javaFullClassName } from "../runtime/java.ts";

export type Family = "string" | "numeric" | "datetime" | "system" | "array" | "json";

/** A compiled argument: its declared type, the Java class of its values, and its value when constant. */
export interface Arg {
  type: DataType;
  rt: DataType;
  literal?: { value: unknown };
  /** The argument as SQL text (ZetaSQLType reads PARSEDATETIME's format from it). */
  text: string;
}

export type Impl = (...values: unknown[]) => unknown;
export type ResultType = DataType | { type: DataType; rt: DataType };

export interface FnDef {
  names: readonly string[];
  family: Family;
  signature: string;
  doc: string;
  minArgs: number;
  /** Result type for these arguments; throws Error(message) for a type problem. */
  result(args: Arg[], name: string): ResultType;
  bind(args: Arg[], name: string): Impl;
  /**
   * The Java class each argument is cast to (`s` String, `n` Number, `t` Temporal, `T` LocalDateTime,
   * `.` anything); an argument of another static type fails with ClassCastException when non-null.
   */
  expects?: string;
}

const ACCEPTS: Record<string, (t: DataType) => boolean> = {
  s: (t) => t.kind === "string",
  n: (t) => ["tinyint", "smallint", "int", "bigint", "float", "double", "decimal"].includes(t.kind),
  t: (t) => t.kind === "date" || t.kind === "time" || t.kind === "timestamp",
  T: (t) => t.kind === "timestamp",
  ".": () => true,
};
const TARGET: Record<string, string> = {
  s: "java.lang.String",
  n: "java.lang.Number",
  t: "java.time.temporal.Temporal",
  T: "java.time.LocalDateTime",
};

/**
 * The implementation wrapped with Java's casts: an argument whose static type the function cannot
 * cast throws ClassCastException for a non-null value, as `(String) args.get(i)` would.
 */
export function bindChecked(def: FnDef, args: Arg[], name: string): Impl {
  const impl = def.bind(args, name);
  const bad: number[] = [];
  args.forEach((a, i) => {
    const want = def.expects?.[i];
    if (want && want !== "." && a.rt.kind !== "null" && !ACCEPTS[want]!(a.rt)) {
      bad.push(i);
    }
  });
  if (bad.length === 0) {
    return impl;
  }
  return (...values) => {
    for (const i of bad) {
      if (values[i] !== null && values[i] !== undefined) {
        throw classCast(
          args[i]!.rt,
          `${TARGET[def.expects![i]!]} (${javaFullClassName(args[i]!.rt)} and ${TARGET[def.expects![i]!]} are in module java.base of loader 'bootstrap')`,
        );
      }
    }
    return impl(...values);
  };
}

/** A definition whose result type is fixed and whose implementation ignores argument types. */
export function fixed(
  names: readonly string[],
  family: Family,
  signature: string,
  doc: string,
  minArgs: number,
  type: DataType,
  impl: Impl,
  expects?: string,
): FnDef {
  return {
    names,
    family,
    signature,
    doc,
    minArgs,
    result: () => type,
    bind: () => impl,
    ...(expects ? { expects } : {}),
  };
}
