/**
 * Expression → JavaScript source for its value (NULL is `null`). Types follow ZetaSQLType and are
 * decided here, at plan time; the generated code does no type dispatch.
 */
import { LocalDate, LocalDateTime, LocalTime, T, type DataType } from "../../src/api/index.ts";
import { compileArith } from "./arith.ts";
import { isCondition, toSql, type Expr } from "./ast.ts";
import { compileColumn, compileIndex } from "./columns.ts";
import { compileCond } from "./compile-cond.ts";
import { lookupFunction, type Arg } from "./functions/index.ts";
import { bindChecked, type ResultType } from "./functions/registry.ts";
import { typed, type Gen, type Typed } from "./gen.ts";
import { makeCast } from "./runtime/cast.ts";
import { doubleValue, JavaError, sqlEquals, stringifier } from "./runtime/java.ts";
import { now } from "./runtime/temporal.ts";
import { castTargetType, isNumericType, maxType, sqlTypeName, typeText } from "./typing.ts";

type Of<K extends Expr["k"]> = Extract<Expr, { k: K }>;

export function compileValue(g: Gen, e: Expr): Typed {
  switch (e.k) {
    case "null":
      return typed("null", T.null, T.null, { literal: { value: null } });
    case "bool":
      return typed(String(e.value), T.boolean, T.boolean, { literal: { value: e.value } });
    case "int":
      if (e.value >= -2147483648n && e.value <= 2147483647n) {
        return typed(String(e.value), T.int, T.int, { literal: { value: Number(e.value) } });
      }
      return typed(`${e.value}n`, T.bigint, T.bigint, { literal: { value: e.value } });
    case "double":
      return typed(String(e.value), T.double, T.double, { literal: { value: e.value } });
    case "string":
      return typed(JSON.stringify(e.value), T.string, T.string, { literal: { value: e.value } });
    case "typed":
      return compileTypedLiteral(g, e);
    case "col":
      return compileColumn(g, e);
    case "index":
      return compileIndex(g, e, compileValue(g, e.base), compileValue(g, e.index));
    case "neg":
      return compileNeg(g, e);
    case "arith":
      return compileArith(g, e, compileValue(g, e.l), compileValue(g, e.r));
    case "concat":
      return compileConcat(g, [compileValue(g, e.l), compileValue(g, e.r)]);
    case "paren":
      return isCondition(e.e) ? condValue(g, e) : compileValue(g, e.e);
    case "case":
      return compileCase(g, e);
    case "cast":
      return compileCast(g, e);
    case "func":
      return compileFunc(g, e);
    case "timekey":
      return compileTimeKey(g, e);
    case "extract":
      return callFunction(
        g,
        e,
        "EXTRACT",
        [compileValue(g, e.e), typed(JSON.stringify(e.field), T.string, T.string, { literal: { value: e.field } })],
        [toSql(e.e), `'${e.field}'`],
      );
    default:
      return condValue(g, e);
  }
}

/** A condition used as a value (`a > 1 AS flag`): a BOOLEAN that is never NULL. */
function condValue(g: Gen, e: Expr): Typed {
  return typed(`(${compileCond(g, e)})`, T.boolean, T.boolean, { cond: true });
}

function compileTypedLiteral(g: Gen, e: Of<"typed">): Typed {
  try {
    if (e.type === "DATE") {
      return typed(g.helper(LocalDate.parse(e.value)), T.date);
    }
    if (e.type === "TIME") {
      return typed(g.helper(LocalTime.parse(e.value)), T.time);
    }
    return typed(g.helper(LocalDateTime.parse(e.value)), T.timestamp);
  } catch (err) {
    return g.fail(err instanceof Error ? err.message : String(err), e);
  }
}

function compileNeg(g: Gen, e: Of<"neg">): Typed {
  const x = compileValue(g, e.e);
  if (x.literal && typeof x.literal.value === "number") {
    return typed(`(${String(-x.literal.value)})`, x.type, x.rt, { literal: { value: -x.literal.value } });
  }
  if (x.literal && typeof x.literal.value === "bigint") {
    return typed(`(${-x.literal.value}n)`, x.type, x.rt, { literal: { value: -x.literal.value } });
  }
  if (!isNumericType(x.rt)) {
    return g.fail(`Unsupported SQL Expression: ${toSql(e)} `, e);
  }
  const t = g.temp();
  const body =
    x.rt.kind === "int"
      ? `-${t} | 0`
      : x.rt.kind === "bigint"
        ? `BigInt.asIntN(64, -${t})`
        : x.rt.kind === "double"
          ? `-${t}`
          : `-${g.helper(doubleValue)}(${t})`;
  return typed(
    `((${t} = ${x.code}) == null ? null : ${body})`,
    x.type,
    x.rt.kind === "int" || x.rt.kind === "bigint" ? x.rt : T.double,
  );
}

/** CONCAT / `||`: NULL arguments are skipped, others appended as String.valueOf. */
export function compileConcat(g: Gen, parts: Typed[]): Typed {
  const temps = parts.map(() => g.temp());
  const assigns = parts.map((p, i) => `${temps[i]} = ${p.code}`);
  const pieces = parts.map((p, i) => {
    const t = temps[i]!;
    const str = p.rt.kind === "string" ? t : `${g.helper(stringifier(p.rt))}(${t})`;
    return `(${t} == null ? "" : ${str})`;
  });
  return typed(`(${assigns.join(", ")}, ${pieces.join(" + ") || '""'})`, T.string);
}

