import { describe, expect, test } from "bun:test";
import type { Logger, Row, Sink, SinkDefinition, TableSchema } from "../../src/api/index.ts";
import { ConfigError, Decimal, JobError, LocalDate, LocalDateTime, LocalTime, T, row } from "../../src/api/index.ts";
import { createSink, hoconTree, parseBlock } from "../../src/api/testing.ts";
import { assertSinkDefinition } from "./index.ts";
import { hashMapOrder, unwrapped } from "./rules.ts";

const def = assertSinkDefinition as SinkDefinition;

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (m) => warnings.push(m), error: () => {}, debug: () => {} };
}

const parse = (block: string) => parseBlock(def, hoconTree(block, "assert.conf"));

function sinkFor(block: string, inputs: TableSchema[], log: Logger = logger()): Promise<Sink> {
  return createSink(def, hoconTree(block, "assert.conf"), inputs, { jobId: "1", log });
}

/** Writes each batch with its own writer (one per subtask), then prepares, closes and commits as the engine does. */
async function run(sink: Sink, ...batches: Row[][]): Promise<void> {
  const writers = await Promise.all(
    batches.map((_, i) => sink.writer({ subtask: i, parallelism: batches.length, log: logger() })),
  );
  for (const [i, w] of writers.entries()) {
    await w.write(batches[i]!);
  }
  const infos: unknown[] = [];
  for (const w of writers) {
    infos.push(await w.prepareCommit?.(1));
    await w.close();
  }
  await sink.commit?.(infos);
}

async function failure(p: Promise<unknown>): Promise<JobError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof JobError) {
      return e;
    }
    throw e;
  }
  throw new Error("expected a JobError");
}

const table = (
  id: string,
  cols: [string, TableSchema["columns"][number]["type"]][],
  extra: Partial<TableSchema> = {},
): TableSchema => ({
  id,
  path: id.includes(".") ? { database: id.split(".")[0]!, table: id.split(".")[1]! } : { table: id },
  columns: cols.map(([name, type]) => ({ name, type, nullable: true })),
  ...extra,
});

const fake = table("fake", [
  ["pk_id", T.bigint],
  ["name", T.string],
  ["score", T.int],
]);

const MAX_SCORE = `rules {
  field_rules = [ { field_name = score, field_type = int, field_value = [ { rule_type = MAX, rule_value = 100 } ] } ]
}`;

