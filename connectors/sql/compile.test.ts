import { describe, expect, test } from "bun:test";
import { Decimal, JobError, LocalDate, LocalDateTime, RowKind, T, typeToString } from "../../src/api/index.ts";
import { create, evaluate, planError, run, runtimeError, table, value } from "./test-helpers.ts";

const people = { id: "int", name: "string", age: "int", email: "string" };
const rows = [
  [1, "Joy Ding", 20, null],
  [2, "May Ding", 22, "may_ding@apache.com"],
  [3, "Kin Dom", 21, "kin_dom@apache.com"],
  [4, "LeBron Ding", 38, null],
  [8, "Wang DingCC", 34, null],
  [12, "Yu Liang", 40, null],
];
const ids = (where: string): unknown[] => run(`select id from fake where ${where}`, people, rows).rows.map((r) => r[0]);

describe("WHERE", () => {
  test("filters with comparisons, IN, IS NULL and boolean logic", () => {
    expect(ids("id > 2 and id <= 8")).toEqual([3, 4, 8]);
    expect(ids("id = 1 or id in (8, 12)")).toEqual([1, 8, 12]);
    expect(ids("email is null and id not in (4, 8)")).toEqual([1, 12]);
    expect(ids("name <> 'Kin Dom' and email is not null")).toEqual([2]);
    expect(ids("not (id < 4)")).toEqual([4, 8, 12]);
    expect(ids("age between 21 and 34")).toEqual([2, 3, 8]);
  });

  test("treats a comparison with NULL as false, except <> against exactly one NULL", () => {
    expect(ids("email = null")).toEqual([]);
    expect(ids("email > 'a'")).toEqual([2, 3]);
    expect(ids("email <> 'kin_dom@apache.com'")).toEqual([1, 2, 4, 8, 12]);
    expect(ids("email != null")).toEqual([2, 3]);
  });

  test("translates only a leading or trailing % and _ in LIKE, as SeaTunnel does", () => {
    expect(ids("name like '%Din_'")).toEqual([1, 2, 4]);
    expect(ids("name like 'Wan_%'")).toEqual([]);
    expect(ids("name like '%Yu%' or name like 'Kin%'")).toEqual([3, 12]);
    expect(ids("name not like '%Ding%'")).toEqual([3, 12]);
    expect(ids("email not like '%x%'")).toEqual([2, 3]);
  });

  test("compares numbers of different types as doubles", () => {
    const r = run(
      "select id from fake where big = 5 and price > 1 and dec >= 2.5",
      { id: "int", big: "bigint", price: "float", dec: "decimal(10,2)" },
      [
        [1, 5n, 1.5, new Decimal(250n, 2)],
        [2, 6n, 1.5, new Decimal(250n, 2)],
      ],
    );
    expect(r.rows).toEqual([[1]]);
  });

  test("fails a comparison between unrelated types while running, naming both classes", () => {
    expect(() => run("select id from fake where name > 1", people, rows)).toThrow(
      'Sql transform: evaluating the WHERE condition "name > 1": org.apache.seatunnel.transform.exception.TransformException: ErrorCode:[COMMON-05], ErrorDescription:[Unsupported operation] - Filed types not matched, left is: String, right is: Integer ',
    );
  });

  test("keeps row kind and table id and never mutates input rows", () => {
    const input = { kind: RowKind.UPDATE_AFTER, table: "db.t", fields: [1, "a"] };
    const out = create("select id + 1 as id, name from fake", [table({ id: "int", name: "string" })]).process([input]);
    expect(out[0]).toEqual({ kind: RowKind.UPDATE_AFTER, table: "db.t", fields: [2, "a"] });
    expect(input.fields).toEqual([1, "a"]);
    expect(out[0]!.fields).not.toBe(input.fields);
  });
});

