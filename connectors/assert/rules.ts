/**
 * The Assert sink's `rules` block (AssertSink / AssertRuleParser / AssertConfig), parsed from the
 * positioned tree so every mistake is reported at its line. Shapes follow SeaTunnel: top-level
 * `row_rules` / `field_rules` / `catalog_table_rule` apply to every input table, unless
 * `tables_configs` is present, in which case only its per-`table_path` entries count.
 */
import type { DataType, Node, ObjectNode, Pos } from "../../src/api/index.ts";
import { ConfigError, parseTypeNode, typeToString } from "../../src/api/index.ts";
import { describeNode, getEntry } from "../../src/api/convert.ts";
import { javaDouble } from "../../src/api/format.ts";
import { parseCatalogRule, type CatalogRule } from "./catalog.ts";

export const RULE_TYPES = ["NULL", "NOT_NULL", "MIN", "MAX", "MIN_LENGTH", "MAX_LENGTH", "MAX_ROW", "MIN_ROW"] as const;
export type RuleType = (typeof RULE_TYPES)[number];
const NEEDS_VALUE = new Set<RuleType>(["MIN", "MAX", "MIN_LENGTH", "MAX_LENGTH", "MAX_ROW", "MIN_ROW"]);

/** One `{ rule_type, rule_value, equals_to }` item (AssertFieldRule.AssertRule). */
export interface ValueRule {
  ruleType?: RuleType;
  ruleValue?: number;
  /** The written `equals_to`, converted per column type when the sink is created. */
  equalsTo?: Node;
  pos: Pos;
  /** Lombok's toString, as SeaTunnel's failure messages print the rule. */
  text: string;
}

/** One `field_rules` item (AssertFieldRule). */
export interface FieldRule {
  fieldName: string;
  fieldType: DataType;
  rules: ValueRule[];
  pos: Pos;
  text: string;
}

/** The rules of one table (top level, or one `tables_configs` item). Absent keys stay undefined. */
export interface TableRules {
  rowRules?: ValueRule[];
  fieldRules?: FieldRule[];
  catalog?: CatalogRule;
  pos: Pos;
}

export interface AssertRules {
  /** Top-level rules, applied to every input table; undefined when `tables_configs` is used. */
  each?: TableRules;
  /** `tables_configs` by `table_path`, in file order. */
  tables?: Map<string, TableRules>;
  /** `table-names`: the exact set of table ids the sink must have seen. */
  tableNames: string[];
  /** Keys SeaTunnel would ignore silently; the sink logs them as warnings. */
  warnings: string[];
}

const at = (n: { pos: Pos }) => `${n.pos.file}:${n.pos.line}:${n.pos.col}`;

function fail(message: string, pos: Pos): never {
  throw new ConfigError("CONFIG_OPTION_INVALID", `sink Assert: ${message}`, pos);
}

function expectObject(n: Node, what: string): ObjectNode {
  return n.kind === "object" ? n : fail(`${what} expects an object, received ${describeNode(n)}`, n.pos);
}

function expectList(n: Node, what: string): Node[] {
  return n.kind === "array" ? n.items : fail(`${what} expects a list, received ${describeNode(n)}`, n.pos);
}

function text(n: Node, what: string): string {
  return n.kind === "scalar" && n.type !== "null"
    ? n.text
    : fail(`${what} expects a string, received ${describeNode(n)}`, n.pos);
}

/** Typesafe's getDouble: numbers and numeric strings. */
function double(n: Node, what: string): number {
  const t = n.kind === "scalar" && n.type !== "null" ? n.text.trim() : "";
  const x = Number(t);
  return t !== "" && Number.isFinite(x) ? x : fail(`${what} expects a number, received ${describeNode(n)}`, n.pos);
}

/** Warns about keys outside `known`: SeaTunnel ignores them, which usually hides a typo. */
function unknownKeys(o: ObjectNode, known: readonly string[], where: string, warnings: string[]): void {
  for (const e of o.entries) {
    if (!known.includes(e.key)) {
      warnings.push(
        `${at({ pos: e.keyPos })} sink Assert: key "${e.key}" in ${where} is not used by Assert (known: ${known.join(", ")})`,
      );
    }
  }
}

