/**
 * A streaming Http source across an outage, through the binary (fixtures/http/streaming-to-pg.conf):
 * a paged API gains a page of 5 rows every 400 ms; after page 4 it answers every request with 503
 * for 10 s, then serves again. The job keeps polling through the outage (a warning per attempt,
 * with its number), then reads every page it had not read: at the end PostgreSQL holds each of the
 * 25 pages' rows exactly once, and the pages were requested in order with none skipped.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { BIN, ROOT } from "./helpers.ts";
import { ensureService, PG_URL, uniqueName } from "./services.ts";

const PAGES = 25;
const PER_PAGE = 5;
const OUTAGE_MS = 10_000;
const table = uniqueName("http_stream");
let sql: InstanceType<typeof Bun.SQL> | undefined;

afterAll(async () => {
  await sql?.unsafe(`DROP TABLE IF EXISTS public.${table}`);
  await sql?.close();
});

/** The API: page n exists from n × 400 ms on; 503 from page 5's first request for OUTAGE_MS. */
function api() {
  const t0 = Date.now();
  let outageFrom: number | undefined;
  const served: number[] = [];
  let refused = 0;
  const server = Bun.serve({
    port: 0,
    fetch(req) {
      const page = Number(new URL(req.url).searchParams.get("page"));
      if (page === 5 && outageFrom === undefined) {
        outageFrom = Date.now();
      }
      if (outageFrom !== undefined && Date.now() - outageFrom < OUTAGE_MS) {
        refused++;
        return new Response("maintenance", { status: 503 });
      }
      const ready = Date.now() - t0 >= page * 400 && page <= PAGES;
      if (ready) {
        served.push(page);
      }
      const data = ready
        ? Array.from({ length: PER_PAGE }, (_, i) => ({ id: page * 100 + i, page, name: `row ${i} of page ${page}` }))
        : [];
      return Response.json({ data });
    },
  });
  return { server, served, refused: () => refused };
}

describe("streaming Http source across a 503 outage", () => {
  test("keeps polling through 10 s of 503, then reads every page once", async () => {
    await ensureService("postgres");
    sql = new Bun.SQL(PG_URL, { max: 1 });
    const { server, served, refused } = api();
    const p = Bun.spawn(
      [
        BIN,
        "run",
        "fixtures/http/streaming-to-pg.conf",
        "-i",
        `api=http://127.0.0.1:${server.port}/rows`,
        "-i",
        `table=${table}`,
      ],
      { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
    );
    const stderr = new Response(p.stderr).text();
    const stdout = new Response(p.stdout).text();
    const count = async () =>
      Number(
        (
          (await sql!.unsafe(`SELECT count(*)::int AS n FROM public.${table}`).catch(() => [{ n: 0 }])) as {
            n: number;
          }[]
        )[0]!.n,
      );
    const end = Date.now() + 60_000;
    while ((await count()) < PAGES * PER_PAGE && Date.now() < end && p.exitCode === null) {
      await Bun.sleep(250);
    }
    await Bun.sleep(800);
    p.kill("SIGINT");
    const code = await p.exited;
    server.stop(true);
    const log = (await stderr) + (await stdout);
    expect({ code, error: code === 0 ? "" : log.slice(-2000) }).toEqual({ code: 0, error: "" });
    const rows = (await sql.unsafe(
      `SELECT page, count(*)::int AS n, count(DISTINCT id)::int AS d FROM public.${table} GROUP BY page ORDER BY page`,
    )) as { page: number; n: number; d: number }[];
    expect(rows).toEqual(Array.from({ length: PAGES }, (_, i) => ({ page: i + 1, n: PER_PAGE, d: PER_PAGE })));
    // Pages were served in order, none skipped, each once with rows.
    expect(served).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
    expect(refused()).toBeGreaterThan(5);
    const attempts = [...log.matchAll(/\[(\d+)\] request GET \S+ \(page 5\) failed \(HTTP 503\)/g)].map((m) =>
      Number(m[1]),
    );
    expect(attempts.length).toBe(refused());
    expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
    expect(log).toMatch(/GET \S+ \(page 5\) answered again after \d+ failed attempts/);
  }, 90_000);
});
