/**
 * What the sink's `field_ide` and the connection's `compatible_mode` change, as SeaTunnel 2.3.8
 * decides it (JdbcSinkFactory, JdbcSink.getSaveModeHandler, CatalogUtils, the PostgreSQL and MySQL
 * dialects and their factories).
 *
 * field_ide (sink only): ORIGINAL keeps names, UPPERCASE / LOWERCASE convert the case of every column
 * name and of the sink table's own name (not its schema or database) in every statement the sink
 * builds and in the table it creates: `quoteIdentifier` and `quoteTableIdentifier` apply it. Names
 * are always quoted, so the converted case is the case the database keeps. A `query` is the user's
 * SQL and is left alone. SeaTunnel's source never reads field_ide.
 */
import type { Column, ConstraintKey, Logger, PrimaryKey, TablePath, TableSchema } from "../../src/api/index.ts";
import { ConfigError } from "../../src/api/index.ts";
import type { DialectKind } from "./url.ts";

export type FieldIde = "ORIGINAL" | "UPPERCASE" | "LOWERCASE";

/** The name conversion of a field_ide value (CatalogUtils.getFieldIde); absent means ORIGINAL. */
export function identCase(ide: FieldIde | undefined): (name: string) => string {
  switch (ide) {
    case "UPPERCASE":
      return (n) => n.toUpperCase();
    case "LOWERCASE":
      return (n) => n.toLowerCase();
    default:
      return (n) => n;
  }
}

/** The sink table path with its table name converted (CatalogUtils.quoteTableIdentifier). */
export const convertPath = (p: TablePath, f: (n: string) => string): TablePath => ({ ...p, table: f(p.table) });

/**
 * The input schema as the sink creates its table: column, key and constraint names converted.
 * Two columns whose names become one fail here rather than in the database's CREATE or INSERT.
 */
export function convertSchema(t: TableSchema, f: (n: string) => string, ide: FieldIde | undefined): TableSchema {
  const seen = new Map<string, string>();
  for (const c of t.columns) {
    const to = f(c.name);
    const other = seen.get(to);
    if (other !== undefined) {
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `field_ide = ${ide} turns columns "${other}" and "${c.name}" of "${t.id}" into the same name "${to}"`,
      );
    }
    seen.set(to, c.name);
  }
  const columns: Column[] = t.columns.map((c) => ({ ...c, name: f(c.name) }));
  const out: TableSchema = { ...t, columns };
  if (t.primaryKey) {
    const pk: PrimaryKey = { ...t.primaryKey, columnNames: t.primaryKey.columnNames.map(f) };
    out.primaryKey = pk;
  }
  if (t.constraintKeys) {
    out.constraintKeys = t.constraintKeys.map(
      (k): ConstraintKey => ({
        ...k,
        constraintColumns: k.constraintColumns.map((x) => ({ ...x, columnName: f(x.columnName) })),
      }),
    );
  }
  return out;
}

/** How a dialect upserts: native `ON CONFLICT` / `ON DUPLICATE KEY`, or UPDATE then INSERT of the rows no UPDATE found. */
export type UpsertStyle = "native" | "update";

/** The names of each database a compatible_mode may give without changing anything. */
const OWN_NAMES: Record<DialectKind, readonly string[]> = {
  postgres: ["postgres", "postgresql", "pg"],
  mysql: ["mysql", "mariadb"],
  sqlite: ["sqlite"],
};

/**
 * compatible_mode (JdbcDialectLoader → the URL's dialect factory). SeaTunnel's PostgreSQL factory
 * reads one value, `postgresLow` (PostgreSQL 9.4 and older: no ON CONFLICT, upserts by UPDATE or
 * INSERT per row), which is honoured. Its MySQL factory reads `starrocks` (StarRocks' hash function
 * in split queries): StarRocks is not a database this binary supports, so that fails. Every other
 * value selects the plain dialect in SeaTunnel as here; one that is not the database's own name is
 * said in a warning, since it is most likely meant for another database (OceanBase's `mysql` /
 * `oracle` need a jdbc:oceanbase URL, which is not supported).
 */
export function compatibleMode(kind: DialectKind, mode: string | undefined, log: Logger): UpsertStyle {
  const m = mode?.trim();
  if (!m) {
    return "native";
  }
  const lower = m.toLowerCase();
  if (kind === "postgres" && lower === "postgreslow") {
    return "update";
  }
  if (kind === "mysql" && lower === "starrocks") {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      'compatible_mode "starrocks" is not supported: StarRocks is not among the databases of this Jdbc connector (PostgreSQL, MySQL/MariaDB, SQLite)',
    );
  }
  if (!OWN_NAMES[kind].includes(lower)) {
    log.warn(
      `compatible_mode "${m}" changes nothing for a ${kind} URL (as in SeaTunnel, whose ${kind} dialect ${
        kind === "postgres" ? 'reads only "postgresLow"' : kind === "mysql" ? 'reads only "starrocks"' : "reads none"
      })`,
    );
  }
  return "native";
}
