/**
 * The Http source and sink and the connectors built on them, against a local server that records
 * every request: how params, body, pages and credentials are sent; rows from JSON, content_field,
 * json_field and text replies; when pages stop; a restore reading from its page; and the errors a
 * user meets (4xx/5xx, no server with retries, a path that finds nothing, inconsistent fields,
 * a reply that is not JSON, a sink request refused).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { LocalDateTime, type Row } from "../../src/api/index.ts";
import { createSink, createSource, readAll, recordingLogger, rowOf, table, writeAll } from "../../src/api/testing.ts";
import { T } from "../../src/api/index.ts";
import { httpSink, httpSource } from "./index.ts";
import { basicAuth, feishuSink, serviceSources, weChatSink } from "./services.ts";

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

let server: ReturnType<typeof Bun.serve>;
let seen: Seen[] = [];
/** Path → reply (a function of the request). */
const routes = new Map<string, (r: Seen) => Response>();
const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    async fetch(req) {
      const u = new URL(req.url);
      const r: Seen = {
        method: req.method,
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: Object.fromEntries(req.headers),
        body: await req.text(),
      };
      seen.push(r);
      return routes.get(u.pathname)?.(r) ?? new Response("no such page", { status: 404 });
    },
  });
});

afterAll(() => server.stop(true));

const fieldsOf = (rows: Row[]) => rows.map((r) => r.fields);
const read = async (body: string, log = recordingLogger()) => {
  seen = [];
  return fieldsOf(await readAll(await createSource(httpSource, body), 1, log));
};
const people = 'format = "json"\nschema = { fields { name = string, age = int } }';

describe("Http source requests", () => {
  test("GET puts params in the query, POST sends them as a form, a body as JSON; headers go along", async () => {
    routes.set("/p", () => json([{ name: "ann", age: 7 }]));
    await read(`url = "${url("/p?x=1")}"\nparams = { id = 5 }\nheaders = { token = abc }\n${people}`);
    expect(seen[0]!.query).toEqual({ x: "1", id: "5" });
    expect(seen[0]!.headers.token).toBe("abc");
    await read(`url = "${url("/p")}"\nmethod = post\nparams = { id = 5, name = "a b" }\n${people}`);
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(seen[0]!.body).toBe("id=5&name=a+b");
    await read(`url = "${url("/p")}"\nmethod = POST\nbody = """{"id": 1}"""\n${people}`);
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.body).toBe('{"id": 1}');
    // Both: the params go in the query, the body stays (SeaTunnel 2.3.8 drops the body).
    await read(`url = "${url("/p")}"\nmethod = POST\nparams = { id = 5 }\nbody = """{"id": 1}"""\n${people}`);
    expect(seen[0]!.query).toEqual({ id: "5" });
    expect(seen[0]!.body).toBe('{"id": 1}');
    await read(
      `url = "${url("/p")}"\nmethod = POST\nkeep_params_as_form = true\nparams = { id = 5 }\nbody = "{}"\n${people}`,
    );
    expect(seen[0]!.body).toBe("id=5");
  });

  test("pages: up to total_page_size from start_page_number, or until a page has fewer than batch_size rows", async () => {
    const page = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, age: i }));
    routes.set("/pages", (r) => json(Number(r.query.pn) < 4 ? page(3) : page(1)));
    expect(
      await read(`url = "${url("/pages")}"\npageing = { page_field = pn, batch_size = 3 }\n${people}`),
    ).toHaveLength(10);
    expect(seen.map((s) => s.query.pn)).toEqual(["1", "2", "3", "4"]);
    await read(
      `url = "${url("/pages")}"\npageing = { page_field = pn, total_page_size = 3, start_page_number = 2 }\n${people}`,
    );
    expect(seen.map((s) => s.query.pn)).toEqual(["2", "3"]);
    // A placeholder instead of a parameter; a POST keeping the page in its query.
    routes.set("/pages/1", () => json(page(2)));
    routes.set("/pages/2", () => json([]));
    await read(
      `url = "${url("/pages/${pn}")}"\npageing = { page_field = pn, batch_size = 2, use_placeholder_replacement = true }\n${people}`,
    );
    expect(seen.map((s) => s.path)).toEqual(["/pages/1", "/pages/2"]);
    await read(
      `url = "${url("/pages")}"\nmethod = POST\nbody = "{}"\nkeep_page_param_as_http_param = true\npageing = { page_field = pn, total_page_size = 2 }\n${people}`,
    );
    expect(seen.map((s) => [s.query.pn, s.body])).toEqual([
      ["1", "{}"],
      ["2", "{}"],
    ]);
  });

  test("a restore reads from the page its checkpoint had not finished", async () => {
    routes.set("/pages", (r) => json([{ name: `page${r.query.page}`, age: Number(r.query.page) }]));
    const source = await createSource(
      httpSource,
      `url = "${url("/pages")}"\npageing = { total_page_size = 5 }\n${people}`,
    );
    const reader = await source.reader({ subtask: 0, parallelism: 1, log: recordingLogger() });
    reader.addSplits((await source.splits(1))[0]!);
    const first = await reader.poll();
    await reader.poll();
    const state = reader.snapshot!(1);
    const again = await source.reader({ subtask: 0, parallelism: 1, log: recordingLogger() });
    again.addSplits(state);
    const rest: unknown[] = [];
    for (let b = await again.poll(); b !== null; b = await again.poll()) {
      rest.push(...b.map((r) => r.fields[0]));
    }
    expect(first!.map((r) => r.fields[0])).toEqual(["page1"]);
    expect(rest).toEqual(["page3", "page4", "page5"]);
  });
});

