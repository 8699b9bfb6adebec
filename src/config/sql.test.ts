import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../api/errors.ts";
import { readSqlJob } from "./sql.ts";
import { type ArrayNode, type ObjectNode, getEntry, toPlain } from "../api/tree.ts";

const CORPUS = join(import.meta.dir, "../../../shared/conformance");
const noEnv = { variables: new Map<string, string>(), env: {} };
const read = (text: string): ObjectNode => readSqlJob(text, "job.sql", noEnv);
type Plain = Record<string, unknown>;
const section = (root: ObjectNode, key: string): Plain[] => {
  const v = getEntry(root, key)?.value;
  if (v?.kind !== "array") {
    throw new Error(`no ${key} list`);
  }
  return v.items.map((n) => toPlain(n) as Plain);
};
const items = (root: ObjectNode, key: string): ObjectNode[] =>
  (getEntry(root, key)!.value as ArrayNode).items as ObjectNode[];
const at = (n: { pos: { line: number; col: number } }): string => `${n.pos.line}:${n.pos.col}`;
/** 1-based line:col of the first occurrence of `needle` in `text`. */
const where = (text: string, needle: string): string => {
  const i = text.indexOf(needle);
  const before = text.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
};
const fail = (text: string): ConfigError => {
  try {
    read(text);
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
};

const SRC = "CREATE TABLE src WITH ('connector' = 'FakeSource', 'type' = 'source');\n";
const SINK = "CREATE TABLE out WITH ('connector' = 'Console', 'type' = 'sink');\n";

/** Job files of the corpus: the manifest's `.sql` rows (files under setup/ and data/ are not jobs). */
const jobFiles: string[] = existsSync(join(CORPUS, "manifest.tsv"))
  ? readFileSync(join(CORPUS, "manifest.tsv"), "utf8")
      .split("\n")
      .map((l) => l.split("\t")[0] ?? "")
      .filter((p) => p.endsWith(".sql"))
  : [];

/** What SeaTunnel's SqlConfigBuilder gives for the corpus files we know (names only). */
const EXPECTED: Record<
  string,
  { sources: string[]; transforms: [string, string][]; sinks: [string, string][]; env: string[] }
> = {
  "fake/fake_to_assert.sql": {
    sources: ["FakeSource:fake"],
    transforms: [["fake", "fake__temp1"]],
    sinks: [["Assert", "fake__temp1"]],
    env: [
      "parallelism",
      "job.mode",
      "spark.app.name",
      "spark.executor.instances",
      "spark.executor.cores",
      "spark.executor.memory",
      "spark.master",
    ],
  },
  "jdbc-mysql/jdbc_mysql_source_and_sink_with_multiple_tables.sql": {
    sources: ["jdbc:source_table"],
    transforms: [],
    sinks: [["jdbc", "source_table"]],
    env: ["parallelism", "job.mode"],
  },
};

describe("readSqlJob on the conformance corpus", () => {
  test("the manifest lists SQL job files", () => {
    expect(jobFiles.length).toBeGreaterThan(0);
  });

  for (const rel of jobFiles) {
    test(`${rel} parses into env, source, transform and sink with consistent wiring`, () => {
      const root = readSqlJob(readFileSync(join(CORPUS, rel), "utf8"), rel, noEnv);
      expect(root.entries.map((e) => e.key).slice(-3)).toEqual(["source", "transform", "sink"]);
      expect(getEntry(root, "env")?.value.kind).toBe("object");
      const outputs = new Set(section(root, "source").map((s) => s.result_table_name));
      for (const t of section(root, "transform")) {
        expect(outputs.has(t.source_table_name)).toBe(true);
        outputs.add(t.result_table_name);
      }
      for (const s of section(root, "sink")) {
        expect(outputs.has(s.source_table_name)).toBe(true);
      }
      for (const key of ["source", "transform", "sink"]) {
        for (const p of items(root, key)) {
          expect(p.entries[0]!.key).toBe("plugin_name");
        }
      }
      const want = EXPECTED[rel];
      if (!want) {
        return;
      }
      expect(section(root, "source").map((s) => `${s.plugin_name}:${s.result_table_name}`)).toEqual(want.sources);
      expect(section(root, "transform").map((t) => [t.source_table_name, t.result_table_name])).toEqual(
        want.transforms,
      );
      expect(section(root, "sink").map((s) => [s.plugin_name, s.source_table_name])).toEqual(want.sinks);
      expect((getEntry(root, "env")!.value as ObjectNode).entries.map((e) => e.key)).toEqual(want.env);
    });
  }

  test("fake_to_assert.sql keeps WITH values that are HOCON as nested trees with file positions", () => {
    const rel = "fake/fake_to_assert.sql";
    const text = readFileSync(join(CORPUS, rel), "utf8");
    const root = readSqlJob(text, rel, noEnv);
    const fake = items(root, "source")[0]!;
    const fields = getEntry(getEntry(fake, "schema")!.value as ObjectNode, "fields")!;
    const cMap = getEntry(fields.value as ObjectNode, "c_map")!;
    expect(`${cMap.keyPos.line}:${cMap.keyPos.col}`).toBe(where(text, "c_map"));
    expect(cMap.keyPos.file).toBe(rel);
    expect(toPlain(getEntry(fields.value as ObjectNode, "c_decimal")!.value)).toBe("decimal(38, 18)");
    const rules = toPlain(getEntry(items(root, "sink")[0]!, "rules")!.value) as Plain;
    expect(rules.row_rules).toEqual([{ rule_type: "MAX_ROW", rule_value: 5 }]);
    expect(section(root, "transform")[0]!.query).toBe("SELECT * FROM fake");
    const env = getEntry(root, "env")!.value as ObjectNode;
    expect(getEntry(env, "parallelism")!.value).toMatchObject({ type: "number", text: "1" });
  });
});

describe("readSqlJob mapping: sources, transforms and sinks", () => {
  test("a source keeps its options as strings after plugin_name and gets result_table_name from the table name", () => {
    const root = read(
      "CREATE TABLE src WITH ('connector' = 'FakeSource', 'type' = 'source', 'row.num' = '5', 'result_table_name' = 'x');\n" +
        SINK +
        "INSERT INTO out SELECT src;",
    );
    const src = items(root, "source")[0]!;
    expect(src.entries.map((e) => e.key)).toEqual(["plugin_name", "row.num", "result_table_name"]);
    expect(getEntry(src, "row.num")!.value).toMatchObject({ kind: "scalar", type: "string", text: "5", quoted: true });
    expect(toPlain(src)).toMatchObject({ plugin_name: "FakeSource", result_table_name: "src" });
  });

  test("INSERT ... SELECT ... FROM becomes a sql transform named <source>__temp<n> and a sink copy per INSERT", () => {
    const root = read(
      SRC +
        SINK +
        "INSERT INTO out SELECT a,\n  b + 1 AS c FROM src WHERE a = 'x  y';\nINSERT INTO out SELECT src;\nINSERT INTO out SELECT * FROM src;",
    );
    expect(section(root, "transform")).toEqual([
      {
        plugin_name: "sql",
        source_table_name: "src",
        query: "SELECT a, b + 1 AS c FROM src WHERE a = 'x  y'",
        result_table_name: "src__temp1",
      },
      { plugin_name: "sql", source_table_name: "src", query: "SELECT * FROM src", result_table_name: "src__temp2" },
    ]);
    expect(section(root, "sink").map((s) => s.source_table_name)).toEqual(["src__temp1", "src", "src__temp2"]);
  });

  test("CREATE TABLE AS SELECT chains transforms like SeaTunnel's test09__temp1", () => {
    expect(() =>
      read(
        "CREATE TABLE t1 WITH ('connector'='FakeSource', 'type'='source');\nCREATE TABLE t2 WITH ('connector'='jdbc', 'type'='sink');\nINSERT INTO t2 SELECT * FROM t09;\nCREATE TABLE t09 AS SELECT id FROM t1;",
      ),
    ).toThrow('source table "t09"');
    const ok = read(
      "CREATE TABLE t1 WITH ('connector'='FakeSource', 'type'='source');\nCREATE TABLE t09 AS SELECT id,name FROM t1;\nINSERT INTO t11 SELECT * FROM t09;\nCREATE TABLE t11 WITH ('connector'='jdbc', 'type'='sink');",
    );
    expect(section(ok, "transform").map((t) => [t.source_table_name, t.result_table_name])).toEqual([
      ["t1", "t09"],
      ["t09", "t09__temp1"],
    ]);
    expect(section(ok, "sink")[0]).toMatchObject({ plugin_name: "jdbc", source_table_name: "t09__temp1" });
  });

  test("a sink drops connector, type, result_table_name and its own source_table_name", () => {
    const root = read(
      SRC +
        "CREATE TABLE out WITH ('connector'='Console', 'type'='SINK', 'source_table_name'='zz', 'result_table_name'='r', 'a'='1');\nINSERT INTO out SELECT src;",
    );
    expect(section(root, "sink")).toEqual([{ plugin_name: "Console", a: "1", source_table_name: "src" }]);
  });

  test("a repeated option keeps its first place and its last value, and an explicit plugin_name wins", () => {
    const root = read(
      "CREATE TABLE src WITH ('a'='1', 'connector'='X', 'b'='2', 'a'='3', 'type'='source', 'plugin_name'='Y');\n" +
        SINK +
        "INSERT INTO out SELECT src;",
    );
    expect(items(root, "source")[0]!.entries.map((e) => [e.key, toPlain(e.value)])).toEqual([
      ["plugin_name", "Y"],
      ["a", "3"],
      ["b", "2"],
      ["result_table_name", "src"],
    ]);
  });
});

describe("readSqlJob mapping: values, comments, env and positions", () => {
  test("string values decode '' and HOCON escapes and join multi-line text like SeaTunnel", () => {
    const root = read(
      "CREATE TABLE src WITH ('connector'='X', 'type'='source', 'q' = 'it''s\\tok', 'm' = 'select *   \n\n     from t', 'u' = unquoted, 'n' = 42);\n" +
        SINK +
        "INSERT INTO out SELECT src;",
    );
    expect(section(root, "source")[0]).toMatchObject({ q: "it's\tok", m: "select * from t", u: "unquoted", n: "42" });
  });

  test("tables of another type are ignored and comments of both kinds are skipped", () => {
    const root = read(
      "-- header\n/* a\n comment */ " +
        SRC +
        "CREATE TABLE x WITH ('connector'='X', 'type'='lookup');\n" +
        SINK +
        "INSERT INTO out /* inline */ SELECT src -- trailing\n",
    );
    expect(section(root, "source")).toHaveLength(1);
    expect(section(root, "sink")[0]!.source_table_name).toBe("src");
  });

  test("the /* config */ comment is HOCON at its own lines and SET adds env keys with typed values", () => {
    const text =
      "/* config\nenv {\n-- dropped like SeaTunnel does\n  job.mode = BATCH\n  parallelism = 2\n}\n*/\nSET parallelism = 4;\nSET 'job.name' = 'x';\nSET checkpoint.interval = -1;\n" +
      SRC +
      SINK +
      "INSERT INTO out SELECT src;";
    const env = getEntry(read(text), "env")!.value as ObjectNode;
    expect(toPlain(env)).toEqual({ "job.mode": "BATCH", parallelism: 4, "job.name": "x", "checkpoint.interval": -1 });
    expect(at(getEntry(env, "job.mode")!.value)).toBe(where(text, "BATCH"));
    expect(getEntry(env, "parallelism")!.value).toMatchObject({ type: "number", text: "4" });
  });

  test("a job without a config comment gets an empty env and CRLF files read the same", () => {
    const root = read(`${SRC + SINK}INSERT INTO out SELECT src`.replaceAll("\n", "\r\n"));
    expect(toPlain(getEntry(root, "env")!.value)).toEqual({});
    expect(section(root, "sink")).toHaveLength(1);
  });

  test("generated entries point at the statement that produced them", () => {
    const text = `${SRC + SINK}INSERT INTO out SELECT x FROM src;`;
    const root = read(text);
    const sink = items(root, "sink")[0]!;
    expect(at(getEntry(sink, "source_table_name")!.value)).toBe(where(text, "src;"));
    expect(at(getEntry(items(root, "transform")[0]!, "query")!.value)).toBe(where(text, "SELECT"));
    expect(at(getEntry(items(root, "source")[0]!, "plugin_name")!.value)).toBe(where(text, "'FakeSource'"));
  });
});

describe("readSqlJob errors", () => {
  const cases: [string, string, string, string][] = [
    ["a missing '='", SRC.replace("'type' = ", "'type' "), "CONFIG_SQL_SYNTAX", "expected '=' after option key"],
    [
      "an unknown statement",
      `${SRC}DROP TABLE src;`,
      "CONFIG_SQL_SYNTAX",
      'expected CREATE TABLE, INSERT INTO or SET, found "DROP"',
    ],
    ["an unterminated string", "CREATE TABLE a WITH ('connector' = 'X);", "CONFIG_SQL_SYNTAX", "unterminated string"],
    ["an unterminated comment", `${SRC}/* open`, "CONFIG_SQL_SYNTAX", "unterminated comment"],
    ["an unterminated config comment", `/* config\nenv {}\n${SRC}`, "CONFIG_SQL_SYNTAX", "unterminated config comment"],
    [
      "bad HOCON in a value",
      "CREATE TABLE a WITH ('connector' = 'X', 'type' = 'source', 'schema' = '{ fields { a = }');",
      "CONFIG_SQL_SYNTAX",
      "option 'schema'",
    ],
    [
      "two statements without ';'",
      SRC.replace(";", "") + SINK,
      "CONFIG_SQL_SYNTAX",
      `expected ';' at the end of the statement, found "CREATE"`,
    ],
    [
      "an INSERT column list",
      `${SRC + SINK}INSERT INTO out (a) SELECT a FROM src;`,
      "CONFIG_SQL_INVALID",
      "column list",
    ],
    [
      "a UNION",
      `${SRC + SINK}INSERT INTO out SELECT a FROM src UNION SELECT a FROM src;`,
      "CONFIG_SQL_INVALID",
      "only a plain SELECT",
    ],
    ["a subquery", `${SRC + SINK}INSERT INTO out SELECT a FROM (SELECT a FROM src);`, "CONFIG_SQL_INVALID", "subquery"],
    [
      "an unknown source table",
      `${SRC + SINK}INSERT INTO out SELECT * FROM nope;`,
      "CONFIG_SQL_INVALID",
      'source table "nope"',
    ],
    ["an unknown sink table", `${SRC}INSERT INTO nope SELECT src;`, "CONFIG_SQL_INVALID", 'sink table "nope"'],
    ["a duplicate table", SRC + SRC, "CONFIG_SQL_INVALID", 'table "src" is already defined'],
    ["a missing connector", "CREATE TABLE a WITH ('type' = 'source');", "CONFIG_SQL_INVALID", "option 'connector'"],
    ["no source", SINK, "CONFIG_SQL_INVALID", "at least one source table"],
    ["no INSERT", SRC + SINK, "CONFIG_SQL_INVALID", "INSERT INTO ... SELECT"],
    [
      "an unresolved variable",
      `/* config\nenv { a = \${nope}, b = \${nope2} }\n*/\n${SRC}${SINK}INSERT INTO out SELECT src;`,
      "CONFIG_VARIABLE_UNRESOLVED",
      "${nope2}",
    ],
  ];
  for (const [what, text, code, message] of cases) {
    test(`${what} is a ${code} error`, () => {
      const e = fail(text);
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
      expect(e.pos?.file).toBe("job.sql");
    });
  }

  test("syntax errors point at the offending token", () => {
    const text = SRC.replace("'type' = ", "'type' ");
    expect(at({ pos: fail(text).pos! })).toBe(where(text, "'source'"));
    const hocon =
      "CREATE TABLE a WITH (\n  'connector' = 'X', 'type' = 'source',\n  'schema' = '{\n    fields { a = }\n  }');";
    expect(at({ pos: fail(hocon).pos! })).toBe("4:18");
    const unknown = `${SRC + SINK}INSERT INTO out SELECT * FROM nope;`;
    expect(at({ pos: fail(unknown).pos! })).toBe(where(unknown, "nope"));
  });
});

describe("readSqlJob errors on mutated input", () => {
  test("mutated job files only ever fail with a ConfigError", () => {
    const seeds = [
      `${SRC + SINK}INSERT INTO out SELECT a FROM src;`,
      ...jobFiles.map((f) => readFileSync(join(CORPUS, f), "utf8")),
    ];
    const bits = [
      "'",
      '"',
      "`",
      "(",
      ")",
      "{",
      "}",
      "[",
      "]",
      ";",
      ",",
      "=",
      "/*",
      "*/",
      "--",
      "\n",
      "${",
      "\\",
      "/* config\n",
      "\n*/\n",
      "FROM",
      "SELECT",
    ];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let parsed = 0;
    for (let k = 0; k < 3000; k++) {
      let text = seeds[k % seeds.length]!;
      for (let m = 1 + rand(4); m > 0; m--) {
        const i = rand(text.length + 1),
          op = rand(3);
        if (op === 0) {
          text = text.slice(0, i) + text.slice(i + 1 + rand(20));
        } else if (op === 1) {
          text = text.slice(0, i) + bits[rand(bits.length)]! + text.slice(i);
        } else {
          text = text.slice(0, i);
        }
      }
      try {
        read(text);
        parsed++;
      } catch (e) {
        if (!(e instanceof ConfigError)) {
          throw new Error(`non-ConfigError on ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`);
        }
        expect(e.pos?.line).toBeGreaterThanOrEqual(1);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
