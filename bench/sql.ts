/**
 * Sql transform throughput: FakeSource-like 6-column rows through a query with a WHERE, three
 * functions and a CASE. Prints rows/s (target ≥ 1M rows/s). Run: `bun bench/sql.ts`.
 */
import { sqlTransform } from "../connectors/sql/index.ts";
import {
  LocalDate,
  LocalDateTime,
  LocalTime,
  RowKind,
  T,
  type PluginContext,
  type Row,
  type TableSchema,
} from "../src/api/index.ts";

const input: TableSchema = {
  id: "fake",
  path: { table: "fake" },
  columns: [
    { name: "id", type: T.int, nullable: true },
    { name: "name", type: T.string, nullable: true },
    { name: "age", type: T.int, nullable: true },
    { name: "score", type: T.double, nullable: true },
    { name: "ts", type: T.timestamp, nullable: true },
    { name: "active", type: T.boolean, nullable: true },
  ],
};

const query =
  "select id, upper(name) as name, age + 1 as age, round(score, 2) as score, concat(name, '_', id) as tag, case when age > 60 then 'senior' when age > 18 then 'adult' else 'minor' end as grp, ts from fake where age > 10 and name is not null";
const ctx: PluginContext = {
  label: "transform Sql",
  jobId: "bench",
  jobName: "bench",
  jobMode: "BATCH",
  parallelism: 1,
  log: { info() {}, warn() {}, error() {}, debug() {} },
  checkOnly: false,
};
const node = {
  kind: "scalar" as const,
  type: "string" as const,
  text: query,
  pos: { file: "bench.conf", line: 1, col: 1 },
  quoted: true,
};
const transform = sqlTransform.create({ query: { text: query, node }, engine: "ZETA" } as never, [input], ctx);

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const word = (n: number) =>
  Array.from({ length: n }, () => letters[Math.floor(Math.random() * letters.length)]).join("");
const BATCH = 1024;
const batches: Row[][] = Array.from({ length: 64 }, () =>
  Array.from({ length: BATCH }, (_, i) => ({
    kind: RowKind.INSERT,
    table: "fake",
    fields: [
      i,
      word(5),
      Math.floor(Math.random() * 100),
      Math.random() * 1000,
      new LocalDateTime(new LocalDate(2024, 1, 1 + (i % 28)), new LocalTime(i % 24, 0, 0)),
      i % 2 === 0,
    ],
  })),
);

function run(totalRows: number): number {
  let rows = 0;
  let kept = 0;
  const start = performance.now();
  while (rows < totalRows) {
    kept += transform.process(batches[(rows / BATCH) % batches.length]!).length;
    rows += BATCH;
  }
  const seconds = (performance.now() - start) / 1000;
  if (kept === 0) {
    throw new Error("nothing passed the filter");
  }
  return rows / seconds;
}

run(500_000);
const rate = run(5_000_000);
console.log(
  `sql transform: ${Math.round(rate).toLocaleString("en-US")} rows/s (WHERE + UPPER, ROUND, CONCAT + CASE, 6 columns)`,
);
