/**
 * Sql transform: `SELECT <items> FROM <table> [WHERE <cond>]` over each row, with SeaTunnel's Zeta
 * engine rules (TF/sql/zeta at the corpus commit). The query is parsed, typed and compiled into one
 * JavaScript function at plan time, so a wrong field or function fails `--check` at its position.
 */
import {
  ConfigError,
  defineTransform,
  FIELD_NOT_FOUND,
  opt,
  type Opt,
  type PluginContext,
  type ScalarNode,
  type TableSchema,
} from "../../src/api/index.ts";
import { ALL_FUNCTIONS } from "./functions/index.ts";
import { SqlSyntaxError } from "./lexer.ts";
import { parseQuery, SqlValidateError } from "./parser.ts";
import { checkFunctions } from "./offline.ts";
import { compileQuery, outputTable, type CompiledQuery } from "./plan.ts";
import { queryPos } from "./position.ts";
import { SqlTypeError } from "./typing.ts";
import type { SelectStatement } from "./ast.ts";

export interface QueryText {
  text: string;
  node: ScalarNode;
}

function queryOption(): Opt<QueryText> {
  const base = opt.string({
    required: true,
    doc: "The SELECT statement: SELECT <items> FROM <input table> [WHERE <condition>]; functions are listed below",
    example: `query = "select id, upper(name) as name from fake where age > 18"`,
  });
  return {
    meta: { ...base.meta, expects: "a SQL SELECT statement" },
    parse(node) {
      if (node.kind !== "scalar" || node.type === "null") {
        return { ok: false, pos: node.pos };
      }
      return { ok: true, value: { text: node.text, node } };
    },
  };
}

const oneLine = (sql: string): string => sql.replace(/\s+/g, " ").trim();

/** Parses, validates and compiles; every problem is a ConfigError at its place in the query. */
export function compileSql(
  query: QueryText,
  inputs: TableSchema[],
  ctx: PluginContext,
): { stmt: SelectStatement; compiled: CompiledQuery } {
  const at = (offset: number) => queryPos(query.node, offset);
  const sql = query.text;
  let stmt: SelectStatement;
  try {
    stmt = parseQuery(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) {
      throw new ConfigError(
        "SQL_PARSE_FAILED",
        `${ctx.label}: SQL parse failed: ${oneLine(sql)}, cause: ${e.message}`,
        at(e.offset),
      );
    }
    if (e instanceof SqlValidateError) {
      throw new ConfigError(
        "SQL_VALIDATE_FAILED",
        `${ctx.label}: SQL validate failed: ${oneLine(sql)}, cause: ${e.message}`,
        at(e.offset),
      );
    }
    throw e;
  }
  const input = inputs[0];
  if (!input) {
    throw new ConfigError("SQL_NO_INPUT", `${ctx.label}: the Sql transform has no input table`, query.node.pos);
  }
  try {
    if (input.unknownColumns) {
      // Fields and types are checked once the columns are known; the functions can be now.
      checkFunctions(stmt);
      throw new ConfigError(
        FIELD_NOT_FOUND,
        `${ctx.label}: the columns of "${input.id}" are only known after connecting`,
        query.node.pos,
      );
    }
    return { stmt, compiled: compileQuery(stmt, input) };
  } catch (e) {
    if (e instanceof SqlTypeError) {
      throw new ConfigError("SQL_INVALID", `${ctx.label}: ${e.message}`, at(e.offset));
    }
    throw e;
  }
}

const warned = new Set<string>();

/** SeaTunnel only warns when FROM names another table (it always reads its input). */
function checkTableName(stmt: SelectStatement, input: TableSchema, ctx: PluginContext): void {
  const name = stmt.from?.name ?? "";
  const known = [input.id, input.path.table, "dual"].map((s) => s.toLowerCase());
  if (known.includes(name.toLowerCase())) {
    return;
  }
  const key = `${ctx.jobId}\u0000${ctx.label}`;
  if (warned.has(key)) {
    return;
  }
  warned.add(key);
  ctx.log.warn(
    `SQL table name ${name} is not equal to input table name ${input.id} or catalog table name ${input.path.table}`,
  );
}

