/**
 * FakeSource: random (or listed) rows for a declared schema, one table or several
 * (`tables_configs`). Options, defaults and rules follow SeaTunnel's FakeOption / FakeConfig;
 * `seed` is ours and makes the random data reproducible.
 */
import {
  ConfigError,
  defineSource,
  opt,
  ROW_KIND_NAMES,
  schemaOption,
  type Opt,
  type OptionValues,
  type Rule,
  type RowKind,
  type SchemaSpec,
} from "../../src/api/index.ts";
import { getEntry, describeNode, valueFromConfig, type Node } from "../../src/api/convert.ts";
import { parseOptions } from "../../src/api/parse-options.ts";
import { createFakeSource } from "./source.ts";

const FLOAT_MAX = 3.4028234663852886e38;

/** `schema` plus each column's `defaultValue` node (checked here so its errors carry a position). */
export interface FakeSchema {
  spec: SchemaSpec;
  defaults: (Node | undefined)[];
}

function fakeSchemaOption(): Opt<FakeSchema> {
  const base = schemaOption({
    required: false,
    doc: "Table schema: fields { name = type } or columns = [...]; a column's defaultValue is emitted instead of random data",
  });
  return {
    meta: base.meta,
    parse(node) {
      const r = base.parse(node);
      if (!r.ok) {
        return r;
      }
      const defaults: (Node | undefined)[] = r.value.columns.map(() => undefined);
      const cols = node.kind === "object" ? getEntry(node, "columns")?.value : undefined;
      if (cols?.kind !== "array") {
        return { ok: true, value: { spec: r.value, defaults } };
      }
      try {
        cols.items.forEach((item, i) => {
          const dv = item.kind === "object" ? getEntry(item, "defaultValue")?.value : undefined;
          const col = r.value.columns[i];
          if (!dv || !col || (dv.kind === "scalar" && dv.type === "null")) {
            return;
          }
          valueFromConfig(dv, col.type, col.name, { bytes: "utf8" });
          defaults[i] = dv;
        });
      } catch (e) {
        if (e instanceof ConfigError) {
          return { ok: false, error: new ConfigError(e.code, `schema.columns: defaultValue of ${e.message}`, e.pos) };
        }
        throw e;
      }
      return { ok: true, value: { spec: r.value, defaults } };
    },
  };
}

/** One entry of `rows`: its kind and the `fields` node, converted against the schema in create(). */
export interface FakeRowSpec {
  kind: RowKind;
  fields: Node;
}