function parseValueRule(n: Node, where: string, warnings: string[]): ValueRule {
  const o = expectObject(n, where);
  unknownKeys(o, ["rule_type", "rule_value", "equals_to"], where, warnings);
  const rule: ValueRule = { pos: o.pos, text: "" };
  const rt = getEntry(o, "rule_type")?.value;
  if (rt) {
    const name = text(rt, `${where}.rule_type`);
    // AssertRuleType.valueOf: the exact upper-case name.
    if (!(RULE_TYPES as readonly string[]).includes(name)) {
      const hint = RULE_TYPES.find((t) => t === name.toUpperCase());
      fail(
        `${where}.rule_type "${name}" is not one of ${RULE_TYPES.join(", ")}${hint ? `; did you mean "${hint}"?` : ""}`,
        rt.pos,
      );
    }
    rule.ruleType = name as RuleType;
  }
  const rv = getEntry(o, "rule_value")?.value;
  if (rv) {
    rule.ruleValue = double(rv, `${where}.rule_value`);
  }
  if (rule.ruleType && NEEDS_VALUE.has(rule.ruleType) && rule.ruleValue === undefined) {
    fail(`${where}: rule_type ${rule.ruleType} needs a numeric rule_value`, o.pos);
  }
  // Typesafe's hasPath is false for `equals_to = null`, so a null behaves like no equals_to.
  const eq = getEntry(o, "equals_to")?.value;
  if (eq && !(eq.kind === "scalar" && eq.type === "null")) {
    rule.equalsTo = eq;
  }
  rule.text = `AssertFieldRule.AssertRule(ruleType=${rule.ruleType ?? "null"}, ruleValue=${rule.ruleValue === undefined ? "null" : javaDouble(rule.ruleValue)}, equalTo=${rule.equalsTo ? unwrapped(rule.equalsTo) : "null"})`;
  return rule;
}

function parseFieldRule(n: Node, where: string, warnings: string[]): FieldRule {
  const o = expectObject(n, where);
  unknownKeys(o, ["field_name", "field_type", "field_value"], where, warnings);
  const name = getEntry(o, "field_name")?.value;
  if (!name) {
    fail(`${where} needs field_name`, o.pos);
  }
  const fieldName = text(name, `${where}.field_name`);
  const typeNode = getEntry(o, "field_type")?.value;
  // SeaTunnel fails with a NullPointerException at the first row without these two; say so up front.
  if (!typeNode) {
    fail(`${where} (field "${fieldName}") needs field_type, e.g. field_type = string`, o.pos);
  }
  if (typeNode.kind === "array" || (typeNode.kind === "scalar" && typeNode.type !== "string")) {
    fail(
      `${where}.field_type expects a type name or an object (row type), received ${describeNode(typeNode)}`,
      typeNode.pos,
    );
  }
  const fieldType = parseTypeNode(typeNode, fieldName);
  const values = getEntry(o, "field_value")?.value;
  if (!values) {
    fail(`${where} (field "${fieldName}") needs field_value = [ { rule_type = ... } ]`, o.pos);
  }
  const rules = expectList(values, `${where}.field_value`).map((v, i) =>
    parseValueRule(v, `${where}.field_value[${i}]`, warnings),
  );
  const textForm = `AssertFieldRule(fieldName=${fieldName}, fieldType=${typeToString(fieldType)}, fieldRules=[${rules.map((r) => r.text).join(", ")}])`;
  return { fieldName, fieldType, rules, pos: o.pos, text: textForm };
}

const TABLE_KEYS = ["row_rules", "field_rules", "catalog_table_rule"];

