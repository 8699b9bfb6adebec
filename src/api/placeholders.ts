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

/** Matches a table placeholder's name: what a sink block may leave for the engine to fill per table. */
export const TABLE_PLACEHOLDER = new RegExp(`^(${PLACEHOLDER_NAMES.join("|")})$`);

/**
 * A `${name}` or `${name:default}` in a string value, as SeaTunnel's variable pass finds them
 * (ConfigBuilder's PLACEHOLDER_REGEX): the job reader fills them from `-i`, and option parsing warns
 * about those left.
 */
export const VARIABLE_PATTERN = /\$\{([^:{}]+)(?::([^}]*))?\}/g;

/** The `${name}` / `${name:default}` written in `text`, in order. */
export function variablesIn(text: string): { whole: string; name: string; index: number }[] {
  if (!text.includes("${")) {
    return [];
  }
  return [...text.matchAll(VARIABLE_PATTERN)].map((m) => ({ whole: m[0], name: m[1]!, index: m.index }));
}

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
