/**
 * Conditions → JavaScript booleans, with ZetaSQLFilter's rules: a comparison with a NULL side is
 * false (`<>` is true when exactly one side is NULL), numbers compare as doubles, strings
 * lexicographically, date/time values by time; other type mixes fail with "Filed types not
 * matched". AND/OR evaluate both sides, as the Java code does. LIKE rewrites only a leading or
 * trailing `%` or `_` into a full-match regex.
 */
import { LocalDate, LocalDateTime, LocalTime, type DataType } from "../../src/api/index.ts";
import { toSql, type Expr } from "./ast.ts";
import { compileValue } from "./compile-value.ts";
import type { Gen, Typed } from "./gen.ts";
import { doubleValue, javaClassName, javaEquals, sqlEquals, stringifier, unsupported } from "./runtime/java.ts";
import { javaRegex } from "./runtime/regex.ts";
import { isJsNumber, isNumericType } from "./typing.ts";

type Of<K extends Expr["k"]> = Extract<Expr, { k: K }>;

export function compileCond(g: Gen, e: Expr): string {
  switch (e.k) {
    case "and":
      return `((${compileCond(g, e.l)}) & (${compileCond(g, e.r)})) !== 0`;
    case "or":
      return `((${compileCond(g, e.l)}) | (${compileCond(g, e.r)})) !== 0`;
    case "not":
      return `!(${compileCond(g, e.e)})`;
    case "paren":
      return `(${compileCond(g, e.e)})`;
    case "isnull":
      return `(${compileValue(g, e.e).code}) ${e.not ? "!=" : "=="} null`;
    case "cmp":
      return compileCompare(g, e);
    case "in":
      return compileIn(g, e);
    case "like":
      return compileLike(g, e);
    case "between":
      return compileBetween(g, e);
    default: {
      const v = compileValue(g, e);
      if (v.cond) {
        return v.code;
      }
      if (v.type.kind === "boolean" || v.type.kind === "null") {
        return `(${v.code}) === true`;
      }
      return g.fail(`Unsupported SQL Expression: ${toSql(e)} `, e);
    }
  }
}

/** ChronoLocalDate/Time/DateTime compareTo for two values of the same class. */
export function compareTemporal(a: unknown, b: unknown): number {
  if (a instanceof LocalDateTime && b instanceof LocalDateTime) {
    const d = a.date.toEpochDay() - b.date.toEpochDay();
    return d !== 0 ? d : Number(a.time.toNanoOfDay() - b.time.toNanoOfDay());
  }
  if (a instanceof LocalDate && b instanceof LocalDate) {
    return a.toEpochDay() - b.toEpochDay();
  }
  if (a instanceof LocalTime && b instanceof LocalTime) {
    return Number(a.toNanoOfDay() - b.toNanoOfDay());
  }
  throw unsupported(
    `Filed types not matched, left is: ${(a as object).constructor.name}, right is: ${(b as object).constructor.name} `,
  );
}

/** JS source turning a numeric operand into a double. */
function asDouble(g: Gen, code: string, t: DataType): string {
  return isJsNumber(t) ? code : `${g.helper(doubleValue)}(${code})`;
}

/** `a.equals(b)` (numbers: doubleValue ==) for two non-null operands. */
function equalsCode(g: Gen, a: string, b: string, l: DataType, r: DataType): string {
  if (isNumericType(l) && isNumericType(r)) {
    if ((isJsNumber(l) && isJsNumber(r)) || (l.kind === "bigint" && r.kind === "bigint")) {
      return `${a} === ${b}`;
    }
    return `${asDouble(g, a, l)} === ${asDouble(g, b, r)}`;
  }
  if (l.kind !== r.kind || isNumericType(l) || isNumericType(r)) {
    return "false";
  }
  if (l.kind === "string" || l.kind === "boolean") {
    return `${a} === ${b}`;
  }
  return `${g.helper(javaEquals)}(${a}, ${b})`;
}

/** `a <op> b` for two non-null operands, or a thrown "Filed types not matched". */
function orderCode(g: Gen, op: string, a: string, b: string, l: DataType, r: DataType): string {
  if (isNumericType(l) && isNumericType(r)) {
    if (l.kind === "bigint" && r.kind === "bigint") {
      return `${a} ${op} ${b}`;
    }
    return `${asDouble(g, a, l)} ${op} ${asDouble(g, b, r)}`;
  }
  if (l.kind === "string" && r.kind === "string") {
    return `${a} ${op} ${b}`;
  }
  if (l.kind === r.kind && (l.kind === "date" || l.kind === "time" || l.kind === "timestamp")) {
    return `${g.helper(compareTemporal)}(${a}, ${b}) ${op} 0`;
  }
  const error = unsupported(`Filed types not matched, left is: ${javaClassName(l)}, right is: ${javaClassName(r)} `);
  const fail = (): boolean => {
    throw error;
  };
  return `${g.helper(fail)}()`;
}

