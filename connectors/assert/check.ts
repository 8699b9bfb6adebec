/**
 * The per-row checks of SeaTunnel's AssertExecutor, for one table: the value's Java class must be
 * the declared `field_type`'s (decided from the column's type, since JS numbers do not carry
 * Integer vs Double), then every `field_value` rule must hold. A null passes the type check
 * (AssertExecutor.checkType returns true for null).
 */
import type { DataType, TableSchema } from "../../src/api/index.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, typeToString } from "../../src/api/index.ts";
import { valueFromConfig } from "../../src/api/convert.ts";
import { javaDouble, javaString } from "../../src/api/format.ts";
import type { FieldRule, ValueRule } from "./rules.ts";

/** A field rule bound to one table's columns; `index` is -1 when the table has no such field. */
export interface BoundField {
  rule: FieldRule;
  index: number;
  column: DataType;
  /** `equals_to` converted for the column type, per value rule (undefined: no equals_to). */
  expected: ({ value: unknown } | undefined)[];
}

/**
 * Binds field rules to a table and converts each `equals_to` for the column's type (Assert
 * converts with the column type, not field_type). Throws ConfigError at a bad `equals_to`.
 */
export function bindFields(rules: readonly FieldRule[], table: TableSchema): BoundField[] {
  return rules.map((rule) => {
    const index = table.columns.findIndex((c) => c.name === rule.fieldName);
    const column = table.columns[index]?.type ?? rule.fieldType;
    const expected = rule.rules.map((r) =>
      index >= 0 && r.equalsTo ? { value: valueFromConfig(r.equalsTo, column, rule.fieldName) } : undefined,
    );
    return { rule, index, column, expected };
  });
}

// ------------------------------------------------------------------------------ type checking

/** The Java class of a value produced for a column of this kind (Byte, Short, Integer, ...). */
function sameClass(column: DataType, declared: DataType): boolean {
  return column.kind === declared.kind;
}

/** AssertExecutor.checkType; `column` is the type the value was produced for. */
export function typeMatches(v: unknown, column: DataType, declared: DataType): boolean {
  if (v === null || v === undefined) {
    return true;
  }
  switch (declared.kind) {
    case "null":
      return false;
    case "row": {
      if (column.kind !== "row" || !Array.isArray(v)) {
        return false;
      }
      return v.every((x, i) => {
        const d = declared.fields[i];
        const c = column.fields[i];
        return d !== undefined && typeMatches(x, c?.type ?? d.type, d.type);
      });
    }
    case "array": {
      if (column.kind !== "array" || !Array.isArray(v)) {
        return false;
      }
      return v.every((x) => typeMatches(x, column.element, declared.element));
    }
    case "map": {
      if (column.kind !== "map" || !(v instanceof Map)) {
        return false;
      }
      for (const [k, x] of v) {
        if (!typeMatches(k, column.key, declared.key) || !typeMatches(x, column.value, declared.value)) {
          return false;
        }
      }
      return true;
    }
    case "decimal":
      return (
        column.kind === "decimal" &&
        v instanceof Decimal &&
        v.scale === declared.scale &&
        v.precision() <= declared.precision
      );
    default:
      return sameClass(column, declared);
  }
}

// ----------------------------------------------------------------------------- value rules

/** `value instanceof Number` → its doubleValue(). */
function numeric(v: unknown): number | undefined {
  if (typeof v === "number") {
    return v;
  }
  if (typeof v === "bigint") {
    return Number(v);
  }
  if (v instanceof Decimal) {
    return v.toNumber();
  }
  return undefined;
}

