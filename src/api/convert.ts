/**
 * Config value → row value for a declared SeaTunnel type. Used wherever a job file writes data
 * literally: FakeSource `rows[].fields` and column `defaultValue`, the Assert sink's `equals_to`.
 * Mirrors SeaTunnel's JSON→row converter (JsonToRowConverters): numbers from numbers or numeric
 * strings, `bigint` exact from the written digits, decimals re-scaled to the declared scale,
 * date/time/timestamp from ISO-ish strings or `CURRENT_*`, bytes from base64 (or UTF-8 text when
 * the caller asks, as FakeSource's `defaultValue` does), lists, maps and nested rows.
 */
import type { Node, Pos, ScalarNode } from "./tree.ts";
import { arrayNode, describeNode, objectNode, scalar, toPlain } from "./tree.ts";
import { ConfigError } from "./errors.ts";
import { type DataType, Decimal, LocalDate, LocalDateTime, LocalTime, typeToString } from "./types.ts";

export interface ConvertOptions {
  /** How a string becomes `bytes`: base64 (SeaTunnel's JSON reader, default) or UTF-8 text. */
  bytes?: "base64" | "utf8";
  /** The clock behind CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP (tests inject one). */
  now?: () => Date;
}

const INT_RANGE = { tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647] } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INTEGER = /^[+-]?\d+$/;
/** Java's Float/Double.parseFloat accepts a trailing type suffix and NaN/Infinity. */
const FLOATING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$/;

/**
 * Converts `node` into the JS value of `type` (see types.ts for the value classes). `field` names
 * the value in errors (`age`, `r.a`, `tags[2]`). Throws ConfigError(CONFIG_VALUE_INVALID) at the
 * node's position when the value cannot become the type.
 */
export function valueFromConfig(node: Node, type: DataType, field: string, o: ConvertOptions = {}): unknown {
  if (node.kind === "scalar" && node.type === "null") {
    return null;
  }
  const fail = (detail = ""): never => {
    throw new ConfigError(
      "CONFIG_VALUE_INVALID",
      `${field === "" ? "value" : `field "${field}"`} expects ${typeLabel(type)}, received ${describeNode(node)}${detail}`,
      node.pos,
    );
  };
  switch (type.kind) {
    case "null":
      return null;
    case "string":
      return node.kind === "scalar" ? node.text : JSON.stringify(toPlain(node));
    case "boolean": {
      const t = scalarText(node, fail).trim().toLowerCase();
      return t === "true" ? true : t === "false" ? false : fail();
    }
    case "tinyint":
    case "smallint":
    case "int":
      // Jackson truncates a fractional number for int (asInt); tinyint/smallint go through parseByte/parseShort.
      return toInt(scalarOf(node, fail), INT_RANGE[type.kind], type.kind === "int", fail);
    case "bigint":
      return toLong(scalarOf(node, fail), fail);
    case "float":
    case "double": {
      const x = toFloating(scalarText(node, fail), fail);
      return type.kind === "float" ? Math.fround(x) : x;
    }
    case "decimal":
      return toDecimal(scalarText(node, fail), type.scale, fail);
    case "date":
    case "time":
    case "timestamp":
      return toTemporal(type.kind, scalarText(node, fail), o, fail);
    case "bytes":
      return toBytes(node, o.bytes ?? "base64", fail);
    case "array":
      if (node.kind !== "array") {
        return fail();
      }
      return node.items.map((item, i) => valueFromConfig(item, type.element, `${field}[${i}]`, o));
    case "map": {
      if (node.kind !== "object") {
        return fail();
      }
      const out = new Map<unknown, unknown>();
      for (const e of node.entries) {
        const key = valueFromConfig(scalar("string", e.key, e.keyPos, true), type.key, `${field}.${e.key}`, o);
        out.set(key, valueFromConfig(e.value, type.value, `${field}.${e.key}`, o));
      }
      return out;
    }
    case "row":
      return toRow(node, type.fields, field, o, fail);
  }
}

