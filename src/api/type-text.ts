/**
 * Type names as job files write them, read as SeaTunnel 2.3.8's SeaTunnelDataTypeConvertorUtil
 * reads them: what it accepts is accepted, what it refuses is refused with a positioned ConfigError
 * (CONFIG_TYPE_INVALID) naming the field, the way SeaTunnel's "unsupported data type '<type>' of
 * '<field>'" does.
 *
 * - a SqlType name, any case, spaces ignored; `long`, `short`, `byte` for bigint, smallint, tinyint;
 * - `decimal(p, s)`: the text is cut at its commas and each side keeps its digits, so any spacing
 *   and case is fine and precision and scale are not checked against each other; `decimal` alone
 *   or `decimal(p)` is refused;
 * - `array<T>` with T one of string, boolean, tinyint, smallint, int, bigint, float, double
 *   (SeaTunnel's ArrayType constants); anything else, rows included, is refused;
 * - `map<K, V>`, cut at the first comma (the second when K is a decimal); K must be a kind
 *   MapType accepts as key, V may be any type, a row written `{ ... }` included;
 * - a text starting with `{`: a row in HOCON object syntax (see parseRowText).
 * SeaTunnel's vector types are refused: this engine has no vector values.
 */
import { ConfigError, didYouMean } from "./errors.ts";
import type { Pos } from "./tree.ts";
import { type DataType, T, typeToString } from "./types.ts";

const PRIMITIVE = new Set<string>([
  "string",
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "float",
  "double",
  "null",
  "bytes",
  "date",
  "time",
  "timestamp",
]);
const ALIASES: Record<string, DataType> = { long: T.bigint, short: T.smallint, byte: T.tinyint };
/** Type names from other systems that people write for ours. */
const TYPE_HINTS: Record<string, string> = {
  integer: "int",
  bool: "boolean",
  varchar: "string",
  text: "string",
  char: "string",
  datetime: "timestamp",
  binary: "bytes",
  real: "float",
  numeric: "decimal(p, s)",
};
/** SeaTunnel's ArrayType constants: the only element kinds an array type may name. */
const ARRAY_ELEMENTS = new Set(["string", "boolean", "tinyint", "smallint", "int", "bigint", "float", "double"]);
/** MapType.SUPPORTED_KEY_TYPES. */
const MAP_KEYS = new Set([
  "null",
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "date",
  "time",
  "timestamp",
  "float",
  "double",
  "string",
  "decimal",
]);
const VECTORS = new Set(["binary_vector", "float_vector", "float16_vector", "bfloat16_vector", "sparse_float_vector"]);
/** SqlType names that are no type without their parameters. */
const BARE: Record<string, string> = {
  decimal: "decimal(p, s)",
  array: "array<T>",
  map: "map<K, V>",
  row: "a row { name = type, ... }",
  multiple_row: "a row { name = type, ... }",
};
const EXPECTED =
  "string, boolean, tinyint, smallint, int, bigint, float, double, decimal(p, s), null, bytes, date, time, timestamp, array<T>, map<K, V> or a nested row";

class TypeText {
  constructor(
    readonly field: string,
    readonly pos: Pos | undefined,
  ) {}

  fail(message: string): never {
    throw new ConfigError("CONFIG_TYPE_INVALID", `${this.field ? `field "${this.field}": ` : ""}${message}`, this.pos);
  }

  unsupported(text: string, why = ""): never {
    const compact = text.toLowerCase().replace(/\s+/g, "");
    const hint = TYPE_HINTS[compact] ?? (why ? undefined : didYouMean(compact, PRIMITIVE));
    return this.fail(
      `expected a data type (${EXPECTED}), received "${text}"${why}${hint ? `; did you mean "${hint}"?` : ""}`,
    );
  }
}

/**
 * Parses a type name as written in `schema.fields`, `columns[].type` or Assert `field_type`.
 * `field` names the field in errors and `pos` places them. Throws ConfigError(CONFIG_TYPE_INVALID).
 */
export function parseType(text: string, field = "", pos?: Pos): DataType {
  return typeOf(text, new TypeText(field, pos));
}

function typeOf(text: string, c: TypeText): DataType {
  const t = text.trim();
  const alias = ALIASES[t.toLowerCase()];
  if (alias) {
    return alias;
  }
  const compact = t.toLowerCase().replace(/\s+/g, "");
  if (PRIMITIVE.has(compact)) {
    return { kind: compact } as DataType;
  }
  if (VECTORS.has(compact)) {
    return c.fail(`"${t}" is one of SeaTunnel's vector types, which this engine does not support`);
  }
  if (BARE[compact]) {
    return c.unsupported(t, ` (${compact} needs its parameters: ${BARE[compact]})`);
  }
  if (compact.startsWith("map")) {
    return mapOf(t, c);
  }
  if (compact.startsWith("array")) {
    return arrayOf(t, c);
  }
  if (compact.startsWith("decimal")) {
    return decimalOf(t, c);
  }
  if (t.startsWith("{")) {
    return parseRowText(t, c);
  }
  return c.unsupported(t);
}

/** What is between the first `<` and the last `>` (getGenericType); the text must end there. */
function generic(t: string, shape: string, c: TypeText): string {
  const open = t.indexOf("<");
  if (open < 0 || !t.endsWith(">")) {
    return c.unsupported(t, ` (expected ${shape})`);
  }
  return t.slice(open + 1, -1).trim();
}

