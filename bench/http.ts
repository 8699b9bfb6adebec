/**
 * Http source pages per second against the conformance runner's HTTP fixture (the MockServer
 * stand-in) in the same run as a bare client: 3,000 pages of 100 JSON rows under `data`. The bare
 * client fetches the pages one after another (the better of two passes) and parses each body; the job reads them with
 * `pageing` and `content_field = "$.data.*"` into InMemory (which discards rows), and again with
 * the whole reply as the rows (an array per page). Rates are pages per second of job time. Run
 * alone: `bun bench/http.ts` after `make build`.
 */
import { type Expectation, startFixture } from "../tests/conformance/http-fixture.ts";
import { runJob, writeJob } from "./lib.ts";

const PAGES = Number(process.env.HTTP_BENCH_PAGES ?? 3000);
const ROWS = 100;

const rowsOf = (page: number) =>
  Array.from({ length: ROWS }, (_, i) => ({
    id: page * ROWS + i,
    name: `name ${page}-${i}`,
    amount: ((page * ROWS + i) % 1000) / 10,
    at: "2024-10-15T10:00:00.123",
  }));

function expectations(path: string, body: (page: number) => unknown): Expectation[] {
  return Array.from({ length: PAGES }, (_, k) => ({
    request: { method: "GET", path, queryStringParameters: { page: [String(k + 1)] } },
    response: { status: 200, headers: [["content-type", "application/json"]], body: JSON.stringify(body(k + 1)) },
  })) as unknown as Expectation[];
}

const SCHEMA = 'schema = { fields { id = bigint, name = string, amount = "decimal(10, 1)", at = timestamp } }';

async function rate(path: string, content: string): Promise<{ job: number; bare: number }> {
  const fixture = startFixture(expectations(path, path === "/wrapped" ? (p) => ({ data: rowsOf(p) }) : rowsOf));
  const base = `http://127.0.0.1:${fixture.port}`;
  let bare = 0;
  for (let pass = 0; pass < 2; pass++) {
    const t0 = performance.now();
    for (let p = 1; p <= PAGES; p++) {
      JSON.parse(await (await fetch(`${base}${path}?page=${p}`)).text());
    }
    bare = Math.max(bare, PAGES / ((performance.now() - t0) / 1000));
  }
  const conf = writeJob(
    `http${path.replace("/", "-")}`,
    `env { job.mode = "BATCH", parallelism = 1 }
source { Http { url = "${base}${path}", format = json, ${content}
  pageing = { page_field = page, total_page_size = ${PAGES} }
  ${SCHEMA} } }
sink { InMemory {} }`,
  );
  const res = await runJob(conf);
  await fixture.stop();
  if (res.written !== PAGES * ROWS) {
    throw new Error(`http ${path} wrote ${res.written} rows, expected ${PAGES * ROWS}`);
  }
  return { job: PAGES / (res.totalTimeMs / 1000), bare };
}

export async function httpBench(): Promise<Record<string, number>> {
  const wrapped = await rate("/wrapped", 'content_field = "$.data.*"');
  const plain = await rate("/plain", "");
  for (const [name, r] of [
    ["content_field", wrapped],
    ["an array per page", plain],
  ] as const) {
    console.log(
      `http: Http source (${name}) ${Math.round(r.job)} pages/s (${Math.round(r.job * ROWS)} rows/s), a bare fetch+JSON.parse client ${Math.round(r.bare)} pages/s: ${(r.job / r.bare).toFixed(2)}x`,
    );
  }
  return {
    http_content_field_pages_per_s: Math.round(wrapped.job),
    http_array_pages_per_s: Math.round(plain.job),
    http_bare_pages_per_s: Math.round((wrapped.bare + plain.bare) / 2),
  };
}

if (import.meta.main) {
  await httpBench();
}
