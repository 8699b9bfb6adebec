import { describe, expect, test } from "bun:test";
import { type Check, compareValues, outputNeedles, parseCheck, splitChecks, splitLastOp } from "./checks.ts";

function parsed(item: string): Check {
  const r = parseCheck(item);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.check;
}

describe("splitLastOp", () => {
  test("takes the last operator so a query may contain = itself", () => {
    expect(splitLastOp("my:SELECT count(*) FROM t WHERE a = 'x' = 1")).toEqual({
      left: "my:SELECT count(*) FROM t WHERE a = 'x'",
      op: "=",
      right: "1",
    });
  });

  test("tells >= and <= apart from > < and =", () => {
    expect(splitLastOp("glob/** >= 100")?.op).toBe(">=");
    expect(splitLastOp("glob/** <= 1")?.op).toBe("<=");
    expect(splitLastOp("glob/** > 1")?.op).toBe(">");
    expect(splitLastOp("glob/** != 1")?.op).toBe("!=");
  });

  test("needs spaces on both sides of the operator", () => {
    expect(splitLastOp("a=b")).toBeUndefined();
    expect(splitLastOp("x <=> y")).toBeUndefined();
  });
});

describe("parseCheck: text, file, SQL and compare checks", () => {
  test("splits the checks cell on ' && '", () => {
    expect(splitChecks("contains:a && sleep:1")).toEqual(["contains:a", "sleep:1"]);
    expect(splitChecks("")).toEqual([]);
  });

  test("parses contains and not_contains with TEXT escapes", () => {
    expect(parsed("contains:a\\tb")).toEqual({ kind: "contains", text: "a\tb" });
    expect(parsed("not_contains:x y")).toEqual({ kind: "not_contains", text: "x y" });
  });

  test("parses files, lines and first-line with a glob", () => {
    expect(parsed("files:/tmp/x/* = 1")).toEqual({ kind: "files", glob: "/tmp/x/*", op: "=", value: "1" });
    expect(parsed("lines:/tmp/x/** >= 100")).toEqual({ kind: "lines", glob: "/tmp/x/**", op: ">=", value: "100" });
    expect(parsed("first-line:/tmp/text/** = name\\u0001age")).toEqual({
      kind: "first-line",
      glob: "/tmp/text/**",
      op: "=",
      text: "name\u0001age",
    });
  });

  test("lets first-line TEXT contain an operator of its own", () => {
    expect(parsed("first-line:/a/* != k = v")).toMatchObject({ glob: "/a/*", op: "!=", text: "k = v" });
  });

  test("parses sql on MariaDB and on a PostgreSQL database, with the last operator", () => {
    expect(parsed("sql:my:SELECT count(*) FROM t WHERE table_name='x' = 46")).toEqual({
      kind: "sql",
      engine: "my",
      db: "",
      query: "SELECT count(*) FROM t WHERE table_name='x'",
      op: "=",
      value: "46",
    });
    expect(parsed("sql:pg:test:SELECT count(*) FROM public.sink >= 15")).toMatchObject({
      engine: "pg",
      db: "test",
      op: ">=",
      value: "15",
    });
  });

  test("parses compare with <=> between the two queries", () => {
    expect(parsed("compare:pg:test:SELECT a FROM s <=> VALUES (1::bigint)")).toEqual({
      kind: "compare",
      engine: "pg",
      db: "test",
      left: "SELECT a FROM s",
      right: "VALUES (1::bigint)",
    });
    expect(parsed("compare:my:SELECT * FROM a.t <=> SELECT * FROM b.t")).toMatchObject({ engine: "my", db: "" });
  });
});

describe("parseCheck: service, sleep and soft checks, errors and needles", () => {
  test("parses redis, http and amqp counts", () => {
    expect(parsed("redis:3:LLEN key_multi_list = 2")).toEqual({
      kind: "redis",
      db: 3,
      command: "LLEN key_multi_list",
      op: "=",
      value: "2",
    });
    expect(parsed("http:post /example/webhook >= 1")).toEqual({
      kind: "http",
      method: "POST",
      path: "/example/webhook",
      op: ">=",
      value: "1",
    });
    expect(parsed("amqp:test1 >= 1")).toEqual({ kind: "amqp", queue: "test1", op: ">=", value: "1" });
  });

  test("parses http-json whose JSON may contain ' = '", () => {
    expect(parsed('http-json:POST /p = [{"id":1,"s":"a = b"}]')).toEqual({
      kind: "http-json",
      method: "POST",
      path: "/p",
      expected: [{ id: 1, s: "a = b" }],
    });
    expect(parseCheck("http-json:POST /p = {}").ok).toBe(false);
  });

  test("keeps an @FILE reference of amqp-body for evaluation", () => {
    expect(parsed("amqp-body:test1 = @rabbitmq/setup/x.txt")).toEqual({
      kind: "amqp-body",
      queue: "test1",
      text: "@rabbitmq/setup/x.txt",
    });
  });

  test("parses sleep and rejects a bad number", () => {
    expect(parsed("sleep:60")).toEqual({ kind: "sleep", seconds: 60 });
    expect(parseCheck("sleep:x").ok).toBe(false);
  });

  test("parses soft: as an inner check when it is one and as a note otherwise", () => {
    expect(parsed("soft:contains:at org.x(Y.java")).toEqual({
      kind: "soft",
      check: { kind: "contains", text: "at org.x(Y.java" },
      text: "contains:at org.x(Y.java",
    });
    expect(parsed("soft:IT asserts exit != 0")).toEqual({
      kind: "soft",
      check: undefined,
      text: "IT asserts exit != 0",
    });
  });

  test("rejects an unknown kind and a comparison without operator", () => {
    expect(parseCheck("bogus:x = 1").ok).toBe(false);
    expect(parseCheck("files:/tmp/x").ok).toBe(false);
    expect(parseCheck("first-line:/a >= b").ok).toBe(false);
  });

  test("collects the output texts to watch, also inside soft checks", () => {
    const checks = ["contains:a", "not_contains:b", "soft:contains:c", "files:/x = 1"].map(parsed);
    expect(outputNeedles(checks)).toEqual(["a", "b", "c"]);
  });
});

describe("compareValues", () => {
  test("compares numbers numerically", () => {
    expect(compareValues("100", "=", "100.0")).toBe(true);
    expect(compareValues("9", "<", "10")).toBe(true);
    expect(compareValues(" 12 ", ">=", "12")).toBe(true);
    expect(compareValues("9223372036854775807", ">", "9223372036854775806")).toBe(true);
  });

  test("compares anything else as trimmed text", () => {
    expect(compareValues(" id \n", "=", "id")).toBe(true);
    expect(compareValues("abc", "!=", "abd")).toBe(true);
    expect(compareValues("10", "=", "ten")).toBe(false);
  });
});
