import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Column, type DataType, T } from "../../src/api/index.ts";
import { createSink, recordingLogger, rowOf, writeAll } from "../../src/api/testing.ts";
import { ensureService, MY_URL, uniqueName } from "../../tests/services.ts";
import { jdbcSink } from "./index.ts";
import { lossOf, lossyColumns } from "./lossy.ts";

const from = (system: string, declared: string, type: DataType, name = "c"): Column => ({
  name,
  type,
  nullable: true,
  sourceType: { system, declared, type },
});

describe("lossy column mappings", () => {
  test("name what the created type drops, per SeaTunnel's mapping tables", () => {
    expect(lossOf("mysql", from("postgres", "timestamp(3) with time zone", T.timestamp), "DATETIME(3)")).toBe(
      "drops the time zone: values are written as UTC wall time",
    );
    expect(lossOf("mysql", from("postgres", "jsonb", T.string), "LONGTEXT")).toBe(
      "keeps each value's text, not the jsonb type",
    );
    expect(lossOf("sqlite", from("postgres", "integer[]", T.array(T.int)), "TEXT")).toBe(
      "holds each array<int> as JSON text",
    );
    expect(lossOf("postgres", from("mysql", "decimal(65,30)", T.decimal(38, 18)), "numeric(38,18)")).toBe(
      "holds 20 integer and 18 fraction digits of the source's 35 and 30: values with more fail",
    );
  });

  test("say nothing of a type kept, widened, or on the same kind of database", () => {
    expect(
      lossOf("postgres", from("postgres", "timestamp with time zone", T.timestamp), "timestamptz"),
    ).toBeUndefined();
    expect(lossOf("postgres", from("mysql", "varchar(20)", T.string), "varchar(80)")).toBeUndefined();
    expect(lossOf("postgres", from("mysql", "bigint(20) unsigned", T.decimal(20, 0)), "numeric(20,0)")).toBeUndefined();
    expect(lossOf("mysql", from("postgres", "numeric(10,2)", T.decimal(10, 2)), "DECIMAL(10,2)")).toBeUndefined();
    expect(lossOf("mysql", { name: "c", type: T.double, nullable: true }, "DOUBLE")).toBeUndefined();
  });

  test("leave out the columns an option chose the type of", () => {
    const cols = [from("postgres", "jsonb", T.string, "j"), from("postgres", "uuid", T.string, "u")];
    expect(lossyColumns("mysql", cols, ["json", "VARCHAR(128)"], new Set(["j"]))).toBe(
      '"u" uuid → VARCHAR(128) keeps each value\'s text, not the uuid type',
    );
  });
});

describe("the lossy-mapping warning on MariaDB", () => {
  const my = new Bun.SQL(MY_URL, { max: 1 });
  const table = uniqueName("lossy");
  beforeAll(() => ensureService("mariadb"));
  afterAll(async () => {
    await my.unsafe(`DROP TABLE IF EXISTS test.${table}`);
    await my.close();
  });

  test("is logged by the save mode (prepare), before any writer runs", async () => {
    const log = recordingLogger();
    const input = {
      id: "test.public.src",
      path: { database: "test", schema: "public", table: "src" },
      columns: [
        from("postgres", "integer", T.int, "id"),
        from("postgres", "timestamp with time zone", T.timestamp, "tz"),
      ],
    };
    const body = `url = "jdbc:mysql://127.0.0.1:3306/test"\nuser = root\npassword = ""\ngenerate_sink_sql = true\ntable = "${table}"`;
    const sink = await createSink(jdbcSink, body, [input], { log });
    await sink.prepare?.();
    expect(log.messages).toContain(
      `Creating test.${table}, columns are mapped lossily: "tz" timestamp with time zone → DATETIME drops the time zone: values are written as UTC wall time`,
    );
    expect(await my.unsafe(`SELECT * FROM test.${table}`)).toEqual([]);
    await writeAll(sink, [[rowOf("test.public.src", [1, null])]], { prepare: false });
    await sink.close?.();
    expect(await my.unsafe(`SELECT id FROM test.${table}`)).toEqual([{ id: 1 }]);
  });
});