describe("Http source rows", () => {
  test("an array is a row per element, an object one row; content_field and json_field pick the rows", async () => {
    routes.set("/one", () => json({ name: "ann", age: "7", extra: true }));
    expect(await read(`url = "${url("/one")}"\n${people}`)).toEqual([["ann", 7]]);
    routes.set("/doc", () =>
      json({ data: { items: [{ name: "a", age: 1 }, null, { name: "b", age: 2 }] }, names: ["x", "y"], ages: [3, 4] }),
    );
    expect(await read(`url = "${url("/doc")}"\ncontent_field = "$.data.items.*"\n${people}`)).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(
      await read(`url = "${url("/doc")}"\njson_field = { name = "$.names[*]", age = "$.ages[*]" }\n${people}`),
    ).toEqual([
      ["x", 3],
      ["y", 4],
    ]);
    routes.set("/empty", () => json({ data: { items: [] } }));
    expect(await read(`url = "${url("/empty")}"\ncontent_field = "$.data.items.*"\n${people}`)).toEqual([]);
  });

  test("timestamps, decimals and nested values by the schema", async () => {
    routes.set(
      "/t",
      () => new Response('[{"at":"2024-10-15T10:00:00.123456","amount":12345678901234567.50,"tags":["a"]}]'),
    );
    const rows = await read(
      `url = "${url("/t")}"\nformat = json\nschema = { fields { at = timestamp, amount = "decimal(20,2)", tags = "array<string>" } }`,
    );
    expect(rows[0]![0]).toEqual(LocalDateTime.parse("2024-10-15T10:00:00.123456"));
    expect(String(rows[0]![1])).toBe("12345678901234567.50");
    expect(rows[0]![2]).toEqual(["a"]);
  });

  test("without a schema each reply, or each line, is the column content", async () => {
    routes.set("/text", () => new Response("line 1\nline 2\n"));
    expect(await read(`url = "${url("/text")}"`)).toEqual([["line 1\nline 2\n"]]);
    expect(await read(`url = "${url("/text")}"\nenable_multi_lines = true`)).toEqual([["line 1"], ["line 2"]]);
  });
});

