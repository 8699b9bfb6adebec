/**
 * Java semantics the SQL functions rely on: a value's class (JS numbers do not say Integer or
 * Double, so the compiler passes the static type), `Number.intValue()/longValue()/doubleValue()`,
 * `String.valueOf`, `Integer.parseInt` & co. with their exception messages, and `equals`.
 */
import { Decimal, LocalDate, LocalDateTime, LocalTime, type DataType } from "../../../src/api/index.ts";
import { javaString } from "../../../src/api/format.ts";

/** A Java exception a function would throw; the transform reports `java.lang.<cls>: <message>`. */
export class JavaError extends Error {
  constructor(
    readonly cls: string,
    message: string,
  ) {
    super(message);
    this.name = "JavaError";
  }

  describe(): string {
    const pkg = this.cls.includes(".") ? "" : this.cls.startsWith("DateTime") ? "java.time." : "java.lang.";
    return `${pkg}${this.cls}${this.message ? `: ${this.message}` : ""}`;
  }
}

/** SeaTunnel's TransformException(UNSUPPORTED_OPERATION) message text. */
export const unsupported = (message: string): JavaError =>
  new JavaError(
    "org.apache.seatunnel.transform.exception.TransformException",
    `ErrorCode:[COMMON-05], ErrorDescription:[Unsupported operation] - ${message}`,
  );

export const isNumeric = (v: unknown): v is number | bigint | Decimal =>
  typeof v === "number" || typeof v === "bigint" || v instanceof Decimal;

/** `Number.doubleValue()`. */
export function doubleValue(v: number | bigint | Decimal): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : v.toNumber();
}

/** `(long) d` for a double: truncation, saturating, NaN → 0. */
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) {
    return 0n;
  }
  if (d >= 9.223372036854776e18) {
    return 9223372036854775807n;
  }
  if (d <= -9.223372036854776e18) {
    return -9223372036854775808n;
  }
  return BigInt(Math.trunc(d));
}

/** `Number.longValue()`. */
export function longValue(v: number | bigint | Decimal): bigint {
  if (typeof v === "bigint") {
    return v;
  }
  if (typeof v === "number") {
    return Number.isInteger(v) ? BigInt(v) : doubleToLong(v);
  }
  const s = 10n ** BigInt(v.scale);
  return BigInt.asIntN(64, v.unscaled / s);
}

/** `Number.intValue()`: a double saturates to the int range, a long/BigDecimal keeps its low 32 bits. */
export function intValue(v: number | bigint | Decimal): number {
  if (typeof v === "number") {
    if (Number.isNaN(v)) {
      return 0;
    }
    if (v >= 2147483647) {
      return 2147483647;
    }
    if (v <= -2147483648) {
      return -2147483648;
    }
    return Math.trunc(v);
  }
  return Number(BigInt.asIntN(32, longValue(v)));
}

/** `String.valueOf(v)` for a value whose Java class is the type `t`. */
export function javaStr(v: unknown, t: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  if (typeof v === "string") {
    return v;
  }
  if (typeof v === "number" && (t.kind === "float" || t.kind === "double")) {
    return javaString(v, t);
  }
  if (typeof v === "number") {
    return Number.isInteger(v) ? String(v) : javaString(v, { kind: "double" });
  }
  return javaString(v, t);
}

/** A `(v) => String.valueOf(v)` specialised for a type (non-null values). */
export function stringifier(t: DataType): (v: unknown) => string {
  switch (t.kind) {
    case "string":
      return (v) => (typeof v === "string" ? v : javaStr(v, t));
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint":
    case "boolean":
      return (v) => String(v);
    default:
      return (v) => javaStr(v, t);
  }
}

const INT = /^[+-]?\d+$/;
const forInput = (s: string): JavaError => new JavaError("NumberFormatException", `For input string: "${s}"`);

function parseIntegral(s: string, lo: bigint, hi: bigint, rangeMessage?: string): bigint {
  if (!INT.test(s)) {
    throw s === "" ? new JavaError("NumberFormatException", 'For input string: ""') : forInput(s);
  }
  const x = BigInt(s);
  if (x < lo || x > hi) {
    throw rangeMessage === undefined
      ? forInput(s)
      : new JavaError("NumberFormatException", `Value out of range. Value:"${s}" Radix:10`);
  }
  return x;
}

