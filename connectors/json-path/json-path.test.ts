import { describe, expect, test } from "bun:test";
import { Decimal, JobError, LocalDate, LocalTime, RowKind, T } from "../../src/api/index.ts";
import { configError, createTransform, parseBlock, rowOf, table } from "../../src/api/testing.ts";
import { readPath } from "../common/json-path/eval.ts";
import { parseJson, toJson } from "../common/json-path/json.ts";
import { compilePath } from "../common/json-path/path.ts";
import { jsonPathTransform as def } from "./index.ts";

const fake = table("fake", [
  ["id", T.bigint],
  ["data", T.string],
]);
const col = (path: string, dest: string, extra = "") =>
  `{ src_field = "data", path = "${path}", dest_field = "${dest}" ${extra} }`;
const extract = (cols: string[], data: unknown[], more = "") =>
  createTransform(def, `${more}\ncolumns = [ ${cols.join(", ")} ]`, [fake]).process(
    data.map((d, i) => rowOf("fake", [BigInt(i), d])),
  );
const read = (json: string, path: string) => toJson(readPath(compilePath(path), parseJson(json)));

const DOC = JSON.stringify({
  data: {
    c_string: "this is a string",
    c_boolean: true,
    c_integer: 42,
    c_float: 3.14,
    c_double: 3.14,
    c_decimal: 10.55,
    c_date: "2023-10-29",
    c_datetime: "16:12:43.459",
    c_array: ["item1", "item2"],
  },
});

describe("JsonPath extraction and output plan", () => {
  test("extracts every basic type as SeaTunnel's documented example does", () => {
    const cols = [
      col("$.data.c_string", "c1_string"),
      col("$.data.c_boolean", "c1_boolean", `, dest_type = "boolean"`),
      col("$.data.c_integer", "c1_integer", `, dest_type = "int"`),
      col("$.data.c_float", "c1_float", `, dest_type = "float"`),
      col("$.data.c_double", "c1_double", `, dest_type = "double"`),
      col("$.data.c_decimal", "c1_decimal", `, dest_type = "decimal(4,2)"`),
      col("$.data.c_date", "c1_date", `, dest_type = "date"`),
      col("$.data.c_datetime", "c1_datetime", `, dest_type = "time"`),
      col("$.data.c_array", "c1_array", `, dest_type = "array<string>"`),
    ];
    const [row] = extract(cols, [DOC]);
    expect(row!.fields.slice(2)).toEqual([
      "this is a string",
      true,
      42,
      Math.fround(3.14),
      3.14,
      new Decimal(1055n, 2),
      new LocalDate(2023, 10, 29),
      new LocalTime(16, 12, 43, 459_000_000),
      ["item1", "item2"],
    ]);
  });

  test("plans the new fields after the input, typed by dest_type", () => {
    const t = createTransform(def, `columns = [ ${col("$.a", "a", `, dest_type = "bigint"`)}, ${col("$.b", "id")} ]`, [
      fake,
    ]);
    expect(t.outputs[0]!.columns.map((c) => `${c.name}:${c.type.kind}`)).toEqual([
      "id:string",
      "data:string",
      "a:bigint",
    ]);
  });

  test("reads json-smart's permissive JSON: unquoted keys and values, single quotes", () => {
    const text = `{data:{c_string: this is a string,c_boolean: true,c_integer: 42,c_date:'2023-10-29',c_datetime:"16:12:43.459"}}`;
    const [row] = extract(
      [
        col("$.data.c_string", "s"),
        col("$.data.c_integer", "i", `, dest_type = int`),
        col("$.data.c_date", "d", `, dest_type = date`),
      ],
      [text],
    );
    expect(row!.fields.slice(2)).toEqual(["this is a string", 42, new LocalDate(2023, 10, 29)]);
  });
});