/** Java `equals` between a row value and a converted `equals_to` of the same column type. */
export function javaEquals(a: unknown, b: unknown, t: DataType): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  switch (t.kind) {
    case "row":
      return (
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === b.length &&
        b.every((x, i) => javaEquals(a[i], x, t.fields[i]?.type ?? t))
      );
    case "array":
      return (
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === b.length &&
        b.every((x, i) => javaEquals(a[i], x, t.element))
      );
    case "map": {
      if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) {
        return false;
      }
      for (const [k, x] of b) {
        const hit = a.has(k) ? { v: a.get(k) } : findKey(a, k, t.key);
        if (!hit || !javaEquals(hit.v, x, t.value)) {
          return false;
        }
      }
      return true;
    }
    case "null":
      return false;
    case "bytes":
      return (
        a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i])
      );
    default:
      if (a instanceof Decimal || a instanceof LocalDate || a instanceof LocalTime || a instanceof LocalDateTime) {
        return a.equals(b);
      }
      // Double.equals: NaN equals NaN, 0.0 differs from -0.0.
      return Object.is(a, b);
  }
}

/** Map lookup by value for keys that are objects (Decimal, dates), as Java's equals-based lookup. */
function findKey(m: Map<unknown, unknown>, key: unknown, t: DataType): { v: unknown } | undefined {
  for (const [k, v] of m) {
    if (javaEquals(k, key, t)) {
      return { v };
    }
  }
  return undefined;
}

const show = (v: unknown, t: DataType): string =>
  v === null || v === undefined ? "null" : typeof v === "string" ? JSON.stringify(v) : javaString(v, t);
const num = (x: number | undefined) => (x === undefined ? "null" : Number.isInteger(x) ? String(x) : javaDouble(x));

/** Checks one value rule (AssertExecutor.pass); returns a readable reason when it fails. */
function valueRuleFails(
  r: ValueRule,
  expected: { value: unknown } | undefined,
  v: unknown,
  t: DataType,
): string | undefined {
  const limit = r.ruleValue ?? NaN;
  let ok = true;
  switch (r.ruleType) {
    case undefined:
      break;
    case "NULL":
      ok = v === null || v === undefined;
      break;
    case "NOT_NULL":
      ok = v !== null && v !== undefined;
      break;
    case "MIN":
    case "MAX": {
      const x = numeric(v);
      ok = x !== undefined && (r.ruleType === "MIN" ? x >= limit : x <= limit);
      break;
    }
    case "MIN_LENGTH":
    case "MAX_LENGTH": {
      const len = v === null || v === undefined ? 0 : javaString(v, t).length;
      ok = r.ruleType === "MIN_LENGTH" ? len >= limit : len <= limit;
      if (!ok) {
        return `${r.ruleType} ${num(r.ruleValue)} violated by value ${show(v, t)} (length ${len})`;
      }
      break;
    }
    default:
      // MAX_ROW / MIN_ROW inside field_value: AssertExecutor's default branch fails the row.
      return `${r.ruleType} is a row rule and always fails inside field_value (move it to row_rules)`;
  }
  if (!ok) {
    return `${r.ruleType}${r.ruleValue !== undefined && r.ruleType !== "NULL" && r.ruleType !== "NOT_NULL" ? ` ${num(r.ruleValue)}` : ""} violated by value ${show(v, t)}`;
  }
  if (v !== null && v !== undefined && expected && !javaEquals(v, expected.value, t)) {
    return `equals_to ${show(expected.value, t)} violated by value ${show(v, t)}`;
  }
  return undefined;
}

/**
 * Checks one bound field against a value; undefined when every rule holds, else a readable reason
 * (`MAX 100 violated by value 200`).
 */
export function fieldFails(b: BoundField, v: unknown): string | undefined {
  if (!typeMatches(v, b.column, b.rule.fieldType)) {
    return `field_type ${typeToString(b.rule.fieldType)} does not match value ${show(v, b.column)} of column type ${typeToString(b.column)}`;
  }
  for (let i = 0; i < b.rule.rules.length; i++) {
    const why = valueRuleFails(b.rule.rules[i]!, b.expected[i], v, b.column);
    if (why !== undefined) {
      return why;
    }
  }
  return undefined;
}