/** Forms written as syntax rather than calls, listed with the functions of their family. */
const SYNTAX: Record<string, string[]> = {
  datetime: [
    "CURRENT_DATE[()] -> DATE — Today's local date.",
    "CURRENT_TIME[()] -> TIME — The local time of day.",
    "CURRENT_TIMESTAMP[()] -> TIMESTAMP — The local date-time.",
  ],
  system: [
    "CAST(value AS type) -> type — Converts to STRING/VARCHAR, INT/INTEGER, BIGINT/LONG, BYTE, BYTES/BINARY, DOUBLE, FLOAT, DECIMAL(p, s), TIMESTAMP/DATETIME, DATE, TIME or BOOLEAN ('true'/'false', 1/0); a failed conversion fails the job.",
    "TRY_CAST(value AS type) -> type — Like CAST, but NULL when the conversion fails.",
  ],
};

const functionList = (): string =>
  (["string", "numeric", "datetime", "system", "array", "json"] as const)
    .map((family) => {
      const lines = [
        ...(SYNTAX[family] ?? []),
        ...ALL_FUNCTIONS.filter((f) => f.family === family).map((f) => `${f.signature} — ${f.doc}`),
      ];
      return `${family} functions:\n${lines.map((l) => `  ${l}`).join("\n")}`;
    })
    .join("\n\n");

const DOC = `Runs a SQL SELECT over each row (SeaTunnel's Zeta SQL engine): SELECT *, expressions and
aliases, FROM <the input table>, WHERE with = <> != > >= < <=, AND, OR, NOT, IS [NOT] NULL,
[NOT] IN (...), [NOT] LIKE, BETWEEN, CASE WHEN, CAST(x AS type), arithmetic + - * / %, string
concatenation ||, nested fields (row.field, map.key), x[i] on arrays and x['key'] on maps,
DATE/TIME/TIMESTAMP '...' literals, CURRENT_DATE/CURRENT_TIME/CURRENT_TIMESTAMP, EXTRACT(f FROM x).
JOIN, GROUP BY, ORDER BY, LIMIT/OFFSET, UNION, subqueries, table aliases and schema-qualified
tables are rejected as SeaTunnel rejects them. CAST targets: STRING/VARCHAR, INT/INTEGER,
BIGINT/LONG, BYTE, BYTES/BINARY, DOUBLE, FLOAT, DECIMAL(p, s), TIMESTAMP/DATETIME, DATE, TIME, BOOLEAN.
Function names are case-insensitive.

${functionList()}`;

export const sqlTransform = defineTransform({
  name: "Sql",
  doc: DOC,
  options: {
    query: queryOption(),
    engine: opt.enum({ values: ["ZETA"] as const, default: "ZETA", doc: "The SQL engine; ZETA is the only one" }),
  },
  features: { batch: true, streaming: true, multiTable: false, parallel: true },
  examples: [
    {
      title: "Project, compute and filter",
      conf: `env { job.mode = "BATCH" }
source {
  FakeSource {
    result_table_name = "fake"
    row.num = 10
    schema = { fields { id = "int", name = "string", age = "int" } }
  }
}
transform {
  Sql {
    source_table_name = "fake"
    result_table_name = "fake1"
    query = "select id, concat(name, '_') as name, age + 1 as age, case when age >= 18 then 'adult' else 'minor' end as grp from fake where id > 0"
  }
}
sink { Console { source_table_name = "fake1" } }
`,
    },
    {
      title: "All columns plus a cast and a date function",
      conf: `env { job.mode = "BATCH" }
source {
  FakeSource {
    result_table_name = "fake"
    row.num = 5
    schema = { fields { id = "int", name = "string", ts = "timestamp" } }
  }
}
transform {
  Sql {
    source_table_name = "fake"
    result_table_name = "fake1"
    query = """select *, cast(id as string) as id_text, formatdatetime(ts, 'yyyy-MM-dd') as day
               from fake where name is not null"""
  }
}
sink { Console { source_table_name = "fake1" } }
`,
    },
  ],
  create(options, inputs, ctx) {
    const { stmt, compiled } = compileSql(options.query, inputs, ctx);
    checkTableName(stmt, inputs[0]!, ctx);
    return { outputs: inputs.map((t) => outputTable(t, compiled.columns)), process: compiled.process };
  },
});
