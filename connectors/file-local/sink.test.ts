import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type Row, RowKind, T, type TableSchema } from "../../src/api/index.ts";
import { createSink, sinkConformance } from "../../src/api/testing.ts";
import { localFileSink } from "./index.ts";
import { createLocalFileSink } from "./sink.ts";
import { ctx, quiet, sinkOpts, writeRows } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "file-local-sink-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLE: TableSchema = {
  id: "people",
  path: { table: "people" },
  columns: [
    { name: "name", type: T.string, nullable: true },
    { name: "age", type: T.int, nullable: true },
    { name: "city", type: T.string, nullable: true },
  ],
};
const rows = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: RowKind.INSERT,
    table: "people",
    fields: [`p${i}`, i, i % 2 ? "Paris" : "Oslo"],
  }));

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      e.isDirectory() ? walk(join(d, e.name)) : out.push(relative(root, join(d, e.name)));
    }
  };
  if (existsSync(root)) {
    walk(root);
  }
  return out.sort();
}

describe("LocalFile sink file naming and layout", () => {
  test("names files T_<jobId>_<uuid>_<subtask>_<checkpoint>_<part> with the format suffix", async () => {
    const path = join(dir, "naming");
    await writeRows({ path, tmp_path: join(dir, "tmp"), file_format_type: "text" }, [TABLE], rows(3));
    const [f] = files(path);
    expect(f).toMatch(/^T_42_[0-9a-f]{10}_0_1_0\.txt$/);
    expect(readFileSync(join(path, f!), "utf8")).toBe(
      "p0\u00010\u0001Oslo\np1\u00011\u0001Paris\np2\u00012\u0001Oslo\n",
    );
  });

  test("rolls to a new file part every batch_size rows", async () => {
    const path = join(dir, "roll");
    await writeRows(
      {
        path,
        tmp_path: join(dir, "tmp"),
        file_format_type: "csv",
        batch_size: 4,
        file_name_expression: "${transactionId}_${now}",
      },
      [TABLE],
      rows(10),
    );
    const fs = files(path);
    expect(fs.length).toBe(3);
    expect(fs.every((f) => /_\d{4}\.\d{2}\.\d{2}_[0-2]\.csv$/.test(f))).toBe(true);
  });

  test("writes partition directories and drops partition columns unless asked", async () => {
    const path = join(dir, "part");
    await writeRows(
      { path, tmp_path: join(dir, "tmp"), file_format_type: "csv", partition_by: ["city"], enable_header_write: true },
      [TABLE],
      rows(4),
    );
    const fs = files(path);
    expect(fs.map((f) => f.split("/")[0])).toEqual(["city=Oslo", "city=Paris"]);
    expect(readFileSync(join(path, fs[0]!), "utf8")).toBe("name,age\np0,0\np2,2\n");
  });
});

describe("LocalFile sink commits and save modes", () => {
  test("keeps files out of the target until commit, and an abort leaves nothing", async () => {
    const path = join(dir, "txn");
    const tmp = join(dir, "tmp-txn");
    const sink = await createLocalFileSink(sinkOpts({ path, tmp_path: tmp, file_format_type: "json" }), [TABLE], ctx());
    await sink.prepare?.();
    const w = await sink.writer({ subtask: 0, parallelism: 1, log: quiet });
    await w.write(rows(2));
    const first = await w.prepareCommit!(1);
    await w.write(rows(1));
    const second = await w.prepareCommit!(2);
    expect(files(path)).toEqual([]);
    expect(files(tmp).length).toBe(2);
    await sink.commit?.([first!]);
    await sink.commit?.([first!]);
    expect(files(path).length).toBe(1);
    await sink.abort?.([second!]);
    expect(files(path).length).toBe(1);
    expect(files(tmp)).toEqual([]);
    expect(readFileSync(join(path, files(path)[0]!), "utf8")).toBe(
      '{"name":"p0","age":0,"city":"Oslo"}\n{"name":"p1","age":1,"city":"Paris"}\n',
    );
  });

  test("keeps the two-phase-commit contract of the test kit", async () => {
    const out = join(dir, "conformance");
    const o = { path: out, tmp_path: join(dir, "tmp-conformance"), file_format_type: "csv" };
    const lines = () => files(out).reduce((n, f) => n + readFileSync(join(out, f), "utf8").split("\n").length - 1, 0);
    await sinkConformance({
      make: () => createSink(localFileSink, o, [TABLE]),
      batches: [rows(3), rows(4)],
      count: async () => lines(),
    });
    expect(lines()).toBe(7);
  });

  test("save modes recreate, drop, keep or refuse existing data", async () => {
    const path = join(dir, "modes");
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, "old.csv"), "x\n");
    const base = { path, tmp_path: join(dir, "tmp"), file_format_type: "csv" };
    await expect(writeRows({ ...base, data_save_mode: "ERROR_WHEN_DATA_EXISTS" }, [TABLE], rows(1))).rejects.toThrow(
      /already holds files/,
    );
    await writeRows({ ...base, data_save_mode: "APPEND_DATA" }, [TABLE], rows(1));
    expect(files(path).length).toBe(2);
    await writeRows({ ...base, data_save_mode: "DROP_DATA" }, [TABLE], rows(1));
    expect(files(path).length).toBe(1);
    writeFileSync(join(path, "extra.csv"), "y\n");
    await writeRows({ ...base, schema_save_mode: "RECREATE_SCHEMA", data_save_mode: "APPEND_DATA" }, [TABLE], rows(1));
    expect(files(path).length).toBe(1);
    // What the modes deleted went through tmp_path and is gone once the sink closed.
    expect(readdirSync(join(dir, "tmp", "seatunnel")).filter((n) => n.startsWith(".trash-"))).toEqual([]);
    await expect(
      writeRows(
        { ...base, path: join(dir, "missing"), schema_save_mode: "ERROR_WHEN_SCHEMA_NOT_EXIST" },
        [TABLE],
        rows(1),
      ),
    ).rejects.toThrow(/does not exist/);
  });
});

describe("LocalFile sink multi-table and compression", () => {
  test("writes each table of a multi-table sink to its own ${table_name} directory", async () => {
    const other: TableSchema = { ...TABLE, id: "db.pets", path: { database: "db", table: "pets" } };
    const mixed = [...rows(2), ...rows(3).map((r) => ({ ...r, table: "db.pets" }))];
    await writeRows(
      { path: join(dir, "multi", "${table_name}"), tmp_path: join(dir, "tmp"), file_format_type: "text" },
      [TABLE, other],
      mixed,
    );
    const fs = files(join(dir, "multi"));
    expect(fs.map((f) => f.split("/")[0])).toEqual(["people", "pets"]);
  });

  test("compresses text with lzo and gzip into readable files", async () => {
    for (const codec of ["lzo", "gzip"]) {
      const path = join(dir, `codec-${codec}`);
      await writeRows(
        { path, tmp_path: join(dir, "tmp"), file_format_type: "text", compress_codec: codec },
        [TABLE],
        rows(50),
      );
      expect(files(path)[0]).toMatch(codec === "lzo" ? /\.lzo\.txt$/ : /\.gz\.txt$/);
    }
  });
});
