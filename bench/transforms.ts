/**
 * Transforms benchmark (issue "Transforms"): FakeSource → Sql (a WHERE, three functions, a CASE) →
 * Console(log.print.data=false) at parallelism 1 (target ≥ 1M rows/s on 6-column rows), and the
 * same job with a FieldMapper instead.
 */
import { FIELD_MAPPER } from "./engine.ts";
import { bestRate, fakeJob, mrows, writeJob } from "./lib.ts";

const SQL = `  Sql {
    source_table_name = "fake"
    result_table_name = "out"
    query = "select id, upper(name) as name, round(score, 2) as score, concat(name, '_', level) as tag, case when age > 1000000000 then 'high' when age > 100 then 'mid' else 'low' end as grp, ok from fake where ok = true or level > 100"
  }`;

export async function transformsBench(): Promise<Record<string, number>> {
  const sql = await bestRate(writeJob("transforms-sql", fakeJob({ rows: 3_000_000, parallelism: 1, transform: SQL })));
  const mapper = await bestRate(
    writeJob("transforms-mapper", fakeJob({ rows: 3_000_000, parallelism: 1, transform: FIELD_MAPPER })),
  );
  // Sql drops rows in its WHERE: rate over rows read.
  const sqlRead = sql.r.read / (sql.r.totalTimeMs / 1000);
  console.log(
    `transforms: FakeSource -> Sql -> Console ${mrows(sqlRead)} read (target >= 1M), FieldMapper instead ${mrows(mapper.rps)}`,
  );
  return { sql_rows_per_s: Math.round(sqlRead), field_mapper_rows_per_s: Math.round(mapper.rps) };
}

if (import.meta.main) {
  await transformsBench();
}
