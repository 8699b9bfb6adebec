/**
 * How many rows a Jdbc source reads (Source.estimateRows): the tables' statistics (PostgreSQL's
 * pg_class.reltuples, MySQL's information_schema.TABLES.TABLE_ROWS) where every table is read
 * whole. A query, a where_condition or SQLite (which has no statistics, only a slow count) give no
 * estimate.
 */
import type { Db } from "./dialect.ts";
import type { SourceTable } from "./discover.ts";
import { dialectOf, withSession } from "./pool.ts";
import type { ConnInfo } from "./url.ts";

export async function estimateJdbcRows(
  db: Db,
  info: ConnInfo,
  tables: SourceTable[],
  where: string | undefined,
): Promise<number | undefined> {
  if (info.kind === "sqlite" || where !== undefined || tables.some((t) => !t.path || t.config.query)) {
    return undefined;
  }
  const d = dialectOf(info.kind);
  return withSession(db, async (s) => {
    let total = 0;
    for (const t of tables) {
      total += await d.approxRows(s, t.path!);
    }
    return total;
  });
}
