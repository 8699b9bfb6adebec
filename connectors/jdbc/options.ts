/**
 * The Jdbc options, spelled and defaulted as SeaTunnel's JdbcOptions, JdbcSourceOptions and
 * JdbcSinkOptions declare them. Options that only tune a Java driver (xa_data_source_class_name, …)
 * are accepted and change nothing here, as their docs say. `field_ide` and `max_retries` are sink
 * options (SeaTunnel's source neither lists nor reads them), so on a source they are unknown keys.
 */
import * as v from "valibot";
import { describeNode, type Opt, opt, type OptionValues, type Pos } from "../../src/api/index.ts";
import { saveModeOptions } from "../common/options.ts";
import { incrementalColumnOption, withColumnPositions } from "./incremental.ts";

const connection = {
  url: opt.string({
    required: true,
    nonEmpty: true,
    doc: "JDBC URL: jdbc:postgresql://host:5432/db, jdbc:mysql://host:3306/db (MariaDB too) or jdbc:sqlite:path",
    example: "jdbc:postgresql://127.0.0.1:5432/test",
  }),
  driver: opt.string({
    doc: "JDBC driver class as in SeaTunnel (org.postgresql.Driver, com.mysql.cj.jdbc.Driver, org.sqlite.JDBC); the URL decides the driver here",
  }),
  user: opt.string({ doc: "User name" }),
  password: opt.string({ secret: true, doc: "Password" }),
  connection_check_timeout_sec: opt.int({ default: 30, min: 0, doc: "Seconds to wait for a connection check" }),
  compatible_mode: opt.string({
    fallbackKeys: ["compatibleMode"],
    doc: 'PostgreSQL: "postgresLow" upserts by UPDATE, then INSERT of the rows not found (no ON CONFLICT, for PostgreSQL 9.4 and older). MySQL: "starrocks" is refused (StarRocks is not supported). Other values change nothing and are warned about',
  }),
  properties: opt.map({ doc: "Extra connection properties (currentSchema, ApplicationName for PostgreSQL)" }),
  use_kerberos: opt.bool({ default: false, doc: "Not supported: kept so jobs that set it to false still run" }),
};

const tableListItem = v.looseObject({
  table_path: v.optional(v.string()),
  query: v.optional(v.string()),
  partition_column: v.optional(v.string()),
  partition_num: v.optional(v.union([v.number(), v.string()])),
  partition_lower_bound: v.optional(v.union([v.number(), v.string()])),
  partition_upper_bound: v.optional(v.union([v.number(), v.string()])),
  incremental_column: v.optional(v.string()),
});

export const sourceOptions = {
  ...connection,
  query: opt.string({ doc: "Query whose rows are read (instead of table_path)" }),
  table_path: opt.string({
    doc: "Full path of a table to read: db.table (MySQL), db.schema.table or schema.table (PostgreSQL)",
  }),
  table_list: withColumnPositions(
    opt.object({
      schema: v.array(tableListItem),
      type: "list<object>",
      expects: "a list of { table_path, query, partition_column, incremental_column, … }",
      doc: 'Several tables: [{ table_path = "db.t1" }, { table_path = "db.t2", query = "select …" }]',
    }),
  ),
  where_condition: opt.string({ doc: "Row filter for every table, starting with `where`, e.g. `where id > 100`" }),
  partition_column: opt.string({ doc: "Column that splits the read into parallel ranges" }),
  partition_num: opt.int({ min: 1, doc: "Number of ranges; defaults to the parallelism" }),
  partition_lower_bound: opt.string({ doc: "Smallest partition_column value to read; queried when absent" }),
  partition_upper_bound: opt.string({ doc: "Largest partition_column value to read; queried when absent" }),
  fetch_size: opt.int({ default: 0, min: 0, doc: "Rows per fetch; 0 uses our default (2048)" }),
  "split.size": opt.int({ default: 8096, min: 1, doc: "Rows per split when a table is split by its key" }),
  "split.even-distribution.factor.upper-bound": opt.number({
    default: 100,
    doc: "Key density bound above which chunk ends are queried",
  }),
  "split.even-distribution.factor.lower-bound": opt.number({
    default: 0.05,
    doc: "Key density bound below which chunk ends are queried",
  }),
  "split.sample-sharding.threshold": opt.int({
    default: 1000,
    doc: "Accepted for compatibility (chunk ends are always queried exactly)",
  }),
  "split.inverse-sampling.rate": opt.int({ default: 1000, doc: "Accepted for compatibility" }),
  use_select_count: opt.bool({ default: false, doc: "Count rows with SELECT COUNT(*) instead of statistics" }),
  skip_analyze: opt.bool({ default: false, doc: "Accepted for compatibility" }),
  decimal_type_narrowing: opt.bool({ default: true, doc: "Accepted for compatibility (Oracle only in SeaTunnel)" }),
  int_type_narrowing: opt.bool({ default: true, doc: "Accepted for compatibility (tinyint(1) is read as boolean)" }),
  split_type: opt.string({ doc: "Accepted for compatibility" }),
  incremental_column: incrementalColumnOption(),
  incremental_reset: opt.bool({
    default: false,
    doc: "With incremental_column: read every row again in this run and store the new position (set it for one run only)",
  }),
};

