/**
 * Test helpers for transforms: parse an option block written as HOCON against a transform's
 * spec and create it over given input tables, the way bind.ts does at plan time.
 */
import { readHocon } from "../../src/config/hocon.ts";
import { getEntry, type ObjectNode } from "../../src/config/tree.ts";
import { parseOptions, type ParseResult } from "../../src/api/parse-options.ts";
import {
  ConfigError,
  parseTablePath,
  tableId,
  type DataType,
  type Definition,
  type Logger,
  type PluginContext,
  type Row,
  type RowKind,
  type TableSchema,
  type Transform,
  type TransformDefinition,
} from "../../src/api/index.ts";

export const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** The transform's block from `transform { Name { <body> } }`. */
export function blockOf(name: string, body: string): ObjectNode {
  const root = readHocon(`transform {\n  ${name} {\n${body}\n  }\n}\n`, "job.conf", { variables: new Map(), env: {} });
  const list = getEntry(root, "transform")!.value;
  if (list.kind !== "array" || list.items[0]?.kind !== "object") {
    throw new Error("no transform block");
  }
  return list.items[0];
}

export function parse(def: Definition, body: string): ParseResult {
  return parseOptions(
    `transform ${def.name}`,
    blockOf(def.name, body),
    def.options,
    def.rules,
    def.allowUnknownOptions,
  );
}

export function ctxFor(def: Definition, log: Logger = quiet): PluginContext {
  return {
    label: `transform ${def.name}`,
    jobId: "1",
    jobName: "test",
    jobMode: "BATCH",
    parallelism: 1,
    log,
    checkOnly: false,
  };
}

/** Parses `body` (throwing its first error) and creates the transform over `inputs`. */
export function make(def: Definition, body: string, inputs: TableSchema[], log: Logger = quiet): Transform {
  const res = parse(def, body);
  if (res.errors.length > 0) {
    throw res.errors[0];
  }
  return (def as TransformDefinition).create(res.values as never, inputs, ctxFor(def, log));
}

/** The ConfigError `f` throws (fails the test when it throws nothing or something else). */
export function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

/** A table `id` (`db.table` or `table`) with nullable columns. */
export function table(id: string, columns: [string, DataType][], extra: Partial<TableSchema> = {}): TableSchema {
  const path = parseTablePath(id);
  return {
    id: tableId(path),
    path,
    columns: columns.map(([name, type]) => ({ name, type, nullable: true })),
    ...extra,
  };
}

export const rowOf = (t: string, fields: unknown[], kind: RowKind = 0 as RowKind): Row => ({ kind, table: t, fields });
