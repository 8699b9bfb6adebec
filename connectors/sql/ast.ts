/**
 * The parsed query. `toSql` prints an expression the way JSqlParser's `toString()` does, because
 * SeaTunnel names an un-aliased computed column after that text (`age + 1`, `concat(name, '_')`).
 */

interface At {
  /** Offsets of the node in the query text. */
  start: number;
  end: number;
}

export type CmpOp = "=" | "<>" | "!=" | ">" | ">=" | "<" | "<=";
export type ArithOp = "+" | "-" | "*" | "/" | "%";

export type Expr = At &
  (
    | { k: "null" }
    | { k: "bool"; value: boolean; raw: string }
    | { k: "int"; value: bigint; raw: string }
    | { k: "double"; value: number; raw: string }
    | { k: "string"; value: string; raw: string }
    | { k: "typed"; type: "DATE" | "TIME" | "TIMESTAMP"; value: string; raw: string }
    /** `a`, `` `a` ``, `r.c_row.c_int`: parts unquoted, `raw` as written. */
    | { k: "col"; parts: string[]; raw: string[] }
    | { k: "index"; base: Expr; index: Expr }
    | { k: "neg"; e: Expr }
    | { k: "arith"; op: ArithOp; l: Expr; r: Expr }
    | { k: "concat"; l: Expr; r: Expr }
    | { k: "cmp"; op: CmpOp; l: Expr; r: Expr }
    | { k: "and" | "or"; l: Expr; r: Expr }
    | { k: "not"; e: Expr }
    | { k: "isnull"; e: Expr; not: boolean }
    | { k: "in"; e: Expr; list: Expr[]; not: boolean }
    | { k: "like"; e: Expr; pattern: Expr; not: boolean }
    | { k: "between"; e: Expr; lo: Expr; hi: Expr; not: boolean }
    | { k: "paren"; e: Expr }
    | { k: "case"; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr }
    | { k: "cast"; e: Expr; type: string; args: number[]; typeAt: At; try?: boolean }
    | { k: "func"; name: string; args: Expr[] }
    /** CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP written without parentheses. */
    | { k: "timekey"; name: string }
    | { k: "extract"; field: string; e: Expr }
  );

export type SelectItem = At & ({ k: "star" } | { k: "expr"; e: Expr; alias?: string });

export interface Clause extends At {
  kind: "join" | "where" | "group" | "having" | "order" | "limit" | "offset" | "union";
}

export interface SelectStatement {
  items: SelectItem[];
  from?: { name: string; schema?: string; alias?: string; subquery?: boolean } & At;
  where?: Expr;
  /** Clauses SeaTunnel rejects, kept so validation can report them in SeaTunnel's order. */
  clauses: Clause[];
}

/** Conditions: expressions whose value is a boolean test rather than a column value. */
export const CONDITION_KINDS = new Set<Expr["k"]>(["cmp", "and", "or", "not", "isnull", "in", "like", "between"]);

export function isCondition(e: Expr): boolean {
  if (e.k === "paren") {
    return isCondition(e.e);
  }
  return CONDITION_KINDS.has(e.k);
}

/** JSqlParser's deparse of an expression (used for output names and messages). */
export function toSql(e: Expr): string {
  switch (e.k) {
    case "null":
      return "NULL";
    case "bool":
    case "int":
    case "double":
    case "string":
    case "typed":
      return e.raw;
    case "col":
      return e.raw.join(".");
    case "index":
      return `${toSql(e.base)}[${toSql(e.index)}]`;
    case "neg":
      return `-${toSql(e.e)}`;
    case "arith":
    case "cmp":
      return `${toSql(e.l)} ${e.op} ${toSql(e.r)}`;
    case "concat":
      return `${toSql(e.l)} || ${toSql(e.r)}`;
    case "and":
    case "or":
      return `${toSql(e.l)} ${e.k.toUpperCase()} ${toSql(e.r)}`;
    case "not":
      return `NOT ${toSql(e.e)}`;
    case "isnull":
      return `${toSql(e.e)} IS ${e.not ? "NOT " : ""}NULL`;
    case "in":
      return `${toSql(e.e)} ${e.not ? "NOT " : ""}IN (${e.list.map(toSql).join(", ")})`;
    case "like":
      return `${toSql(e.e)} ${e.not ? "NOT " : ""}LIKE ${toSql(e.pattern)}`;
    case "between":
      return `${toSql(e.e)} ${e.not ? "NOT " : ""}BETWEEN ${toSql(e.lo)} AND ${toSql(e.hi)}`;
    case "paren":
      return `(${toSql(e.e)})`;
    case "case": {
      const parts = ["CASE"];
      if (e.operand) {
        parts.push(toSql(e.operand));
      }
      for (const w of e.whens) {
        parts.push(`WHEN ${toSql(w.when)} THEN ${toSql(w.then)}`);
      }
      if (e.else) {
        parts.push(`ELSE ${toSql(e.else)}`);
      }
      parts.push("END");
      return parts.join(" ");
    }
    case "cast":
      return `${e.try ? "TRY_CAST" : "CAST"}(${toSql(e.e)} AS ${e.type}${e.args.length ? ` (${e.args.join(", ")})` : ""})`;
    case "func":
      return `${e.name}(${e.args.map(toSql).join(", ")})`;
    case "timekey":
      return e.name;
    case "extract":
      return `EXTRACT(${e.field} FROM ${toSql(e.e)})`;
  }
}
