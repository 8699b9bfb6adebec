/**
 * The `schema { ... }` option every schema-declaring connector shares (SeaTunnel's
 * TableSchemaOptions): `fields { name = type }` or `columns = [ {name, type, nullable, ...} ]`,
 * `primaryKey`, `constraintKeys`, `table`, `comment`. Type errors point at the field's line.
 */
import type { Node, ObjectNode } from "./tree.ts";
import { describeNode, getEntry } from "./tree.ts";
import { ConfigError } from "./errors.ts";
import { opt, type Opt } from "./options.ts";
import type { Column, ConstraintKey, PrimaryKey, TableSchema } from "./table.ts";
import { parseTablePath, tableId } from "./table.ts";
import { parseType } from "./type-text.ts";
import type { DataType } from "./types.ts";

export interface SchemaSpec {
  columns: Column[];
  primaryKey?: PrimaryKey;
  constraintKeys?: ConstraintKey[];
  /** `schema.table` as written (`db.table`), if any. */
  table?: string;
  schemaFirst?: boolean;
  comment?: string;
}

const str = (n: Node | undefined): string | undefined =>
  n && n.kind === "scalar" && n.type !== "null" ? n.text : undefined;

function expectObject(n: Node, what: string): ObjectNode {
  if (n.kind !== "object") {
    throw new ConfigError("CONFIG_SCHEMA_INVALID", `${what} expects an object, received ${describeNode(n)}`, n.pos);
  }
  return n;
}

/** A field's type: a type name, or a nested object (a row type). */
export function parseTypeNode(n: Node, field: string): DataType {
  if (n.kind === "object") {
    return { kind: "row", fields: n.entries.map((e) => ({ name: e.key, type: parseTypeNode(e.value, e.key) })) };
  }
  const text = str(n);
  if (text === undefined) {
    const hint = n.kind === "scalar" ? '; the null type is written "null", quoted' : "";
    throw new ConfigError(
      "CONFIG_TYPE_INVALID",
      `field "${field}": expects a type name, received ${describeNode(n)}${hint}`,
      n.pos,
    );
  }
  return parseType(text, field, n.pos);
}

export function parseSchema(node: Node): SchemaSpec {
  const obj = expectObject(node, "schema");
  const fields = getEntry(obj, "fields");
  const columns = getEntry(obj, "columns");
  if (fields && columns) {
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      "schema can't contain both [fields] and [columns], please keep one",
      columns.keyPos,
    );
  }
  const spec: SchemaSpec = { columns: [] };
  if (fields) {
    spec.columns = expectObject(fields.value, "schema.fields").entries.map((e) => ({
      name: e.key,
      type: parseTypeNode(e.value, e.key),
      nullable: true,
    }));
  } else if (columns) {
    spec.columns = expectList(columns.value, "schema.columns").map((item) =>
      parseColumn(expectObject(item, "schema.columns item")),
    );
  }
  const pk = getEntry(obj, "primaryKey");
  if (pk) {
    spec.primaryKey = parsePrimaryKey(expectObject(pk.value, "schema.primaryKey"));
  }
  const ck = getEntry(obj, "constraintKeys");
  if (ck) {
    spec.constraintKeys = expectList(ck.value, "schema.constraintKeys").map((item) =>
      parseConstraintKey(expectObject(item, "schema.constraintKeys item")),
    );
  }
  spec.table = str(getEntry(obj, "table")?.value);
  spec.schemaFirst = str(getEntry(obj, "schema_first")?.value)?.toLowerCase() === "true";
  spec.comment = str(getEntry(obj, "comment")?.value);
  return spec;
}

function expectList(n: Node, what: string): Node[] {
  if (n.kind !== "array") {
    throw new ConfigError("CONFIG_SCHEMA_INVALID", `${what} expects a list, received ${describeNode(n)}`, n.pos);
  }
  return n.items;
}

/** A required string option of an item: SeaTunnel's "config need option [key]". */
function required(o: ObjectNode, key: string, what: string): string {
  const v = str(getEntry(o, key)?.value);
  if (v === undefined) {
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      `${what} needs option [${key}], please correct your config first`,
      getEntry(o, key)?.value.pos ?? o.pos,
    );
  }
  return v;
}

/** An optional value of `key` as SeaTunnel's option types read it (`convert`), positioned when it fails. */
function optional<T>(
  o: ObjectNode,
  key: string,
  expects: string,
  convert: (text: string) => T | undefined,
): T | undefined {
  const n = getEntry(o, key)?.value;
  const text = n && str(n);
  if (n === undefined || text === undefined) {
    return undefined;
  }
  const v = convert(text.trim());
  if (v === undefined) {
    throw new ConfigError("CONFIG_SCHEMA_INVALID", `${key} expects ${expects}, received ${describeNode(n)}`, n.pos);
  }
  return v;
}

const toInt = (t: string): number | undefined =>
  /^[+-]?\d+$/.test(t) && Math.abs(Number(t)) <= 2147483647 ? Number(t) : undefined;
