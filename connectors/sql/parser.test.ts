import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ScalarNode } from "../../src/api/index.ts";
import { hoconTree } from "../../src/api/testing.ts";
import { getEntry, type ObjectNode } from "../../src/api/tree.ts";
import { toSql } from "./ast.ts";
import { SqlSyntaxError, tokenize } from "./lexer.ts";
import { parseQuery, SqlValidateError } from "./parser.ts";
import { queryPos } from "./position.ts";
import { context, planError, table } from "./test-helpers.ts";
import { compileSql, sqlTransform } from "./index.ts";

const items = (sql: string): string[] =>
  parseQuery(sql).items.map((i) => (i.k === "star" ? "*" : `${toSql(i.e)}${i.alias ? ` AS ${i.alias}` : ""}`));

function validateError(sql: string): SqlValidateError {
  try {
    parseQuery(sql);
  } catch (e) {
    if (e instanceof SqlValidateError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a validation error");
}

describe("lexer", () => {
  test("keeps backslashes and doubled quotes in string literals, as JSqlParser's getValue()", () => {
    const [t] = tokenize("'a\\d''b'");
    expect(t).toMatchObject({ kind: "string", text: "a\\d''b" });
  });

  test("unquotes backtick and double-quoted identifiers", () => {
    expect(
      tokenize('`a b` "c"')
        .slice(0, 2)
        .map((t) => [t.kind, t.text]),
    ).toEqual([
      ["qident", "a b"],
      ["qident", "c"],
    ]);
  });

  test("rejects an unterminated string at its opening quote", () => {
    expect(() => tokenize("select 'abc")).toThrow(SqlSyntaxError);
    try {
      tokenize("select 'abc");
    } catch (e) {
      expect((e as SqlSyntaxError).offset).toBe(7);
    }
  });
});

describe("parser", () => {
  test("prints expressions the way JSqlParser names un-aliased columns", () => {
    expect(
      items("select age+1, concat(name,'_'), -x, (a) , c_row.c_int, arr[0], cast(a as decimal(10,2)) from t"),
    ).toEqual(["age + 1", "concat(name, '_')", "-x", "(a)", "c_row.c_int", "arr[0]", "CAST(a AS decimal (10, 2))"]);
  });

  test("reads aliases with or without AS and mixes * with expressions", () => {
    expect(items("select *, id as id_, day_of_week(c3) c3_8, `x` `y` from fake")).toEqual([
      "*",
      "id AS id_",
      "day_of_week(c3) AS c3_8",
      "`x` AS y",
    ]);
  });

  test("gives AND a higher precedence than OR and || the lowest arithmetic precedence", () => {
    const w = parseQuery("select a from t where a = 1 or b = 2 and c like 'x%'").where!;
    expect(w.k).toBe("or");
    expect(toSql(w)).toBe("a = 1 OR b = 2 AND c LIKE 'x%'");
    expect(items("select a || b + 1 from t")).toEqual(["a || b + 1"]);
  });

  test("parses CASE, EXTRACT, IN, BETWEEN, IS NOT NULL, typed literals and TRIM(... FROM ...)", () => {
    const sql =
      "select case when a in (1, 2) then 'x' when b between 1 and 2 then 'y' else null end, extract(year from ts), trim(leading '*' from s), date '2024-01-02' from t where c is not null and not d";
    expect(items(sql)).toEqual([
      "CASE WHEN a IN (1, 2) THEN 'x' WHEN b BETWEEN 1 AND 2 THEN 'y' ELSE NULL END",
      "EXTRACT(year FROM ts)",
      "LTRIM(s, '*')",
      "date '2024-01-02'",
    ]);
    expect(toSql(parseQuery(sql).where!)).toBe("c IS NOT NULL AND NOT d");
  });

  test("reads CURRENT_DATE with and without parentheses", () => {
    expect(items("select current_date, CURRENT_TIMESTAMP() from t")).toEqual(["current_date", "CURRENT_TIMESTAMP()"]);
  });

  test("reports a syntax error at the offending token", () => {
    expect(() => parseQuery("select a, from t")).toThrow(SqlSyntaxError);
    try {
      parseQuery("select a from t where");
    } catch (e) {
      expect((e as SqlSyntaxError).message).toBe("expected an expression, found the end of the query");
      expect((e as SqlSyntaxError).offset).toBe(21);
    }
  });
});

describe("statement validation", () => {
  const cases: [string, string][] = [
    ["insert into t values (1)", "Only supported DQL(select) SQL"],
    ["update t set a = 1", "Only supported DQL(select) SQL"],
    ["select a from t union select a from u", "Unsupported SQL syntax"],
    ["select a from db.t", "Unsupported schema syntax"],
    ["select a from t x", "Unsupported table alias name syntax"],
    ["select a from t as x", "Unsupported table alias name syntax"],
    ["select a from (select a from t) s", "Unsupported sub table syntax"],
    ["select 1", "Unsupported sub table syntax"],
    ["select a from t join u on t.a = u.a", "Unsupported table join syntax"],
    ["select a from t, u", "Unsupported table join syntax"],
    ["select a from t order by a", "Unsupported ORDER BY syntax"],
    ["select a from t group by a", "Unsupported GROUP BY syntax"],
    ["select a from t limit 10", "Unsupported LIMIT,OFFSET syntax"],
    ["select a from t where a > 1 order by a limit 1", "Unsupported ORDER BY syntax"],
  ];
  for (const [sql, message] of cases) {
    test(`rejects "${sql}" with "${message}"`, () => {
      expect(validateError(sql).message).toBe(message);
    });
  }

  test("accepts DISTINCT and a trailing semicolon as SeaTunnel does", () => {
    expect(items("select distinct a from t;")).toEqual(["a"]);
  });
});

describe("error positions in the job file", () => {
  function sqlNode(conf: string, file: string): ScalarNode {
    const root = hoconTree(conf, file);
    const list = getEntry(root, "transform")!.value;
    const block = (list.kind === "array" ? list.items[0] : undefined) as ObjectNode;
    return getEntry(block, "query")!.value as ScalarNode;
  }

  function errorAt(conf: string): ConfigError {
    const dir = mkdtempSync(join(tmpdir(), "sql-pos-"));
    const file = join(dir, "job.conf");
    writeFileSync(file, conf);
    const node = sqlNode(conf, file);
    try {
      compileSql({ text: node.text, node }, [table({ id: "int", name: "string" })], context());
    } catch (e) {
      if (e instanceof ConfigError) {
        return e;
      }
      throw e;
    }
    throw new Error("expected an error");
  }

  test("points into a triple-quoted multi-line query at the unknown field", () => {
    const conf =
      'transform {\n  Sql {\n    query = """select id,\n        upper(nam) as n\n      from fake"""\n  }\n}\n';
    const e = errorAt(conf);
    expect(e.message).toBe("transform Sql: can't find field [nam]");
    expect([e.pos!.line, e.pos!.col]).toEqual([4, 15]);
  });

  test("counts escapes inside a quoted query", () => {
    const conf = 'transform {\n  Sql {\n    query = "select \\"id\\", foo(id) from fake"\n  }\n}\n';
    const e = errorAt(conf);
    expect(e.message).toBe("transform Sql: Unsupported function: foo ");
    expect([e.pos!.line, e.pos!.col]).toEqual([3, 29]);
  });

  test("names the cause of a rejected statement after SeaTunnel's prefix", () => {
    const conf = 'transform {\n  Sql {\n    query = "select id from fake order by id"\n  }\n}\n';
    const e = errorAt(conf);
    expect(e.code).toBe("SQL_VALIDATE_FAILED");
    expect(e.message).toBe(
      "transform Sql: SQL validate failed: select id from fake order by id, cause: Unsupported ORDER BY syntax",
    );
    expect([e.pos!.line, e.pos!.col]).toEqual([3, 34]);
  });
});

describe("position fallback, plan-time errors and FROM warnings", () => {
  test("falls back to the node position when the file cannot be read", () => {
    const node: ScalarNode = {
      kind: "scalar",
      type: "string",
      text: "select x\nfrom t",
      pos: { file: "/nonexistent/job.conf", line: 7, col: 13 },
      quoted: true,
    };
    expect(queryPos(node, 7)).toEqual({ file: "/nonexistent/job.conf", line: 7, col: 21 });
    expect(queryPos(node, 14)).toEqual({ file: "/nonexistent/job.conf", line: 8, col: 6 });
  });

  test("reports unknown columns, functions and casts at plan time", () => {
    expect(planError("select nope from fake")).toBe("transform Sql: can't find field [nope]");
    expect(planError("select count(*) from fake")).toBe("transform Sql: Unsupported function: count ");
    expect(planError("select cast(id as map) from fake")).toBe("transform Sql: Unsupported CAST AS type: map");
    expect(planError("select name + 1 from fake", { name: "string" })).toBe(
      "transform Sql: Unsupported SQL Expression: name + 1 ",
    );
    expect(planError("select case when id > 1 then 'a' else 1 end from fake")).toBe(
      "transform Sql: STRING type not compatible INT",
    );
    expect(planError("select left(id) from fake")).toBe(
      "transform Sql: function LEFT expects at least 2 arguments, received 1",
    );
  });

  test("only warns when FROM names another table, once per job", () => {
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error() {}, debug() {} };
    const node: ScalarNode = {
      kind: "scalar",
      type: "string",
      text: "select id from other",
      pos: { file: "x", line: 1, col: 1 },
    };
    const ctx = { ...context(log), jobId: "warn-test" };
    for (let i = 0; i < 2; i++) {
      sqlTransform.create({ query: { text: node.text, node }, engine: "ZETA" } as never, [table({ id: "int" })], ctx);
    }
    expect(warnings).toEqual(["SQL table name other is not equal to input table name fake or catalog table name fake"]);
    const fine = { ...context(log), jobId: "warn-test-2" };
    sqlTransform.create(
      { query: { text: "select id from FAKE", node }, engine: "ZETA" } as never,
      [table({ id: "int" })],
      fine,
    );
    sqlTransform.create(
      { query: { text: "select id from dual", node }, engine: "ZETA" } as never,
      [table({ id: "int" })],
      fine,
    );
    expect(warnings.length).toBe(1);
  });
});
