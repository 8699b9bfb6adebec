/**
 * The type cases of the Jdbc copy tests: per database, a column of every type its converter reads,
 * with values at the edges of the type (see tests/jdbc-types.ts).
 */
import type { TypeCase } from "./jdbc-types.ts";

export const STRINGS = [
  "' lead and trail  '",
  "E'tab\\there\\r\\ncrlf'",
  "'😀𝄞 four-byte'",
  "''",
  "E'back\\\\slash \"q\"'",
];

export const PG_CASES: TypeCase[] = [
  { col: "i2", type: "smallint", values: ["-32768", "32767", "0"] },
  { col: "i4", type: "integer", values: ["-2147483648", "2147483647", "0"] },
  { col: "i8", type: "bigint", values: ["-9223372036854775808", "9223372036854775807", "0"] },
  {
    col: "f4",
    type: "real",
    values: ["'NaN'", "'Infinity'", "'-Infinity'", "3.4028235e38", "1e-45", "'-0'", "0.1"],
  },
  {
    col: "f8",
    type: "double precision",
    values: ["'NaN'", "'Infinity'", "'-Infinity'", "1.7976931348623157e308", "5e-324", "'-0'", "0.1"],
  },
  {
    col: "n",
    type: "numeric(38,10)",
    values: [
      "9999999999999999999999999999.9999999999",
      "-9999999999999999999999999999.9999999999",
      "0.0000000001",
      "0",
    ],
  },
  {
    col: "n1000",
    type: "numeric(1000,500)",
    values: [`${"9".repeat(500)}.${"9".repeat(500)}`, `-0.${"0".repeat(499)}1`],
  },
  {
    col: "nu",
    type: "numeric",
    values: ["1.5", "-123456789012345678.0123456789", "0", "100"],
    created: "numeric(38,10)",
    note: "without precision becomes numeric(38,10) as SeaTunnel's catalog reads it, every value kept",
    text: "trim_scale(%)::text",
  },
  { col: "n20", type: "numeric(20,0)", values: ["-99999999999999999999", "99999999999999999999"] },
  { col: "bo", type: "boolean", values: ["true", "false"] },
  { col: "c10", type: "character(10)", values: ["'a'", "' lead'", "''", "E'\\t\\r'", "'😀😀😀😀😀😀😀😀😀😀'"] },
  { col: "c1", type: "character(1)", values: ["'x'", "' '", "'😀'"] },
  { col: "v20", type: "character varying(20)", values: STRINGS },
  { col: "vu", type: "character varying", values: STRINGS },
  { col: "tx", type: "text", values: [...STRINGS, `'${"long ".repeat(4000)}'`] },
  { col: "by", type: "bytea", values: ["'\\x'", "'\\x00ff0a0d09'", `'\\x${"ab".repeat(5000)}'`] },
  { col: "d", type: "date", values: ["'0001-01-01'", "'9999-12-31'", "'2024-02-29'", "'1970-01-01'"] },
  { col: "tm", type: "time without time zone", values: ["'00:00:00'", "'23:59:59.999999'", "'12:00:00.000001'"] },
  { col: "tm0", type: "time(0) without time zone", values: ["'00:00:00'", "'23:59:59'"] },
  { col: "tm3", type: "time(3) without time zone", values: ["'12:34:56.789'", "'23:59:59.999'", "'00:00:00.001'"] },
  { col: "ttz", type: "time with time zone", values: ["'12:34:56.123456+05:30'", "'00:00:00-14'", "'23:59:59+14'"] },
  {
    col: "ts",
    type: "timestamp without time zone",
    values: ["'0001-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'", "'2020-01-01 00:01:00.123456'"],
  },
  { col: "ts0", type: "timestamp(0) without time zone", values: ["'2020-01-01 00:00:01'", "'9999-12-31 23:59:59'"] },
  {
    col: "ts3",
    type: "timestamp(3) without time zone",
    values: ["'2020-01-01 00:00:00.123'", "'1900-02-28 01:02:03.4'"],
  },
  {
    col: "tz",
    type: "timestamp with time zone",
    values: ["'2020-11-17 12:58:07.976543+02'", "'0001-01-01 00:00:00+00'", "'9999-12-31 23:59:59.999999+00'"],
  },
  { col: "tz3", type: "timestamp(3) with time zone", values: ["'2020-11-17 12:58:07.976+02'"] },
  {
    col: "u",
    type: "uuid",
    values: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'"],
  },
  { col: "j", type: "json", values: [`'{"b": 1,  "a": [1, 2], "b": 2}'`, `'"😀\\u0000x"'`, "'[]'"] },
  { col: "jb", type: "jsonb", values: [`'{"b": 1,  "a": [1, 2.50]}'`, `'"😀"'`, "'null'"] },
  { col: "x", type: "xml", values: ["'<a> b </a>'", "'text only'"] },
  { col: "ip", type: "inet", values: ["'192.168.0.1/24'", "'::1'", "'10.0.0.1'"] },
  { col: "iv", type: "interval", values: ["'1 year 2 mons 3 days 04:05:06.789'", "'-1 day'", "'00:00:00'"] },
  { col: "mo", type: "money", values: ["'-92233720368547758.08'", "'92233720368547758.07'", "'1.5'"] },
  { col: "ab", type: "boolean[]", values: ["'{t,f,NULL}'", "'{}'"] },
  { col: "a2", type: "smallint[]", values: ["'{-32768,32767,NULL}'"] },
  { col: "a4", type: "integer[]", values: ["'{1,NULL,3}'", "'{}'", "'{{1,2},{3,4}}'"] },
  { col: "a8", type: "bigint[]", values: ["'{-9223372036854775808,9223372036854775807}'"] },
  { col: "af4", type: "real[]", values: ["'{NaN,Infinity,-0,0.1}'"] },
  { col: "af8", type: "double precision[]", values: ["'{NaN,-Infinity,5e-324,0.1}'"] },
  { col: "at", type: "text[]", values: [`'{"a b","c,d",NULL,"q\\"t"," ","","NULL"}'`, "'{}'"] },
  { col: "av", type: "character varying(5)[]", values: [`'{"ab  ",x}'`] },
  { col: "ac", type: "character(2)[]", values: [`'{a,"b "}'`] },
  { col: "an", type: "numeric[]", values: ["'{1.50,NaN,-0.001}'"] },
];