const toBool = (t: string): boolean | undefined =>
  t.toLowerCase() === "true" ? true : t.toLowerCase() === "false" ? false : undefined;
const oneOf =
  <E extends string>(values: readonly E[]) =>
  (t: string): E | undefined =>
    values.find((x) => x === t.toUpperCase());

function parseColumn(o: ObjectNode): Column {
  const name = required(o, "name", "schema.columns.*");
  const typeNode = getEntry(o, "type")?.value;
  if (!typeNode) {
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      "schema.columns.* needs option [type], please correct your config first",
      o.pos,
    );
  }
  const col: Column = {
    name,
    type: parseTypeNode(typeNode, name),
    nullable: optional(o, "nullable", "true or false", toBool) ?? true,
  };
  const dv = getEntry(o, "defaultValue")?.value;
  if (dv && !(dv.kind === "scalar" && dv.type === "null")) {
    col.defaultValue = dv.kind === "scalar" ? dv.text : dv;
  }
  const comment = str(getEntry(o, "comment")?.value);
  if (comment !== undefined) {
    col.comment = comment;
  }
  const len = optional(o, "columnLength", "an integer", toInt);
  if (len) {
    col.columnLength = len;
  }
  const scale = optional(o, "columnScale", "an integer", toInt);
  if (scale !== undefined) {
    col.columnScale = scale;
  }
  return col;
}

/** `primaryKey { name, columnNames }`: both required; columnNames a list or a comma-separated string. */
function parsePrimaryKey(o: ObjectNode): PrimaryKey {
  const name = required(o, "name", "schema.primaryKey");
  const cols = getEntry(o, "columnNames")?.value;
  if (!cols) {
    // SeaTunnel's docs show `columns = [...]`, which its parser does not read.
    const seen = getEntry(o, "columns") ? " (the key is columnNames, not columns)" : "";
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      `schema.primaryKey needs option [columnNames], please correct your config first${seen}`,
      o.pos,
    );
  }
  const columnNames =
    cols.kind === "array" ? cols.items.map((c) => str(c) ?? "") : (str(cols) ?? "").split(",").map((c) => c.trim());
  return { name, columnNames };
}

const CONSTRAINT_TYPES = ["INDEX_KEY", "UNIQUE_KEY", "FOREIGN_KEY", "VECTOR_INDEX_KEY"] as const;

/** One of `constraintKeys`: constraintName, constraintType and constraintColumns required, as SeaTunnel reads them. */
function parseConstraintKey(o: ObjectNode): ConstraintKey {
  const constraintName = required(o, "constraintName", "schema.constraintKeys.*");
  required(o, "constraintType", "schema.constraintKeys.*");
  const constraintType = optional(
    o,
    "constraintType",
    `one of ${CONSTRAINT_TYPES.join(", ")}`,
    oneOf(CONSTRAINT_TYPES),
  )!;
  const cc = getEntry(o, "constraintColumns")?.value;
  if (!cc) {
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      "schema.constraintKeys.* needs option [constraintColumns], please correct your config first",
      o.pos,
    );
  }
  const constraintColumns = expectList(cc, "constraintColumns").map((c) => {
    const co = expectObject(c, "constraintColumns item");
    return {
      columnName: required(co, "columnName", "schema.constraintKeys.constraintColumns.*"),
      sortType: optional(co, "sortType", "ASC or DESC", oneOf(["ASC", "DESC"] as const)) ?? "ASC",
    };
  });
  return { constraintName, constraintType, constraintColumns };
}

/**
 * The catalog table a schema-declaring source produces: path from `schema.table`, else the block's
 * `result_table_name`, else `default.default.default` (CatalogTableUtil.buildWithConfig).
 */
export function catalogTable(spec: SchemaSpec, outputName?: string): TableSchema {
  const path = spec.table
    ? parseTablePath(spec.table, spec.schemaFirst)
    : outputName
      ? { table: outputName }
      : { database: "default", schema: "default", table: "default" };
  const t: TableSchema = { id: tableId(path), path, columns: spec.columns };
  if (spec.primaryKey) {
    t.primaryKey = spec.primaryKey;
  }
  if (spec.constraintKeys) {
    t.constraintKeys = spec.constraintKeys;
  }
  if (spec.comment) {
    t.comment = spec.comment;
  }
  return t;
}

/** The `schema` option, parsed into a SchemaSpec with positioned errors. */
export function schemaOption(o: { doc?: string; required?: boolean } = {}): Opt<SchemaSpec> {
  const base = opt.node({
    doc: o.doc ?? "Table schema: fields { name = type } or columns = [...], optional primaryKey, constraintKeys, table",
    required: o.required ?? true,
    type: "schema",
    expects: "a schema object with fields or columns",
  });
  return {
    meta: base.meta,
    parse(node) {
      try {
        return { ok: true, value: parseSchema(node) };
      } catch (e) {
        if (e instanceof ConfigError) {
          return { ok: false, error: e };
        }
        throw e;
      }
    },
  };
}