describe("Assert field rules", () => {
  test("passes rows that satisfy every rule", async () => {
    const sink = await sinkFor(MAX_SCORE, [fake]);
    await run(sink, [row("fake", [1n, "A", 100]), row("fake", [2n, null, -5])]);
  });

  test("fails with a readable sentence followed by SeaTunnel's ASSERT-01 text", async () => {
    const sink = await sinkFor(MAX_SCORE, [fake]);
    const e = await failure(run(sink, [row("fake", [1n, "A", 100]), row("fake", [3n, "C", 200])]));
    expect(e.code).toBe("ASSERT_RULE_FAILED");
    expect(e.message).toBe(
      'Assert rule failed on table "fake", field "score": MAX 100 violated by value 200; ErrorCode:[ASSERT-01], ErrorDescription:[Rule validate failed] - row :SeaTunnelRow{tableId=fake, kind=+I, fields=[3, C, 200]} fail rule: AssertFieldRule(fieldName=score, fieldType=INT, fieldRules=[AssertFieldRule.AssertRule(ruleType=MAX, ruleValue=100.0, equalTo=null)])',
    );
  });

  test("fails when the column's Java class differs from field_type", async () => {
    const sink = await sinkFor(
      `rules { field_rules = [ { field_name = pk_id, field_type = int, field_value = [ { rule_type = NOT_NULL } ] } ] }`,
      [fake],
    );
    const e = await failure(run(sink, [row("fake", [1n, "A", 1])]));
    expect(e.message).toContain("field_type INT does not match value 1 of column type BIGINT");
  });

  test("lets a null pass the type check so NULL and NOT_NULL decide", async () => {
    const rules = (r: string) =>
      `rules { field_rules = [ { field_name = name, field_type = string, field_value = [ { rule_type = ${r} } ] } ] }`;
    await run(await sinkFor(rules("NULL"), [fake]), [row("fake", [1n, null, 1])]);
    const e = await failure(run(await sinkFor(rules("NOT_NULL"), [fake]), [row("fake", [1n, null, 1])]));
    expect(e.message).toContain("NOT_NULL violated by value null");
  });

  test("fails a non-null value declared with field_type null", async () => {
    const sink = await sinkFor(
      `rules { field_rules = [ { field_name = name, field_type = "null", field_value = [ { rule_type = NULL } ] } ] }`,
      [fake],
    );
    expect((await failure(run(sink, [row("fake", [1n, "x", 1])]))).message).toContain("field_type NULL");
  });

  test("requires a decimal's exact scale and at most the declared precision", async () => {
    const t = table("d", [["amount", T.decimal(10, 2)]]);
    const rules = `rules { field_rules = [ { field_name = amount, field_type = "decimal(10, 2)", field_value = [ { rule_type = NOT_NULL } ] } ] }`;
    await run(await sinkFor(rules, [t]), [row("d", [new Decimal(12345n, 2)])]);
    await failure(run(await sinkFor(rules, [t]), [row("d", [new Decimal(12345n, 3)])]));
  });

  test("checks MIN_LENGTH and MAX_LENGTH on Java's string form", async () => {
    const t = table("t", [["d", T.double]]);
    const sink = await sinkFor(
      `rules { field_rules = [ { field_name = d, field_type = double, field_value = [ { rule_type = MAX_LENGTH, rule_value = 3 } ] } ] }`,
      [t],
    );
    await run(sink, [row("t", [1])]);
    const e = await failure(run(sink, [row("t", [12.5])]));
    expect(e.message).toContain("MAX_LENGTH 3 violated by value 12.5 (length 4)");
  });

  test("fails MAX on a null value, as Java's instanceof Number check does", async () => {
    const sink = await sinkFor(MAX_SCORE, [fake]);
    expect((await failure(run(sink, [row("fake", [1n, "A", null])]))).message).toContain(
      "MAX 100 violated by value null",
    );
  });

  test("fails MIN on a value that is not a number", async () => {
    const sink = await sinkFor(
      `rules { field_rules = [ { field_name = name, field_type = string, field_value = [ { rule_type = MIN, rule_value = 1 } ] } ] }`,
      [fake],
    );
    await failure(run(sink, [row("fake", [1n, "5", 1])]));
  });
});

describe("Assert field rules: equals_to and unknown fields", () => {
  test("compares equals_to after converting it to the column type", async () => {
    const t = table("e", [
      ["s", T.string],
      ["i", T.int],
      ["ts", T.timestamp],
      ["arr", T.array(T.int)],
      ["m", T.map(T.string, T.string)],
      [
        "r",
        {
          kind: "row",
          fields: [
            { name: "a", type: T.int },
            { name: "b", type: T.date },
          ],
        },
      ],
    ]);
    const rule = (f: string, type: string, eq: string) =>
      `{ field_name = ${f}, field_type = ${type}, field_value = [ { rule_type = NOT_NULL, equals_to = ${eq} } ] }`;
    const block = `rules { field_rules = [
      ${rule("s", "string", '"AAA"')}
      ${rule("i", "int", "333")}
      ${rule("ts", "timestamp", '"2012-12-21T12:34:56"')}
      ${rule("arr", '"array<int>"', "[0, 1, 2]")}
      ${rule("m", '"map<string, string>"', "{ k0 = v0 }")}
      ${rule("r", "{ a = int, b = date }", '[7, "2012-12-21"]')}
    ] }`;
    const good = row("e", [
      "AAA",
      333,
      new LocalDateTime(new LocalDate(2012, 12, 21), new LocalTime(12, 34, 56)),
      [0, 1, 2],
      new Map([["k0", "v0"]]),
      [7, new LocalDate(2012, 12, 21)],
    ]);
    await run(await sinkFor(block, [t]), [good]);
    const bad = { ...good, fields: [...good.fields.slice(0, 3), [0, 1, 3], ...good.fields.slice(4)] };
    const e = await failure(run(await sinkFor(block, [t]), [bad]));
    expect(e.message).toContain('field "arr": equals_to [0, 1, 2] violated by value [0, 1, 3]');
    expect(e.message).toContain("equalTo=[0, 1, 2]");
  });

  test("reports a field the table does not have when a row arrives", async () => {
    const sink = await sinkFor(
      `rules { field_rules = [ { field_name = nope, field_type = int, field_value = [ { rule_type = NOT_NULL } ] } ] }`,
      [fake],
    );
    const e = await failure(run(sink, [row("fake", [1n, "a", 1])]));
    expect(e.message).toContain("Field name nope not found in row type ROW<pk_id BIGINT,name STRING,score INT>");
  });
});

