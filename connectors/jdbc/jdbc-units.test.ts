import { describe, expect, test } from "bun:test";
import { ConfigError, Decimal, LocalDateTime, LocalTime } from "../../src/api/index.ts";
import { parseTimestampTz } from "./dialect.ts";
import { myLiteral } from "./mytypes.ts";
import { copyFields, copyLine, parsePgArray, pgText } from "./pgtext.ts";
import { betweenRanges } from "./split.ts";
import { compileQuery, singleTableOf } from "./sqltext.ts";
import { connectTimeoutMs, parseJdbcUrl } from "./url.ts";
import { createSource } from "../../src/api/testing.ts";
import { jdbcSource } from "./index.ts";

describe("parseJdbcUrl", () => {
  test("reads PostgreSQL, MySQL, MariaDB and SQLite URLs with properties winning over URL parameters", () => {
    const pg = parseJdbcUrl("jdbc:postgresql://db.local:5433/test?loggerLevel=OFF&stringtype=unspecified", "u", "p");
    expect([pg.kind, pg.host, pg.port, pg.database, pg.params.stringtype]).toEqual([
      "postgres",
      "db.local",
      5433,
      "test",
      "unspecified",
    ]);
    const my = parseJdbcUrl("jdbc:mariadb://127.0.0.1/seatunnel?useSSL=false", "root", "", { useSSL: "true" });
    expect([my.kind, my.port, my.database, my.params.useSSL]).toEqual(["mysql", 3306, "seatunnel", "true"]);
    expect(parseJdbcUrl("jdbc:sqlite:/tmp/x.db").database).toBe("/tmp/x.db");
  });

  test("connectTimeout: seconds for PostgreSQL, milliseconds for MySQL, as their drivers read it", () => {
    expect(connectTimeoutMs(parseJdbcUrl("jdbc:postgresql://h/db?connectTimeout=3"))).toBe(3000);
    expect(connectTimeoutMs(parseJdbcUrl("jdbc:postgresql://h/db"))).toBe(10_000);
    expect(connectTimeoutMs(parseJdbcUrl("jdbc:mysql://h/db?connectTimeout=2500"))).toBe(2500);
    expect(connectTimeoutMs(parseJdbcUrl("jdbc:mysql://h/db", "", "", { connectTimeout: "0" }))).toBe(86_400_000);
    expect(() => parseJdbcUrl("jdbc:postgresql://h/db?connectTimeout=1.5")).toThrow(
      'option "url": connectTimeout expects a whole number of seconds, received "1.5"',
    );
  });

  test("a URL of another database is a config error naming the supported ones", () => {
    expect(() => parseJdbcUrl("jdbc:oracle:thin:@localhost:1521/xe")).toThrow(ConfigError);
  });
});

describe("PostgreSQL text formats", () => {
  test("COPY lines round-trip tabs, newlines, backslashes, NULL, bytes and arrays", () => {
    const fields = [
      "a\tb\nc\\d",
      null,
      5n,
      new Decimal(123n, 2),
      true,
      new Uint8Array([0, 255]),
      ["x y", null, 'q"'],
      new LocalDateTime(new LocalTimeDate().d, new LocalTime(1, 2, 3, 4000)),
    ];
    const line = copyLine(fields);
    const back = copyFields(line.slice(0, -1));
    expect(back).toEqual([
      "a\tb\nc\\d",
      null,
      "5",
      "1.23",
      "t",
      "\\x00ff",
      '{"x y",NULL,"q\\""}',
      "2024-01-02 01:02:03.000004",
    ]);
    expect(parsePgArray(back[6]!)).toEqual(["x y", null, 'q"']);
  });

  test("timestamptz text becomes UTC wall time", () => {
    expect(parseTimestampTz("2024-01-01 12:00:00+02").toString()).toBe("2024-01-01T10:00");
    expect(parseTimestampTz("2024-01-01 00:30:00.5-01:30").toString()).toBe("2024-01-01T02:00:00.500");
    expect(pgText(new LocalTime(23, 0))).toBe("23:00:00");
  });
});

class LocalTimeDate {
  d = LocalDateTime.parse("2024-01-02 00:00").date;
}

describe("MySQL literals", () => {
  test("escape quotes and backslashes and write bytes as hex", () => {
    expect(myLiteral("it's \\ \n")).toBe("'it\\'s \\\\ \\n'");
    expect(myLiteral(new Uint8Array([1, 171]))).toBe("X'01ab'");
    expect(myLiteral(null)).toBe("NULL");
  });
});

describe("sink query templates", () => {
  test("INSERT … VALUES (?, ?) becomes one multi-row statement", () => {
    const t = compileQuery("insert into t (a, b) values (?, ?);", ["a", "b"]);
    expect(
      t.render(
        [
          [1, "x"],
          [2, null],
        ],
        myLiteral,
      ),
    ).toEqual(["insert into t (a, b) values (1, 'x'),(2, NULL)"]);
  });

  test("named parameters pick fields by name and quoted text is left alone", () => {
    const t = compileQuery("update t set name = :name, note = 'a:b?' where id = :user_id", ["user_id", "name"]);
    expect(t.render([[7, "n"]], myLiteral)).toEqual(["update t set name = 'n', note = 'a:b?' where id = 7"]);
  });

  test("a simple query's table is found, a join's is not", () => {
    expect(singleTableOf("select * from seatunnel.source;")).toBe("seatunnel.source");
    expect(singleTableOf("select a from x join y on x.id = y.id")).toBeUndefined();
  });
});

describe("betweenRanges", () => {
  test("splits like JdbcNumericBetweenParametersProvider: inclusive, the first ranges one larger", () => {
    expect(betweenRanges(1n, 10n, 3)).toEqual([
      [1n, 4n],
      [5n, 7n],
      [8n, 10n],
    ]);
    expect(betweenRanges(5n, 6n, 4)).toEqual([
      [5n, 5n],
      [6n, 6n],
    ]);
  });
});

describe("Jdbc source under --check", () => {
  test("knows its table paths without connecting", async () => {
    const s = await createSource(
      jdbcSource,
      `url = "jdbc:mysql://127.0.0.1:1/none"\n table_list = [{ table_path = "db.t1" }, { table_path = "db.t2" }]`,
      { checkOnly: true },
    );
    expect(s.tables.map((t) => t.id)).toEqual(["db.t1", "db.t2"]);
  });
});
