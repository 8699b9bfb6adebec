/**
 * What an offline `--check` can still check of a query whose input columns are unknown (a database
 * table before connecting): every function it calls exists and gets at least its fewest arguments.
 * Field names and types wait for the columns.
 */
import type { Expr, SelectStatement } from "./ast.ts";
import { lookupFunction } from "./functions/index.ts";
import { SqlTypeError } from "./typing.ts";

function children(e: Expr): Expr[] {
  switch (e.k) {
    case "index":
      return [e.base, e.index];
    case "neg":
    case "not":
    case "paren":
    case "isnull":
    case "cast":
    case "extract":
      return [e.e];
    case "arith":
    case "concat":
    case "cmp":
    case "and":
    case "or":
      return [e.l, e.r];
    case "in":
      return [e.e, ...e.list];
    case "like":
      return [e.e, e.pattern];
    case "between":
      return [e.e, e.lo, e.hi];
    case "case":
      return [
        ...(e.operand ? [e.operand] : []),
        ...e.whens.flatMap((w) => [w.when, w.then]),
        ...(e.else ? [e.else] : []),
      ];
    case "func":
      return e.args;
    default:
      return [];
  }
}

function checkExpr(e: Expr): void {
  if (e.k === "func") {
    const def = lookupFunction(e.name);
    if (!def) {
      // The compiler's own words (SeaTunnel's), so offline and connected checks read alike.
      throw new SqlTypeError(`Unsupported function: ${e.name} `, e.start);
    }
    const name = e.name.toUpperCase();
    if (e.args.length < def.minArgs) {
      throw new SqlTypeError(
        `function ${name} expects at least ${def.minArgs} argument${def.minArgs === 1 ? "" : "s"}, received ${e.args.length}`,
        e.start,
      );
    }
  }
  for (const c of children(e)) {
    checkExpr(c);
  }
}

/** Throws SqlTypeError at the first call of a function that does not exist or lacks arguments. */
export function checkFunctions(stmt: SelectStatement): void {
  for (const item of stmt.items) {
    if (item.k === "expr") {
      checkExpr(item.e);
    }
  }
  if (stmt.where) {
    checkExpr(stmt.where);
  }
}
