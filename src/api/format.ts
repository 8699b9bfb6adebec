/**
 * Value rendering exactly as SeaTunnel's JVM prints values, so logs and Assert messages match
 * SeaTunnel's byte for byte: Console's `fieldToString` (arrays `[a, b]`, maps as Jackson JSON, rows
 * `[f1, f2]`), Java's `String.valueOf` (Double/Float/BigDecimal/java.time toString) and
 * `SeaTunnelRow.toString()`.
 *
 * Numbers: `Double.toString` / `Float.toString` follow the JDK 19+ specification (shortest digits
 * that round-trip; when one digit suffices, the closer of the one- and two-digit candidates, which
 * is why the smallest double prints `4.9E-324`), plain between 1e-3 and 1e7, else `d.dddEn`; those
 * rules live in java-number.ts and are re-exported here.
 */
import { ROW_KIND_SHORT, type Row } from "./row.ts";
import type { TableSchema } from "./table.ts";
import { Decimal, LocalDate, LocalDateTime, LocalTime, type DataType } from "./types.ts";
import { javaBigDecimal, javaDouble, javaFloat } from "./java-number.ts";

export { javaBigDecimal, javaDouble, javaFloat };

// ------------------------------------------------------------------------------------ java.time

/** Java `LocalDate.toString()`: 4-digit year, `+` above 9999, `-0001` style below zero. */
export function javaDate(d: LocalDate): string {
  const y = d.year;
  const abs = Math.abs(y);
  const year = abs < 1000 ? `${y < 0 ? "-" : ""}${String(abs).padStart(4, "0")}` : `${y > 9999 ? "+" : ""}${y}`;
  return `${year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** Java `LocalDateTime.toString()`: `2024-01-01T10:00`, seconds/fraction only when non-zero. */
export function javaDateTime(t: LocalDateTime): string {
  return `${javaDate(t.date)}T${t.time.toString()}`;
}

// ------------------------------------------------------------------------------- value → string

type Fmt = (v: unknown) => string;

const bytesList = (v: unknown): string => {
  if (!(v instanceof Uint8Array)) {
    return String(v);
  }
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    out[i] = String((v[i]! << 24) >> 24);
  }
  return `[${out.join(", ")}]`;
};

/** `String.valueOf` of a scalar of the given type (the Console default branch). */
function scalarFormatter(t: DataType): Fmt {
  switch (t.kind) {
    case "float":
      return (v) => (typeof v === "number" ? javaFloat(v) : String(v));
    case "double":
      return (v) => (typeof v === "number" ? javaDouble(v) : String(v));
    case "decimal":
      return (v) => (v instanceof Decimal ? javaBigDecimal(v) : String(v));
    case "date":
      return (v) => (v instanceof LocalDate ? javaDate(v) : String(v));
    case "timestamp":
      return (v) => (v instanceof LocalDateTime ? javaDateTime(v) : String(v));
    case "time":
      return (v) => (v instanceof LocalTime ? v.toString() : String(v));
    case "bytes":
      return bytesList;
    default:
      return (v) => String(v);
  }
}

const withNull =
  (f: Fmt): Fmt =>
  (v) =>
    v === null || v === undefined ? "null" : f(v);

const cache = new WeakMap<DataType, Fmt>();

/**
 * A compiled renderer for one type (Console's `fieldToString`); nulls render as `null`. Console
 * compiles one per column at writer creation so printing a row does no type dispatch.
 */
export function valueFormatter(t: DataType): Fmt {
  const hit = cache.get(t);
  if (hit) {
    return hit;
  }
  let f: Fmt;
  switch (t.kind) {
    case "array": {
      const el = withNull(scalarFormatter(t.element));
      f = (v) => (Array.isArray(v) ? `[${v.map(el).join(", ")}]` : String(v));
      break;
    }
    case "map":
      f = (v) => jacksonJson(v, t);
      break;
    case "row": {
      const fields = t.fields.map((x) => valueFormatter(x.type));
      f = (v) => (Array.isArray(v) ? `[${fields.map((g, i) => g(v[i])).join(", ")}]` : String(v));
      break;
    }
    default:
      f = scalarFormatter(t);
  }
  const out = withNull(f);
  cache.set(t, out);
  return out;
}

/**
 * Renders a value as SeaTunnel's Console sink does (ConsoleSinkWriter.fieldToString): arrays and
 * bytes `[e1, e2]` (bytes as signed numbers), maps as Jackson JSON, rows `[f1, f2]`, everything else
 * Java's toString. A null renders as `null` (Console itself prints a null top-level field as "").
 */
export function formatValue(value: unknown, type: DataType): string {
  return valueFormatter(type)(value);
}

// ------------------------------------------------------------------------------------- Jackson

const HEX = "0123456789ABCDEF";
const NAMED: Record<number, string> = {
  34: '\\"',
  92: "\\\\",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  12: "\\f",
  13: "\\r",
};

/** A JSON string as Jackson writes it: `"` and `\` escaped, control characters as `\n` or `\u00XX`. */
export function jacksonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
      continue;
    }
    out += s.slice(start, i) + (NAMED[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`);
    start = i + 1;
  }
  return `${out + s.slice(start)}"`;
}

const quotedNumber = (s: string): string => (s === "NaN" || s.endsWith("Infinity") ? `"${s}"` : s);

/**
 * Jackson's `writeValueAsString` of a value (used for MAP columns). Numbers use Java's toString,
 * bytes Base64. java.time values, which SeaTunnel's plain ObjectMapper cannot serialise, are written
 * as their ISO strings rather than failing the row.
 */
export function jacksonJson(v: unknown, t: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  switch (t.kind) {
    case "string":
      return jacksonString(String(v));
    case "float":
      return typeof v === "number" ? quotedNumber(javaFloat(v)) : String(v);
    case "double":
      return typeof v === "number" ? quotedNumber(javaDouble(v)) : String(v);
    case "decimal":
      return v instanceof Decimal ? javaBigDecimal(v) : String(v);
    case "bytes":
      return v instanceof Uint8Array ? `"${Buffer.from(v).toString("base64")}"` : jacksonString(String(v));
    case "date":
    case "time":
    case "timestamp":
      return jacksonString(formatValue(v, t));
    case "array":
      return Array.isArray(v) ? `[${v.map((x) => jacksonJson(x, t.element)).join(",")}]` : String(v);
    case "row":
      return Array.isArray(v)
        ? `[${v.map((x, i) => jacksonJson(x, t.fields[i]?.type ?? { kind: "string" })).join(",")}]`
        : String(v);
    case "map": {
      if (!(v instanceof Map)) {
        return String(v);
      }
      const parts: string[] = [];
      for (const [k, x] of v) {
        parts.push(
          `${jacksonString(k === null || k === undefined ? "" : javaString(k, t.key))}:${jacksonJson(x, t.value)}`,
        );
      }
      return `{${parts.join(",")}}`;
    }
    default:
      return String(v);
  }
}

// ------------------------------------------------------------------------ String.valueOf / rows

/**
 * Java's `String.valueOf(value)` for a value of type `t`, as SeaTunnelRow.toString and Assert's
 * MIN_LENGTH/MAX_LENGTH see it. Where Java would print an identity hash (`[B@1b2c`, arrays), the
 * readable `[a, b]` form is used; maps print as `{k=v}`, nested rows as `SeaTunnelRow{...}`.
 */
export function javaString(v: unknown, t: DataType): string {
  if (v === null || v === undefined) {
    return "null";
  }
  switch (t.kind) {
    case "array":
      return Array.isArray(v) ? `[${v.map((x) => javaString(x, t.element)).join(", ")}]` : String(v);
    case "map": {
      if (!(v instanceof Map)) {
        return String(v);
      }
      const parts: string[] = [];
      for (const [k, x] of v) {
        parts.push(`${javaString(k, t.key)}=${javaString(x, t.value)}`);
      }
      return `{${parts.join(", ")}}`;
    }
    case "row":
      return Array.isArray(v)
        ? `SeaTunnelRow{tableId=, kind=+I, fields=[${v.map((x, i) => javaString(x, t.fields[i]?.type ?? { kind: "string" })).join(", ")}]}`
        : String(v);
    default:
      return valueFormatter(t)(v);
  }
}

/**
 * `SeaTunnelRow.toString()`: `SeaTunnelRow{tableId=fake, kind=+I, fields=[3, C, 200]}`, as Assert
 * failure messages print rows. Column types come from `table` (float vs double matters).
 */
export function formatRowJava(row: Row, table?: TableSchema): string {
  const cols = table?.columns;
  const fields = row.fields.map((v, i) => javaString(v, cols?.[i]?.type ?? inferType(v)));
  return `SeaTunnelRow{tableId=${row.table}, kind=${ROW_KIND_SHORT[row.kind]}, fields=[${fields.join(", ")}]}`;
}

/** A best-effort type for a value whose column is unknown (numbers print as doubles only if fractional). */
function inferType(v: unknown): DataType {
  if (typeof v === "number") {
    return Number.isInteger(v) ? { kind: "int" } : { kind: "double" };
  }
  if (v instanceof Decimal) {
    return { kind: "decimal", precision: 38, scale: v.scale };
  }
  if (v instanceof Uint8Array) {
    return { kind: "bytes" };
  }
  // Dates and times print through their Java-form toString under the string branch.
  return { kind: "string" };
}
