/**
 * Sink option placeholders (SeaTunnel's TablePlaceholder): `${database_name}`, `${schema_name}`,
 * `${table_name}`, `${schema_full_name}`, `${table_full_name}`, `${primary_key}`,
 * `${unique_key}`, `${field_names}`, each optionally `${name:default}`. The engine substitutes them
 * in a sink block that receives one table; a multi-table sink calls this per table itself.
 */
import type { TableSchema } from "./table.ts";

export const PLACEHOLDER_NAMES = [
  "database_name",
  "schema_name",
  "table_name",
  "schema_full_name",
  "table_full_name",
  "primary_key",
  "unique_key",
  "field_names",
] as const;

const PATTERN =
  /\$\{(database_name|schema_name|table_name|schema_full_name|table_full_name|primary_key|unique_key|field_names)(?::([^}]*))?\}/g;

export function placeholderValues(t: TableSchema): Record<(typeof PLACEHOLDER_NAMES)[number], string | undefined> {
  const { database, schema, table } = t.path;
  const unique = t.constraintKeys?.find((k) => k.constraintType === "UNIQUE_KEY");
  return {
    database_name: database,
    schema_name: schema,
    table_name: table,
    schema_full_name: database !== undefined && schema !== undefined ? `${database}.${schema}` : undefined,
    table_full_name: [database, schema, table].filter((x) => x !== undefined).join("."),
    primary_key: t.primaryKey?.columnNames.join(","),
    unique_key: unique?.constraintColumns.map((c) => c.columnName).join(","),
    field_names: t.columns.map((c) => c.name).join(","),
  };
}

/** Replaces the placeholders in `text` for table `t`; unknown values fall back to the default or stay as written. */
export function replacePlaceholders(text: string, t: TableSchema): string {
  if (!text.includes("${")) {
    return text;
  }
  const values = placeholderValues(t);
  return text.replace(
    PATTERN,
    (whole, name: keyof typeof values, def?: string) => values[name] ?? (def !== undefined ? def.trim() : whole),
  );
}
