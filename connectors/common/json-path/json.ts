/**
 * The JSON documents JsonPath works on, as SeaTunnel sees them: Jayway JsonPath parses with
 * json-smart in permissive mode (single quotes, unquoted keys and values, trailing commas and
 * trailing data are accepted), and the result goes through Jackson (`valueToTree`) before it is
 * converted. So integers stay exact (bigint), floats are doubles unless written with more than 18
 * characters (then BigDecimal), objects keep their key order (Map), and text is rendered with
 * Java's number formatting.
 */
import { Decimal } from "../../../src/api/index.ts";
import { jacksonString, javaBigDecimal, javaDouble } from "../../../src/api/format.ts";

/** A JSON value: bigint for integers, number for doubles, Decimal for long decimals. */
export type JV = null | boolean | string | bigint | number | Decimal | JV[] | JObject;
export type JObject = Map<string, JV>;

/** Thrown for text that is not JSON even permissively (Jayway's InvalidJsonException). */
export class InvalidJson extends Error {}

const NUMBER = /^-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$|^-?\.\d+(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

/** A number token as json-smart types it. */
export function jsonNumber(text: string): bigint | number | Decimal {
  if (INTEGER.test(text)) {
    return BigInt(text);
  }
  if (text.length > 18) {
    return Decimal.parse(text);
  }
  return Number(text);
}

const isStop = (c: string, stops: string): boolean => stops.includes(c);

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && this.s.charCodeAt(this.i) <= 32) {
      this.i++;
    }
  }

  fail(what: string): never {
    throw new InvalidJson(`${what} at position ${this.i}`);
  }

  value(stops: string): JV {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) {
      this.fail("Unexpected end of input");
    }
    if (c === "{") {
      return this.object();
    }
    if (c === "[") {
      return this.array();
    }
    if (c === '"' || c === "'") {
      return this.quoted(c);
    }
    return this.bare(stops);
  }

  /** An unquoted token up to a stop character, trimmed; literals and numbers are recognised. */
  bare(stops: string): JV {
    const start = this.i;
    while (this.i < this.s.length && !isStop(this.s[this.i]!, stops)) {
      this.i++;
    }
    const text = this.s.slice(start, this.i).trim();
    if (text === "") {
      this.fail(`Unexpected character '${this.s[this.i] ?? "EOF"}'`);
    }
    if (text === "true") {
      return true;
    }
    if (text === "false") {
      return false;
    }
    if (text === "null") {
      return null;
    }
    if (text === "NaN") {
      return Number.NaN;
    }
    if (NUMBER.test(text)) {
      return jsonNumber(text);
    }
    return text;
  }

  quoted(q: string): string {
    let out = "";
    this.i++;
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) {
        this.fail("Unterminated string");
      }
      if (c === q) {
        return out;
      }
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      if (e === "u") {
        const hex = this.s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.fail("Invalid unicode escape");
        }
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else {
        out += ({ b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e ?? ""] ?? e ?? "";
      }
    }
  }

  object(): JObject {
    const out: JObject = new Map();
    this.i++;
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === "}") {
        this.i++;
        return out;
      }
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === undefined) {
        this.fail("Unterminated object");
      }
      const key = c === '"' || c === "'" ? this.quoted(c) : String(this.bareKey());
      this.ws();
      if (this.s[this.i] !== ":") {
        this.fail(`Expected ':' after key "${key}"`);
      }
      this.i++;
      out.set(key, this.value(",}"));
      this.ws();
      const next = this.s[this.i];
      if (next !== "," && next !== "}") {
        this.fail(`Unexpected character '${next ?? "EOF"}' in object`);
      }
    }
  }

  bareKey(): string {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i] !== ":" && this.s[this.i] !== "}") {
      this.i++;
    }
    return this.s.slice(start, this.i).trim();
  }

  array(): JV[] {
    const out: JV[] = [];
    this.i++;
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === "]") {
        this.i++;
        return out;
      }
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === undefined) {
        this.fail("Unterminated array");
      }
      out.push(this.value(",]"));
      this.ws();
      const next = this.s[this.i];
      if (next !== "," && next !== "]") {
        this.fail(`Unexpected character '${next ?? "EOF"}' in array`);
      }
    }
  }
}

/** Parses like json-smart's permissive mode; data after the first value is ignored. */
export function parseJson(text: string): JV {
  if (text.trim() === "") {
    throw new InvalidJson("json string can not be null or empty");
  }
  return new Parser(text).value("");
}

/** Jackson's `JsonNode.toString()`: compact JSON with Java number text. */
export function toJson(v: JV): string {
  if (v === null) {
    return "null";
  }
  if (typeof v === "string") {
    return jacksonString(v);
  }
  if (typeof v === "boolean" || typeof v === "bigint") {
    return String(v);
  }
  if (typeof v === "number") {
    return Number.isFinite(v) ? javaDouble(v) : `"${javaDouble(v)}"`;
  }
  if (v instanceof Decimal) {
    return javaBigDecimal(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map(toJson).join(",")}]`;
  }
  const parts: string[] = [];
  for (const [k, x] of v) {
    parts.push(`${jacksonString(k)}:${toJson(x)}`);
  }
  return `{${parts.join(",")}}`;
}

/** Jackson's `JsonNode.asText()`: a scalar's text, "" for containers. */
export function asText(v: JV): string {
  if (v === null) {
    return "null";
  }
  if (typeof v === "string") {
    return v;
  }
  if (typeof v === "boolean" || typeof v === "bigint") {
    return String(v);
  }
  if (typeof v === "number") {
    return javaDouble(v);
  }
  if (v instanceof Decimal) {
    return javaBigDecimal(v);
  }
  return "";
}

export const isObject = (v: JV | undefined): v is JObject => v instanceof Map;
export const isNumber = (v: JV | undefined): v is bigint | number | Decimal =>
  typeof v === "bigint" || typeof v === "number" || v instanceof Decimal;

/** Java class name of a value, for Jayway-style messages. */
export function javaClass(v: JV): string {
  if (v === null) {
    return "null";
  }
  if (typeof v === "string") {
    return "java.lang.String";
  }
  if (typeof v === "boolean") {
    return "java.lang.Boolean";
  }
  if (typeof v === "bigint") {
    return "java.lang.Integer";
  }
  if (typeof v === "number") {
    return "java.lang.Double";
  }
  if (v instanceof Decimal) {
    return "java.math.BigDecimal";
  }
  return Array.isArray(v) ? "net.minidev.json.JSONArray" : "java.util.LinkedHashMap";
}