/** The value converted with castAs to `type` (CASE results), skipping the cast when the class already fits. */
function castTo(g: Gen, x: Typed, type: DataType): string {
  if (type.kind === "null" || x.type.kind === "null") {
    return x.code;
  }
  if (typeText(x.rt) === typeText(type)) {
    if (type.kind !== "string") {
      return x.code;
    }
    const t = g.temp();
    return `((${t} = ${x.code}) === "STRING" ? null : ${t})`;
  }
  return `${g.helper(makeCast(sqlTypeName(type), type, x.rt))}(${x.code})`;
}

function compileCase(g: Gen, e: Of<"case">): Typed {
  const results = [...e.whens.map((w) => compileValue(g, w.then)), ...(e.else ? [compileValue(g, e.else)] : [])];
  let type: DataType | undefined;
  try {
    for (const r of results) {
      type = maxType(type, r.type);
    }
  } catch (err) {
    return g.fail(err instanceof Error ? err.message : String(err), e);
  }
  const result = type ?? T.null;
  const operand = e.operand ? compileValue(g, e.operand) : undefined;
  const s = operand ? g.temp() : undefined;
  // A WHEN matches when it is TRUE, or (simple CASE) when it equals the operand — a condition's
  // boolean too, as ZetaSQLFunction.executeCaseExpr compares it.
  const conds = e.whens.map((w) => {
    const code = isCondition(w.when) ? compileCond(g, w.when) : compileValue(g, w.when).code;
    if (!s) {
      return isCondition(w.when) ? code : `(${code}) === true`;
    }
    const t = g.temp();
    return `((${t} = ${code}) === true || ${g.helper(sqlEquals)}(${s}, ${t}))`;
  });
  let code = e.else ? castTo(g, results[results.length - 1]!, result) : "null";
  for (let i = e.whens.length - 1; i >= 0; i--) {
    code = `${conds[i]} ? ${castTo(g, results[i]!, result)} : ${code}`;
  }
  return typed(`(${s ? `${s} = ${operand!.code}, ` : ""}${code})`, result);
}

function compileCast(g: Gen, e: Of<"cast">): Typed {
  const x = compileValue(g, e.e);
  const target = castTargetType(e.type, e.args);
  if (target === undefined) {
    return g.fail(`Unsupported CAST AS type: ${e.type}`, e.typeAt);
  }
  if (target === "decimal-args") {
    return g.fail(`Unsupported CAST AS type: ${e.type} needs a precision and a scale, e.g. DECIMAL(10, 2)`, e.typeAt);
  }
  const conv = makeCast(e.type, target, x.rt);
  if (!e.try) {
    return typed(`${g.helper(conv)}(${x.code})`, target);
  }
  const tryConv = (v: unknown): unknown => {
    try {
      return conv(v);
    } catch (err) {
      if (err instanceof JavaError) {
        return null;
      }
      throw err;
    }
  };
  return typed(`${g.helper(tryConv)}(${x.code})`, target);
}

function compileFunc(g: Gen, e: Of<"func">): Typed {
  const name = e.name.toUpperCase();
  if (!lookupFunction(name)) {
    return g.fail(`Unsupported function: ${e.name} `, e);
  }
  const args = e.args.map((a) => compileValue(g, a));
  if (name === "CONCAT" && args.length > 0) {
    return compileConcat(g, args);
  }
  return callFunction(g, e, name, args, e.args.map(toSql), e.name);
}

function callFunction(g: Gen, e: Expr, name: string, args: Typed[], texts: string[], written = name): Typed {
  const def = lookupFunction(name)!;
  if (args.length < def.minArgs) {
    return g.fail(
      `function ${name} expects at least ${def.minArgs} argument${def.minArgs === 1 ? "" : "s"}, received ${args.length}`,
      e,
    );
  }
  const info: Arg[] = args.map((a, i) => ({
    type: a.type,
    rt: a.rt,
    text: texts[i]!,
    ...(a.literal ? { literal: a.literal } : {}),
  }));
  let res: ResultType;
  try {
    res = def.result(info, written);
  } catch (err) {
    return g.fail(err instanceof Error ? err.message : String(err), e);
  }
  const impl = bindChecked(def, info, name);
  const code = `${g.helper(impl)}(${args.map((a) => a.code).join(", ")})`;
  return "kind" in res ? typed(code, res) : typed(code, res.type, res.rt);
}

const currentDate = () => now().date;
const currentTime = () => now().time;

function compileTimeKey(g: Gen, e: Of<"timekey">): Typed {
  const key = e.name.toUpperCase().replace("()", "");
  if (key === "CURRENT_DATE") {
    return typed(`${g.helper(currentDate)}()`, T.date);
  }
  if (key === "CURRENT_TIME") {
    return typed(`${g.helper(currentTime)}()`, T.time);
  }
  return typed(`${g.helper(now)}()`, T.timestamp);
}
