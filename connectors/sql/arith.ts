/**
 * `+ - * / %` as ZetaSQLFunction.executeBinaryExpr computes them for the result type: INT with Java
 * int overflow and truncating division, BIGINT with 64-bit wrap, DOUBLE, and DECIMAL computed from
 * the operands' double values (division rounds UP to the result scale; `%` is MOD). A NULL operand
 * gives NULL; both operands are always evaluated.
 */
import type { Decimal, DataType } from "../../src/api/index.ts";
import { toSql, type Expr } from "./ast.ts";
import { modOf } from "./functions/numeric.ts";
import { typed, type Gen, type Typed } from "./gen.ts";
import { decAdd, decDiv, decimalOfDouble, decMul, decSub } from "./runtime/decimal.ts";
import { doubleValue, JavaError } from "./runtime/java.ts";
import { arithmeticType, isJsNumber } from "./typing.ts";

type Arith = Extract<Expr, { k: "arith" }>;
type Num = number | bigint | Decimal;

const divZero = (): JavaError => new JavaError("ArithmeticException", "/ by zero");

function intDiv(a: number, b: number): number {
  if (b === 0) {
    throw divZero();
  }
  return (a / b) | 0;
}

function intMod(a: number, b: number): number {
  if (b === 0) {
    throw divZero();
  }
  return (a % b) | 0;
}

function longDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) {
    throw divZero();
  }
  return BigInt.asIntN(64, a / b);
}

function longMod(a: bigint, b: bigint): bigint {
  if (b === 0n) {
    throw divZero();
  }
  return a % b;
}

/** DECIMAL arithmetic: BigDecimal.valueOf(left.doubleValue()) op BigDecimal.valueOf(right.doubleValue()). */
function decimalOp(op: "+" | "-" | "*" | "/", scale: number): (a: Num, b: Num) => Decimal {
  return (a, b) => {
    const l = decimalOfDouble(doubleValue(a));
    const r = decimalOfDouble(doubleValue(b));
    switch (op) {
      case "+":
        return decAdd(l, r);
      case "-":
        return decSub(l, r);
      case "*":
        return decMul(l, r);
      case "/":
        return decDiv(l, r, scale, "UP");
    }
  };
}

/** JS source converting an operand of `from` to the representation of `to` (number or bigint). */
function operand(code: string, from: DataType, to: "number" | "bigint"): string {
  if (to === "bigint") {
    return from.kind === "bigint" ? code : `BigInt(${code})`;
  }
  if (isJsNumber(from)) {
    return code;
  }
  return from.kind === "bigint" ? `Number(${code})` : `(${code}).toNumber()`;
}

export function compileArith(g: Gen, e: Arith, l: Typed, r: Typed): Typed {
  const type = arithmeticType(l.type, r.type);
  if (!type) {
    return g.fail(`Unsupported SQL Expression: ${toSql(e)} `, e);
  }
  const a = g.temp();
  const b = g.temp();
  const wrap = (body: string, rt: DataType = type) =>
    typed(`(${a} = ${l.code}, ${b} = ${r.code}, ${a} == null || ${b} == null ? null : ${body})`, type, rt);
  switch (type.kind) {
    case "int": {
      const body = {
        "+": `(${a} + ${b}) | 0`,
        "-": `(${a} - ${b}) | 0`,
        "*": `Math.imul(${a}, ${b})`,
        "/": `${g.helper(intDiv)}(${a}, ${b})`,
        "%": `${g.helper(intMod)}(${a}, ${b})`,
      }[e.op];
      return wrap(body);
    }
    case "bigint": {
      const x = operand(a, l.rt, "bigint");
      const y = operand(b, r.rt, "bigint");
      const body = {
        "+": `BigInt.asIntN(64, ${x} + ${y})`,
        "-": `BigInt.asIntN(64, ${x} - ${y})`,
        "*": `BigInt.asIntN(64, ${x} * ${y})`,
        "/": `${g.helper(longDiv)}(${x}, ${y})`,
        "%": `${g.helper(longMod)}(${x}, ${y})`,
      }[e.op];
      return wrap(body);
    }
    case "double":
      return wrap(`${operand(a, l.rt, "number")} ${e.op} ${operand(b, r.rt, "number")}`);
    case "decimal":
      if (e.op === "%") {
        return wrap(`${g.helper(modOf(l.rt, r.rt))}(${a}, ${b})`, r.rt);
      }
      return wrap(`${g.helper(decimalOp(e.op, type.scale))}(${a}, ${b})`);
    default:
      return g.fail(`Unsupported SQL Expression: ${toSql(e)} `, e);
  }
}
