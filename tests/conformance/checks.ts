// Parsing of the `checks` column (pure). Evaluation lives in evaluate.ts.
import { unescapeText } from "./text.ts";

export type Op = "=" | "!=" | ">=" | "<=" | ">" | "<";
const OPS: Op[] = ["=", "!=", ">=", "<=", ">", "<"];

export type Check =
  | { kind: "contains" | "not_contains"; text: string }
  | { kind: "files" | "lines"; glob: string; op: Op; value: string }
  | { kind: "first-line"; glob: string; op: "=" | "!="; text: string }
  | { kind: "sql"; engine: "my"; db: ""; query: string; op: Op; value: string }
  | { kind: "sql"; engine: "pg"; db: string; query: string; op: Op; value: string }
  | { kind: "compare"; engine: "my" | "pg"; db: string; left: string; right: string }
  | { kind: "redis"; db: number; command: string; op: Op; value: string }
  | { kind: "http"; method: string; path: string; op: Op; value: string }
  | { kind: "http-json"; method: string; path: string; expected: unknown[] }
  | { kind: "amqp"; queue: string; op: Op; value: string }
  | { kind: "amqp-body"; queue: string; text: string }
  | { kind: "sleep"; seconds: number }
  | { kind: "soft"; check: Check | undefined; text: string };

export type ParseResult = { ok: true; check: Check } | { ok: false; error: string };

/** Splits the checks cell on ` && `. */
export function splitChecks(cell: string): string[] {
  return cell.trim() === ""
    ? []
    : cell
        .split(" && ")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/**
 * Finds the comparison operator: the **last** ` OP ` in the text (queries may contain `=`).
 * Returns undefined when there is none.
 */
export function splitLastOp(text: string): { left: string; op: Op; right: string } | undefined {
  let best: { at: number; op: Op } | undefined;
  for (const op of OPS) {
    const at = text.lastIndexOf(` ${op} `);
    if (at >= 0 && (best === undefined || at > best.at)) {
      best = { at, op };
    }
  }
  if (best === undefined) {
    return undefined;
  }
  return {
    left: text.slice(0, best.at).trim(),
    op: best.op,
    right: text.slice(best.at + best.op.length + 2),
  };
}

/**
 * For kinds whose left operand is a single token (a glob, a queue, `METHOD PATH`) the operator is the
 * one right after it, so a TEXT or JSON right side may itself contain ` = `. Falls back to the last-OP
 * rule when the item does not have that shape.
 */
function splitAfterTokens(text: string, tokens: number): { left: string; op: Op; right: string } | undefined {
  const re = new RegExp(`^((?:\\S+ ){${tokens - 1}}\\S+) (=|!=|>=|<=|>|<) (.*)$`, "s");
  const m = re.exec(text);
  if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
    return { left: m[1], op: m[2] as Op, right: m[3] };
  }
  return splitLastOp(text);
}

const KINDS = [
  "contains",
  "not_contains",
  "files",
  "lines",
  "first-line",
  "sql",
  "compare",
  "redis",
  "http-json",
  "http",
  "amqp-body",
  "amqp",
  "sleep",
  "soft",
] as const;

function fail(error: string): ParseResult {
  return { ok: false, error };
}

/** Parses one check item (placeholders should already be substituted when it is evaluated). */
export function parseCheck(item: string): ParseResult {
  const colon = item.indexOf(":");
  const kind = colon < 0 ? "" : item.slice(0, colon);
  const rest = colon < 0 ? "" : item.slice(colon + 1);
  if (!(KINDS as readonly string[]).includes(kind)) {
    return fail(`unknown check kind in ${JSON.stringify(item)}`);
  }
  switch (kind) {
    case "contains":
    case "not_contains":
      return { ok: true, check: { kind, text: unescapeText(rest) } };
    case "sleep": {
      const seconds = Number(rest.trim());
      if (!Number.isFinite(seconds) || seconds < 0 || rest.trim() === "") {
        return fail(`bad sleep: ${item}`);
      }
      return { ok: true, check: { kind, seconds } };
    }
    case "soft": {
      const inner = parseCheck(rest);
      return { ok: true, check: { kind, check: inner.ok ? inner.check : undefined, text: rest } };
    }
    case "compare":
      return parseCompare(item, rest);
    default:
      return parseComparison(item, kind, rest);
  }
}

