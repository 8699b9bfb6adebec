import { describe, expect, test } from "bun:test";
import { RowKind, T } from "../../src/api/index.ts";
import { configError, createTransform, rowOf, table } from "../../src/api/testing.ts";
import { metadataTransform as def } from "./index.ts";

const users = table("mydb.users", [
  ["id", T.int],
  ["name", T.string],
]);

describe("Metadata", () => {
  test("appends database, table and row kind fields in the written order", () => {
    const t = createTransform(
      def,
      `metadata_fields { Database = source_database, Table = source_table, RowKind = change_type, EventTime = ts }`,
      [users],
    );
    expect(t.outputs[0]!.columns.slice(2).map((c) => `${c.name}:${c.type.kind}`)).toEqual([
      "source_database:string",
      "source_table:string",
      "change_type:string",
      "ts:bigint",
    ]);
    const out = t.process([rowOf("mydb.users", [1, "John"]), rowOf("mydb.users", [1, "John"], RowKind.DELETE)]);
    expect(out.map((r) => r.fields)).toEqual([
      [1, "John", "mydb", "users", "+I", null],
      [1, "John", "mydb", "users", "-D", null],
    ]);
    expect(out[1]!.kind).toBe(RowKind.DELETE);
  });

  test("a one-part table id has no database", () => {
    const t = createTransform(def, `metadata_fields { Database = db, Table = t }`, [table("fake", [["id", T.int]])]);
    expect(t.process([rowOf("fake", [1])])[0]!.fields).toEqual([1, null, "fake"]);
  });

  test("unknown keys (case-sensitive) and existing field names fail at plan time", () => {
    expect(configError(() => createTransform(def, `metadata_fields { database = db }`, [users])).message).toContain(
      `"database", which is not a metadata key; did you mean "Database"?`,
    );
    expect(configError(() => createTransform(def, `metadata_fields { Table = name }`, [users])).message).toContain(
      `maps Table to "name", which table "mydb.users" already has`,
    );
  });
});