/** One entry of column_types: a column, the type its CREATE TABLE declares, and where the key is written. */
export interface ColumnType {
  column: string;
  type: string;
  pos: Pos;
}

/** `column_types = { name = "varchar(20)" }`: our option (SeaTunnel's Jdbc sink has no per-column type). */
function columnTypesOption(): Opt<ColumnType[]> {
  return {
    meta: {
      type: "map",
      expects: 'an object of column = "type" pairs',
      doc: "Column types the sink's CREATE TABLE declares instead of the mapped ones (schema_save_mode creating the table), as the target database writes them; a name that is no input column fails the job",
      example: 'column_types = { name = "varchar(20)", amount = "numeric(20,4)" }',
      required: false,
    },
    parse(node) {
      if (node.kind !== "object") {
        return { ok: false, pos: node.pos };
      }
      const out: ColumnType[] = [];
      for (const e of node.entries) {
        const t = e.value;
        if (t.kind !== "scalar" || t.type === "null" || t.text.trim() === "") {
          return { ok: false, message: `column_types."${e.key}" is ${describeNode(t)}, not a type`, pos: t.pos };
        }
        out.push({ column: e.key, type: t.text.trim(), pos: e.keyPos });
      }
      return { ok: true, value: out };
    },
  };
}

export const sinkOptions = {
  ...connection,
  query: opt.string({
    doc: "Statement run per row, with `?` or `:field` parameters (INSERT … VALUES (…) runs many rows at once)",
  }),
  database: opt.string({ doc: "Target database (with `table`)" }),
  table: opt.string({ doc: "Target table; placeholders such as ${table_name} are replaced per input table" }),
  generate_sink_sql: opt.bool({ default: false, doc: "Generate INSERT/UPSERT/DELETE from the target table" }),
  primary_keys: opt.list({ of: "string", doc: "Key columns for upserts and CDC deletes" }),
  enable_upsert: opt.bool({ default: true, doc: "Upsert by primary_keys; false inserts only" }),
  is_primary_key_updated: opt.bool({ default: true, doc: "UPDATE_BEFORE deletes the old key (a key may change)" }),
  support_upsert_by_insert_only: opt.bool({ default: false, doc: "Insert without upsert" }),
  support_upsert_by_query_primary_key_exist: opt.bool({
    default: false,
    doc: "Upsert by querying keys (done with the database's native upsert here)",
  }),
  batch_size: opt.int({ default: 1000, min: 1, doc: "Rows buffered per table before they are written" }),
  is_exactly_once: opt.bool({
    default: false,
    doc: "A prepared (XA) transaction per checkpoint, committed by the job master",
  }),
  xa_data_source_class_name: opt.string({ doc: "XA data source class (accepted; the URL decides)" }),
  max_commit_attempts: opt.int({ default: 3, min: 1, doc: "Attempts to commit a prepared transaction" }),
  transaction_timeout_sec: opt.int({ default: -1, doc: "Accepted for compatibility" }),
  auto_commit: opt.bool({ default: true, doc: "Accepted for compatibility (writes commit at each checkpoint)" }),
  ...saveModeOptions({
    schema: "What to do with the target table before the job",
    data: "What to do with the target's rows before the job",
  }),
  custom_sql: opt.string({ doc: "SQL run before the job when data_save_mode = CUSTOM_PROCESSING" }),
  use_copy_statement: opt.bool({
    default: false,
    doc: "PostgreSQL COPY FROM STDIN (used anyway for plain inserts without primary keys)",
  }),
  create_index: opt.bool({ default: true, doc: "Create the primary key and unique keys with the table" }),
  max_retries: opt.int({
    default: 0,
    min: 0,
    doc: "Retries of a failed batch, rolled back to its savepoint first; retry n waits n-1 seconds. An error that ended the transaction (lost connection, MySQL deadlock) is not retried. 0 with is_exactly_once, as in SeaTunnel",
  }),
  field_ide: opt.enum({
    values: ["ORIGINAL", "UPPERCASE", "LOWERCASE"] as const,
    doc: "Case of the column names and of the table name in the statements the sink builds and the table it creates (not in a query)",
  }),
  column_types: columnTypesOption(),
};

export type SourceOptions = OptionValues<typeof sourceOptions>;
export type SinkOptions = OptionValues<typeof sinkOptions>;
