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
    throw new ConfigError(
      "CONFIG_TYPE_INVALID",
      `field "${field}": expects a type name, received ${describeNode(n)}`,
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
    if (columns.value.kind !== "array") {
      throw new ConfigError(
        "CONFIG_SCHEMA_INVALID",
        `schema.columns expects a list, received ${describeNode(columns.value)}`,
        columns.value.pos,
      );
    }
    spec.columns = columns.value.items.map((item) => parseColumn(expectObject(item, "schema.columns item")));
  }
  const pk = getEntry(obj, "primaryKey");
  if (pk) {
    const o = expectObject(pk.value, "schema.primaryKey");
    const name = str(getEntry(o, "name")?.value);
    const cols = getEntry(o, "columnNames")?.value;
    if (name === undefined || !cols || cols.kind !== "array") {
      throw new ConfigError(
        "CONFIG_SCHEMA_INVALID",
        "schema.primaryKey needs both name and columnNames = [...]",
        pk.keyPos,
      );
    }
    spec.primaryKey = { name, columnNames: cols.items.map((c) => str(c) ?? "") };
  }
  const ck = getEntry(obj, "constraintKeys");
  if (ck && ck.value.kind === "array") {
    spec.constraintKeys = ck.value.items.map((item) => {
      const o = expectObject(item, "schema.constraintKeys item");
      const cc = getEntry(o, "constraintColumns")?.value;
      return {
        constraintName: str(getEntry(o, "constraintName")?.value) ?? "",
        constraintType: (
          str(getEntry(o, "constraintType")?.value) ?? "KEY"
        ).toUpperCase() as ConstraintKey["constraintType"],
        constraintColumns:
          cc && cc.kind === "array"
            ? cc.items.map((c) => {
                const co = expectObject(c, "constraintColumns item");
                return {
                  columnName: str(getEntry(co, "columnName")?.value) ?? "",
                  sortType: (str(getEntry(co, "sortType")?.value) ?? "ASC").toUpperCase() as "ASC" | "DESC",
                };
              })
            : [],
      };
    });
  }
  spec.table = str(getEntry(obj, "table")?.value);
  spec.schemaFirst = str(getEntry(obj, "schema_first")?.value)?.toLowerCase() === "true";
  spec.comment = str(getEntry(obj, "comment")?.value);
  return spec;
}

function parseColumn(o: ObjectNode): Column {
  const name = str(getEntry(o, "name")?.value);
  const typeNode = getEntry(o, "type")?.value;
  if (name === undefined || !typeNode) {
    throw new ConfigError("CONFIG_SCHEMA_INVALID", "schema.columns item needs name and type", o.pos);
  }
  const col: Column = {
    name,
    type: parseTypeNode(typeNode, name),
    nullable: str(getEntry(o, "nullable")?.value)?.toLowerCase() !== "false",
  };
  const dv = getEntry(o, "defaultValue")?.value;
  if (dv && !(dv.kind === "scalar" && dv.type === "null")) {
    col.defaultValue = dv.kind === "scalar" ? dv.text : dv;
  }
  const comment = str(getEntry(o, "comment")?.value);
  if (comment !== undefined) {
    col.comment = comment;
  }
  const len = str(getEntry(o, "columnLength")?.value);
  if (len !== undefined && len !== "0") {
    col.columnLength = Number(len);
  }
  const scale = str(getEntry(o, "columnScale")?.value);
  if (scale !== undefined) {
    col.columnScale = Number(scale);
  }
  return col;
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
