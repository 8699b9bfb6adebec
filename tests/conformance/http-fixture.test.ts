import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  type HttpFixture,
  jsonMatches,
  parseLossless,
  parseMockServerConfig,
  type RecordedRequest,
  recordedJson,
  requestMatches,
  startFixture,
} from "./http-fixture.ts";

const CONFIG = `// https://www.mock-server.com/mock_server/getting_started.html#request_matchers

[
  { "httpRequest": { "method": "GET", "path": "/example/http" },
    "httpResponse": { "body": [{ "big": 4712806879122100224, "dec": 88574263949141714798.835853182708550244 }],
                      "headers": { "Content-Type": "application/json" } } },
  { "httpRequest": { "secure": true, "method": "GET", "path": "/example/https" }, "httpResponse": { "body": "secure" } },
  { "httpRequest": { "method": "GET", "path": "/example/page", "queryStringParameters": { "pn": "1" } },
    "httpResponse": { "body": "page one" } },
  { "httpRequest": { "method": "GET", "path": "/example/page", "queryStringParameters": { "pn": ["2", "3"] } },
    "httpResponse": { "body": "page two or three" } },
  { "httpRequest": { "method": "POST", "path": "/example/jsonBody", "body": { "type": "JSON", "json": { "id": 1 }, "matchType": "STRICT" } },
    "httpResponse": { "body": "strict" } },
  { "httpRequest": { "method": "POST", "path": "/example/jsonBody", "body": { "type": "JSON", "json": { "id": 2 } } },
    "httpResponse": { "body": "lenient" } },
  { "httpRequest": { "path": "/example/formBody", "method": "POST", "body": { "type": "PARAMETERS", "parameters": { "id": "1" } } },
    "httpResponse": { "body": "form" } },
  { "httpRequest": { "path": "/example/webhook", "method": "POST", "headers": { "token": ["9e32"] } },
    "httpResponse": { "statusCode": 201, "body": { "ok": true } } },
  { "httpRequest": { "method": "POST", "path": "/example/text", "body": "exact text" }, "httpResponse": {} }
]`;

const req = (r: Partial<RecordedRequest>): RecordedRequest => ({
  method: "GET",
  path: "/",
  query: {},
  headers: {},
  body: "",
  ...r,
});

describe("MockServer matching", () => {
  const expectations = parseMockServerConfig(CONFIG);
  const matcher = (i: number) => expectations[i]?.request ?? {};

  test("drops // lines, reads every expectation and defaults the status to 200", () => {
    expect(expectations).toHaveLength(9);
    expect(expectations[2]?.response.status).toBe(200);
    expect(expectations[7]?.response.status).toBe(201);
  });

  test("serialises JSON response bodies without losing digits", () => {
    expect(expectations[0]?.response.body).toBe(
      '[{"big":4712806879122100224,"dec":88574263949141714798.835853182708550244}]',
    );
    expect(expectations[7]?.response.headers).toContainEqual(["Content-Type", "application/json"]);
  });

  test("matches method and path exactly", () => {
    expect(requestMatches(matcher(0), req({ path: "/example/http" }))).toBe(true);
    expect(requestMatches(matcher(0), req({ method: "POST", path: "/example/http" }))).toBe(false);
    expect(requestMatches(matcher(0), req({ path: "/example/http/x" }))).toBe(false);
  });

  test("never matches a secure expectation", () => {
    expect(requestMatches(matcher(1), req({ path: "/example/https" }))).toBe(false);
  });

  test("needs every listed query parameter with one of its values", () => {
    expect(requestMatches(matcher(2), req({ path: "/example/page", query: { pn: ["1"], extra: ["x"] } }))).toBe(true);
    expect(requestMatches(matcher(2), req({ path: "/example/page", query: { pn: ["2"] } }))).toBe(false);
    expect(requestMatches(matcher(3), req({ path: "/example/page", query: { pn: ["3"] } }))).toBe(true);
    expect(requestMatches(matcher(2), req({ path: "/example/page" }))).toBe(false);
  });

  test("matches listed headers case-insensitively by name", () => {
    expect(
      requestMatches(matcher(7), req({ method: "POST", path: "/example/webhook", headers: { token: ["9e32"] } })),
    ).toBe(true);
    expect(
      requestMatches(matcher(7), req({ method: "POST", path: "/example/webhook", headers: { token: ["nope"] } })),
    ).toBe(false);
  });

  test("matches a STRICT JSON body only when it is equal", () => {
    expect(requestMatches(matcher(4), req({ method: "POST", path: "/example/jsonBody", body: '{ "id" : 1 }' }))).toBe(
      true,
    );
    expect(requestMatches(matcher(4), req({ method: "POST", path: "/example/jsonBody", body: '{"id":1,"x":2}' }))).toBe(
      false,
    );
  });

  test("matches a JSON body by its listed fields when not strict", () => {
    expect(requestMatches(matcher(5), req({ method: "POST", path: "/example/jsonBody", body: '{"id":2,"x":2}' }))).toBe(
      true,
    );
    expect(requestMatches(matcher(5), req({ method: "POST", path: "/example/jsonBody", body: "not json" }))).toBe(
      false,
    );
  });

  test("matches form parameters and plain text bodies", () => {
    expect(requestMatches(matcher(6), req({ method: "POST", path: "/example/formBody", body: "id=1&name=x" }))).toBe(
      true,
    );
    expect(requestMatches(matcher(6), req({ method: "POST", path: "/example/formBody", body: "id=2" }))).toBe(false);
    expect(requestMatches(matcher(8), req({ method: "POST", path: "/example/text", body: "exact text" }))).toBe(true);
    expect(requestMatches(matcher(8), req({ method: "POST", path: "/example/text", body: "exact text!" }))).toBe(false);
  });

  test("keeps number digits when parsing losslessly", () => {
    expect(JSON.stringify(parseLossless('{"a":123456789012345678901234567890}'))).toBe(
      '{"a":123456789012345678901234567890}',
    );
  });

  test("reads the corpus expectation file", () => {
    const path = resolve(import.meta.dir, "../../../shared/conformance/http/data/mockserver-config.json");
    if (!existsSync(path)) {
      return;
    }
    const all = parseMockServerConfig(readFileSync(path, "utf8"));
    expect(all.length).toBeGreaterThan(20);
    expect(all.every((e) => e.response.body === undefined || typeof e.response.body === "string")).toBe(true);
  });
});