function parseTableRules(o: ObjectNode, where: string, warnings: string[]): TableRules {
  const t: TableRules = { pos: o.pos };
  const rows = getEntry(o, "row_rules")?.value;
  if (rows) {
    t.rowRules = expectList(rows, `${where}row_rules`).map((r, i) =>
      parseValueRule(r, `${where}row_rules[${i}]`, warnings),
    );
  }
  const fields = getEntry(o, "field_rules")?.value;
  if (fields) {
    t.fieldRules = expectList(fields, `${where}field_rules`).map((r, i) =>
      parseFieldRule(r, `${where}field_rules[${i}]`, warnings),
    );
  }
  const catalog = getEntry(o, "catalog_table_rule")?.value;
  if (catalog) {
    t.catalog = parseCatalogRule(expectObject(catalog, `${where}catalog_table_rule`), `${where}catalog_table_rule`);
  }
  return t;
}

const isEmpty = (t: TableRules) => !t.rowRules && !t.fieldRules && !t.catalog;

/** Parses the `rules` option; throws ConfigError at the offending node. */
export function parseRules(node: Node): AssertRules {
  const o = expectObject(node, 'option "rules"');
  const warnings: string[] = [];
  const out: AssertRules = { tableNames: [], warnings };
  const names = getEntry(o, "table-names")?.value;
  if (names) {
    out.tableNames = expectList(names, "rules.table-names").map((n) => text(n, "rules.table-names item"));
  }
  const configs = getEntry(o, "tables_configs")?.value;
  if (configs) {
    out.tables = new Map();
    expectList(configs, "rules.tables_configs").forEach((item, i) => {
      const where = `rules.tables_configs[${i}].`;
      const io = expectObject(item, `rules.tables_configs[${i}]`);
      unknownKeys(io, ["table_path", ...TABLE_KEYS], `rules.tables_configs[${i}]`, warnings);
      const path = getEntry(io, "table_path")?.value;
      if (!path) {
        fail(`rules.tables_configs[${i}] needs table_path = "db.table"`, io.pos);
      }
      out.tables!.set(text(path, `${where}table_path`), parseTableRules(io, where, warnings));
    });
    for (const k of TABLE_KEYS) {
      const e = getEntry(o, k);
      if (e) {
        warnings.push(
          `${at({ pos: e.keyPos })} sink Assert: rules.${k} is ignored because rules.tables_configs is set; move it into a tables_configs item`,
        );
      }
    }
  } else {
    out.each = parseTableRules(o, "rules.", warnings);
  }
  unknownKeys(o, ["table-names", "tables_configs", ...TABLE_KEYS], "rules", warnings);
  const noRules = out.tables ? [...out.tables.values()].every(isEmpty) : isEmpty(out.each!);
  if (noRules && out.tableNames.length === 0) {
    fail(
      "Assert rule config is empty, please add rule config (row_rules, field_rules, catalog_table_rule, table-names or tables_configs)",
      o.pos,
    );
  }
  return out;
}

// ------------------------------------------------------------------ Java toString of equals_to

/** Typesafe `unwrapped()` printed by Java: ints/longs as written, other numbers as Double, maps in HashMap order. */
export function unwrapped(n: Node): string {
  if (n.kind === "array") {
    return `[${n.items.map(unwrapped).join(", ")}]`;
  }
  if (n.kind === "object") {
    const byKey = new Map(n.entries.map((e) => [e.key, e.value]));
    return `{${hashMapOrder([...byKey.keys()])
      .map((k) => `${k}=${unwrapped(byKey.get(k)!)}`)
      .join(", ")}}`;
  }
  if (n.type !== "number") {
    return n.text;
  }
  if (/^-?\d+$/.test(n.text)) {
    const b = BigInt(n.text);
    if (b >= -(2n ** 63n) && b < 2n ** 63n) {
      return b.toString();
    }
  }
  return javaDouble(Number(n.text));
}

function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  }
  return h;
}

/** Iteration order of a java.util.HashMap filled with these String keys in this order. */
export function hashMapOrder(keys: string[]): string[] {
  let cap = 16;
  while (keys.length > cap * 0.75) {
    cap *= 2;
  }
  const bucket = (k: string) => {
    const h = javaHash(k);
    return (h ^ (h >>> 16)) & (cap - 1);
  };
  return keys
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.k);
}