describe("JsonPath missing values and error handling", () => {
  test("a missing path fails the job naming field, path and value", () => {
    const t = createTransform(def, `columns = [ ${col("$.f2", "f2")} ]`, [fake]);
    let err: unknown;
    try {
      t.process([rowOf("fake", [1n, `{"f1": "v1"}`])]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JobError);
    expect((err as JobError).message).toBe(
      `JsonPath transform error, config: src_field=data, path=$.f2, dest_field=f2, value: {"f1": "v1"}, error: No results for path: $['f2']`,
    );
  });

  test("column SKIP writes null, SKIP_ROW and row SKIP drop the row, column FAIL wins over row SKIP", () => {
    const rows = [`{"f1": "v1"}`, `{"f1": "v1", "f2": "v2"}`];
    const skip = extract(
      [col("$.f1", "a"), col("$.f2", "b", ", column_error_handle_way = SKIP")],
      rows,
      "row_error_handle_way = FAIL",
    );
    expect(skip.map((r) => r.fields.slice(2))).toEqual([
      ["v1", null],
      ["v1", "v2"],
    ]);
    expect(extract([col("$.f2", "b", ", column_error_handle_way = SKIP_ROW")], rows).map((r) => r.fields[2])).toEqual([
      "v2",
    ]);
    expect(extract([col("$.f2", "b")], rows, "row_error_handle_way = SKIP").map((r) => r.fields[2])).toEqual(["v2"]);
    expect(() =>
      extract([col("$.f2", "b", ", column_error_handle_way = FAIL")], rows, "row_error_handle_way = SKIP"),
    ).toThrow(JobError);
  });

  test("a value that cannot become dest_type is a conversion error handled the same way", () => {
    const rows = [`{"n": "abc"}`, `{"n": "12"}`];
    expect(() => extract([col("$.n", "n", `, dest_type = int`)], rows)).toThrow(
      "JsonPath data conversion failure, src_field=data, dest_field=n, dest_type=INT",
    );
    expect(
      extract([col("$.n", "n", `, dest_type = int, column_error_handle_way = SKIP`)], rows).map((r) => r.fields[2]),
    ).toEqual([null, 12]);
  });

  test("null input gives null and the input row is never changed", () => {
    const input = [rowOf("fake", [1n, null], RowKind.DELETE)];
    const out = createTransform(def, `columns = [ ${col("$.a", "a")} ]`, [fake]).process(input);
    expect(out[0]).toEqual(rowOf("fake", [1n, null, null], RowKind.DELETE));
    expect(input[0]!.fields).toEqual([1n, null]);
  });
});

describe("JsonPath containers, multiple paths and plan-time errors", () => {
  test("reads arrays, maps and rows through their JSON form", () => {
    const t = table("t", [
      ["arr", T.array(T.string)],
      [
        "r",
        {
          kind: "row",
          fields: [
            { name: "m", type: T.map(T.string, T.int) },
            { name: "s", type: T.string },
          ],
        },
      ],
    ]);
    const tr = createTransform(
      def,
      `columns = [ { src_field = arr, path = "$[1]", dest_field = a }, { src_field = r, path = "$[0].k", dest_field = k, dest_type = int }, { src_field = r, path = "$[1]", dest_field = s } ]`,
      [t],
    );
    const out = tr.process([
      rowOf("t", [
        ["x", "y"],
        [new Map([["k", 7]]), "str"],
      ]),
    ]);
    expect(out[0]!.fields.slice(2)).toEqual(["y", 7, "str"]);
  });

  test("several paths in one item with ; need dest_type for each", () => {
    const [row] = extract([col("$.data.c_string;$.data.c_integer", "s;i", `, dest_type = "string;bigint"`)], [DOC]);
    expect(row!.fields.slice(2)).toEqual(["this is a string", 42n]);
    expect(parseBlock(def, `columns = [ ${col("$.a;$.b", "a;b")} ]`).errors[0]!.message).toContain(
      "dest_type is required",
    );
  });

  test("bad paths, types, handle ways and source fields are plan-time errors", () => {
    expect(parseBlock(def, `columns = [ ${col("$.a[", "a")} ]`).errors[0]!.message).toContain("columns[0].path:");
    expect(parseBlock(def, `columns = [ ${col("$.a", "a", `, dest_type = "nope"`)} ]`).errors[0]!.code).toBe(
      "CONFIG_TYPE_INVALID",
    );
    expect(
      parseBlock(def, `columns = [ ${col("$.a", "a", `, column_error_handle_way = IGNORE`)} ]`).errors[0]!.message,
    ).toContain("FAIL, SKIP, SKIP_ROW");
    expect(parseBlock(def, `columns = [ { src_field = data, dest_field = a } ]`).errors[0]!.message).toContain(
      "columns[0].path must not be empty",
    );
    expect(
      configError(() => createTransform(def, `columns = [ { src_field = dta, path = "$", dest_field = a } ]`, [fake]))
        .message,
    ).toContain(`did you mean "data"?`);
    expect(
      configError(() => createTransform(def, `columns = [ { src_field = id, path = "$", dest_field = a } ]`, [fake]))
        .message,
    ).toContain("is BIGINT; JsonPath reads STRING");
  });
});

describe("JsonPath expressions", () => {
  const store = `{"store": {"book": [{"title": "A", "price": 8.95, "tags": ["x"]}, {"title": "B", "price": 12, "isbn": "1"}, {"title": "C", "price": 22.99}], "bicycle": {"price": 19.95}}}`;

  test("definite paths return one value, containers as JSON", () => {
    expect(read(store, "$.store.book[0].title")).toBe('"A"');
    expect(read(store, "$['store']['book'][-1]['price']")).toBe("22.99");
    expect(read(store, "store.bicycle")).toBe('{"price":19.95}');
    expect(read(store, "$")).toBe(toJson(parseJson(store)));
  });

  test("indefinite paths return lists and skip what is missing", () => {
    expect(read(store, "$.store.book[*].title")).toBe('["A","B","C"]');
    expect(read(store, "$..price")).toBe("[8.95,12,22.99,19.95]");
    expect(read(store, "$.store.book[*].isbn")).toBe('["1"]');
    expect(read(store, "$.store.book[0:2].title")).toBe('["A","B"]');
    expect(read(store, "$.store.book[-2:].title")).toBe('["B","C"]');
    expect(read(store, "$.store.book[0,2].title")).toBe('["A","C"]');
    expect(read(store, "$.store.book[0]['title','price']")).toBe('{"title":"A","price":8.95}');
    expect(read(store, "$.store.*.price")).toBe("[19.95]");
  });

  test("filters compare, match regexes and test existence", () => {
    expect(read(store, "$.store.book[?(@.price < 10)].title")).toBe('["A"]');
    expect(read(store, "$.store.book[?(@.price >= 12 && @.title != 'C')].title")).toBe('["B"]');
    expect(read(store, "$.store.book[?(@.isbn)].title")).toBe('["B"]');
    expect(read(store, "$.store.book[?(!(@.isbn))].title")).toBe('["A","C"]');
    expect(read(store, "$.store.book[?(@.title =~ /[ab]/i)].price")).toBe("[8.95,12]");
    expect(read(store, "$.store.book[?(@.title in ['A','C'])].price")).toBe("[8.95,22.99]");
    expect(read(store, "$.store.book[?(@.tags size 1)].title")).toBe('["A"]');
    expect(read(store, "$.store.book[?(@.price > $.store.bicycle.price)].title")).toBe('["C"]');
  });

  test("functions at the end of a path", () => {
    expect(read(store, "$.store.book.length()")).toBe("3");
    expect(read(store, "$..price.sum()")).toBe("63.89");
    expect(read(store, "$.store.book[*].price.max()")).toBe("22.99");
    expect(read(store, "$.store.bicycle.keys()")).toBe('["price"]');
  });

  test("what a definite path cannot reach is Jayway's PathNotFound", () => {
    expect(() => read(store, "$.store.nope")).toThrow("No results for path: $['store']['nope']");
    expect(() => read(store, "$.nope.x")).toThrow("Missing property in path $['nope']");
    expect(() => read(store, "$.store.book.title")).toThrow(
      "Expected to find an object with property ['title'] in path $['store']['book']",
    );
    expect(() => read(store, "$.store.book[7]")).toThrow("No results for path");
    expect(() => read(store, "$.store.bicycle[0]")).toThrow("can only be applied to arrays");
  });

  test("numbers keep json-smart's types: integers exact, long decimals as BigDecimal", () => {
    expect(read(`{"a": 12345678901234567890}`, "$.a")).toBe("12345678901234567890");
    expect(read(`{"a": 1.0}`, "$.a")).toBe("1.0");
    expect(read(`{"a": 0.1000000000000000055511}`, "$.a")).toBe("0.1000000000000000055511");
    expect(read(`{"a": 1e10}`, "$.a")).toBe("1.0E10");
  });
});