describe("http-json comparison", () => {
  test("flattens array bodies, sorts by id and compares listed keys within 1e-6", () => {
    const requests = [
      req({ method: "POST", path: "/sink", body: '[{"id":2,"v":5.3000001,"extra":1}]' }),
      req({ method: "POST", path: "/sink", body: '{"id":1,"v":4.3}' }),
      req({ method: "POST", path: "/other", body: '{"id":3}' }),
    ];
    const { rows, bad } = recordedJson(requests, "POST", "/sink");
    expect(bad).toBe(0);
    const expected = [
      { id: 1, v: 4.3 },
      { id: 2, v: 5.3 },
    ];
    expect(rows.length).toBe(2);
    expect(expected.every((e, i) => jsonMatches(e, rows[i], { strict: false, ordered: true, tolerance: 1e-6 }))).toBe(
      true,
    );
    expect(jsonMatches({ v: 5.4 }, rows[1], { strict: false, ordered: true, tolerance: 1e-6 })).toBe(false);
  });
});

describe("HTTP fixture server", () => {
  let fixture: HttpFixture;
  beforeAll(() => {
    fixture = startFixture(parseMockServerConfig(CONFIG));
  });
  afterAll(async () => {
    await fixture.stop();
  });
  const url = (p: string) => `http://127.0.0.1:${fixture.port}${p}`;

  test("answers a matching request with the expectation's status, headers and body", async () => {
    const res = await fetch(url("/example/webhook"), { method: "POST", headers: { Token: "9e32" }, body: "[]" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true });
    const page = await fetch(url("/example/page?pn=2"));
    expect(await page.text()).toBe("page two or three");
  });

  test("answers 404 with an empty body when nothing matches", async () => {
    const res = await fetch(url("/nothing/here"));
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("");
  });

  test("records every request with method, path, query, headers and body", async () => {
    await fetch(url("/example/formBody?x=1"), {
      method: "POST",
      body: "id=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const last = fixture.requests.at(-1);
    expect(last).toMatchObject({ method: "POST", path: "/example/formBody", query: { x: ["1"] }, body: "id=1" });
    expect(last?.headers["content-type"]).toEqual(["application/x-www-form-urlencoded"]);
    expect(fixture.requests.some((r) => r.path === "/nothing/here")).toBe(true);
  });
});
