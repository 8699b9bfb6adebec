import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  COLUMNS,
  normalizeKey,
  parseManifest,
  parseNotes,
  parseRow,
  parseStep,
  pluginsAllowed,
  rowPlugins,
} from "./manifest.ts";
import { planUnits } from "./runner.ts";

const HEADER = COLUMNS.join("\t");
const line = (cells: Partial<Record<(typeof COLUMNS)[number], string>>) =>
  COLUMNS.map(
    (c) =>
      cells[c] ??
      (c === "mode" ? "batch" : c === "expect_exit" ? "0" : c === "notes" ? "status=runnable | origin=x/y.conf" : ""),
  ).join("\t");

describe("manifest rows: cells and parse errors", () => {
  test("parses the nine cells of a row", () => {
    const row = parseRow(
      line({
        path: "engine/a.conf",
        group: "engine",
        mode: "streaming:60",
        expect_exit: "nonzero",
        args: "-i a=1",
        checks: "contains:x && files:${ST_ROOT}/o/* = 1",
        notes:
          "status=runnable | origin=e2e/res/a.conf | seq=s:2 | src=FakeSource | tf=Sql,Copy | sink=Assert | IT=FooIT | free text",
        setup: "clean:/tmp/x | mariadb:db/setup.sql | after:psql:db1:f.sql",
        rewrite: "a=>b",
      }),
      7,
    );
    expect(row.errors).toEqual([]);
    expect(row).toMatchObject({
      line: 7,
      path: "engine/a.conf",
      group: "engine",
      mode: { kind: "streaming", seconds: 60 },
      expectExit: "nonzero",
      args: "-i a=1",
    });
    expect(row.checks.map((c) => c.check?.kind)).toEqual(["contains", "files"]);
    expect(row.notes).toMatchObject({
      origin: "e2e/res/a.conf",
      seq: { name: "s", step: 2 },
      src: ["FakeSource"],
      tf: ["Sql", "Copy"],
      sink: ["Assert"],
      it: "FooIT",
      text: ["free text"],
    });
    expect(row.setup.map((s) => s.step)).toEqual([
      { kind: "clean", dir: "/tmp/x" },
      { kind: "mariadb", file: "db/setup.sql" },
    ]);
    expect(row.after.map((s) => s.step)).toEqual([{ kind: "psql", db: "db1", file: "f.sql" }]);
    expect(row.rewrite).toEqual([{ old: "a", new: "b" }]);
  });

  test("reports a row that does not parse instead of throwing", () => {
    const row = parseRow("a.conf\tg\tforever\t0", 3);
    expect(row.errors.some((e) => e.includes("9 tab-separated cells"))).toBe(true);
    expect(row.errors.some((e) => e.includes("bad mode"))).toBe(true);
    expect(parseRow(line({ path: "a.conf", checks: "nope:1" }), 2).errors).toHaveLength(1);
    expect(parseRow(line({ path: "a.conf", expect_exit: "-1" }), 2).errors).toHaveLength(1);
  });
});

describe("manifest notes, setup steps and header", () => {
  test("reads GATED status with its reason and free text that looks like key=value", () => {
    const { notes, errors } = parseNotes(
      "status=GATED: log_bin=OFF | origin=o.conf | mode=RECREATE_SCHEMA + x=y: text",
    );
    expect(errors).toEqual([]);
    expect(notes.status).toBe("gated");
    expect(notes.gatedReason).toBe("log_bin=OFF");
    expect(notes.text).toEqual(["mode=RECREATE_SCHEMA + x=y: text"]);
    expect(parseNotes("origin=o.conf").errors.length).toBeGreaterThan(0);
  });

  test("parses every setup step kind", () => {
    const ok = (raw: string) => {
      const r = parseStep(raw);
      if (!r.ok) {
        throw new Error(r.error);
      }
      return r.step;
    };
    expect(ok("copy:file-local/data/read ${ST_ROOT}/seatunnel/read")).toEqual({
      kind: "copy",
      src: "file-local/data/read",
      dst: "${ST_ROOT}/seatunnel/read",
    });
    expect(ok("psql:test:http/setup/x.sql")).toEqual({ kind: "psql", db: "test", file: "http/setup/x.sql" });
    expect(ok("redis:redis/setup/a.redis")).toEqual({ kind: "redis", file: "redis/setup/a.redis" });
    expect(ok("http-fixture:http/data/m.json")).toEqual({ kind: "http-fixture", file: "http/data/m.json" });
    expect(ok("amqp-consume:test1")).toEqual({ kind: "amqp-consume", queue: "test1" });
    expect(ok("amqp-publish:test:10:rabbitmq/setup/a.txt")).toEqual({
      kind: "amqp-publish",
      queue: "test",
      count: 10,
      file: "rabbitmq/setup/a.txt",
    });
    expect(parseStep("format:/").ok).toBe(false);
    expect(parseStep("amqp-publish:test:x:f").ok).toBe(false);
  });

  test("refuses an after: step that is not psql, mariadb or redis", () => {
    expect(parseRow(line({ path: "a.conf", setup: "after:clean:/tmp/x" }), 2).errors).toHaveLength(1);
  });

  test("rejects a manifest whose header is not the nine columns", () => {
    expect(() => parseManifest("path\tgroup\n")).toThrow();
  });
});

