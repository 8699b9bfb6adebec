// The HTTP fixture: a stand-in for MockServer 5.14 loaded with http/data/mockserver-config.json
// (contract in the corpus README, "The HTTP fixture"). Plain HTTP on 127.0.0.1, any free port.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** Lower-case header names. */
  headers: Record<string, string[]>;
  body: string;
}

export interface Expectation {
  request: Record<string, unknown>;
  response: { status: number; headers: [string, string][]; body: string | undefined };
}

export interface HttpFixture {
  port: number;
  requests: RecordedRequest[];
  /** Replaces the expectations (a sequence step may name another file); the recordings stay. */
  load(expectations: Expectation[]): void;
  stop(): Promise<void>;
}

type JsonReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const LosslessJSON = JSON as unknown as {
  rawJSON(text: string): unknown;
  parse(text: string, reviver: JsonReviver): unknown;
};

/** Parses JSON keeping every number's source text, so serialising it again loses no digits. */
export function parseLossless(text: string): unknown {
  return LosslessJSON.parse(text, (_key, value, context) =>
    typeof value === "number" && context?.source !== undefined ? LosslessJSON.rawJSON(context.source) : value,
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function responseBody(body: unknown): string | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  if (typeof body === "string") {
    return body;
  }
  if (isRecord(body) && typeof body.type === "string") {
    if (body.type === "STRING" && typeof body.string === "string") {
      return body.string;
    }
    if (body.type === "JSON" && "json" in body) {
      return typeof body.json === "string" ? body.json : JSON.stringify(body.json);
    }
  }
  return JSON.stringify(body);
}

/** Reads a MockServer expectation file: lines starting with `//` dropped, then a JSON array. */
export function parseMockServerConfig(text: string): Expectation[] {
  const json = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .join("\n");
  const plain = JSON.parse(json) as unknown;
  const lossless = parseLossless(json);
  if (!Array.isArray(plain) || !Array.isArray(lossless)) {
    throw new Error("expectation file is not a JSON array");
  }
  return plain.map((entry, i) => {
    const raw: unknown = lossless[i];
    const request = isRecord(entry) && isRecord(entry.httpRequest) ? entry.httpRequest : {};
    const response = isRecord(entry) && isRecord(entry.httpResponse) ? entry.httpResponse : {};
    // The body comes from the lossless tree (numbers keep their digits), everything else from the plain one.
    const rawBody = isRecord(raw) && isRecord(raw.httpResponse) ? raw.httpResponse.body : undefined;
    const headers = [...valueMap(response.headers)].flatMap(([name, values]) =>
      values.map((v): [string, string] => [name, v]),
    );
    const body = responseBody(rawBody);
    const json = body !== undefined && typeof rawBody !== "string" && !isStringBody(rawBody);
    if (json && !headers.some(([n]) => n.toLowerCase() === "content-type")) {
      headers.push(["Content-Type", "application/json"]);
    }
    const status = typeof response.statusCode === "number" ? response.statusCode : Number(response.statusCode ?? 200);
    return { request, response: { status, headers, body } };
  });
}

function isStringBody(body: unknown): boolean {
  return isRecord(body) && body.type === "STRING";
}

/** Normalises MockServer's multi-value maps: `{name: v | [v]}` or `[{name, values}]`. */
export function valueMap(spec: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(str) : [str(v)]);
  if (Array.isArray(spec)) {
    for (const e of spec) {
      if (isRecord(e) && typeof e.name === "string") {
        out.set(e.name, list(e.values ?? e.value));
      }
    }
  } else if (isRecord(spec)) {
    for (const [k, v] of Object.entries(spec)) {
      out.set(k, list(v));
    }
  }
  return out;
}

export interface JsonMatchOptions {
  /** Same keys on both sides (STRICT) instead of "the listed fields". */
  strict: boolean;
  /** Array elements in order (else any order, each used once). */
  ordered: boolean;
  /** Relative tolerance for numbers (0 = equal). */
  tolerance: number;
}

/** Whether `actual` matches `expected` as MockServer's JSON body matcher / the http-json check define it. */
export function jsonMatches(expected: unknown, actual: unknown, o: JsonMatchOptions): boolean {
  if (typeof expected === "number") {
    if (typeof actual !== "number") {
      return false;
    }
    if (o.tolerance === 0 || expected === actual) {
      return expected === actual;
    }
    return Math.abs(expected - actual) <= o.tolerance * Math.max(Math.abs(expected), Math.abs(actual));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return false;
    }
    if (o.ordered) {
      return expected.every((e, i) => jsonMatches(e, actual[i], o));
    }
    const used = new Set<number>();
    return expected.every((e) => {
      const i = actual.findIndex((a, j) => !used.has(j) && jsonMatches(e, a, o));
      if (i < 0) {
        return false;
      }
      used.add(i);
      return true;
    });
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) {
      return false;
    }
    if (o.strict && Object.keys(actual).length !== Object.keys(expected).length) {
      return false;
    }
    return Object.entries(expected).every(([k, v]) => k in actual && jsonMatches(v, actual[k], o));
  }
  return expected === actual;
}

