/**
 * What `--check --connect` asks of the Jdbc source and sink beyond create(): the source's queries
 * run (each table's query with where_condition, prepared with LIMIT 0: no row is read); the sink's
 * server takes its credentials, each target table exists or its schema_save_mode creates it, and it
 * has a column for every column the input writes. Nothing is written; every problem is returned.
 */
import type { TableSchema } from "../../src/api/index.ts";
import { ConfigError, JobError, tableId } from "../../src/api/index.ts";
import type { Db, Dialect, Session } from "./dialect.ts";
import type { SourceTable } from "./discover.ts";
import type { SinkOptions } from "./options.ts";
import { withSession } from "./pool.ts";
import type { TablePlan } from "./statements.ts";
import { describeConn, type ConnInfo } from "./url.ts";

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs `fn` on a session; a failure to connect is one JDBC_CONNECT problem. */
async function connected(db: Db, info: ConnInfo, fn: (s: Session) => Promise<ConfigError[]>): Promise<ConfigError[]> {
  try {
    return await withSession(db, fn);
  } catch (e) {
    if (e instanceof ConfigError) {
      return [e];
    }
    const code = e instanceof JobError ? e.code : "JDBC_CONNECT";
    return [new ConfigError(code, `connecting to ${describeConn(info)}: ${messageOf(e)}`)];
  }
}

export function checkSource(db: Db, info: ConnInfo, tables: SourceTable[]): Promise<ConfigError[]> {
  return connected(db, info, async (s) => {
    const out: ConfigError[] = [];
    for (const t of tables) {
      try {
        await s.query(`SELECT * FROM (${t.base}) st_check LIMIT 0`);
      } catch (e) {
        out.push(
          new ConfigError(
            "JDBC_QUERY_INVALID",
            `the query of table "${t.schema.id}" does not run on ${describeConn(info)}: ${messageOf(e)} (query: ${t.base})`,
          ),
        );
      }
    }
    return out;
  });
}

const CREATES = new Set(["RECREATE_SCHEMA", "CREATE_SCHEMA_WHEN_NOT_EXIST"]);

/** How plan describes where an input goes: the target table and what the save modes do to it. */
export function targetText(p: TablePlan, o: SinkOptions, info: ConnInfo, input: TableSchema): string {
  if (!p.target) {
    return `query on ${describeConn(info)}: ${o.query?.replace(/\s+/g, " ").trim()}`;
  }
  const modes = [
    o.schema_save_mode === "RECREATE_SCHEMA"
      ? "dropped and created again"
      : o.schema_save_mode === "CREATE_SCHEMA_WHEN_NOT_EXIST"
        ? "created when missing"
        : o.schema_save_mode === "ERROR_WHEN_SCHEMA_NOT_EXIST"
          ? "must exist"
          : "used as it is",
    o.data_save_mode === "DROP_DATA"
      ? "emptied first"
      : o.data_save_mode === "ERROR_WHEN_DATA_EXISTS"
        ? "must be empty"
        : "",
  ].filter(Boolean);
  // Without primary_keys the write mode follows the input's key, which the catalog gives.
  const mode = input.unknownColumns && !o.primary_keys?.length ? "write mode known after connecting" : p.mode;
  return `${tableId(p.target)} on ${describeConn(info)} (${mode}; ${modes.join(", ")})`;
}

export interface SinkCheck {
  db: Db;
  dialect: Dialect;
  info: ConnInfo;
  o: SinkOptions;
  inputs: TableSchema[];
  plans: Map<string, TablePlan>;
}

export function checkSink(c: SinkCheck): Promise<ConfigError[]> {
  return connected(c.db, c.info, async (s) => {
    const out: ConfigError[] = [];
    for (const input of c.inputs) {
      const p = c.plans.get(input.id)!;
      if (p.target) {
        out.push(...(await checkTarget(s, c, p, input)));
      } else if (p.template) {
        out.push(...(await checkQuery(s, c, p)));
      }
    }
    return out;
  });
}

/**
 * A sink query that writes (INSERT, UPDATE, DELETE, REPLACE) is planned with EXPLAIN on one row of
 * NULLs: every dialect then resolves its tables and columns without running it. Other statements
 * (a procedure call) are left to the run.
 */
async function checkQuery(s: Session, c: SinkCheck, p: TablePlan): Promise<ConfigError[]> {
  const [statement] = p.template!.render([p.columns.map(() => null)], c.dialect.literal);
  if (!statement || !/^\s*(insert|update|delete|replace)\b/i.test(statement)) {
    return [];
  }
  try {
    await s.query(`EXPLAIN ${statement}`);
    return [];
  } catch (e) {
    return [
      new ConfigError(
        "JDBC_QUERY_INVALID",
        `the sink query for input "${p.input}" does not run on ${describeConn(c.info)}: ${messageOf(e)}`,
      ),
    ];
  }
}

async function checkTarget(s: Session, c: SinkCheck, p: TablePlan, input: TableSchema): Promise<ConfigError[]> {
  const { dialect: d, o } = c;
  const target = p.target!;
  const name = tableId(target);
  const table = await d.describeTable(s, target);
  if (!table) {
    return CREATES.has(o.schema_save_mode)
      ? []
      : [
          new ConfigError(
            "JDBC_TABLE_NOT_FOUND",
            `the sink table "${name}" does not exist in ${d.locationOf(target, c.info)}, and schema_save_mode = ${o.schema_save_mode} does not create it`,
          ),
        ];
  }
  const out: ConfigError[] = [];
  // A recreated table gets the input's columns; unknown columns cannot be compared.
  if (o.schema_save_mode !== "RECREATE_SCHEMA" && !input.unknownColumns) {
    const fold = (n: string) => (d.kind === "postgres" ? n : n.toLowerCase());
    const have = new Set(table.columns.map((x) => fold(x.name)));
    const missing = p.columns.filter((x) => !have.has(fold(x)));
    if (missing.length) {
      out.push(
        new ConfigError(
          "JDBC_COLUMN_NOT_FOUND",
          `the sink table "${name}" has no column${missing.length === 1 ? "" : "s"} ${missing.map((x) => `"${x}"`).join(", ")} for input "${input.id}" (its columns: ${table.columns.map((x) => x.name).join(", ")})`,
        ),
      );
    }
  }
  if (o.data_save_mode === "ERROR_WHEN_DATA_EXISTS" && o.schema_save_mode !== "RECREATE_SCHEMA") {
    const rows = await s.query(`SELECT 1 AS x FROM ${d.qualify(target)} LIMIT 1`);
    if (rows.length) {
      out.push(
        new ConfigError(
          "SINK_TABLE_NOT_EMPTY",
          `the sink table "${name}" has data, and data_save_mode = ERROR_WHEN_DATA_EXISTS refuses it`,
        ),
      );
    }
  }
  return out;
}
