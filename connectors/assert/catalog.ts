/**
 * `catalog_table_rule` (AssertCatalogTableRuleParser / AssertCatalogTableRule): the input table's
 * primary key, constraint keys, columns and identifier must equal the declared ones. Checked once
 * when the sink is created, against the planned TableSchema.
 */
import type { Column, DataType, Node, ObjectNode, Pos, TableSchema } from "../../src/api/index.ts";
import {
  ConfigError,
  deterministic,
  JobError,
  parseTablePath,
  parseType,
  sameType,
  typeToString,
} from "../../src/api/index.ts";
import { describeNode, getEntry } from "../../src/api/convert.ts";

/** The rows are what they are: an assertion that failed on them fails again when they are read again. */
export const ASSERTION = deterministic("assertion failed");

interface KeyColumn {
  columnName: string;
  sortType: string;
}

interface ConstraintKeyRule {
  constraintType: string;
  constraintName: string;
  columns: KeyColumn[];
}

interface ColumnRule {
  name: string;
  type: DataType;
  columnLength: number;
  nullable: boolean;
  defaultValue: string | null;
  comment: string | null;
}

export interface CatalogRule {
  primaryKey?: { name: string; columns: string[] };
  constraintKeys?: ConstraintKeyRule[];
  columns?: ColumnRule[];
  identifier?: { catalog: string; database?: string; schema?: string; table: string };
  pos: Pos;
}

function fail(message: string, pos: Pos): never {
  throw new ConfigError("CONFIG_OPTION_INVALID", `sink Assert: ${message}`, pos);
}

/** Typesafe getString on a required key. */
function req(o: ObjectNode, key: string, where: string): string {
  const n = getEntry(o, key)?.value;
  if (!n) {
    fail(`${where} needs ${key}`, o.pos);
  }
  if (n.kind !== "scalar" || n.type === "null") {
    fail(`${where}.${key} expects a string, received ${describeNode(n)}`, n.pos);
  }
  return n.text;
}

function opt(o: ObjectNode, key: string): string | undefined {
  const n = getEntry(o, key)?.value;
  return n && n.kind === "scalar" && n.type !== "null" ? n.text : undefined;
}

function obj(n: Node, where: string): ObjectNode {
  return n.kind === "object" ? n : fail(`${where} expects an object, received ${describeNode(n)}`, n.pos);
}

function list(n: Node | undefined, where: string, pos: Pos): Node[] {
  if (!n) {
    fail(`${where} is required`, pos);
  }
  return n.kind === "array" ? n.items : fail(`${where} expects a list, received ${describeNode(n)}`, n.pos);
}

/** ConstraintKey.ConstraintType / ColumnSortType valueOf: exact names. */
function oneOf(value: string, values: readonly string[], where: string, pos: Pos): string {
  return values.includes(value) ? value : fail(`${where} "${value}" is not one of ${values.join(", ")}`, pos);
}