function valuesMatch(spec: unknown, actual: Record<string, string[]>, caseInsensitive: boolean): boolean {
  for (const [name, wanted] of valueMap(spec)) {
    const have = actual[caseInsensitive ? name.toLowerCase() : name] ?? [];
    const pieces = have.flatMap((v) => [v, ...v.split(",").map((s) => s.trim())]);
    if (!wanted.some((w) => pieces.includes(w))) {
      return false;
    }
  }
  return true;
}

/**
 * JSON as MockServer's ObjectMapper reads a request body: it allows unquoted field names (and
 * single quotes), so `{id:1}`, which SeaTunnel sends for HOCON's `body="{"id":1}"`, matches {"id":1}.
 */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  for (const t of [text, lenient(text)]) {
    try {
      return { ok: true, value: JSON.parse(t) as unknown };
    } catch {}
  }
  return { ok: false };
}

const lenient = (text: string): string =>
  text.replace(/'([^'\\"]*)'/g, '"$1"').replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":');

function bodyMatches(spec: unknown, body: string): boolean {
  if (spec === undefined || spec === null) {
    return true;
  }
  if (typeof spec === "string") {
    return body === spec;
  }
  if (!isRecord(spec)) {
    return false;
  }
  switch (spec.type) {
    case "JSON": {
      const wanted = typeof spec.json === "string" ? parseJson(spec.json) : { ok: true as const, value: spec.json };
      const got = parseJson(body);
      if (!wanted.ok || !got.ok) {
        return false;
      }
      const strict = spec.matchType === "STRICT";
      return jsonMatches(wanted.value, got.value, { strict, ordered: strict, tolerance: 0 });
    }
    case "PARAMETERS": {
      const form: Record<string, string[]> = {};
      for (const [k, v] of new URLSearchParams(body)) {
        (form[k] ??= []).push(v);
      }
      return valuesMatch(spec.parameters, form, false);
    }
    case "STRING":
      return typeof spec.string === "string" && body === spec.string;
    case "REGEX":
      return typeof spec.regex === "string" && new RegExp(`^(?:${spec.regex})$`, "s").test(body);
    default:
      return false;
  }
}

/** Whether one expectation's `httpRequest` matches the request. */
export function requestMatches(matcher: Record<string, unknown>, req: RecordedRequest): boolean {
  if (matcher.secure === true) {
    return false;
  }
  if (typeof matcher.method === "string" && matcher.method.toUpperCase() !== req.method.toUpperCase()) {
    return false;
  }
  if (typeof matcher.path === "string" && matcher.path !== req.path && matcher.path !== safeDecode(req.path)) {
    return false;
  }
  if (!valuesMatch(matcher.queryStringParameters, req.query, false)) {
    return false;
  }
  if (!valuesMatch(matcher.headers, req.headers, true)) {
    return false;
  }
  return bodyMatches(matcher.body, req.body);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The first matching expectation, if any. */
export function findExpectation(expectations: Expectation[], req: RecordedRequest): Expectation | undefined {
  return expectations.find((e) => requestMatches(e.request, req));
}

async function record(request: Request): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const query: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    (query[k] ??= []).push(v);
  }
  const headers: Record<string, string[]> = {};
  for (const [k, v] of request.headers) {
    (headers[k.toLowerCase()] ??= []).push(v);
  }
  return { method: request.method.toUpperCase(), path: url.pathname, query, headers, body: await request.text() };
}

/** Starts the fixture on 127.0.0.1 (free port). */
export function startFixture(expectations: Expectation[]): HttpFixture {
  let current = expectations;
  const requests: RecordedRequest[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const req = await record(request);
      requests.push(req);
      const hit = findExpectation(current, req);
      if (hit === undefined) {
        return new Response(null, { status: 404 });
      }
      const { status, headers, body } = hit.response;
      return new Response(body === undefined ? null : new TextEncoder().encode(body), { status, headers });
    },
  });
  return {
    port: server.port ?? 0,
    requests,
    load(next) {
      current = next;
    },
    async stop() {
      await server.stop(true);
    },
  };
}

/** JSON bodies recorded for METHOD PATH, arrays flattened, sorted by `id` (http-json check). */
export function recordedJson(
  requests: RecordedRequest[],
  method: string,
  path: string,
): { rows: unknown[]; bad: number } {
  const rows: unknown[] = [];
  let bad = 0;
  for (const r of requests) {
    if (r.method !== method.toUpperCase() || (r.path !== path && safeDecode(r.path) !== path)) {
      continue;
    }
    const parsed = parseJson(r.body);
    if (!parsed.ok) {
      bad++;
    } else if (Array.isArray(parsed.value)) {
      rows.push(...(parsed.value as unknown[]));
    } else {
      rows.push(parsed.value);
    }
  }
  const id = (v: unknown): unknown => (isRecord(v) ? v.id : undefined);
  rows.sort((a, b) => {
    const x = id(a);
    const y = id(b);
    if (typeof x === "number" && typeof y === "number") {
      return x - y;
    }
    return String(x).localeCompare(String(y));
  });
  return { rows, bad };
}
