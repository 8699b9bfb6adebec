import { describe, expect, test } from "bun:test";
import type { Logger, Row, TableSchema } from "../../src/api/index.ts";
import { Decimal, LocalDate, RowKind, T, row } from "../../src/api/index.ts";
import { createSink, hoconTree, parseBlock } from "../../src/api/testing.ts";
import { consoleSinkDefinition } from "./index.ts";

/** A logger that records what a sink logs; `bulk` says whether it offers `lines`. */
function capture(bulk = true): Logger & { infos: string[]; calls: number } {
  const infos: string[] = [];
  const log = {
    infos,
    calls: 0,
    info: (m: string) => {
      log.calls++;
      infos.push(m);
    },
    warn: () => {},
    error: () => {},
    debug: () => {},
  };
  if (!bulk) {
    return log;
  }
  return Object.assign(log, {
    lines: (ms: string[]) => {
      log.calls++;
      infos.push(...ms);
    },
  });
}

async function open(block: string, inputs: TableSchema[], log: Logger, subtask = 0) {
  const sink = await createSink(consoleSinkDefinition, hoconTree(block, "test.conf"), inputs, { jobId: "1", log });
  return sink.writer({ subtask, parallelism: 1, log });
}

const fake: TableSchema = {
  id: "fake",
  path: { table: "fake" },
  columns: [
    { name: "name", type: T.string, nullable: true },
    { name: "age", type: T.int, nullable: true },
  ],
};

describe("Console row logging", () => {
  test("logs the row type when the writer opens", async () => {
    const log = capture();
    await open("", [fake], log);
    expect(log.infos).toEqual(["output rowType: name<STRING>, age<INT>"]);
  });

  test("logs one line per row in SeaTunnel's exact format", async () => {
    const log = capture();
    const w = await open("", [fake], log, 2);
    await w.write([row("fake", ["oQpzX", 1180632716]), row("fake", ["NtrPv", null], RowKind.UPDATE_AFTER)]);
    expect(log.infos.slice(1)).toEqual([
      "subtaskIndex=2  rowIndex=1:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=INSERT : oQpzX, 1180632716",
      "subtaskIndex=2  rowIndex=2:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=UPDATE_AFTER : NtrPv, ",
    ]);
  });

  test("hands a whole batch to the logger in one call when it can", async () => {
    const log = capture();
    const w = await open("", [fake], log);
    const before = log.calls;
    await w.write([row("fake", ["a", 1]), row("fake", ["b", 2]), row("fake", ["c", 3])]);
    expect(log.calls - before).toBe(1);
    expect(log.infos).toHaveLength(4);
  });

  test("falls back to one info call per row without bulk logging", async () => {
    const log = capture(false);
    const w = await open("", [fake], log);
    await w.write([row("fake", ["a", 1]), row("fake", ["b", 2])]);
    expect(log.infos[2]).toBe("subtaskIndex=0  rowIndex=2:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=INSERT : b, 2");
  });

  test("prints nothing per row when log.print.data is false", async () => {
    const log = capture();
    const w = await open("log.print.data = false", [fake], log);
    const batch: Row[] = Array.from({ length: 1000 }, (_, i) => row("fake", ["x", i]));
    await w.write(batch);
    expect(log.infos).toEqual(["output rowType: name<STRING>, age<INT>"]);
  });
});

describe("Console value rendering and options", () => {
  test("renders complex values like SeaTunnel's fieldToString", async () => {
    const t: TableSchema = {
      id: "c",
      path: { table: "c" },
      columns: [
        { name: "d", type: T.double, nullable: true },
        { name: "dec", type: T.decimal(10, 2), nullable: true },
        { name: "arr", type: T.array(T.string), nullable: true },
        { name: "m", type: T.map(T.string, T.int), nullable: true },
        { name: "b", type: T.bytes, nullable: true },
        { name: "dt", type: T.date, nullable: true },
        {
          name: "r",
          type: {
            kind: "row",
            fields: [
              { name: "a", type: T.int },
              { name: "b", type: T.string },
            ],
          },
          nullable: true,
        },
      ],
    };
    const log = capture();
    const w = await open("", [t], log);
    expect(log.infos[0]).toBe(
      "output rowType: d<DOUBLE>, dec<Decimal(10, 2)>, arr<ARRAY<STRING>>, m<Map<STRING, INT>>, b<BYTES>, dt<DATE>, r<ROW<a INT,b STRING>>",
    );
    await w.write([
      row("c", [
        1e10,
        new Decimal(12345n, 2),
        ["x", "y"],
        new Map([["k", 1]]),
        new Uint8Array([97, 98]),
        new LocalDate(2024, 1, 1),
        [1, null],
      ]),
    ]);
    expect(log.infos[1]).toBe(
      'subtaskIndex=0  rowIndex=1:  SeaTunnelRow#tableId=c SeaTunnelRow#kind=INSERT : 1.0E10, 123.45, [x, y], {"k":1}, [97, 98], 2024-01-01, [1, null]',
    );
  });

  test("counts rows per input table and logs each table's row type", async () => {
    const t2: TableSchema = {
      id: "db.t2",
      path: { database: "db", table: "t2" },
      columns: [{ name: "id", type: T.bigint, nullable: true }],
    };
    const log = capture();
    const w = await open("", [fake, t2], log);
    await w.write([row("fake", ["a", 1]), row("db.t2", [5n]), row("fake", ["b", 2])]);
    expect(log.infos).toEqual([
      "output rowType: name<STRING>, age<INT>",
      "output rowType: id<BIGINT>",
      "subtaskIndex=0  rowIndex=1:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=INSERT : a, 1",
      "subtaskIndex=0  rowIndex=1:  SeaTunnelRow#tableId=db.t2 SeaTunnelRow#kind=INSERT : 5",
      "subtaskIndex=0  rowIndex=2:  SeaTunnelRow#tableId=fake SeaTunnelRow#kind=INSERT : b, 2",
    ]);
  });

  test("sleeps after each row when log.print.delay.ms is set", async () => {
    const log = capture();
    const w = await open("log.print.delay.ms = 1", [fake], log);
    await w.write([row("fake", ["a", 1]), row("fake", ["b", 2])]);
    expect(log.infos).toHaveLength(3);
  });

  test("rejects a negative delay with the option's position", () => {
    const node = hoconTree("log.print.delay.ms = -5", "test.conf");
    const parsed = parseBlock(consoleSinkDefinition, node);
    expect(parsed.errors[0]?.format()).toContain("test.conf:1:");
    expect(parsed.errors[0]?.message).toContain('"log.print.delay.ms"');
  });
});
