/**
 * Columns a sink creates with a type that does not keep everything its source's type has: the
 * mapping tables (SeaTunnel's converters) give a timestamptz a DATETIME(6) on MySQL, a jsonb a
 * LONGTEXT, an array text. The save mode logs them, one warning per table, before any row moves;
 * values that the created column cannot hold at all fail their row (fit.ts).
 */
import { type Column, type DataType, typeToString } from "../../src/api/index.ts";
import type { DialectKind } from "./url.ts";

/** Declared types whose values are text as they are (the base name, lower case, without length). */
const TEXT_TYPES = new Set([
  "char",
  "character",
  "bpchar",
  "varchar",
  "character varying",
  "nchar",
  "nvarchar",
  "varying character",
  "native character",
  "text",
  "tinytext",
  "mediumtext",
  "longtext",
  "clob",
  "longvarchar",
  "longnvarchar",
]);

/** What the floating-point columns of a database kind hold and MariaDB's do not (SQLite has no NaN and no -0). */
const NON_FINITE: Record<string, string> = { postgres: "NaN, ±Infinity or -0", sqlite: "±Infinity" };

const baseOf = (declared: string): string =>
  declared
    .toLowerCase()
    .replace(/\(.*?\)/g, "")
    .replace(/\s+(unsigned|zerofill)\b/g, "")
    .replace(/\[\]$/, "")
    .trim();

const floating = (t: DataType): boolean =>
  t.kind === "float" || t.kind === "double" || (t.kind === "array" && floating(t.element));

/** `(p,s)` of a declared decimal type, if it has them. */
function digits(declared: string): { p: number; s: number } | undefined {
  const m = /^(?:numeric|decimal|dec|number)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/i.exec(declared.trim());
  return m ? { p: Number(m[1]), s: Number(m[2] ?? 0) } : undefined;
}

/** Why the created type `created` (on a `kind` database) does not keep what the source's column has. */
export function lossOf(kind: DialectKind, c: Column, created: string): string | undefined {
  const st = c.sourceType;
  const from = st?.system;
  if (!st || from === kind) {
    return undefined;
  }
  const base = baseOf(st.declared);
  if (/^(timestamptz|timestamp with time zone)$/.test(base)) {
    return "drops the time zone: values are written as UTC wall time";
  }
  if (/^(timetz|time with time zone)$/.test(base)) {
    return "drops the UTC offset: values keep their local time";
  }
  if (c.type.kind === "array" && kind !== "postgres") {
    return `holds each ${typeToString(c.type).toLowerCase()} as JSON text`;
  }
  if (c.type.kind === "string" && !TEXT_TYPES.has(base)) {
    return `keeps each value's text, not the ${base} type`;
  }
  const nonFinite = NON_FINITE[from ?? ""];
  if (floating(c.type) && nonFinite && kind === "mysql") {
    return `cannot hold ${nonFinite}: rows with them fail`;
  }
  if (floating(c.type) && from === "postgres" && kind === "sqlite") {
    return "turns NaN into NULL and -0 into 0: rows with them fail";
  }
  return c.type.kind === "decimal" ? decimalLoss(kind, st.declared, created) : undefined;
}

function decimalLoss(kind: DialectKind, declared: string, created: string): string | undefined {
  if (kind === "sqlite") {
    return "keeps decimals as 8-byte floats: values that are not exactly one fail";
  }
  const a = digits(declared);
  const b = digits(created);
  if (a && b && (b.s < a.s || b.p - b.s < a.p - a.s)) {
    return `holds ${b.p - b.s} integer and ${b.s} fraction digits of the source's ${a.p - a.s} and ${a.s}: values with more fail`;
  }
  return undefined;
}

/**
 * The warning of a table created with lossy column types: `"tz" timestamp with time zone →
 * DATETIME(6) drops the time zone: …; "j" jsonb → LONGTEXT keeps …`; undefined when there is none.
 * `types` are the created column types in column order; `chosen` the columns whose type an option set.
 */
export function lossyColumns(
  kind: DialectKind,
  columns: Column[],
  types: string[],
  chosen: ReadonlySet<string> = new Set(),
): string | undefined {
  const notes = columns.flatMap((c, i) => {
    const why = chosen.has(c.name) ? undefined : lossOf(kind, c, types[i]!);
    return why ? [`"${c.name}" ${c.sourceType!.declared} → ${types[i]} ${why}`] : [];
  });
  return notes.length ? notes.join("; ") : undefined;
}