/** Like valueFromConfig for an already-plain JS value (JSON.parse output, toPlain, a REST body). */
export function valueFromPlain(value: unknown, type: DataType, field = "", o: ConvertOptions = {}, pos?: Pos): unknown {
  return valueFromConfig(plainToNode(value, pos), type, field, o);
}

const NO_POS: Pos = { file: "<value>", line: 1, col: 1 };

/** A plain JS value as a tree node (every node at `pos`); bigint and numbers keep their digits. */
export function plainToNode(value: unknown, pos: Pos = NO_POS): Node {
  if (value === null || value === undefined) {
    return scalar("null", "null", pos);
  }
  if (typeof value === "boolean") {
    return scalar("boolean", String(value), pos);
  }
  if (typeof value === "number" || typeof value === "bigint") {
    return scalar("number", String(value), pos);
  }
  if (typeof value === "string") {
    return scalar("string", value, pos, true);
  }
  if (Array.isArray(value)) {
    return arrayNode(
      value.map((v) => plainToNode(v, pos)),
      pos,
    );
  }
  if (value instanceof Map) {
    return objectNode(
      [...value].map(([k, v]) => ({ key: String(k), keyPos: pos, value: plainToNode(v, pos) })),
      pos,
    );
  }
  if (typeof value === "object" && value.constructor === Object) {
    return objectNode(
      Object.entries(value).map(([k, v]) => ({ key: k, keyPos: pos, value: plainToNode(v, pos) })),
      pos,
    );
  }
  return scalar("string", String(value), pos, true);
}

/** How a type is named in messages: `int`, `decimal(10, 2)`, `array<int>`, `a row`. */
export function typeLabel(t: DataType): string {
  return t.kind === "row" ? "a row (a list or an object)" : typeToString(t).toLowerCase();
}

function scalarOf(node: Node, fail: () => never): ScalarNode {
  return node.kind === "scalar" ? node : fail();
}

function scalarText(node: Node, fail: () => never): string {
  return scalarOf(node, fail).text;
}

/** Numbers written as numbers truncate like Jackson's asInt; strings must be integers (parseInt). */
function toInt(
  n: ScalarNode,
  [lo, hi]: readonly [number, number],
  truncate: boolean,
  fail: (d?: string) => never,
): number {
  const t = n.text.trim();
  let x: number;
  if (INTEGER.test(t)) {
    x = Number(t);
  } else if (truncate && n.type === "number" && FLOATING.test(t)) {
    x = Math.trunc(Number(t));
  } else {
    return fail();
  }
  return x >= lo && x <= hi ? x : fail(` (out of range ${lo} to ${hi})`);
}

function toLong(n: ScalarNode, fail: (d?: string) => never): bigint {
  const t = n.text.trim();
  let x: bigint;
  if (INTEGER.test(t)) {
    x = BigInt(t);
  } else if (n.type === "number" && FLOATING.test(t)) {
    x = BigInt(Math.trunc(Number(t)));
  } else {
    return fail();
  }
  return x >= LONG_MIN && x <= LONG_MAX ? x : fail(" (out of the 64-bit range)");
}

function toFloating(text: string, fail: () => never): number {
  const t = text.trim();
  if (t === "NaN") {
    return Number.NaN;
  }
  if (/^[+-]?Infinity$/.test(t)) {
    return t.startsWith("-") ? -Infinity : Infinity;
  }
  return FLOATING.test(t) ? Number(t.replace(/[fFdD]$/, "")) : fail();
}

function toDecimal(text: string, scale: number, fail: () => never): Decimal {
  let d: Decimal;
  try {
    d = Decimal.parse(text);
  } catch {
    return fail();
  }
  return d.setScale(scale);
}

function toTemporal(
  kind: "date" | "time" | "timestamp",
  text: string,
  o: ConvertOptions,
  fail: () => never,
): LocalDate | LocalTime | LocalDateTime {
  const t = text.trim();
  const upper = t.toUpperCase();
  if (kind === "date") {
    return upper === "CURRENT_DATE" ? nowDateTime(o.now).date : (parseDateText(t) ?? fail());
  }
  if (kind === "time") {
    return upper === "CURRENT_TIME" ? nowDateTime(o.now).time : (parseTimeText(t) ?? fail());
  }
  return upper === "CURRENT_TIMESTAMP" ? nowDateTime(o.now) : (parseTimestampText(t) ?? fail());
}

