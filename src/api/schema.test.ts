import { describe, expect, test } from "bun:test";
import { ConfigError } from "./errors.ts";
import { parseSchema, type SchemaSpec } from "./schema.ts";
import { hoconTree } from "./testing.ts";
import { getEntry } from "./tree.ts";
import { T, typeToString } from "./types.ts";

const schemaOf = (body: string): SchemaSpec =>
  parseSchema(getEntry(hoconTree(`schema {\n${body}\n}`), "schema")!.value);
const failure = (body: string): ConfigError => {
  try {
    schemaOf(body);
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error("the schema was accepted");
};

describe("schema.fields", () => {
  test("type names, quoted types and HOCON objects as rows, every column nullable", () => {
    const s = schemaOf(`fields {
      id = bigint
      c_decimal = "DECIMAL(10, 2)"
      c_null = "null"
      c_map = "map<string, {c_int = int}>"
      c_row = { c_int = int, c_inner { c_s = string } }
    }`);
    expect(s.columns.map((c) => `${c.name} ${typeToString(c.type)} ${c.nullable}`)).toEqual([
      "id BIGINT true",
      "c_decimal Decimal(10, 2) true",
      "c_null NULL true",
      "c_map Map<STRING, ROW<c_int INT>> true",
      "c_row ROW<c_int INT,c_inner ROW<c_s STRING>> true",
    ]);
  });

  test("an unquoted null is HOCON's null, not the null type, and fails at its line", () => {
    const e = failure("fields {\n c = null\n}");
    expect(e.message).toBe('field "c": expects a type name, received null; the null type is written "null", quoted');
    expect(e.pos?.line).toBe(3);
  });

  test("fields and columns together fail", () => {
    expect(failure("fields { a = int }\ncolumns = []").message).toContain("can't contain both [fields] and [columns]");
  });
});

describe("schema.columns", () => {
  test("name, type, nullable, defaultValue, comment, columnLength and columnScale", () => {
    const s = schemaOf(`columns = [
      { name = id, type = bigint, nullable = false, defaultValue = 0, comment = "primary key id", columnLength = 20 },
      { name = amount, type = "decimal(10, 2)", nullable = "TRUE", columnScale = 2 },
      { name = r, type = { a = int } }
    ]`);
    expect(s.columns).toEqual([
      { name: "id", type: T.bigint, nullable: false, defaultValue: "0", comment: "primary key id", columnLength: 20 },
      { name: "amount", type: T.decimal(10, 2), nullable: true, columnScale: 2 },
      { name: "r", type: { kind: "row", fields: [{ name: "a", type: T.int }] }, nullable: true },
    ]);
  });

  test("name and type are required, as SeaTunnel's ColumnParser requires them", () => {
    expect(failure("columns = [ { type = int } ]").message).toBe(
      "schema.columns.* needs option [name], please correct your config first",
    );
    expect(failure("columns = [ { name = a } ]").message).toBe(
      "schema.columns.* needs option [type], please correct your config first",
    );
  });

  test("nullable must be a boolean and columnLength an integer", () => {
    expect(failure("columns = [ { name = a, type = int, nullable = maybe } ]").message).toBe(
      'nullable expects true or false, received "maybe"',
    );
    expect(failure("columns = [ { name = a, type = string, columnLength = long } ]").message).toBe(
      'columnLength expects an integer, received "long"',
    );
  });

  test("columns must be a list of objects", () => {
    expect(failure("columns { a = int }").message).toBe("schema.columns expects a list, received an object");
  });
});

describe("schema.primaryKey", () => {
  test("name and columnNames, a list or a comma-separated string", () => {
    expect(schemaOf('primaryKey { name = pk, columnNames = [id, "name"] }').primaryKey).toEqual({
      name: "pk",
      columnNames: ["id", "name"],
    });
    expect(schemaOf('primaryKey { name = pk, columnNames = "id, name" }').primaryKey?.columnNames).toEqual([
      "id",
      "name",
    ]);
  });

  test("a missing name or columnNames fails; the docs' `columns` key is named as the mistake", () => {
    expect(failure("primaryKey { columnNames = [id] }").message).toBe(
      "schema.primaryKey needs option [name], please correct your config first",
    );
    expect(failure("primaryKey { name = id, columns = [id] }").message).toBe(
      "schema.primaryKey needs option [columnNames], please correct your config first (the key is columnNames, not columns)",
    );
  });
});

describe("schema.constraintKeys", () => {
  const key = (body: string) => `constraintKeys = [ { ${body} } ]`;

  test("constraintName, constraintType of SeaTunnel's ConstraintType (any case), columns with sortType ASC by default", () => {
    const s = schemaOf(
      key(
        'constraintName = uk, constraintType = unique_key, constraintColumns = [ { columnName = a }, { columnName = "b", sortType = desc } ]',
      ),
    );
    expect(s.constraintKeys).toEqual([
      {
        constraintName: "uk",
        constraintType: "UNIQUE_KEY",
        constraintColumns: [
          { columnName: "a", sortType: "ASC" },
          { columnName: "b", sortType: "DESC" },
        ],
      },
    ]);
    expect(
      schemaOf(key("constraintName = i, constraintType = INDEX_KEY, constraintColumns = []")).constraintKeys,
    ).toEqual([{ constraintName: "i", constraintType: "INDEX_KEY", constraintColumns: [] }]);
  });

  test("KEY (the docs' spelling) is not one of ConstraintType's values, and the type is required", () => {
    expect(failure(key("constraintName = k, constraintType = KEY, constraintColumns = []")).message).toBe(
      'constraintType expects one of INDEX_KEY, UNIQUE_KEY, FOREIGN_KEY, VECTOR_INDEX_KEY, received "KEY"',
    );
    expect(failure(key("constraintName = k, constraintColumns = []")).message).toBe(
      "schema.constraintKeys.* needs option [constraintType], please correct your config first",
    );
  });

  test("a missing name, column list or column name fails; a sortType other than ASC or DESC fails", () => {
    expect(failure(key("constraintType = UNIQUE_KEY, constraintColumns = []")).message).toContain(
      "needs option [constraintName]",
    );
    expect(failure(key("constraintName = k, constraintType = UNIQUE_KEY")).message).toContain(
      "needs option [constraintColumns]",
    );
    expect(
      failure(key("constraintName = k, constraintType = UNIQUE_KEY, constraintColumns = [ { sortType = ASC } ]"))
        .message,
    ).toBe("schema.constraintKeys.constraintColumns.* needs option [columnName], please correct your config first");
    expect(
      failure(
        key(
          "constraintName = k, constraintType = UNIQUE_KEY, constraintColumns = [ { columnName = a, sortType = UP } ]",
        ),
      ).message,
    ).toBe('sortType expects ASC or DESC, received "UP"');
  });

  test("constraintKeys must be a list", () => {
    expect(failure("constraintKeys { a = b }").message).toBe(
      "schema.constraintKeys expects a list, received an object",
    );
  });
});
