/**
 * ZetaSQLType's rules: numeric widening for arithmetic, CASE's widest type, CAST target names.
 * Type errors carry the offset of the expression that caused them.
 */
import { T, typeToString, type DataType } from "../../src/api/index.ts";

/** A query problem found while typing (plan time): unknown column, function or type mix. */
export class SqlTypeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "SqlTypeError";
  }
}

/** SqlType's numeric range, in SqlType enum order (used for "widest"). */
const NUMERIC_ORDER = ["tinyint", "smallint", "int", "bigint", "float", "double", "decimal"] as const;
/** The whole SqlType enum order (getMaxType compares ordinals). */
const SQL_TYPE_ORDER = [
  "array",
  "map",
  "string",
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "float",
  "double",
  "decimal",
  "null",
  "bytes",
  "date",
  "time",
  "timestamp",
  "row",
];

export const isNumericType = (t: DataType): boolean => (NUMERIC_ORDER as readonly string[]).includes(t.kind);
export const isIntegralType = (t: DataType): boolean =>
  t.kind === "tinyint" || t.kind === "smallint" || t.kind === "int" || t.kind === "bigint";
const smallInt = (t: DataType): boolean => t.kind === "tinyint" || t.kind === "smallint" || t.kind === "int";
/** JS representation is a plain number. */
export const isJsNumber = (t: DataType): boolean => smallInt(t) || t.kind === "float" || t.kind === "double";

/** SeaTunnel's type toString, as messages print it (`STRING`, `Decimal(10, 2)`). */
export const typeText = (t: DataType): string => (t.kind === "null" ? "NULL" : typeToString(t));

/** Result type of `+ - * / %` (ZetaSQLType.getExpressionType for BinaryExpression), or undefined. */
export function arithmeticType(l: DataType, r: DataType): DataType | undefined {
  if (smallInt(l) && smallInt(r)) {
    return T.int;
  }
  if ((isIntegralType(l) && r.kind === "bigint") || (isIntegralType(r) && l.kind === "bigint")) {
    return T.bigint;
  }
  if (l.kind === "decimal" || r.kind === "decimal") {
    let precision = 0;
    let scale = 0;
    if (l.kind === "decimal") {
      [precision, scale] = [l.precision, l.scale];
    }
    if (r.kind === "decimal") {
      [precision, scale] = [Math.max(r.precision, precision), Math.max(r.scale, scale)];
    }
    return T.decimal(precision, scale);
  }
  if (l.kind === "float" || l.kind === "double" || r.kind === "float" || r.kind === "double") {
    return T.double;
  }
  return undefined;
}

/** ZetaSQLType.getMaxType for two types; throws a message (`STRING type not compatible INT`). */
export function maxType(a: DataType | undefined, b: DataType): DataType {
  if (a === undefined || a.kind === "null") {
    return b;
  }
  if (b.kind === "null") {
    return a;
  }
  if (typeText(a) === typeText(b)) {
    return a;
  }
  if (!isNumericType(a) || !isNumericType(b)) {
    throw new Error(`${typeText(a)} type not compatible ${typeText(b)}`);
  }
  if (a.kind === "decimal" || b.kind === "decimal") {
    let precision = 0;
    let scale = 0;
    if (a.kind === "decimal") {
      [precision, scale] = [a.precision, a.scale];
    }
    if (b.kind === "decimal") {
      [precision, scale] = [Math.max(b.precision, precision), Math.max(b.scale, scale)];
    }
    return T.decimal(precision, scale);
  }
  return SQL_TYPE_ORDER.indexOf(a.kind) <= SQL_TYPE_ORDER.indexOf(b.kind) ? b : a;
}

/** CAST target names (ZetaSQLType.getCastType) → type; `BYTE` is TINYINT. Undefined when unknown. */
export function castTargetType(name: string, args: number[]): DataType | "decimal-args" | undefined {
  switch (name.toUpperCase()) {
    case "DECIMAL":
      return args.length < 2 ? "decimal-args" : T.decimal(args[0]!, args[1]!);
    case "VARCHAR":
    case "STRING":
      return T.string;
    case "INT":
    case "INTEGER":
      return T.int;
    case "BIGINT":
    case "LONG":
      return T.bigint;
    case "BYTE":
      return T.tinyint;
    case "BYTES":
    case "BINARY":
      return T.bytes;
    case "BOOLEAN":
      return T.boolean;
    case "DOUBLE":
      return T.double;
    case "FLOAT":
      return T.float;
    case "TIMESTAMP":
    case "DATETIME":
      return T.timestamp;
    case "DATE":
      return T.date;
    case "TIME":
      return T.time;
    default:
      return undefined;
  }
}

/** The `SqlType` name castAs switches on for a type (CASE results are cast through it). */
export function sqlTypeName(t: DataType): string {
  return t.kind === "bigint" ? "BIGINT" : t.kind === "null" ? "NULL" : t.kind.toUpperCase();
}