export function parseCatalogRule(o: ObjectNode, where: string): CatalogRule {
  const rule: CatalogRule = { pos: o.pos };
  const pk = getEntry(o, "primary_key_rule")?.value;
  if (pk) {
    const p = obj(pk, `${where}.primary_key_rule`);
    rule.primaryKey = {
      name: req(p, "primary_key_name", `${where}.primary_key_rule`),
      columns: list(
        getEntry(p, "primary_key_columns")?.value,
        `${where}.primary_key_rule.primary_key_columns`,
        p.pos,
      ).map((c) => (c.kind === "scalar" ? c.text : fail("primary_key_columns items must be strings", c.pos))),
    };
  }
  const ck = getEntry(o, "constraint_key_rule");
  if (ck) {
    rule.constraintKeys = list(ck.value, `${where}.constraint_key_rule`, ck.keyPos).map((item, i) => {
      const w = `${where}.constraint_key_rule[${i}]`;
      const c = obj(item, w);
      return {
        constraintType: oneOf(
          req(c, "constraint_key_type", w),
          ["INDEX_KEY", "UNIQUE_KEY", "FOREIGN_KEY", "KEY"],
          `${w}.constraint_key_type`,
          c.pos,
        ),
        constraintName: req(c, "constraint_key_name", w),
        columns: list(getEntry(c, "constraint_key_columns")?.value, `${w}.constraint_key_columns`, c.pos).map(
          (col, j) => {
            const cw = `${w}.constraint_key_columns[${j}]`;
            const co = obj(col, cw);
            return {
              columnName: req(co, "constraint_key_column_name", cw),
              sortType: oneOf(
                req(co, "constraint_key_sort_type", cw),
                ["ASC", "DESC"],
                `${cw}.constraint_key_sort_type`,
                co.pos,
              ),
            };
          },
        ),
      };
    });
  }
  const cr = getEntry(o, "column_rule");
  if (cr) {
    rule.columns = list(cr.value, `${where}.column_rule`, cr.keyPos).map((item, i) => {
      const w = `${where}.column_rule[${i}]`;
      const c = obj(item, w);
      const name = req(c, "name", w);
      const typeText = req(c, "type", w);
      const len = opt(c, "column_length");
      return {
        name,
        type: parseType(typeText, name, getEntry(c, "type")?.value.pos),
        columnLength: len === undefined ? 0 : Number(len),
        nullable: (opt(c, "nullable") ?? "true").toLowerCase() !== "false",
        defaultValue: opt(c, "default_value") ?? null,
        comment: opt(c, "comment") ?? null,
      };
    });
  }
  const ti = getEntry(o, "table_identifier_rule")?.value;
  if (ti) {
    const t = obj(ti, `${where}.table_identifier_rule`);
    const tableText = req(t, "table", `${where}.table_identifier_rule`);
    let path: ReturnType<typeof parseTablePath>;
    try {
      path = parseTablePath(tableText);
    } catch (e) {
      fail(`${where}.table_identifier_rule.table: ${(e as Error).message}`, getEntry(t, "table")?.value.pos ?? t.pos);
    }
    rule.identifier = { catalog: req(t, "catalog_name", `${where}.table_identifier_rule`), ...path };
  }
  return rule;
}

// ------------------------------------------------------------------------------------- checking

/** `ErrorCode:[ASSERT-03], ...`: SeaTunnel's text, after a readable sentence naming the table. */
function failed(table: TableSchema, readable: string, seatunnel: string): never {
  throw new JobError(
    "ASSERT_RULE_FAILED",
    `Assert catalog_table_rule failed on table "${table.id}": ${readable}; ErrorCode:[ASSERT-03], ErrorDescription:[Catalog table failed] - ${seatunnel}`,
    { failure: ASSERTION },
  );
}

const javaList = (xs: readonly string[]) => `[${xs.join(", ")}]`;

/** CollectionUtils.isEqualCollection: the same elements with the same multiplicities. */
function sameBag<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) {
    return false;
  }
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const i = b.findIndex((y, j) => !used[j] && eq(x, y));
    if (i < 0) {
      return false;
    }
    used[i] = true;
    return true;
  });
}

const keyText = (k: ConstraintKeyRule) =>
  `ConstraintKey(constraintType=${k.constraintType}, constraintName=${k.constraintName}, columnNames=[${k.columns.map((c) => `ConstraintKey.ConstraintKeyColumn(columnName=${c.columnName}, sortType=${c.sortType})`).join(", ")}])`;

function actualColumn(c: Column): ColumnRule & { scale?: number } {
  const out: ColumnRule & { scale?: number } = {
    name: c.name,
    type: c.type,
    columnLength: c.columnLength ?? 0,
    nullable: c.nullable,
    defaultValue: c.defaultValue === undefined || c.defaultValue === null ? null : String(c.defaultValue),
    comment: c.comment ?? null,
  };
  if (c.columnScale !== undefined) {
    out.scale = c.columnScale;
  }
  return out;
}

