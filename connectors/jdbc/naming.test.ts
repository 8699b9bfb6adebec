import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/api/index.ts";
import { configError, parseBlock, recordingLogger, table } from "../../src/api/testing.ts";
import { jdbcSink, jdbcSource } from "./index.ts";
import { compatibleMode, convertPath, convertSchema, identCase } from "./naming.ts";

describe("field_ide names", () => {
  test("ORIGINAL or no value keeps a name; UPPERCASE and LOWERCASE convert it whole", () => {
    expect([undefined, "ORIGINAL", "UPPERCASE", "LOWERCASE"].map((i) => identCase(i as never)("UserId_x"))).toEqual([
      "UserId_x",
      "UserId_x",
      "USERID_X",
      "userid_x",
    ]);
  });

  test("only the table's own name is converted, not its schema or database", () => {
    expect(convertPath({ database: "Db", schema: "Sch", table: "Tab" }, identCase("LOWERCASE"))).toEqual({
      database: "Db",
      schema: "Sch",
      table: "tab",
    });
  });

  test("columns, the primary key and unique keys of a created table are converted together", () => {
    const t = table("db.T", [
      ["Id", { kind: "int" }],
      ["Code", { kind: "string" }],
    ]);
    t.primaryKey = { name: "pk", columnNames: ["Id"] };
    t.constraintKeys = [
      {
        constraintName: "uk",
        constraintType: "UNIQUE_KEY",
        constraintColumns: [{ columnName: "Code", sortType: "ASC" }],
      },
    ];
    const out = convertSchema(t, identCase("UPPERCASE"), "UPPERCASE");
    expect(out.columns.map((c) => c.name)).toEqual(["ID", "CODE"]);
    expect(out.primaryKey?.columnNames).toEqual(["ID"]);
    expect(out.constraintKeys?.[0]?.constraintColumns[0]?.columnName).toBe("CODE");
    expect(t.columns[0]!.name).toBe("Id");
  });

  test("two columns that become one name fail before any statement runs", () => {
    const t = table("t", [
      ["name", { kind: "string" }],
      ["NAME", { kind: "string" }],
    ]);
    const e = configError(() => convertSchema(t, identCase("LOWERCASE"), "LOWERCASE"));
    expect(e.message).toBe('field_ide = LOWERCASE turns columns "name" and "NAME" of "t" into the same name "name"');
  });
});

describe("compatible_mode", () => {
  test("postgresLow selects upserts by UPDATE then INSERT on PostgreSQL, in any case", () => {
    const log = recordingLogger();
    expect(compatibleMode("postgres", "postgresLow", log)).toBe("update");
    expect(compatibleMode("postgres", "POSTGRESLOW", log)).toBe("update");
    expect(compatibleMode("postgres", undefined, log)).toBe("native");
    expect(log.messages).toEqual([]);
  });

  test("starrocks on a MySQL URL is refused: StarRocks is not supported", () => {
    expect(() => compatibleMode("mysql", "starrocks", recordingLogger())).toThrow(ConfigError);
  });

  test("the database's own name changes nothing; another value changes nothing and is warned about", () => {
    const log = recordingLogger();
    expect(compatibleMode("mysql", "mysql", log)).toBe("native");
    expect(compatibleMode("sqlite", "sqlite", log)).toBe("native");
    expect(log.messages).toEqual([]);
    expect(compatibleMode("mysql", "oracle", log)).toBe("native");
    expect(compatibleMode("sqlite", "postgresLow", log)).toBe("native");
    expect(log.messages).toEqual([
      'compatible_mode "oracle" changes nothing for a mysql URL (as in SeaTunnel, whose mysql dialect reads only "starrocks")',
      'compatible_mode "postgresLow" changes nothing for a sqlite URL (as in SeaTunnel, whose sqlite dialect reads none)',
    ]);
  });
});

describe("Jdbc option placement", () => {
  const url = `url = "jdbc:sqlite:/tmp/x.db"\n driver = org.sqlite.JDBC\n table_path = "t"`;

  test("field_ide and max_retries are sink options: on a source they are unknown keys (SeaTunnel's source reads neither)", () => {
    const res = parseBlock(jdbcSource, `${url}\n field_ide = UPPERCASE\n max_retries = 2`);
    expect(res.errors).toEqual([]);
    expect(res.warnings.map((w) => w.code)).toEqual(["CONFIG_OPTION_UNKNOWN", "CONFIG_OPTION_UNKNOWN"]);
    const sink = parseBlock(jdbcSink, `${url}\n table = t\n field_ide = lowercase\n max_retries = 2`);
    expect(sink.errors).toEqual([]);
    expect([sink.values.field_ide, sink.values.max_retries]).toEqual(["LOWERCASE", 2]);
  });

  test("field_ide takes only SeaTunnel's three values", () => {
    const res = parseBlock(jdbcSink, `${url}\n table = t\n field_ide = CAMELCASE`);
    expect(res.errors[0]?.message).toContain("one of ORIGINAL, UPPERCASE, LOWERCASE");
  });

  test("compatibleMode, the newer spelling, is read as compatible_mode", () => {
    const res = parseBlock(jdbcSink, `${url}\n table = t\n compatibleMode = postgresLow`);
    expect(res.values.compatible_mode).toBe("postgresLow");
  });
});