function rowsOption(): Opt<FakeRowSpec[]> {
  const meta = opt.node({
    doc: "Rows to emit instead of random data; every split emits all of them. kind is INSERT, UPDATE_BEFORE, UPDATE_AFTER or DELETE; fields is a list (by position) or an object (by name)",
    type: "list<row>",
    expects: "a list of { kind = INSERT, fields = [...] }",
    example: `rows = [ { kind = INSERT, fields = [1, "A"] } ]`,
  }).meta;
  return {
    meta,
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: FakeRowSpec[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `rows[${i}] is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const kind = getEntry(item, "kind")?.value;
        const fields = getEntry(item, "fields")?.value;
        if (!kind) {
          return { ok: false, message: `rows[${i}] has no kind`, pos: item.pos };
        }
        // RowKind.valueOf: the exact upper-case enum name.
        const k = kind.kind === "scalar" ? (ROW_KIND_NAMES as readonly string[]).indexOf(kind.text) : -1;
        if (k < 0) {
          return {
            ok: false,
            message: `rows[${i}].kind ${describeNode(kind)} is not one of ${ROW_KIND_NAMES.join(", ")}`,
            pos: kind.pos,
          };
        }
        if (!fields || fields.kind === "scalar") {
          return { ok: false, message: `rows[${i}].fields must be a list or an object`, pos: fields?.pos ?? item.pos };
        }
        out.push({ kind: k as RowKind, fields });
      }
      return { ok: true, value: out };
    },
  };
}

/** A list of integers each within [lo, hi]; a bad item is reported at its own position. */
function intListIn(doc: string, lo: number, hi: number): Opt<number[]> {
  const base = opt.list({ of: "int", doc });
  return {
    meta: { ...base.meta, expects: `a list of integers from ${lo} to ${hi}` },
    parse(node) {
      const r = base.parse(node);
      if (!r.ok) {
        return r;
      }
      // A written list (parse runs only on what was written), so never undefined here.
      const values = r.value ?? [];
      const bad = values.findIndex((v) => v < lo || v > hi);
      if (bad < 0) {
        return { ok: true, value: values };
      }
      return {
        ok: false,
        message: `item ${bad} is ${values[bad]}`,
        pos: node.kind === "array" ? (node.items[bad]?.pos ?? node.pos) : node.pos,
      };
    },
  };
}

const MODES = ["RANGE", "TEMPLATE"] as const;
const mode = (t: string) =>
  opt.enum({
    values: MODES,
    default: "RANGE",
    doc: `RANGE draws ${t} values from ${t}.min/${t}.max; TEMPLATE requires ${t}.template. A non-empty template is used either way`,
  });
const size = (what: string) => opt.int({ default: 5, min: 0, doc: `The ${what} that connector generated` });

/** Options of one table: the whole block, or one item of tables_configs. */
export const tableOptions = {
  schema: fakeSchemaOption(),
  rows: rowsOption(),
  "row.num": opt.int({
    default: 5,
    min: 0,
    doc: "Rows generated per parallel reader; with rows it only decides how many splits each reader gets",
  }),
  "split.num": opt.int({ default: 1, min: 1, doc: "Splits the enumerator creates per parallel reader" }),
  "split.read-interval": opt.int({
    default: 1,
    min: 0,
    doc: "Minimum milliseconds between the starts of two split reads in one reader",
  }),
  "map.size": size("size of map values"),
  "array.size": size("size of array values"),
  "bytes.length": size("length of bytes values"),
  "string.length": size("length of string values (a column's columnLength wins)"),
  "string.fake.mode": mode("string"),
  "string.template": opt.list({ of: "string", doc: "Strings picked at random instead of random letters" }),
  "tinyint.fake.mode": mode("tinyint"),
  "tinyint.min": opt.int({ default: 0, min: 0, max: 127, doc: "Smallest random tinyint" }),
  "tinyint.max": opt.int({ default: 127, min: 0, max: 127, doc: "Random tinyints are below this (exclusive)" }),
  "tinyint.template": opt.list({ of: "int", doc: "Tinyints picked at random" }),
  "smallint.fake.mode": mode("smallint"),
  "smallint.min": opt.int({ default: 0, min: 0, max: 32767, doc: "Smallest random smallint" }),
  "smallint.max": opt.int({ default: 32767, min: 0, max: 32767, doc: "Random smallints are below this (exclusive)" }),
  "smallint.template": opt.list({ of: "int", doc: "Smallints picked at random" }),
  "int.fake.mode": mode("int"),
  "int.min": opt.int({ default: 0, min: 0, max: 2147483647, doc: "Smallest random int" }),
  "int.max": opt.int({ default: 2147483647, min: 0, max: 2147483647, doc: "Random ints are below this (exclusive)" }),
  "int.template": opt.list({ of: "int", doc: "Ints picked at random" }),
  "bigint.fake.mode": mode("bigint"),
  "bigint.min": opt.long({ default: 0n, min: 0n, doc: "Smallest random bigint" }),
  "bigint.max": opt.long({ default: 2n ** 63n - 1n, min: 0n, doc: "Random bigints are below this (exclusive)" }),
  "bigint.template": opt.list({ of: "long", doc: "Bigints picked at random" }),
  "float.fake.mode": mode("float"),
  "float.min": opt.number({ default: 0, min: 0, max: FLOAT_MAX, doc: "Smallest random float" }),
  "float.max": opt.number({ default: FLOAT_MAX, min: 0, max: FLOAT_MAX, doc: "Random floats are below this" }),
  "float.template": opt.list({ of: "number", doc: "Floats picked at random" }),
  "double.fake.mode": mode("double"),
  "double.min": opt.number({ default: 0, min: 0, max: Number.MAX_VALUE, doc: "Smallest random double" }),
  "double.max": opt.number({
    default: Number.MAX_VALUE,
    min: 0,
    max: Number.MAX_VALUE,
    doc: "Random doubles are below this",
  }),
  "double.template": opt.list({ of: "number", doc: "Doubles picked at random" }),
  "date.year.template": intListIn(
    "Years picked at random for date and timestamp values (default: the current year)",
    -999999999,
    999999999,
  ),
  "date.month.template": intListIn("Months picked at random (default 1 to 12)", 1, 12),
  "date.day.template": intListIn("Days picked at random (default 1 to 28)", 1, 31),
  "time.hour.template": intListIn("Hours picked at random (default 0 to 23)", 0, 23),
  "time.minute.template": intListIn("Minutes picked at random (default 0 to 59)", 0, 59),
  "time.second.template": intListIn("Seconds picked at random (default 0 to 59)", 0, 59),
  "vector.dimension": opt.int({
    default: 4,
    min: 1,
    doc: "Dimension of vector values (vector types are not supported here; accepted for compatibility)",
  }),
  "binary.vector.dimension": opt.int({
    default: 8,
    min: 8,
    doc: "Dimension of binary vectors (accepted for compatibility)",
  }),
  "vector.float.min": opt.number({ default: 0, doc: "Smallest vector element (accepted for compatibility)" }),
  "vector.float.max": opt.number({ default: FLOAT_MAX, doc: "Largest vector element (accepted for compatibility)" }),
  seed: opt.long({
    doc: "Not in SeaTunnel: makes random data reproducible. The same seed and options give the same rows, whatever the parallel scheduling",
    example: "seed = 42",
  }),
};

const TYPES = ["string", "tinyint", "smallint", "int", "bigint", "float", "double"] as const;
/** `<type>.fake.mode = TEMPLATE` needs `<type>.template` (FakeSourceFactory's conditional rules). */
export const tableRules: readonly Rule[] = TYPES.map((t) => ({
  requiredIf: { key: `${t}.fake.mode`, equals: "TEMPLATE" },
  // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
  then: [`${t}.template`],
}));

type Values = OptionValues<typeof tableOptions>;
type Unset = "schema" | "rows" | "seed" | Extract<keyof Values, `${string}.template`>;
/** Typed options of one table: options with a default are always set. */
export type FakeTableOptions = Omit<Values, Unset> & Partial<Pick<Values, Unset>>;
export type FakeOptions = FakeTableOptions & { tables_configs?: FakeTableOptions[] };

function tablesConfigsOption(): Opt<FakeTableOptions[]> {
  const meta = opt.node({
    doc: "Several tables from one source: each item is a complete FakeSource config with its own schema (outer options are not inherited, except seed)",
    type: "list<object>",
    expects: "a list of FakeSource configs",
  }).meta;
  return {
    meta,
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: FakeTableOptions[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `tables_configs[${i}] is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const res = parseOptions(`tables_configs[${i}]`, item, tableOptions, tableRules);
        if (res.errors[0]) {
          return { ok: false, error: res.errors[0] };
        }
        out.push(res.values as FakeTableOptions);
      }
      return { ok: true, value: out };
    },
  };
}