function decimalOf(t: string, c: TypeText): DataType {
  const parts = t.split(",");
  if (parts.length < 2) {
    return c.fail(
      `decimal type should assign precision and scale information, such as "decimal(10, 2)", received "${t}"`,
    );
  }
  const [precision, scale] = [parts[0]!, parts[1]!].map((p) => p.replace(/\D/g, ""));
  const valid = (d: string) => d !== "" && Number(d) <= 2147483647;
  if (!valid(precision!) || !valid(scale!)) {
    return c.unsupported(t, " (precision and scale must be whole numbers: decimal(10, 2))");
  }
  return T.decimal(Number(precision), Number(scale));
}

function arrayOf(t: string, c: TypeText): DataType {
  const el = generic(t, "array<T>", c);
  const element = typeOf(el, c);
  if (!ARRAY_ELEMENTS.has(element.kind)) {
    return c.fail(
      `unsupported data type "${el}" as array element: array elements must be string, boolean, tinyint, smallint, int, bigint, float or double, received "${t}"`,
    );
  }
  return T.array(element);
}

function mapOf(t: string, c: TypeText): DataType {
  const inner = generic(t, "map<K, V>", c);
  // Cut as SeaTunnel's parseMapType cuts: at the first comma, or the second after a decimal key.
  const first = inner.indexOf(",");
  const cut = inner.toLowerCase().startsWith("decimal") ? inner.indexOf(",", first + 1) : first;
  if (first < 0 || cut < 0) {
    return c.unsupported(t, " (expected map<K, V>)");
  }
  const key = typeOf(inner.slice(0, cut), c);
  if (!MAP_KEYS.has(key.kind)) {
    return c.fail(
      `unsupported key type ${typeToString(key)} in "${t}": map keys must be null, boolean, tinyint, smallint, int, bigint, date, time, timestamp, float, double, string or decimal`,
    );
  }
  return T.map(key, typeOf(inner.slice(cut + 1), c));
}

/**
 * A row type written as text, as SeaTunnel reads a type string that starts with `{`: parsed as the
 * HOCON object `{conf = <text>}` would be. Fields are `name = type`, `name: type` or `name { ... }`,
 * apart by commas or new lines; names and types may be double-quoted (JSON style); a field's type
 * is a type name (a string) or a nested row. A later field of the same name replaces the earlier
 * one in its place (rows merge), as HOCON does. Unquoted, a type containing a comma
 * (`decimal(10, 2)`, `map<K, V>`) is cut there by HOCON, so it must be quoted; HOCON's unquoted
 * `null`, numbers, booleans and lists are not type names.
 */
function parseRowText(t: string, c: TypeText): DataType {
  const bad = (why: string): never => c.fail(`a row type is written { name = type, ... }, received "${t}" (${why})`);
  if (!t.endsWith("}")) {
    return bad("no closing }");
  }
  const fields: { name: string; type: DataType }[] = [];
  for (const item of splitHocon(t.slice(1, -1))) {
    const text = item.trim();
    if (text === "") {
      continue;
    }
    const sep = text.search(/[=:{]/);
    const keyEnd = text.startsWith('"') ? text.indexOf('"', 1) + 1 : sep;
    if (keyEnd <= 0) {
      return bad(`"${text}" is not name = type`);
    }
    const name = unquote(text.slice(0, keyEnd).trim());
    let value = text.slice(keyEnd).trim();
    if (value.startsWith("=") || value.startsWith(":")) {
      value = value.slice(1).trim();
    }
    if (value === "") {
      return bad(`"${text}" has no type`);
    }
    const fc = new TypeText(name, c.pos);
    merge(fields, name, rowFieldType(value, fc, bad));
  }
  return { kind: "row", fields };
}

/** The type of one field of a row written as text. */
function rowFieldType(value: string, c: TypeText, bad: (why: string) => never): DataType {
  if (value.startsWith("{")) {
    return parseRowText(value, c);
  }
  if (value.startsWith("[")) {
    return bad(`field "${c.field}" is a list; a field's type is a type name or a row`);
  }
  if (value.startsWith('"')) {
    return typeOf(unquote(value), c);
  }
  if (value === "null") {
    return bad(`field "${c.field}" is HOCON's null; the null type is written "null", quoted`);
  }
  if (unbalanced(value)) {
    return bad(`the type of "${c.field}" is cut at a comma: quote a type with commas, "${value}, …"`);
  }
  return typeOf(value, c);
}

/** True when `(` or `<` outnumber their closers: an unquoted type HOCON cut at a comma. */
function unbalanced(text: string | undefined): boolean {
  if (!text) {
    return false;
  }
  const count = (ch: string) => text.split(ch).length - 1;
  return count("(") > count(")") || count("<") > count(">");
}

/** Adds a field, or replaces the type of one of the same name in place (two rows merge). */
function merge(fields: { name: string; type: DataType }[], name: string, type: DataType): void {
  const at = fields.findIndex((f) => f.name === name);
  if (at < 0) {
    fields.push({ name, type });
    return;
  }
  const old = fields[at]!.type;
  if (old.kind === "row" && type.kind === "row") {
    const merged = [...old.fields];
    for (const f of type.fields) {
      merge(merged, f.name, f.type);
    }
    fields[at] = { name, type: { kind: "row", fields: merged } };
  } else {
    fields[at] = { name, type };
  }
}

const unquote = (s: string): string => {
  if (!/^".*"$/s.test(s)) {
    return s;
  }
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
};

/** Cuts a HOCON object body at commas and new lines outside {}, [] and double quotes. */
function splitHocon(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === "\\") {
        i++;
      } else if (ch === '"') {
        quoted = false;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === "{" || ch === "[") {
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
    } else if (depth === 0 && (ch === "," || ch === "\n")) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}