describe("Assert row rules", () => {
  const COUNT = `rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 3 }, { rule_type = MIN_ROW, rule_value = 3 } ] }`;

  test("counts rows of all writers of one sink before checking MIN_ROW and MAX_ROW", async () => {
    const sink = await sinkFor(COUNT, [fake]);
    await run(sink, [row("fake", [1n, "a", 1])], [row("fake", [2n, "b", 2]), row("fake", [3n, "c", 3])]);
  });

  test("fails MIN_ROW with SeaTunnel's row num message", async () => {
    const sink = await sinkFor(COUNT, [fake]);
    const e = await failure(run(sink, [row("fake", [1n, "a", 1])]));
    expect(e.message).toBe(
      'Assert rule failed on table "fake": MIN_ROW 3 violated by row count 1; ErrorCode:[ASSERT-01], ErrorDescription:[Rule validate failed] - row num :1 fail rule: AssertFieldRule.AssertRule(ruleType=MIN_ROW, ruleValue=3.0, equalTo=null)',
    );
  });

  test("keeps counters per sink so two jobs in one process do not mix", async () => {
    const a = await sinkFor(COUNT, [fake]);
    const b = await sinkFor(COUNT, [fake]);
    const three = [row("fake", [1n, "a", 1]), row("fake", [2n, "b", 2]), row("fake", [3n, "c", 3])];
    await run(a, three);
    await run(b, three);
  });
});

describe("Assert multi-table rules", () => {
  const t1 = table("test.table1", [["c_int", T.int]]);
  const t2 = table("test.table2", [["c_string", T.string]]);
  const MULTI = `rules {
    tables_configs = [
      { table_path = "test.table1", row_rules = [ { rule_type = MIN_ROW, rule_value = 2 } ],
        field_rules = [ { field_name = c_int, field_type = int, field_value = [ { rule_type = NOT_NULL } ] } ] },
      { table_path = "test.table2", row_rules = [ { rule_type = MAX_ROW, rule_value = 1 } ],
        field_rules = [ { field_name = c_string, field_type = string, field_value = [ { rule_type = NOT_NULL } ] } ] }
    ]
  }`;

  test("checks each table's rows and counts against its own table_path entry", async () => {
    const sink = await sinkFor(MULTI, [t1, t2]);
    await run(sink, [row("test.table1", [1]), row("test.table2", ["x"]), row("test.table1", [2])]);
  });

  test("fails the table whose count is off", async () => {
    const sink = await sinkFor(MULTI, [t1, t2]);
    const e = await failure(
      run(sink, [
        row("test.table1", [1]),
        row("test.table1", [2]),
        row("test.table2", ["x"]),
        row("test.table2", ["y"]),
      ]),
    );
    expect(e.message).toStartWith('Assert rule failed on table "test.table2": MAX_ROW 1 violated by row count 2');
  });

  test("applies a single tables_configs entry's field rules to every row and counts them all there", async () => {
    const block = `rules { tables_configs = [ { table_path = "test.table1", row_rules = [ { rule_type = MAX_ROW, rule_value = 1 } ],
      field_rules = [ { field_name = c_int, field_type = int, field_value = [ { rule_type = NOT_NULL } ] } ] } ] }`;
    const both = table("test.table2", [["c_int", T.int]]);
    const e = await failure(run(await sinkFor(block, [t1, both]), [row("test.table1", [1]), row("test.table2", [2])]));
    expect(e.message).toContain("row num :2");
  });

  test("fails when the tables seen differ from table-names", async () => {
    const sink = await sinkFor(`rules { table-names = ["test.table1", "test.table2"] }`, [t1, t2]);
    const e = await failure(run(sink, [row("test.table1", [1])]));
    expect(e.message).toContain("table names: [test.table1] is not equal to [test.table1, test.table2]");
  });
});

