/** Helpers for the Sql transform's tests: run a query over rows of a declared schema. */
import {
  parseType,
  RowKind,
  type Column,
  type DataType,
  type Logger,
  type PluginContext,
  type Row,
  type TableSchema,
  type Transform,
} from "../../src/api/index.ts";
import { pluginContext, quiet } from "../../src/api/testing.ts";
import { sqlTransform } from "./index.ts";

export { quiet };

export function context(log: Logger = quiet): PluginContext {
  return pluginContext(sqlTransform, { jobId: "test", log });
}

/** A table named `fake` with the given columns (`{ id: "int" }` or DataType values). */
export function table(columns: Record<string, string | DataType>, id = "fake"): TableSchema {
  const cols: Column[] = Object.entries(columns).map(([name, t]) => ({
    name,
    type: typeof t === "string" ? parseType(t) : t,
    nullable: true,
  }));
  return { id, path: { table: id }, columns: cols };
}

/** Creates the transform for `query` (the query node sits at line 1, column 1 of test.conf). */
export function create(query: string, inputs: TableSchema[], log?: Logger): Transform {
  const node = {
    kind: "scalar" as const,
    type: "string" as const,
    text: query,
    pos: { file: "test.conf", line: 1, col: 1 },
    quoted: true,
  };
  return sqlTransform.create({ query: { text: query, node }, engine: "ZETA" } as never, inputs, context(log));
}

export interface Result {
  columns: Column[];
  rows: unknown[][];
  out: Row[];
}

/** Runs `query` over `rows` of a table with `columns`. */
export function run(query: string, columns: Record<string, string | DataType>, rows: unknown[][]): Result {
  const t = create(query, [table(columns)]);
  const out = t.process(rows.map((fields) => ({ kind: RowKind.INSERT, table: "fake", fields })));
  return { columns: t.outputs[0]!.columns, rows: out.map((r) => r.fields), out };
}

/** The value and type of one expression over one row (`select <expr> as v from fake`). */
export function evaluate(
  expr: string,
  columns: Record<string, string | DataType> = {},
  row: unknown[] = [],
): { value: unknown; type: DataType } {
  const r = run(`select ${expr} as v from fake`, { ...columns, _pad: "int" }, [
    [...row, ...Array(Object.keys(columns).length - row.length).fill(null), 0],
  ]);
  return { value: r.rows[0]![0], type: r.columns[0]!.type };
}

/** Just the value of an expression. */
export const value = (expr: string, columns: Record<string, string | DataType> = {}, row: unknown[] = []): unknown =>
  evaluate(expr, columns, row).value;

/** The error message an expression raises at run time. */
export function runtimeError(
  expr: string,
  columns: Record<string, string | DataType> = {},
  row: unknown[] = [],
): string {
  try {
    evaluate(expr, columns, row);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`expected ${expr} to fail`);
}

/** The error message `create()` raises for a query (plan time). */
export function planError(query: string, columns: Record<string, string | DataType> = { id: "int" }): string {
  try {
    create(query, [table(columns)]);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`expected ${query} to be rejected`);
}