/** `Integer.parseInt`. */
export const parseJavaInt = (s: string): number => Number(parseIntegral(s, -2147483648n, 2147483647n));
/** `Long.parseLong`. */
export const parseJavaLong = (s: string): bigint => parseIntegral(s, -9223372036854775808n, 9223372036854775807n);
/** `Byte.parseByte`. */
export const parseJavaByte = (s: string): number => Number(parseIntegral(s, -128n, 127n, "range"));
/** `Short.parseShort`. */
export const parseJavaShort = (s: string): number => Number(parseIntegral(s, -32768n, 32767n, "range"));

const FLOATING = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** `Double.parseDouble`: trims control characters and spaces, accepts `1d`, `NaN`, `Infinity`. */
export function parseJavaDouble(s: string): number {
  const t = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (t === "") {
    throw new JavaError("NumberFormatException", s === "" ? "empty String" : `For input string: "${s}"`);
  }
  const m = FLOATING.exec(t);
  if (!m) {
    throw forInput(s);
  }
  if (m[1] === "NaN") {
    return Number.NaN;
  }
  if (m[1] === "Infinity") {
    return t.startsWith("-") ? -Infinity : Infinity;
  }
  return Number(t.replace(/[fFdD]$/, ""));
}

/** `new BigDecimal(String)`. */
export function parseJavaDecimal(s: string): Decimal {
  try {
    if (/\s/.test(s) || s === "") {
      throw new Error();
    }
    return Decimal.parse(s);
  } catch {
    throw new JavaError(
      "NumberFormatException",
      `Character ${s.trim() === "" ? "array is missing" : 'at position 0 is neither a decimal digit number, decimal point, nor "e" notation exponential mark.'}`,
    );
  }
}

/** `a.equals(b)` for two non-null values (numbers are compared by the caller). */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (a instanceof Decimal) {
    return a.equals(b);
  }
  if (a instanceof LocalDate || a instanceof LocalTime || a instanceof LocalDateTime) {
    return a.equals(b);
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) {
      return false;
    }
    for (const [k, v] of a) {
      if (!b.has(k) || !javaEquals(v, b.get(k))) {
        return false;
      }
    }
    return true;
  }
  return false;
}

/** The filters' equality: numbers by doubleValue, otherwise `equals`; null on either side is false. */
export function sqlEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return false;
  }
  if (isNumeric(a) && isNumeric(b)) {
    return doubleValue(a) === doubleValue(b);
  }
  return javaEquals(a, b);
}

/** Java's simple class name for a value of type `t` (`Integer`, `LocalDateTime`), for messages. */
export function javaClassName(t: DataType): string {
  const names: Partial<Record<DataType["kind"], string>> = {
    string: "String",
    boolean: "Boolean",
    tinyint: "Byte",
    smallint: "Short",
    int: "Integer",
    bigint: "Long",
    float: "Float",
    double: "Double",
    decimal: "BigDecimal",
    bytes: "byte[]",
    date: "LocalDate",
    time: "LocalTime",
    timestamp: "LocalDateTime",
    map: "HashMap",
    row: "SeaTunnelRow",
    null: "Void",
  };
  if (t.kind === "array") {
    return `${javaClassName(t.element)}[]`;
  }
  return names[t.kind] ?? t.kind;
}

/** Java's full class name, as in a ClassCastException message. */
export function javaFullClassName(t: DataType): string {
  const simple = javaClassName(t);
  if (t.kind === "date" || t.kind === "time" || t.kind === "timestamp") {
    return `java.time.${simple}`;
  }
  if (t.kind === "decimal") {
    return "java.math.BigDecimal";
  }
  if (t.kind === "map") {
    return "java.util.HashMap";
  }
  if (t.kind === "row") {
    return "org.apache.seatunnel.api.table.type.SeaTunnelRow";
  }
  if (t.kind === "bytes") {
    return "[B";
  }
  return `java.lang.${simple}`;
}

export const classCast = (from: DataType, to: string): JavaError =>
  new JavaError("ClassCastException", `class ${javaFullClassName(from)} cannot be cast to class ${to}`);