describe("projection and arithmetic types", () => {
  test("expands * among other items and names columns like SeaTunnel", () => {
    const r = run("select *, id as id_, age + 1, upper(name) from fake", { id: "int", name: "string", age: "int" }, [
      [1, "a", 2],
    ]);
    expect(r.columns.map((c) => c.name)).toEqual(["id", "name", "age", "id_", "age + 1", "upper(name)"]);
    expect(r.rows).toEqual([[1, "a", 2, 1, 3, "A"]]);
  });

  test("types arithmetic as ZetaSQLType: small ints → INT, with bigint → BIGINT, decimals → DECIMAL(max p, max s)", () => {
    const cols = {
      ti: "tinyint",
      si: "smallint",
      i: "int",
      b: "bigint",
      f: "float",
      d: "double",
      dec: "decimal(10,2)",
      dec2: "decimal(20,4)",
    };
    const typeOf = (e: string) =>
      typeToString(evaluate(e, cols, [1, 2, 3, 4n, 1.5, 2.5, new Decimal(100n, 2), new Decimal(20000n, 4)]).type);
    expect(typeOf("ti + si")).toBe("INT");
    expect(typeOf("i * b")).toBe("BIGINT");
    expect(typeOf("f + i")).toBe("DOUBLE");
    expect(typeOf("dec + d")).toBe("Decimal(10, 2)");
    expect(typeOf("dec / dec2")).toBe("Decimal(20, 4)");
    expect(typeOf("1 + 2147483648")).toBe("BIGINT");
    expect(typeOf("1.5 * 2")).toBe("DOUBLE");
  });

  test("wraps INT arithmetic like Java and truncates integer division", () => {
    expect(value("i + 1", { i: "int" }, [2147483647])).toBe(-2147483648);
    expect(value("i * 3", { i: "int" }, [1 << 30])).toBe(-1073741824);
    expect(value("i / 2", { i: "int" }, [-7])).toBe(-3);
    expect(value("i % 3", { i: "int" }, [-7])).toBe(-1);
    expect(value("b + 1", { b: "bigint" }, [9223372036854775807n])).toBe(-9223372036854775808n);
    expect(runtimeError("i / 0", { i: "int" }, [1])).toContain("java.lang.ArithmeticException: / by zero");
  });

  test("computes DECIMAL arithmetic from double values, rounding division UP", () => {
    expect(String(value("dec + 1", { dec: "decimal(10,2)" }, [new Decimal(150n, 2)]))).toBe("2.5");
    expect(String(value("dec / 3", { dec: "decimal(10,2)" }, [new Decimal(100n, 2)]))).toBe("0.34");
    expect(String(value("dec % 3", { dec: "decimal(10,2)" }, [new Decimal(1000n, 2)]))).toBe("1");
  });

  test("gives NULL for an arithmetic NULL operand but skips NULLs in ||", () => {
    expect(planError("select i + null from fake", { i: "int" })).toBe(
      "transform Sql: Unsupported SQL Expression: i + NULL ",
    );
    expect(value("i + j", { i: "int", j: "int" }, [1, null])).toBe(null);
    expect(value("name || '_' || i", { name: "string", i: "int" }, [null, 5])).toBe("_5");
    expect(value("d || ''", { d: "double" }, [1])).toBe("1.0");
  });

  test("negates numbers keeping their type", () => {
    expect(evaluate("-i", { i: "int" }, [5])).toEqual({ value: -5, type: T.int });
    expect(evaluate("-10.3").value).toBe(-10.3);
    expect(value("-b", { b: "bigint" }, [5n])).toBe(-5n);
  });
});

describe("projection: column metadata, nested fields and multiple tables", () => {
  test("keeps a plain column's metadata and makes computed columns nullable", () => {
    const input = table({ id: "int", name: "string" });
    input.columns[0] = { ...input.columns[0]!, nullable: false, comment: "key" };
    input.primaryKey = { name: "pk", columnNames: ["id"] };
    const kept = create("select id as key, upper(name) as n from fake", [input]).outputs[0]!;
    expect(kept.columns[0]).toEqual({ name: "key", type: T.int, nullable: false, comment: "key" });
    expect(kept.columns[1]).toEqual({ name: "n", type: T.string, nullable: true });
    expect(kept.primaryKey).toEqual({ name: "pk", columnNames: ["id"] });
    expect(create("select name from fake", [input]).outputs[0]!.primaryKey).toBeUndefined();
  });

  test("reads nested row fields, map keys, array elements and map entries", () => {
    const cols = {
      r: {
        kind: "row" as const,
        fields: [
          { name: "inner", type: { kind: "row" as const, fields: [{ name: "x", type: T.int }] } },
          { name: "m", type: T.map(T.string, T.string) },
        ],
      },
      arr: T.array(T.int),
      m: T.map(T.string, T.int),
    };
    const row = [[[7], new Map([["k", "v"]])], [10, 20], new Map([["a", 1]])];
    const r = run("select r.inner.x, r.m.k as mk, arr[1] as a1, m['a'] as ma, m['zz'] as missing from fake", cols, [
      row,
    ]);
    expect(r.rows).toEqual([[7, "v", 20, 1, null]]);
    expect(r.columns.map((c) => `${c.name}:${typeToString(c.type)}`)).toEqual([
      "x:INT",
      "mk:STRING",
      "a1:INT",
      "ma:INT",
      "missing:INT",
    ]);
    expect(runtimeError("arr[5]", { arr: T.array(T.int) }, [[1]])).toContain(
      "ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 1",
    );
  });

  test("gives NULL for a field of a NULL nested row", () => {
    const nested = { kind: "row" as const, fields: [{ name: "inner", type: T.string }] };
    expect(run("select n.inner, n.inner as copied from fake", { n: nested }, [[null]]).rows).toEqual([[null, null]]);
  });

  test("prefers a top-level column named like the last part of a dotted name", () => {
    expect(value("fake.id", { id: "int" }, [3])).toBe(3);
  });

  test("applies the same query to every input table of the same structure", () => {
    const t = create("select id * 2 as d from t1", [table({ id: "int" }, "t1"), table({ id: "int" }, "t2")]);
    expect(t.outputs.map((o) => o.id)).toEqual(["t1", "t2"]);
    expect(t.process([{ kind: RowKind.INSERT, table: "t2", fields: [4] }])).toEqual([
      { kind: RowKind.INSERT, table: "t2", fields: [8] },
    ]);
  });
});