function toBytes(node: Node, mode: "base64" | "utf8", fail: (d?: string) => never): Uint8Array {
  if (node.kind === "array") {
    const out = new Uint8Array(node.items.length);
    node.items.forEach((item, i) => {
      const t = item.kind === "scalar" ? item.text.trim() : "";
      const x = Number(t);
      if (!INTEGER.test(t) || x < -128 || x > 255) {
        fail(` (item ${i} is not a byte)`);
      }
      out[i] = x & 0xff;
    });
    return out;
  }
  const text = scalarText(node, fail);
  if (mode === "utf8") {
    return new TextEncoder().encode(text);
  }
  const b64 = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) {
    fail(" (not base64)");
  }
  return Uint8Array.from(Buffer.from(b64, "base64"));
}

/** A row from a list (by position) or an object (by name); missing fields are null, extra items ignored. */
function toRow(
  node: Node,
  fields: { name: string; type: DataType }[],
  field: string,
  o: ConvertOptions,
  fail: () => never,
): unknown[] {
  const prefix = field === "" ? "" : `${field}.`;
  if (node.kind === "array") {
    return fields.map((f, i) => {
      const item = node.items[i];
      return item === undefined ? null : valueFromConfig(item, f.type, prefix + f.name, o);
    });
  }
  if (node.kind !== "object") {
    return fail();
  }
  return fields.map((f) => {
    const e = node.entries.find((x) => x.key === f.name);
    return e === undefined ? null : valueFromConfig(e.value, f.type, prefix + f.name, o);
  });
}

/** The local wall-clock now, as SeaTunnel's LocalDateTime.now() (millisecond precision). */
export function nowDateTime(clock: () => Date = () => new Date()): LocalDateTime {
  const d = clock();
  return new LocalDateTime(
    new LocalDate(d.getFullYear(), d.getMonth() + 1, d.getDate()),
    new LocalTime(d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds() * 1_000_000),
  );
}

const DATE_FORMS = [
  /^(-?\d{4,})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/**
 * A date in the forms SeaTunnel's DateUtils matches (`2024-01-01`, `2024/1/1`, `2024.01.01`,
 * `20240101`); undefined when the text is none of them or not a calendar day.
 */
export function parseDateText(text: string): LocalDate | undefined {
  for (const re of DATE_FORMS) {
    const m = re.exec(text.trim());
    if (!m) {
      continue;
    }
    const d = new LocalDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d.isValid() ? d : undefined;
  }
  return undefined;
}

/** `HH:mm[:ss[.fffffffff]]`; undefined otherwise. */
export function parseTimeText(text: string): LocalTime | undefined {
  try {
    return LocalTime.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A timestamp as DateTimeUtils matches it: a date form above, `T` or a space, a time
 * (`2024-01-01 10:00:00`, `2024-01-01T10:00:00.123`, `2024/01/01 10:00`), or `yyyyMMddHHmmss`.
 */
export function parseTimestampText(text: string): LocalDateTime | undefined {
  const t = text.trim();
  const compact = /^(\d{8})(\d{2})(\d{2})(\d{2})$/.exec(t);
  const m = compact ? [t, compact[1]!, `${compact[2]}:${compact[3]}:${compact[4]}`] : /^(\S+?)[T ]+(\d\S*)$/.exec(t);
  if (!m) {
    return undefined;
  }
  const date = parseDateText(m[1]!);
  const time = parseTimeText(m[2]!);
  return date && time ? new LocalDateTime(date, time) : undefined;
}

// Connectors import only from src/api; those that read raw option nodes (opt.node) need the tree's
// types and lookups, so they are re-exported here.
export type { Entry, Node, ObjectNode, Pos, ScalarNode } from "./tree.ts";
export { describeNode, getEntry, lookup } from "./tree.ts";