const columnText = (c: ColumnRule) =>
  `${c.name} ${typeToString(c.type)}${c.nullable ? "" : " NOT NULL"}${c.columnLength ? ` length ${c.columnLength}` : ""}${c.defaultValue !== null ? ` DEFAULT ${c.defaultValue}` : ""}${c.comment !== null ? ` COMMENT ${c.comment}` : ""}`;

/** Throws JobError(ASSERT_RULE_FAILED) at the first difference, in SeaTunnel's check order. */
export function checkCatalogRule(rule: CatalogRule, table: TableSchema): void {
  if (rule.primaryKey) {
    const pk = table.primaryKey;
    if (!pk) {
      failed(table, "the table has no primary key", "primaryKey is null");
    }
    if (rule.primaryKey.name !== pk.name) {
      failed(
        table,
        `primary key name "${pk.name}" differs from "${rule.primaryKey.name}"`,
        `primaryKey: ${pk.name} is not equal to ${rule.primaryKey.name}`,
      );
    }
    if (rule.primaryKey.columns.length > 0 && !sameBag(rule.primaryKey.columns, pk.columnNames, (a, b) => a === b)) {
      failed(
        table,
        `primary key columns ${javaList(pk.columnNames)} differ from ${javaList(rule.primaryKey.columns)}`,
        `primaryKey columns: ${javaList(pk.columnNames)} is not equal to ${javaList(rule.primaryKey.columns)}`,
      );
    }
  }
  if (rule.constraintKeys) {
    const actual: ConstraintKeyRule[] = (table.constraintKeys ?? []).map((k) => ({
      constraintType: k.constraintType,
      constraintName: k.constraintName,
      columns: k.constraintColumns.map((c) => ({ columnName: c.columnName, sortType: c.sortType })),
    }));
    if (actual.length === 0) {
      failed(table, "the table has no constraint keys", "constraintKeys is null");
    }
    const eq = (a: ConstraintKeyRule, b: ConstraintKeyRule) => keyText(a) === keyText(b);
    if (rule.constraintKeys.length > 0 && !sameBag(rule.constraintKeys, actual, eq)) {
      const a = javaList(actual.map(keyText));
      const e = javaList(rule.constraintKeys.map(keyText));
      failed(table, `constraint keys ${a} differ from ${e}`, `constraintKeys: ${a} is not equal to ${e}`);
    }
  }
  if (rule.columns) {
    const actual = table.columns.map(actualColumn);
    if (actual.length === 0) {
      failed(table, "the table has no columns", "columns is null");
    }
    const eq = (a: ColumnRule & { scale?: number }, b: ColumnRule & { scale?: number }) =>
      a.name === b.name &&
      sameType(a.type, b.type) &&
      a.columnLength === b.columnLength &&
      a.nullable === b.nullable &&
      a.defaultValue === b.defaultValue &&
      a.comment === b.comment &&
      a.scale === b.scale;
    if (rule.columns.length > 0 && !sameBag(rule.columns, actual, eq)) {
      const a = javaList(actual.map(columnText));
      const e = javaList(rule.columns.map(columnText));
      failed(table, `columns ${a} differ from ${e}`, `columns: ${a} is not equal to ${e}`);
    }
  }
  if (rule.identifier) {
    const want = rule.identifier;
    const p = table.path;
    // The catalog (source plugin) name is compared only when the planner recorded one.
    const catalog = (table as TableSchema & { catalog?: string }).catalog;
    const same =
      (catalog === undefined || catalog === want.catalog) &&
      (p.database ?? "") === (want.database ?? "") &&
      (p.schema ?? "") === (want.schema ?? "") &&
      p.table === want.table;
    if (!same) {
      const a = [catalog ?? want.catalog, p.database, p.schema, p.table].filter((x) => x !== undefined).join(".");
      const e = [want.catalog, want.database, want.schema, want.table].filter((x) => x !== undefined).join(".");
      failed(table, `table identifier ${a} differs from ${e}`, `tableIdentifier: ${a} is not equal to ${e}`);
    }
  }
}