function parseCompare(item: string, rest: string): ParseResult {
  let engine: "my" | "pg";
  let db = "";
  let body: string;
  if (rest.startsWith("my:")) {
    engine = "my";
    body = rest.slice(3);
  } else if (rest.startsWith("pg:")) {
    engine = "pg";
    const colon = rest.indexOf(":", 3);
    if (colon < 0) {
      return fail(`compare:pg needs DB: ${item}`);
    }
    db = rest.slice(3, colon);
    body = rest.slice(colon + 1);
  } else {
    return fail(`compare needs my: or pg: in ${item}`);
  }
  const at = body.indexOf(" <=> ");
  if (at < 0) {
    return fail(`compare without " <=> ": ${item}`);
  }
  return {
    ok: true,
    check: { kind: "compare", engine, db, left: body.slice(0, at).trim(), right: body.slice(at + 5).trim() },
  };
}

function parseComparison(item: string, kind: string, rest: string): ParseResult {
  const tokens = kind === "http-json" || kind === "http" ? 2 : 1;
  const single = kind === "first-line" || kind === "amqp-body" || kind === "http-json";
  const split = single ? splitAfterTokens(rest, tokens) : splitLastOp(rest);
  if (split === undefined) {
    return fail(`no comparison operator in ${JSON.stringify(item)}`);
  }
  const { left, op, right } = split;
  const value = unescapeText(right.trim());
  switch (kind) {
    case "files":
    case "lines":
      return { ok: true, check: { kind, glob: left, op, value } };
    case "first-line":
      if (op !== "=" && op !== "!=") {
        return fail(`first-line takes = or != only: ${item}`);
      }
      return { ok: true, check: { kind, glob: left, op, text: unescapeText(right) } };
    case "sql":
      return parseSql(item, left, op, value);
    case "redis": {
      const m = /^(\d+):(.+)$/s.exec(left);
      if (m?.[1] === undefined || m[2] === undefined) {
        return fail(`redis check needs DB:COMMAND: ${item}`);
      }
      return { ok: true, check: { kind, db: Number(m[1]), command: m[2].trim(), op, value } };
    }
    case "http":
    case "http-json": {
      const m = /^(\S+) (\S+)$/.exec(left);
      if (m?.[1] === undefined || m[2] === undefined) {
        return fail(`${kind} needs "METHOD PATH": ${item}`);
      }
      if (kind === "http") {
        return { ok: true, check: { kind, method: m[1].toUpperCase(), path: m[2], op, value } };
      }
      if (op !== "=") {
        return fail(`http-json takes = only: ${item}`);
      }
      let expected: unknown;
      try {
        expected = JSON.parse(right);
      } catch (e) {
        return fail(`http-json value is not JSON (${(e as Error).message}): ${item}`);
      }
      if (!Array.isArray(expected)) {
        return fail(`http-json value must be a JSON array: ${item}`);
      }
      return { ok: true, check: { kind, method: m[1].toUpperCase(), path: m[2], expected } };
    }
    case "amqp":
      return { ok: true, check: { kind, queue: left, op, value } };
    case "amqp-body":
      if (op !== "=") {
        return fail(`amqp-body takes = only: ${item}`);
      }
      return { ok: true, check: { kind, queue: left, text: right.startsWith("@") ? right : unescapeText(right) } };
    default:
      return fail(`unknown check kind in ${JSON.stringify(item)}`);
  }
}

function parseSql(item: string, left: string, op: Op, value: string): ParseResult {
  if (left.startsWith("my:")) {
    return { ok: true, check: { kind: "sql", engine: "my", db: "", query: left.slice(3).trim(), op, value } };
  }
  if (left.startsWith("pg:")) {
    const colon = left.indexOf(":", 3);
    if (colon < 0) {
      return fail(`sql:pg needs DB: ${item}`);
    }
    return {
      ok: true,
      check: { kind: "sql", engine: "pg", db: left.slice(3, colon), query: left.slice(colon + 1).trim(), op, value },
    };
  }
  return fail(`sql needs my: or pg: in ${item}`);
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;

/** Compares an observed value with the expected one: numerically when both are numbers, else as trimmed text. */
export function compareValues(actual: string, op: Op, expected: string): boolean {
  const a = actual.trim();
  const b = expected.trim();
  let cmp: number;
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else if (NUMBER.test(a) && NUMBER.test(b)) {
    const x = Number(a);
    const y = Number(b);
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else {
    cmp = a < b ? -1 : a > b ? 1 : 0;
  }
  switch (op) {
    case "=":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
    case ">=":
      return cmp >= 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case "<":
      return cmp < 0;
  }
}

/** Texts the job output must be watched for (contains / not_contains, also inside soft:). */
export function outputNeedles(checks: Check[]): string[] {
  const out: string[] = [];
  for (const c of checks) {
    if (c.kind === "contains" || c.kind === "not_contains") {
      out.push(c.text);
    } else if (c.kind === "soft" && c.check !== undefined) {
      out.push(...outputNeedles([c.check]));
    }
  }
  return out;
}
