import { describe, expect, test } from "bun:test";
import { Decimal, typeToString } from "../../../src/api/index.ts";
import { evaluate, runtimeError, value } from "../test-helpers.ts";

const d = { d: "double" };
const dv = (expr: string, x: unknown): unknown => value(expr, d, [x]);
const typeOf = (expr: string, cols: Record<string, string>, row: unknown[]): string =>
  typeToString(evaluate(expr, cols, row).type);

describe("numeric functions: ABS, trigonometry, logarithms and powers", () => {
  test("ABS keeps the argument's type; INT's minimum overflows as in Java", () => {
    expect(evaluate("abs(-10.3)").value).toBe(10.3);
    expect(value("abs(i)", { i: "int" }, [-5])).toBe(5);
    expect(value("abs(i)", { i: "int" }, [-2147483648])).toBe(-2147483648);
    expect(value("abs(b)", { b: "bigint" }, [-5n])).toBe(5n);
    expect(String(value("abs(x)", { x: "decimal(10,2)" }, [new Decimal(-150n, 2)]))).toBe("1.50");
    expect(typeOf("abs(b)", { b: "bigint" }, [1n])).toBe("BIGINT");
    expect(runtimeError("abs(t)", { t: "tinyint" }, [-128])).toContain(
      "cannot represent the absolute value of -128 for TINYINT",
    );
    expect(dv("abs(d)", null)).toBe(null);
  });

  test("trigonometric and exponential functions return DOUBLE", () => {
    expect(value("acos(i)", { i: "int" }, [1])).toBe(0);
    expect(dv("asin(d)", 0)).toBe(0);
    expect(dv("atan(d)", 0)).toBe(0);
    expect(dv("cos(d)", 0)).toBe(1);
    expect(dv("cosh(d)", 0)).toBe(1);
    expect(dv("sin(d)", 0)).toBe(0);
    expect(dv("sinh(d)", 0)).toBe(0);
    expect(dv("tan(d / 4)", 3.1415926)).toBe(0.9999999732051038);
    expect(dv("tanh(d)", 0)).toBe(0);
    expect(dv("cot(d)", 1)).toBe(1 / Math.tan(1));
    expect(runtimeError("cot(d)", d, [0])).toContain("Division by zero");
    expect(value("atan2(y, x)", { y: "double", x: "double" }, [1, 1])).toBe(Math.PI / 4);
    expect(dv("exp(d)", 2)).toBe(7.38905609893065);
    expect(typeOf("exp(i)", { i: "int" }, [1])).toBe("DOUBLE");
  });

  test("LN, LOG and LOG10 need positive arguments", () => {
    expect(dv("ln(d)", 13.2)).toBe(2.580216829592325);
    expect(dv("log(10, d)", 13.2)).toBe(1.1205739312058498);
    expect(dv("log(2, d)", 8)).toBe(3);
    expect(dv("log10(d)", 1324.252)).toBe(3.1219706375172507);
    expect(runtimeError("ln(d)", d, [0])).toContain("Unsupported function LN() argument: 0.0");
    expect(runtimeError("log10(i)", { i: "int" }, [-1])).toContain("Unsupported function LOG10() argument: -1");
  });

  test("RADIANS, SQRT, PI and POWER", () => {
    expect(value("radians(i)", { i: "int" }, [180])).toBe(Math.PI);
    expect(dv("sqrt(d)", 10.24)).toBe(3.2);
    expect(evaluate("pi()").value).toBe(Math.PI);
    expect(dv("power(d, 2)", 13.2)).toBe(174.23999999999998);
  });
});

describe("numeric functions: MOD, rounding, SIGN and RAND", () => {
  test("MOD computes through BigDecimal and takes the divisor's type", () => {
    expect(value("mod(i, 5)", { i: "int" }, [13])).toBe(3);
    expect(evaluate("mod(i, 5.4)", { i: "int" }, [13])).toMatchObject({ value: 2.2 });
    expect(typeOf("mod(i, 5.4)", { i: "int" }, [13])).toBe("DOUBLE");
    expect(value("mod(i, 5)", { i: "int" }, [-13])).toBe(-3);
    expect(value("mod(i, b)", { i: "int", b: "bigint" }, [13, 5n])).toBe(3n);
    expect(runtimeError("mod(i, 0)", { i: "int" }, [1])).toContain("Mod by zero");
    expect(value("mod(i, 2)", { i: "int" }, [null])).toBe(null);
  });

  test("CEIL/CEILING and FLOOR return INT", () => {
    expect(evaluate("ceil(d)", d, [13.2])).toMatchObject({ value: 14 });
    expect(typeOf("ceiling(d)", d, [13.2])).toBe("INT");
    expect(dv("floor(d)", 13.2)).toBe(13);
    expect(dv("floor(d)", -13.2)).toBe(-14);
    expect(value("ceil(x)", { x: "decimal(10,2)" }, [new Decimal(-150n, 2)])).toBe(-1);
    expect(value("ceil(b)", { b: "bigint" }, [5000000000n])).toBe(705032704);
  });

  test("ROUND rounds half up keeping the type; TRUNC truncates toward zero as DOUBLE", () => {
    expect(dv("round(d, 2)", 120.72124)).toBe(120.72);
    expect(dv("round(d, 1)", 2.25)).toBe(2.3);
    expect(dv("round(d)", -2.5)).toBe(-3);
    expect(dv("round(d, 2)", 1.005)).toBe(1.01);
    expect(value("round(i, -1)", { i: "int" }, [15])).toBe(20);
    expect(String(value("round(x, 1)", { x: "decimal(10,2)" }, [new Decimal(125n, 2)]))).toBe("1.3");
    expect(dv("trunc(d, 2)", 120.72124)).toBe(120.72);
    expect(dv("truncate(d)", -2.7)).toBe(-2);
    expect(typeOf("trunc(i)", { i: "int" }, [1])).toBe("DOUBLE");
    expect(value("trunc(b)", { b: "bigint" }, [7n])).toBe(7);
  });

  test("SIGN is -1, 0 or 1 and 0 for NULL", () => {
    expect(dv("sign(d)", -120.72)).toBe(-1);
    expect(value("sign(b)", { b: "bigint" }, [5n])).toBe(1);
    expect(dv("sign(d)", null)).toBe(0);
    expect(dv("sign(d)", Number.NaN)).toBe(0);
  });

  test("RAND/RANDOM give a double in [0, 1), reproducible with a seed as java.util.Random", () => {
    const r = evaluate("rand()").value as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
    expect(evaluate("random(42)").value).toBe(0.7275636800328681);
  });

  test("numeric functions fail with ClassCastException for a string", () => {
    expect(runtimeError("sqrt(s)", { s: "string" }, ["4"])).toContain("ClassCastException");
  });
});