export const fakeOptions = { ...tableOptions, tables_configs: tablesConfigsOption() };

const SIMPLE = `env {
  parallelism = 2
  job.mode = "BATCH"
}

source {
  FakeSource {
    result_table_name = "fake"
    row.num = 16
    split.num = 2
    seed = 42
    string.template = ["alice", "bob", "carol"]
    int.min = 18
    int.max = 65
    schema = {
      fields {
        id = bigint
        name = string
        age = int
        score = "decimal(5, 2)"
        birthday = date
        tags = "array<string>"
      }
    }
  }
}

sink {
  Console {
    source_table_name = "fake"
  }
}
`;

const ROWS = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    result_table_name = "cdc"
    schema = {
      table = "shop.orders"
      columns = [
        { name = id, type = int, nullable = false },
        { name = item, type = string },
        { name = created, type = timestamp, defaultValue = "2024-01-01 10:00:00" }
      ]
    }
    rows = [
      { kind = INSERT, fields = [1, "apple", "2024-01-01 10:00:00"] },
      { kind = UPDATE_BEFORE, fields = { id = 1, item = "apple" } },
      { kind = UPDATE_AFTER, fields = { id = 1, item = "pear", created = CURRENT_TIMESTAMP } },
      { kind = DELETE, fields = [1, "pear", null] }
    ]
  }
}

sink {
  Console {
    source_table_name = "cdc"
  }
}
`;

const MULTI = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    seed = 7
    tables_configs = [
      { row.num = 3, schema = { table = "db.users", fields { id = int, name = string } } },
      { row.num = 2, schema = { table = "db.orders", fields { id = bigint, amount = double } } }
    ]
  }
}

sink {
  Console {}
}
`;

export const fakeSource = defineSource({
  name: "FakeSource",
  doc: "Generates random rows for a declared schema (or emits the listed rows), per parallel reader: parallelism × row.num rows in total. For tests, demos and benchmarks.",
  options: fakeOptions,
  // Each item of tables_configs needs its own schema (checked when its table is built).
  // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
  rules: [...tableRules, { requiredUnless: "tables_configs", then: ["schema"] }],
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    { title: "Random rows with templates and a seed", conf: SIMPLE },
    { title: "Listed rows with row kinds (a change stream)", conf: ROWS },
    { title: "Two tables from one source", conf: MULTI },
  ],
  create: (options, ctx) => createFakeSource(options as FakeOptions, ctx),
});