describe("row keys", () => {
  test("uses the path alone when it is unique and adds args or seq when it is not", () => {
    const rows = parseManifest(
      [
        HEADER,
        line({ path: "a.conf" }),
        line({ path: "h.conf", args: "-i x=1" }),
        line({ path: "h.conf", args: "-i x=2" }),
        line({ path: "s.conf", notes: "status=runnable | origin=o | seq=q:1" }),
        line({ path: "s.conf", notes: "status=runnable | origin=o | seq=q:2" }),
        line({ path: "d.conf" }),
        line({ path: "d.conf" }),
      ].join("\n"),
    );
    expect(rows.map((r) => r.key)).toEqual([
      "a.conf",
      "h.conf -i x=1",
      "h.conf -i x=2",
      "s.conf seq=q:1",
      "s.conf seq=q:2",
      "d.conf #1",
      "d.conf #2",
    ]);
  });

  test("normalises white space when keys are compared", () => {
    expect(normalizeKey("  h.conf   -i x=1 ")).toBe("h.conf -i x=1");
  });

  test("keeps keys unique across the real corpus manifest", () => {
    const path = resolve(import.meta.dir, "../../../shared/conformance/manifest.tsv");
    if (!existsSync(path)) {
      return;
    }
    const rows = parseManifest(readFileSync(path, "utf8"));
    expect(rows.filter((r) => r.errors.length > 0).map((r) => [r.line, r.errors])).toEqual([]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
});

describe("plugin selection", () => {
  test("uses src/tf/sink of the notes, or the 'connector' values of a .sql job", () => {
    const conf = parseRow(
      line({ path: "a.conf", notes: "status=runnable | origin=o | src=FakeSource | tf=Sql | sink=Assert" }),
      2,
    );
    expect(rowPlugins(conf, undefined)).toEqual(["FakeSource", "Sql", "Assert"]);
    const sql = parseRow(
      line({
        path: "a.sql",
        notes: "status=runnable | origin=o | src=FakeSource | tf=INSERT INTO ... SELECT | sink=Assert",
      }),
      2,
    );
    expect(rowPlugins(sql, "WITH (\n 'connector'='FakeSource',\n) ... 'connector' = 'Assert'")).toEqual([
      "FakeSource",
      "Assert",
    ]);
  });

  test("selects a row only when every plugin is listed, ignoring case", () => {
    expect(pluginsAllowed(["FakeSource", "Assert"], ["fakesource", "ASSERT", "Console"])).toBe(true);
    expect(pluginsAllowed(["FakeSource", "Sql"], ["FakeSource", "Assert"])).toBe(false);
    expect(pluginsAllowed([], ["FakeSource"])).toBe(false);
  });
});

describe("sequence planning", () => {
  const rows = parseManifest(
    [
      HEADER,
      line({ path: "s1.conf", notes: "status=runnable | origin=o | seq=q:1" }),
      line({ path: "t1.conf", notes: "status=runnable | origin=o | seq=r:1" }),
      line({ path: "s2.conf", notes: "status=runnable | origin=o | seq=q:2" }),
      line({ path: "plain.conf" }),
      line({ path: "s3.conf", notes: "status=runnable | origin=o | seq=q:3" }),
    ].join("\n"),
  );
  const byPath = (p: string) => rows.find((r) => r.path === p) ?? rows[0]!;

  test("runs earlier steps first as uncounted prerequisites and stops at the last selected step", () => {
    const units = planUnits(rows, new Set([byPath("s2.conf")]));
    expect(units.map((u) => u.rows.map((r) => r.path))).toEqual([["s1.conf", "s2.conf"]]);
    expect(units[0]?.counted).toEqual([false, true]);
  });

  test("keeps the steps of a sequence together, in step order, with nothing in between", () => {
    const units = planUnits(rows, new Set(rows));
    expect(units.map((u) => u.rows.map((r) => r.path))).toEqual([
      ["s1.conf", "s2.conf", "s3.conf"],
      ["t1.conf"],
      ["plain.conf"],
    ]);
  });
});
