/**
 * The type cases of the copies to and from SQLite (tests/jdbc-cross.ts). SeaTunnel has no SQLite
 * catalog: a source maps SQLite's declared types with its SqliteTypeMapper, a sink creating a
 * table uses our SQLite types (dialect sqlite.ts).
 */
import { TEXT, UTC } from "./jdbc-cross-cases.ts";
import type { CrossCase } from "./jdbc-cross.ts";

const DOUBLES = "keeps decimals as 8-byte floats: values that are not exactly one fail";

/** PostgreSQL → SQLite: PostgresTypeConverter.convert, then our SQLite types (SeaTunnel has no SQLite catalog). */
export const PG_TO_LITE: CrossCase[] = [
  { col: "i2", type: "smallint", values: ["-32768"], created: "SMALLINT", want: ["integer:-32768"] },
  { col: "i4", type: "integer", values: ["2147483647"], created: "INTEGER", want: ["integer:2147483647"] },
  {
    col: "i8",
    type: "bigint",
    values: ["9223372036854775807"],
    created: "BIGINT",
    want: ["integer:9223372036854775807"],
  },
  {
    col: "f4",
    type: "real",
    values: ["0.1", "'Infinity'"],
    created: "FLOAT",
    want: ["real:0.10000000149011612", "real:Infinity"],
    lossy: "turns NaN into NULL and -0 into 0: rows with them fail",
  },
  {
    col: "f8",
    type: "double precision",
    values: ["0.1", "'-Infinity'"],
    created: "DOUBLE",
    want: ["real:0.1", "real:-Infinity"],
    lossy: "turns NaN into NULL and -0 into 0: rows with them fail",
  },
  {
    col: "n",
    type: "numeric(10,2)",
    values: ["12.30", "100.00"],
    created: "DECIMAL(10,2)",
    want: ["real:12.3", "integer:100"],
    lossy: DOUBLES,
  },
  { col: "bo", type: "boolean", values: ["true", "false"], created: "BOOLEAN", want: ["integer:1", "integer:0"] },
  {
    col: "v20",
    type: "character varying(20)",
    values: ["' a\\tb '", "'😀'"],
    created: "VARCHAR(80)",
    want: ["text: a\\tb ", "text:😀"],
  },
  { col: "tx", type: "text", values: ["E'cr\\r'"], created: "TEXT", want: ["text:cr\r"] },
  { col: "by", type: "bytea", values: ["'\\x'", "'\\x00ff'"], created: "BLOB", want: ["blob:", "blob:00ff"] },
  { col: "d", type: "date", values: ["'2024-02-29'"], created: "DATE", want: ["text:2024-02-29"] },
  { col: "tm3", type: "time(3)", values: ["'12:34:56.789'"], created: "TIME", want: ["text:12:34:56.789"] },
  {
    col: "ts",
    type: "timestamp",
    values: ["'2020-01-01 00:01:00.123456'"],
    created: "DATETIME",
    want: ["text:2020-01-01 00:01:00.123456"],
  },
  {
    col: "tz",
    type: "timestamp with time zone",
    values: ["'2020-11-17 12:58:07.976543+02'"],
    created: "DATETIME",
    want: ["text:2020-11-17 10:58:07.976543"],
    lossy: UTC,
  },
  {
    col: "u",
    type: "uuid",
    values: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"],
    created: "VARCHAR(128)",
    want: ["text:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
    lossy: TEXT("uuid"),
  },
  { col: "jb", type: "jsonb", values: [`'{"a": 1}'`], created: "TEXT", want: ['text:{"a": 1}'], lossy: TEXT("jsonb") },
  {
    col: "a4",
    type: "integer[]",
    values: ["'{1,NULL,3}'"],
    created: "TEXT",
    want: ["text:[1,null,3]"],
    lossy: "holds each array<int> as JSON text",
  },
];

/** SQLite → PostgreSQL: SqliteTypeMapper, then PostgresTypeConverter.reconvert. */
export const LITE_TO_PG: CrossCase[] = [
  { col: "i", type: "INTEGER", values: ["-2147483648"], created: "integer", want: ["-2147483648"] },
  { col: "b", type: "BIGINT", values: ["9223372036854775807"], created: "bigint", want: ["9223372036854775807"] },
  { col: "s", type: "SMALLINT", values: ["-32768"], created: "smallint", want: ["-32768"] },
  {
    col: "nm",
    type: "NUMERIC",
    values: ["-9223372036854775808"],
    created: "bigint",
    note: "(read as BIGINT, as SeaTunnel)",
    want: ["-9223372036854775808"],
  },
  { col: "r", type: "REAL", values: ["0.1", "9e999"], created: "double precision", want: ["0.1", "Infinity"] },
  { col: "f", type: "FLOAT", values: ["0.5"], created: "real", want: ["0.5"] },
  {
    col: "dc",
    type: "DECIMAL(10,2)",
    values: ["12.3"],
    created: "double precision",
    note: "(read as DOUBLE, as SeaTunnel)",
    want: ["12.3"],
  },
  { col: "bo", type: "BOOLEAN", values: ["1", "0"], created: "boolean", want: ["true", "false"] },
  {
    col: "v",
    type: "VARCHAR(20)",
    values: ["' a '"],
    created: "text",
    note: "(SQLite keeps no length)",
    want: [" a "],
  },
  { col: "t", type: "TEXT", values: ["'😀'"], created: "text", want: ["😀"] },
  { col: "d", type: "DATE", values: ["'2024-02-29'"], created: "text", want: ["2024-02-29"], lossy: TEXT("date") },
  {
    col: "dt",
    type: "DATETIME",
    values: ["'2020-01-01 00:01:00'"],
    created: "text",
    want: ["2020-01-01 00:01:00"],
    lossy: TEXT("datetime"),
  },
  { col: "bl", type: "BLOB", values: ["x'00ff'"], created: "bytea", want: ["\\x00ff"] },
];

/** MariaDB → SQLite. */
export const MY_TO_LITE: CrossCase[] = [
  { col: "i", type: "int", values: ["-2147483648"], created: "INTEGER", want: ["integer:-2147483648"] },
  { col: "t1", type: "tinyint(1)", values: ["1"], created: "BOOLEAN", want: ["integer:1"] },
  { col: "y", type: "year", values: ["2024"], created: "INTEGER", want: ["integer:2024"] },
  {
    col: "biu",
    type: "bigint unsigned",
    values: ["12345"],
    created: "DECIMAL(20,0)",
    want: ["integer:12345"],
    lossy: DOUBLES,
  },
  {
    col: "dc",
    type: "decimal(10,2)",
    values: ["12.30"],
    created: "DECIMAL(10,2)",
    want: ["real:12.3"],
    lossy: DOUBLES,
  },
  { col: "db", type: "double", values: ["0.1"], created: "DOUBLE", want: ["real:0.1"] },
  { col: "f", type: "float", values: ["16777217"], created: "FLOAT", want: ["real:16777216"] },
  { col: "v", type: "varchar(20)", values: ["' a\\t '"], created: "VARCHAR(80)", want: ["text: a\t "] },
  { col: "tx", type: "text", values: ["'😀'"], created: "VARCHAR(65535)", want: ["text:😀"] },
  { col: "bl", type: "blob", values: ["x'0d0a'"], created: "BLOB", want: ["blob:0d0a"] },
  { col: "bt", type: "bit(10)", values: ["b'1010101010'"], created: "BLOB", want: ["blob:02aa"] },
  { col: "d", type: "date", values: ["'1000-01-01'"], created: "DATE", want: ["text:1000-01-01"] },
  { col: "tm", type: "time(3)", values: ["'12:34:56.789'"], created: "TIME", want: ["text:12:34:56.789"] },
  {
    col: "dt",
    type: "datetime(6)",
    values: ["'2020-01-01 00:00:00.123456'"],
    created: "DATETIME",
    want: ["text:2020-01-01 00:00:00.123456"],
  },
  {
    col: "e",
    type: "enum('a','b c')",
    values: ["'b c'"],
    created: "VARCHAR(12)",
    want: ["text:b c"],
    lossy: TEXT("enum"),
  },
];

const INF = "cannot hold ±Infinity: rows with them fail";

/** SQLite → MariaDB. */
export const LITE_TO_MY: CrossCase[] = [
  { col: "i", type: "INTEGER", values: ["-2147483648"], created: "int(11)", want: ["-2147483648"] },
  { col: "b", type: "BIGINT", values: ["9223372036854775807"], created: "bigint(20)", want: ["9223372036854775807"] },
  { col: "nm", type: "NUMERIC", values: ["42"], created: "bigint(20)", want: ["42"] },
  { col: "r", type: "REAL", values: ["0.1"], created: "double", want: ["0.1"], lossy: INF },
  { col: "f", type: "FLOAT", values: ["0.5"], created: "float", want: ["0.5"], lossy: INF },
  { col: "dc", type: "DECIMAL(10,2)", values: ["12.3"], created: "double", want: ["12.3"], lossy: INF },
  { col: "bo", type: "BOOLEAN", values: ["1"], created: "tinyint(1)", want: ["1"] },
  { col: "v", type: "VARCHAR(20)", values: ["' a '"], created: "longtext", want: [" a "] },
  { col: "t", type: "TEXT", values: ["'😀'"], created: "longtext", want: ["😀"] },
  { col: "d", type: "DATE", values: ["'2024-02-29'"], created: "longtext", want: ["2024-02-29"], lossy: TEXT("date") },
  { col: "bl", type: "BLOB", values: ["x'00ff'"], created: "longblob", want: ["00FF"] },
];