describe("Http source on data nobody here wrote", () => {
  test("Debian's ISO 3166-2 list, 5,127 subdivisions served 500 a page: every row, every string exact", async () => {
    const file = "/usr/share/iso-codes/json/iso_3166-2.json";
    const all = (JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>[]>)["3166-2"]!;
    routes.set("/iso", (r) => {
      const page = Number(r.query.page);
      return json({ total: all.length, items: all.slice((page - 1) * 500, page * 500) });
    });
    const rows = await read(
      `url = "${url("/iso")}"\nformat = json\ncontent_field = "$.items.*"\npageing = { batch_size = 500 }\n` +
        "schema = { fields { code = string, name = string, type = string, parent = string } }",
    );
    expect(seen).toHaveLength(Math.ceil(all.length / 500));
    expect(rows).toEqual(all.map((x) => [x.code, x.name, x.type, x.parent ?? null]));
    expect(rows.some((r) => /[^\u0000-\u00ff]/.test(String(r[1])))).toBe(true);
    // The JsonPath engine (a filter is no plain path) reads the same rows as the plain-path fast way.
    const engine = await read(
      `url = "${url("/iso")}"\nformat = json\ncontent_field = "$.items[?(@.code)]"\npageing = { batch_size = 500 }\n` +
        "schema = { fields { code = string, name = string, type = string, parent = string } }",
    );
    expect(engine).toEqual(rows);
  });
});

