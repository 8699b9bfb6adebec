/**
 * Helpers of the per-type Jdbc copy tests (tests/jdbc-types-*.test.ts): a type case is a column
 * with its declared type and the SQL literals of its values; a table holds one column per case and
 * one row per value (the last row all NULL), a job copies it with the binary, and the created
 * column types and the values of both tables are read back for comparison.
 */
import { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { uniqueName } from "./services.ts";

/** One column of the copied table. */
export interface TypeCase {
  col: string;
  /** The type as declared in the source's CREATE TABLE. */
  type: string;
  /** SQL literals, one per row. */
  values: string[];
  /** The type the sink creates when it is not the source's (as the catalog prints it). */
  created?: string;
  /** How the test names what happens to the type or values (SeaTunnel's own changes say so). */
  note?: string;
  /** SQL of the value's text to compare (`%` is the quoted column), where the created type prints it otherwise. */
  text?: string;
}

export const PG_CONN = `url = "jdbc:postgresql://127.0.0.1:5432/test"\ndriver = "org.postgresql.Driver"\nuser = root`;
export const MY_CONN = `url = "jdbc:mysql://127.0.0.1:3306/test"\ndriver = "com.mysql.cj.jdbc.Driver"\nuser = root\npassword = ""`;
export const liteConn = (file: string) => `url = "jdbc:sqlite:${file}"\ndriver = "org.sqlite.JDBC"`;

export const workDir = mkdtempSync(join(tmpdir(), "st-types-"));

export interface JobRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a BATCH job copying with the Jdbc source and sink blocks given. */
export async function copyJob(source: string, sink: string): Promise<JobRun> {
  const conf = join(workDir, `${uniqueName("copy")}.conf`);
  writeFileSync(
    conf,
    `env { parallelism = 1, job.mode = "BATCH", job.retry.times = 0 }\nsource { Jdbc {\n${source}\n} }\nsink { Jdbc {\n${sink}\n} }\n`,
  );
  return runBin(["run", conf, "--no-progress"]);
}

/** `CREATE TABLE` text (quote: the identifier quote) with `id` as the key. */
export function createSql(table: string, cases: TypeCase[], quote = '"'): string {
  return `CREATE TABLE ${table} (id int PRIMARY KEY, ${cases.map((c) => `${quote}${c.col}${quote} ${c.type}`).join(", ")})`;
}

/** `INSERT` of one row per value (ids 1..n) and a last row of NULLs. */
export function insertSql(table: string, cases: TypeCase[], quote = '"'): string {
  const n = Math.max(...cases.map((c) => c.values.length));
  const rows: string[] = [];
  for (let i = 0; i <= n; i++) {
    rows.push(`(${[String(i + 1), ...cases.map((c) => c.values[i] ?? "NULL")].join(", ")})`);
  }
  return `INSERT INTO ${table} (id, ${cases.map((c) => `${quote}${c.col}${quote}`).join(", ")}) VALUES ${rows.join(", ")}`;
}

type Sql = InstanceType<typeof Bun.SQL>;

/** Column name → type as PostgreSQL prints it (format_type). */
export async function pgTypes(sql: Sql, table: string): Promise<Map<string, string>> {
  const rows = (await sql.unsafe(
    `SELECT attname AS c, format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attnum > 0 AND NOT attisdropped`,
  )) as { c: string; t: string }[];
  return new Map(rows.map((r) => [r.c, r.t]));
}

/** Column name → the values' text, by id (a case's `text`, else its ::text). */
export async function pgValues(sql: Sql, table: string, cases: TypeCase[]): Promise<Map<string, (string | null)[]>> {
  const expr = (c: TypeCase) => (c.text ?? "%::text").replaceAll("%", `"${c.col}"`);
  const rows = (await sql.unsafe(
    `SELECT ${cases.map((c) => `${expr(c)} AS "${c.col}"`).join(", ")} FROM ${table} ORDER BY id`,
  )) as Record<string, string | null>[];
  return new Map(cases.map((c) => [c.col, rows.map((r) => r[c.col] ?? null)]));
}

/** Column name → COLUMN_TYPE (MariaDB). */
export async function myTypes(sql: Sql, table: string): Promise<Map<string, string>> {
  const rows = (await sql.unsafe(
    `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = '${table}'`,
  )) as { c: string; t: string }[];
  return new Map(rows.map((r) => [r.c, r.t]));
}

/**
 * Column name → the values as bytes in hex, by id (MariaDB): strings and binaries as stored,
 * numbers and times as their full text (FLOAT through DOUBLE: its own text has 6 digits).
 */
export async function myValues(sql: Sql, table: string, cases: TypeCase[]): Promise<Map<string, (string | null)[]>> {
  const types = await myTypes(sql, table);
  const expr = (c: string) => {
    const t = types.get(c) ?? "";
    return /^float/.test(t) ? `HEX(CAST(\`${c}\` + 0e0 AS CHAR))` : `HEX(CAST(\`${c}\` AS BINARY))`;
  };
  const rows = (await sql.unsafe(
    `SELECT ${cases.map((c) => `${expr(c.col)} AS \`${c.col}\``).join(", ")} FROM test.${table} ORDER BY id`,
  )) as Record<string, string | null>[];
  return new Map(cases.map((c) => [c.col, rows.map((r) => r[c.col] ?? null)]));
}

/** Column name → declared type (SQLite). */
export function liteTypes(db: Database, table: string): Map<string, string> {
  const rows = db.query(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** Column name → `storage class:value` by id (SQLite), exact (floats as JS numbers, blobs in hex), null for NULL. */
export function liteValues(db: Database, table: string, cases: TypeCase[]): Map<string, (string | null)[]> {
  const cols = cases.map((c) => `typeof("${c.col}") AS "t_${c.col}", "${c.col}"`).join(", ");
  const rows = db.query(`SELECT ${cols} FROM "${table}" ORDER BY id`).all() as Record<string, unknown>[];
  const show = (v: unknown) =>
    v instanceof Uint8Array
      ? Buffer.from(v).toString("hex")
      : typeof v === "number"
        ? Object.is(v, -0)
          ? "-0"
          : String(v)
        : String(v);
  const text = (r: Record<string, unknown>, c: string) =>
    r[`t_${c}`] === "null" ? null : `${r[`t_${c}`]}:${show(r[c])}`;
  return new Map(cases.map((c) => [c.col, rows.map((r) => text(r, c.col))]));
}

/** A SQLite file in the work directory. */
export const liteFile = (name: string): string => join(workDir, `${name}.db`);

export { Database };
