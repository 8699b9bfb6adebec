/**
 * Shared set-up of the incremental sync tests: a PostgreSQL schema with a source table whose
 * `updated_at` (microsecond timestamp) and `version` (bigint from a sequence) move on every insert
 * and update, and a runner of fixtures/pg/incremental-sync.conf through the built binary.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type RunResult, runBin } from "./helpers.ts";
import { PG_URL } from "./services.ts";

export const JOB = join("fixtures", "pg", "incremental-sync.conf");

export interface IncrementalDb {
  sql: InstanceType<typeof Bun.SQL>;
  schema: string;
  /** Inserts rows `from`..`to` (ids). */
  insert(from: number, to: number): Promise<void>;
  /** Changes the rows with id <= `upTo`, moving their updated_at and version on. */
  update(upTo: number): Promise<void>;
  /** A table's rows as text, ordered by id. */
  rows(table: "src" | "dst"): Promise<string[]>;
  drop(): Promise<void>;
}

export async function incrementalDb(schema: string): Promise<IncrementalDb> {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  await sql.unsafe(`CREATE SCHEMA ${schema}`);
  await sql.unsafe(`CREATE SEQUENCE ${schema}.versions`);
  await sql.unsafe(
    `CREATE TABLE ${schema}.src (id bigint PRIMARY KEY, name text, amount numeric(12, 2), label text,
       updated_at timestamp(6) NOT NULL DEFAULT clock_timestamp(),
       version bigint NOT NULL DEFAULT nextval('${schema}.versions'))`,
  );
  return {
    sql,
    schema,
    insert: async (from, to) => {
      await sql.unsafe(
        `INSERT INTO ${schema}.src (id, name, amount, label) SELECT g, 'name ' || g, g * 1.25, 'x' FROM generate_series(${from}, ${to}) g`,
      );
    },
    update: async (upTo) => {
      await sql.unsafe(
        `UPDATE ${schema}.src SET name = name || '+', amount = amount + 1, updated_at = clock_timestamp(), version = nextval('${schema}.versions') WHERE id <= ${upTo}`,
      );
    },
    rows: async (table) =>
      ((await sql.unsafe(`SELECT x::text AS r FROM ${schema}.${table} x ORDER BY id`)) as { r: string }[]).map(
        (x) => x.r,
      ),
    drop: async () => {
      await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql.close();
    },
  };
}

export interface SyncRun extends RunResult {
  /** Rows read, from the `--json` object (undefined when the run printed none). */
  read?: number;
}

/** One run of the incremental job: `name` is its job name, `dir` holds its checkpoint and state dirs. */
export async function runSync(
  o: { schema: string; name: string; dir: string; column?: string; reset?: boolean; conf?: string },
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<SyncRun> {
  const r = await runBin(
    [
      "run",
      o.conf ?? JOB,
      "-i",
      `name=${o.name}`,
      "-i",
      `schema=${o.schema}`,
      "-i",
      `column=${o.column ?? "updated_at"}`,
      "-i",
      `reset=${o.reset === true}`,
      "--checkpoint-dir",
      join(o.dir, "checkpoint"),
      "--no-progress",
      "--json",
      ...extra,
    ],
    { env },
  );
  const json = resultOf(r.stdout);
  return { ...r, ...(json?.read !== undefined ? { read: json.read } : {}) };
}

/** The `--json` object: the whole of stdout, or its last line that is one (logs may come before it). */
export function resultOf(stdout: string): { read?: number } | undefined {
  try {
    return JSON.parse(stdout) as { read?: number };
  } catch {
    const line = stdout.split("\n").findLast((l) => l.startsWith("{"));
    return line ? (JSON.parse(line) as { read?: number }) : undefined;
  }
}

/** Job folders left under the checkpoint directory. */
export function checkpointFolders(dir: string): string[] {
  const ckpt = join(dir, "checkpoint");
  return existsSync(ckpt) ? readdirSync(ckpt) : [];
}