function compileCompare(g: Gen, e: Of<"cmp">): string {
  const l = compileValue(g, e.l);
  const r = compileValue(g, e.r);
  const a = g.temp();
  const b = g.temp();
  const pre = `${a} = ${l.code}, ${b} = ${r.code}`;
  if (e.op === "<>" || e.op === "!=") {
    const eq = l.type.kind === "null" || r.type.kind === "null" ? "false" : equalsCode(g, a, b, l.rt, r.rt);
    return `(${pre}, ${a} == null ? ${b} != null : (${b} == null || !(${eq})))`;
  }
  if (l.type.kind === "null" || r.type.kind === "null") {
    return `(${pre}, false)`;
  }
  const test = e.op === "=" ? equalsCode(g, a, b, l.rt, r.rt) : orderCode(g, e.op, a, b, l.rt, r.rt);
  return `(${pre}, ${a} != null && ${b} != null && ${test})`;
}

/**
 * ZetaSQLFilter.inExpr: a NULL left side is true only when the first item is NULL; otherwise the
 * first equal item decides (`!not`), and no match gives `not`.
 */
function compileIn(g: Gen, e: Of<"in">): string {
  const left = compileValue(g, e.e);
  const items = e.list.map((x) => compileValue(g, x));
  const t = g.temp();
  const firstIsNull = items.length === 0 ? "false" : `(${items[0]!.code}) == null`;
  const literals = items.every((i) => i.literal && i.literal.value !== null);
  let match: string;
  if (literals && items.length > 0 && isNumericType(left.rt) && items.every((i) => isNumericType(i.rt))) {
    const set = new Set(items.map((i) => doubleValue(i.literal!.value as number)));
    match = `${g.helper(set)}.has(${asDouble(g, t, left.rt)})`;
  } else if (literals && items.length > 0 && left.rt.kind === "string" && items.every((i) => i.rt.kind === "string")) {
    match = `${g.helper(new Set(items.map((i) => i.literal!.value)))}.has(${t})`;
  } else {
    match = items.map((i) => `${g.helper(sqlEquals)}(${t}, ${i.code})`).join(" || ") || "false";
  }
  return `((${t} = ${left.code}) == null ? ${firstIsNull} : (${match}) ? ${!e.not} : ${e.not})`;
}

/** The regex SeaTunnel builds from a LIKE pattern (only a leading/trailing % or _ is translated). */
export function likeRegex(pattern: string): string {
  let regex = pattern;
  if (regex.startsWith("%")) {
    regex = `.*${regex.slice(1)}`;
  }
  if (regex.endsWith("%")) {
    regex = `${regex.slice(0, -1)}.*`;
  }
  if (regex.startsWith("_")) {
    regex = `.${regex.slice(1)}`;
  }
  if (regex.endsWith("_")) {
    regex = `${regex.slice(0, -1)}.`;
  }
  if (regex.startsWith("'") && regex.endsWith("'") && regex.length >= 2) {
    regex = regex.slice(1, -1);
  }
  return regex;
}

const likeMatch = (pattern: unknown, text: string): boolean =>
  javaRegex(`^(?:${likeRegex(String(pattern))})$`).test(text);

function compileLike(g: Gen, e: Of<"like">): string {
  const left = compileValue(g, e.e);
  const pattern = compileValue(g, e.pattern);
  const t = g.temp();
  const text = left.rt.kind === "string" ? t : `${g.helper(stringifier(left.rt))}(${t})`;
  const neg = e.not ? "!" : "";
  if (pattern.literal) {
    if (pattern.literal.value === null) {
      return `(${t} = ${left.code}, false)`;
    }
    const re = javaRegex(`^(?:${likeRegex(String(pattern.literal.value))})$`);
    return `((${t} = ${left.code}) != null && ${neg}${g.helper(re)}.test(${text}))`;
  }
  const p = g.temp();
  return `((${t} = ${left.code}) != null && (${p} = ${pattern.code}) != null && ${neg}${g.helper(likeMatch)}(${p}, ${text}))`;
}

/** `x [NOT] BETWEEN lo AND hi` (an addition: SeaTunnel rejects it): false when any side is NULL. */
function compileBetween(g: Gen, e: Of<"between">): string {
  const parts: Typed[] = [compileValue(g, e.e), compileValue(g, e.lo), compileValue(g, e.hi)];
  const [x, lo, hi] = parts.map(() => g.temp()) as [string, string, string];
  const pre = `${x} = ${parts[0]!.code}, ${lo} = ${parts[1]!.code}, ${hi} = ${parts[2]!.code}`;
  if (parts.some((p) => p.type.kind === "null")) {
    return `(${pre}, false)`;
  }
  const inside = `${orderCode(g, ">=", x, lo, parts[0]!.rt, parts[1]!.rt)} && ${orderCode(g, "<=", x, hi, parts[0]!.rt, parts[2]!.rt)}`;
  return `(${pre}, ${x} != null && ${lo} != null && ${hi} != null && (${inside}) !== ${e.not})`;
}
