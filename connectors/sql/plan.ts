/**
 * A parsed query + the input table → output columns (at plan time) and ONE generated JavaScript
 * function that filters and projects a whole batch in a tight loop: no per-row closures, no AST
 * walking, helpers bound as constants. Errors while evaluating a row become a JobError naming the
 * expression and the output field.
 */
import {
  Decimal,
  deterministic,
  JobError,
  type Column,
  type DataType,
  type Row,
  type TableSchema,
} from "../../src/api/index.ts";
import { toSql, type SelectStatement } from "./ast.ts";
import { directColumn } from "./columns.ts";
import { compileCond } from "./compile-cond.ts";
import { compileValue } from "./compile-value.ts";
import { Gen, type Typed } from "./gen.ts";
import { toDecimal } from "./runtime/decimal.ts";
import { JavaError } from "./runtime/java.ts";
import { isIntegralType, isJsNumber } from "./typing.ts";

export interface OutputColumn {
  column: Column;
  /** The input column it copies (`*` or a plain column reference), for primary-key survival. */
  source?: string;
}

export interface CompiledQuery {
  columns: OutputColumn[];
  process(batch: Row[]): Row[];
  /** The generated source, for tests and debugging. */
  source: string;
}

const cleanEscape = (name: string): string =>
  name.length >= 2 && name.startsWith("`") && name.endsWith("`") ? name.slice(1, -1) : name;

type Repr = "number" | "bigint" | "decimal" | "other";
const repr = (t: DataType): Repr =>
  isJsNumber(t) ? "number" : t.kind === "bigint" ? "bigint" : t.kind === "decimal" ? "decimal" : "other";

/** A converter when a value's Java class is represented differently from its declared column type. */
function coercion(rt: DataType, type: DataType): ((v: unknown) => unknown) | undefined {
  const from = repr(rt);
  const to = repr(type);
  if (from === to || from === "other" || to === "other") {
    return undefined;
  }
  if (to === "number") {
    return (v) => (v == null ? null : Number(v instanceof Decimal ? v.toNumber() : v));
  }
  if (to === "bigint") {
    return (v) =>
      v == null
        ? null
        : typeof v === "bigint"
          ? v
          : BigInt(Math.trunc(v instanceof Decimal ? v.toNumber() : (v as number)));
  }
  return (v) => (v == null ? null : toDecimal(v as number | bigint, isIntegralType(rt)));
}

interface Item {
  code: string;
  name: string;
  text: string;
  column: OutputColumn;
}

function outputCode(g: Gen, t: Typed): string {
  const conv = coercion(t.rt, t.type);
  return conv ? `${g.helper(conv)}(${t.code})` : t.code;
}

function compileItems(g: Gen, stmt: SelectStatement, input: TableSchema): Item[] {
  const items: Item[] = [];
  for (const item of stmt.items) {
    if (item.k === "star") {
      input.columns.forEach((c, i) =>
        items.push({
          code: `f[${i}]`,
          name: c.name,
          text: "*",
          column: { column: { ...c, name: cleanEscape(c.name) }, source: c.name },
        }),
      );
      continue;
    }
    const t = compileValue(g, item.e);
    const e = item.e;
    const name = cleanEscape(item.alias ?? (e.k === "col" ? e.parts[e.parts.length - 1]! : toSql(e)));
    const direct = e.k === "col" ? directColumn(g, e) : -1;
    const src = direct >= 0 ? input.columns[direct] : undefined;
    const column: OutputColumn = src
      ? { column: { ...src, name, type: t.type }, source: src.name }
      : { column: { name, type: t.type, nullable: true } };
    items.push({ code: outputCode(g, t), name, text: toSql(e), column });
  }
  return items;
}

/** Builds the error a failing row raises: which expression, which output field, the Java exception. */
function failure(where: string | undefined, items: Item[]) {
  return (err: unknown, stage: number): Error => {
    const context =
      stage < 0
        ? `evaluating the WHERE condition "${where}"`
        : `evaluating "${items[stage]!.text}" for field "${items[stage]!.name}"`;
    const detail = err instanceof JavaError ? err.describe() : err instanceof Error ? err.message : String(err);
    if (err instanceof JobError) {
      return new JobError(err.code, `Sql transform: ${context}: ${err.message}`, { cause: err });
    }
    return new JobError("SQL_EVAL_FAILED", `Sql transform: ${context}: ${detail}`, {
      cause: err,
      failure: deterministic("a row the Sql transform cannot evaluate"),
    });
  };
}

/** Compiles the statement for the input table; throws SqlTypeError for unknown fields, functions or type mixes. */
export function compileQuery(stmt: SelectStatement, input: TableSchema): CompiledQuery {
  const g = new Gen(input.columns);
  const where = stmt.where ? compileCond(g, stmt.where) : undefined;
  const items = compileItems(g, stmt, input);
  const lines = [
    "const out = [];",
    "let stage = -1, i = 0, r, f;",
    g.tempDecls(),
    "try {",
    "  for (i = 0; i < batch.length; i++) {",
    "    r = batch[i]; f = r.fields;",
    ...(where ? ["    stage = -1;", `    if (!(${where})) continue;`] : []),
    ...items.map((it, k) =>
      it.code.startsWith("f[") ? `    const v${k} = ${it.code};` : `    stage = ${k}; const v${k} = ${it.code};`,
    ),
    `    out.push({ kind: r.kind, table: r.table, fields: [${items.map((_, k) => `v${k}`).join(", ")}] });`,
    "  }",
    "} catch (e) { throw fail(e, stage); }",
    "return out;",
  ];
  const body = lines.filter((l) => l !== "").join("\n");
  const names = g.helpers.map((_, k) => `h${k}`);
  const source = `return function process(batch) {\n${body}\n};`;
  const factory = new Function(...names, "fail", source) as (...args: unknown[]) => (batch: Row[]) => Row[];
  const process = factory(...g.helpers, failure(stmt.where ? toSql(stmt.where) : undefined, items));
  return { columns: items.map((it) => it.column), process, source };
}

/** Output schema for one input table: same id and path, the query's columns, surviving keys. */
export function outputTable(input: TableSchema, columns: OutputColumn[]): TableSchema {
  const kept = new Set(columns.map((c) => c.source).filter((s): s is string => s !== undefined));
  const out: TableSchema = { id: input.id, path: input.path, columns: columns.map((c) => c.column) };
  if (input.primaryKey?.columnNames.every((n) => kept.has(n))) {
    out.primaryKey = input.primaryKey;
  }
  const keys = input.constraintKeys?.filter((k) => k.constraintColumns.every((c) => kept.has(c.columnName)));
  if (keys && keys.length > 0) {
    out.constraintKeys = keys;
  }
  if (input.comment !== undefined) {
    out.comment = input.comment;
  }
  return out;
}
