/**
 * Jdbc source and sink for PostgreSQL, MySQL/MariaDB and SQLite, with SeaTunnel's options
 * (JdbcOptions, JdbcSourceOptions, JdbcSinkOptions). Drivers: Bun's built-in client for PostgreSQL,
 * bun:sqlite for SQLite, mysql2 for MySQL/MariaDB (see mysql.ts for why).
 */
import { defineSink, defineSource } from "../../src/api/index.ts";
import { sinkOptions, sourceOptions, type SinkOptions, type SourceOptions } from "./options.ts";
import { createJdbcSink } from "./sink.ts";
import { createJdbcSource } from "./source.ts";

const SQLITE_SOURCE = `env { job.mode = "BATCH" }
source {
  Jdbc {
    url = "jdbc:sqlite:/tmp/demo.db"
    driver = "org.sqlite.JDBC"
    query = "select id, name from users"
  }
}
sink { Console {} }`;

const PG_COPY = `env { job.mode = "BATCH", parallelism = 2 }
source {
  Jdbc {
    url = "jdbc:mysql://127.0.0.1:3306/shop"
    driver = "com.mysql.cj.jdbc.Driver"
    user = "root"
    table_list = [ { table_path = "shop.orders" }, { table_path = "shop.customers" } ]
  }
}
sink {
  Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = "root"
    password = "secret"
    generate_sink_sql = true
    database = "test"
    table = "public.\${table_name}"
    schema_save_mode = "CREATE_SCHEMA_WHEN_NOT_EXIST"
    data_save_mode = "DROP_DATA"
  }
}`;

export const jdbcSource = defineSource({
  name: "Jdbc",
  doc: "Reads tables or queries of PostgreSQL, MySQL/MariaDB or SQLite, split by key ranges and streamed (COPY TO STDOUT, row streams), with exact types.",
  options: sourceOptions,
  features: { batch: true, streaming: false, multiTable: true, parallel: true, external: true },
  examples: [{ title: "Read a SQLite query", conf: SQLITE_SOURCE }],
  create: (o, ctx) => createJdbcSource(o as SourceOptions, ctx),
});

export const jdbcSink = defineSink({
  name: "Jdbc",
  doc: "Writes to PostgreSQL (COPY FROM STDIN for inserts), MySQL/MariaDB or SQLite: inserts, upserts and CDC deletes by primary_keys, save modes, a transaction per checkpoint (prepared/XA with is_exactly_once).",
  options: sinkOptions,
  features: { batch: true, streaming: true, multiTable: true, exactlyOnce: true, parallel: true, external: true },
  examples: [{ title: "Copy two MySQL tables into PostgreSQL, creating them", conf: PG_COPY }],
  create: (o, inputs, ctx) => createJdbcSink(o as SinkOptions, inputs, ctx),
});