describe("CASE", () => {
  test("picks the first true branch and casts results to the widest type", () => {
    const r = run("select case when age > 30 then 1 when age > 20 then 2.5 else 0 end as c from fake", { age: "int" }, [
      [40],
      [25],
      [null],
    ]);
    expect(typeToString(r.columns[0]!.type)).toBe("DOUBLE");
    expect(r.rows).toEqual([[1], [2.5], [0]]);
  });

  test("compares a simple CASE operand like the = operator", () => {
    expect(value("case i when 1 then 'one' when 2 then 'two' end", { i: "bigint" }, [2n])).toBe("two");
    expect(value("case i when 1 then 'one' end", { i: "int" }, [3])).toBe(null);
  });

  test("matches a simple CASE's condition WHEN when it is true or equals the operand", () => {
    expect(value("case state when state > 0 then 1 else 0 end", { state: "int" }, [-6])).toBe(0);
    expect(value("case state when state > 0 then 1 else 0 end", { state: "int" }, [6])).toBe(1);
    expect(value("case flag when x > 0 then 1 else 0 end", { flag: "boolean", x: "int" }, [false, -1])).toBe(1);
  });

  test("accepts boolean functions and conditions as WHEN", () => {
    const e = "case when s is not null and is_date(s, 'yyyy-MM-dd') then to_date(s, 'yyyy-MM-dd') else null end";
    expect(evaluate(e, { s: "string" }, ["2021-04-08"])).toEqual({ value: new LocalDate(2021, 4, 8), type: T.date });
    expect(value(e, { s: "string" }, ["nope"])).toBe(null);
  });

  test("turns a STRING result equal to 'STRING' into NULL, as castAs does", () => {
    expect(value("case when true then 'STRING' else 'x' end")).toBe(null);
  });
});

describe("CAST", () => {
  test("converts between the SeaTunnel cast types", () => {
    expect(evaluate("cast(s as int)", { s: "string" }, ["42"])).toEqual({ value: 42, type: T.int });
    expect(evaluate("cast(i as bigint)", { i: "int" }, [42])).toEqual({ value: 42n, type: T.bigint });
    expect(evaluate("cast(d as string)", { d: "double" }, [2])).toEqual({ value: "2.0", type: T.string });
    expect(evaluate("cast(s as double)", { s: "string" }, [" 1.5 "])).toEqual({ value: 1.5, type: T.double });
    expect(value("cast(s as float)", { s: "string" }, ["0.1"])).toBe(Math.fround(0.1));
    expect(String(value("cast(s as decimal(10, 2))", { s: "string" }, ["1.231"]))).toBe("1.24");
    expect(value("cast(s as bytes)", { s: "string" }, ["hé"])).toEqual(new TextEncoder().encode("hé"));
    expect(value("cast(i as byte)", { i: "int" }, [12])).toBe(12);
  });

  test("converts date-time values and epoch milliseconds", () => {
    const ts = LocalDateTime.parse("2021-04-15T13:34:45");
    expect(String(value("cast(ts as date)", { ts: "timestamp" }, [ts]))).toBe("2021-04-15");
    expect(String(value("cast(ts as time)", { ts: "timestamp" }, [ts]))).toBe("13:34:45");
    expect(String(value("cast(i as date)", { i: "int" }, [20240229]))).toBe("2024-02-29");
    expect(String(value("cast(i as time)", { i: "int" }, [123456]))).toBe("12:34:56");
    expect(String(value("cast(b as timestamp)", { b: "bigint" }, [0n]))).toBe("1970-01-01T00:00");
  });

  test("fails a bad conversion while running with Java's exception and the value", () => {
    expect(runtimeError("cast(s as int)", { s: "string" }, ["abc"])).toBe(
      'Sql transform: evaluating "CAST(s AS int)" for field "v": java.lang.NumberFormatException: For input string: "abc"',
    );
    expect(runtimeError("cast(d as int)", { d: "double" }, [1.5])).toContain(
      'NumberFormatException: For input string: "1.5"',
    );
    expect(runtimeError("cast(i as date)", { i: "int" }, [20240230])).toContain(
      "DateTimeException: Invalid date 'FEBRUARY 30'",
    );
  });

  test("raises a JobError for row failures", () => {
    try {
      run("select cast(name as int) as n from fake", { name: "string" }, [["xyz"]]);
    } catch (e) {
      expect(e).toBeInstanceOf(JobError);
      expect((e as JobError).code).toBe("SQL_EVAL_FAILED");
      return;
    }
    throw new Error("expected a failure");
  });

  test("gives NULL instead of failing with TRY_CAST", () => {
    expect(value("try_cast(s as int)", { s: "string" }, ["abc"])).toBe(null);
  });
});