describe("Assert catalog_table_rule", () => {
  const fakeTable: TableSchema = {
    ...table("test.fakeTable", [
      ["id", T.bigint],
      ["name", T.string],
      ["age", T.int],
    ]),
    primaryKey: { name: "primary key", columnNames: ["id"] },
    constraintKeys: [
      {
        constraintName: "unique_name",
        constraintType: "UNIQUE_KEY",
        constraintColumns: [{ columnName: "id", sortType: "ASC" }],
      },
    ],
  };
  const rule = (pk: string) => `rules { catalog_table_rule {
    table_identifier_rule = { catalog_name = "FakeSource", table = "test.fakeTable" }
    primary_key_rule = { primary_key_name = "primary key", primary_key_columns = [${pk}] }
    constraint_key_rule = [ { constraint_key_name = "unique_name", constraint_key_type = UNIQUE_KEY,
      constraint_key_columns = [ { constraint_key_column_name = "id", constraint_key_sort_type = ASC } ] } ]
    column_rule = [ { name = "id", type = bigint }, { name = "name", type = string }, { name = "age", type = int } ]
  } }`;

  test("accepts a table that matches the declared keys, columns and identifier", async () => {
    await sinkFor(rule('"id"'), [fakeTable]);
  });

  test("fails creation when the primary key columns differ", async () => {
    const e = await failure(sinkFor(rule('"name"'), [fakeTable]));
    expect(e.message).toContain(
      "ErrorCode:[ASSERT-03], ErrorDescription:[Catalog table failed] - primaryKey columns: [id] is not equal to [name]",
    );
  });
});

describe("Assert rules option", () => {
  test("is required", () => {
    expect(parse("").errors[0]?.code).toBe("CONFIG_OPTION_MISSING");
  });

  test("rejects an empty rule set", () => {
    expect(parse("rules {}").errors[0]?.message).toContain("Assert rule config is empty");
  });

  test("reports a lower-case rule_type at its position with the exact spelling", () => {
    const e = parse(`rules {\n  row_rules = [ { rule_type = max_row, rule_value = 1 } ]\n}`).errors[0];
    expect(e?.format()).toContain("assert.conf:2:");
    expect(e?.message).toContain('did you mean "MAX_ROW"?');
  });

  test("requires field_type and field_value on a field rule", () => {
    expect(parse(`rules { field_rules = [ { field_name = a, field_value = [] } ] }`).errors[0]?.message).toContain(
      "needs field_type",
    );
    expect(parse(`rules { field_rules = [ { field_name = a, field_type = int } ] }`).errors[0]?.message).toContain(
      "needs field_value",
    );
  });

  test("rejects an equals_to that cannot become the column type when the sink is created", async () => {
    const block = `rules { field_rules = [ { field_name = score, field_type = int, field_value = [ { equals_to = "abc" } ] } ] }`;
    await expect(sinkFor(block, [fake])).rejects.toBeInstanceOf(ConfigError);
  });

  test("warns about keys Assert does not use", async () => {
    const log = logger();
    await sinkFor(`rules { row_rules = [ { rule_typ = MAX_ROW, rule_value = 1 } ] }`, [fake], log);
    expect(log.warnings[0]).toContain('key "rule_typ"');
  });
});

describe("Assert equals_to text", () => {
  const node = (text: string) => hoconTree(`v = ${text}`, "x.conf").entries[0]!.value;

  test("prints equals_to the way Java prints Typesafe's unwrapped value", () => {
    expect(unwrapped(node("23"))).toBe("23");
    expect(unwrapped(node("3.1"))).toBe("3.1");
    expect(unwrapped(node("1e3"))).toBe("1000.0");
    expect(unwrapped(node('"abc"'))).toBe("abc");
    expect(unwrapped(node("[0, 1, 2]"))).toBe("[0, 1, 2]");
    expect(unwrapped(node("{ k1 = v1, k0 = v0 }"))).toBe("{k0=v0, k1=v1}");
  });

  test("orders map keys like java.util.HashMap", () => {
    expect(hashMapOrder(["zeta", "alpha", "beta", "gamma", "delta"])).toEqual([
      "zeta",
      "alpha",
      "delta",
      "beta",
      "gamma",
    ]);
  });
});