describe("Http source errors", () => {
  const failure = async (body: string) => {
    try {
      await read(body);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("the read did not fail");
  };

  test("a reply other than 2xx, with its status and text", async () => {
    routes.set("/denied", () => new Response("bad token", { status: 401 }));
    expect(await failure(`url = "${url("/denied")}"\n${people}`)).toBe(
      `source Http: url: GET ${url("/denied")} answered HTTP 401 (check the credentials in \`headers\`): bad token`,
    );
    expect(await failure(`url = "${url("/nowhere")}"`)).toContain("answered HTTP 404: no such page");
  });

  test("no server: retry attempts are logged, then one line names the url", async () => {
    const log = recordingLogger();
    let message = "";
    try {
      await read(`url = "http://127.0.0.1:9/x"\nretry = 3\nretry_backoff_multiplier_ms = 10`, log);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^source Http: url: GET http:\/\/127\.0\.0\.1:9\/x failed after 3 attempts \(retry\): /);
    expect(log.messages.filter((m) => /\[\d\] request GET/.test(m))).toHaveLength(2);
  });

  test("a path that finds nothing, fields of different lengths, a reply that is not JSON", async () => {
    routes.set("/doc", () => json({ data: [1], names: ["x", "y"], ages: [3] }));
    expect(await failure(`url = "${url("/doc")}"\ncontent_field = "$.store.book.*"\n${people}`)).toContain(
      `content_field "$['store']['book'][*]" matched nothing in the reply of GET ${url("/doc")}`,
    );
    expect(
      await failure(`url = "${url("/doc")}"\njson_field = { name = "$.names[*]", age = "$.ages[*]" }\n${people}`),
    ).toContain("json_field: [$['names'][*]](2) and [$['ages'][*]](1) found different numbers of values");
    routes.set("/html", () => new Response("<html>oops</html>"));
    expect(await failure(`url = "${url("/html")}"\n${people}`)).toContain(
      `format = json, but the reply of GET ${url("/html")} is not JSON`,
    );
    routes.set("/bad", () => json([{ name: "a", age: "seven" }]));
    expect(await failure(`url = "${url("/bad")}"\n${people}`)).toContain("row 1 of the reply of GET");
  });

  test("a url fetch cannot take fails before any request", async () => {
    await expect(createSource(httpSource, 'url = "${api}/x"')).rejects.toThrow(
      'source Http: url: "${api}/x" is not an http:// or https:// URL',
    );
    await expect(createSink(httpSink, 'url = "ftp://h/x"', [])).rejects.toThrow("is not an http:// or https:// URL");
  });

  test("a misspelt pageing key is refused, naming it", async () => {
    await expect(
      createSource(httpSource, `url = "${url("/p")}"\npageing = { page_feild = p }\n${people}`),
    ).rejects.toThrow("page_feild: not a pageing option");
  });

  test("a schema with format text is refused as SeaTunnel refuses it", async () => {
    await expect(createSource(httpSource, `url = "${url("/p")}"\nschema = { fields { a = string } }`)).rejects.toThrow(
      /format = text .* takes no schema/,
    );
  });
});

describe("Http sink and the connectors built on Http", () => {
  const t = table("t", [
    ["id", T.bigint],
    ["name", T.string],
  ]);
  const rows = [rowOf("t", [1n, "ann"]), rowOf("t", [2n, null])];

  test("each row POSTed as JSON with the headers; a refused request fails the job", async () => {
    routes.set("/hook", () => json({ ok: true }));
    seen = [];
    await writeAll(await createSink(httpSink, `url = "${url("/hook")}"\nheaders = { token = abc }`, [t]), [rows]);
    expect(seen.map((s) => [s.method, s.headers.token, JSON.parse(s.body)])).toEqual([
      ["POST", "abc", { id: 1, name: "ann" }],
      ["POST", "abc", { id: 2, name: null }],
    ]);
    routes.set("/full", () => new Response("disk full", { status: 507 }));
    routes.set("/down", () => new Response("down", { status: 503 }));
    await expect(writeAll(await createSink(httpSink, `url = "${url("/down")}"`, [t]), [rows])).rejects.toThrow(
      `sink Http: url: POST ${url("/down")} answered HTTP 503: down`,
    );
  });

  test("Feishu posts rows as Http does; WeChat a text message per row and its errcode fails", async () => {
    routes.set("/feishu", () => json({}));
    seen = [];
    await writeAll(await createSink(feishuSink, `url = "${url("/feishu")}"`, [t]), [rows.slice(0, 1)]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ id: 1, name: "ann" });
    routes.set("/wechat", () => json({ errcode: 0, errmsg: "ok" }));
    seen = [];
    await writeAll(await createSink(weChatSink, `url = "${url("/wechat")}"\nmentioned_list = ["@all"]`, [t]), [rows]);
    expect(seen.map((s) => JSON.parse(s.body))).toEqual([
      { msgtype: "text", text: { content: "id: 1\\nname: ann", mentioned_list: ["@all"] } },
      { msgtype: "text", text: { content: "id: 2\\nname: null", mentioned_list: ["@all"] } },
    ]);
    routes.set("/wechat", () => json({ errcode: 93000, errmsg: "invalid webhook url" }));
    await expect(writeAll(await createSink(weChatSink, `url = "${url("/wechat")}"`, [t]), [rows])).rejects.toThrow(
      "WeChat refused the message: errcode 93000: invalid webhook url",
    );
  });

  test("each API source sends its credentials as its SeaTunnel connector does", async () => {
    routes.set("/api", () => json([{ name: "a", age: 1 }]));
    const cases: [string, string, Record<string, string>][] = [
      ["Github", 'access_token = "tok"', { authorization: "Bearer tok" }],
      ["Gitlab", 'access_token = "tok"', { "private-token": "tok" }],
      ["Jira", 'email = "me@x.org"\napi_token = "t?k"', { authorization: basicAuth("me@x.org", "t?k") }],
      [
        "Klaviyo",
        'private_key = "pk"\nrevision = "2024-10-15"',
        { authorization: "Klaviyo-API-Key pk", revision: "2024-10-15" },
      ],
      ["Lemlist", 'password = "key"', { authorization: `Basic ${Buffer.from(":key").toString("base64url")}` }],
      [
        "Notion",
        'password = "sec"\nversion = "2022-06-28"',
        { authorization: "Bearer sec", "notion-version": "2022-06-28" },
      ],
      ["OneSignal", 'password = "k"', { authorization: "Basic k" }],
      ["Persistiq", 'password = "k"', { "x-api-key": "k" }],
    ];
    for (const [name, creds, headers] of cases) {
      const def = serviceSources.find((d) => d.name === name)!;
      seen = [];
      const got = fieldsOf(await readAll(await createSource(def, `url = "${url("/api")}"\n${creds}\n${people}`)));
      expect(got).toEqual([["a", 1]]);
      for (const [k, v] of Object.entries(headers)) {
        expect([name, seen[0]!.headers[k]]).toEqual([name, v]);
      }
    }
    expect(basicAuth("me@x.org", "t?k")).toBe("Basic bWVAeC5vcmc6dD9r");
    routes.set("/api", () => new Response("Bad credentials", { status: 401 }));
    const jira = serviceSources.find((d) => d.name === "Jira")!;
    await expect(
      readAll(await createSource(jira, `url = "${url("/api")}"\nemail = "a"\napi_token = "b"\n${people}`)),
    ).rejects.toThrow(
      `source Jira: url: GET ${url("/api")} answered HTTP 401 (check the credentials in \`email\` and \`api_token\`): Bad credentials`,
    );
  });
});
