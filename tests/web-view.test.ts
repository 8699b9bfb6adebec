/**
 * The web view in Debian's Chromium (playwright-core), against real members: the overview, a
 * running streaming job's page whose row count rises (its DAG, chart, checkpoints and log), a stop
 * with a savepoint from that page and the job listed as finished; the page under a context path
 * and behind basic auth; and a failed job whose error and log quote a secret of its config, masked
 * on the page, in every REST answer and in the log file on the member. Assertions read the page's text, not screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launch } from "./browser.ts";
import { cleanup, dataDir, info, start, until } from "./cluster-helpers.ts";

let browser: Browser;
// On a machine without Chromium, launch() first installs Debian's (a minute or two).
beforeAll(async () => {
  browser = await launch();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  cleanup();
});

/** About 200 rows a second until stopped, through a transform, with a checkpoint every 500 ms. */
const STREAM = `env { job.mode = STREAMING, checkpoint.interval = 500, job.name = "web_stream" }
source { FakeSource { plugin_output = "fake", row.num = 1000000, split.num = 100000, split.read-interval = 50, schema = { fields { id = bigint, name = string } } } }
transform { Filter { plugin_input = "fake", plugin_output = "kept", include_fields = [id] } }
sink { Console { plugin_input = "kept", log.print.data = false } }`;

async function submit(base: string, body: string, init: RequestInit = {}): Promise<string> {
  const r = await fetch(`${base}/submit-job?format=hocon`, { method: "POST", body, ...init });
  expect(r.status).toBe(200);
  return ((await r.json()) as { jobId: string }).jobId;
}

const count = async (page: Page, testid: string) =>
  Number(((await page.getByTestId(testid).textContent()) ?? "").replaceAll(",", ""));

/** Polls the page until `ok` holds of what `read` gives. */
async function see<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  return until(what, read, ok, ms);
}

describe("the web view", () => {
  test("a running job's rows rise on its page; stopped with a savepoint from there, it is listed as finished", async () => {
    const m = await start(dataDir());
    const base = `http://127.0.0.1:${m.port}`;
    const id = await submit(base, STREAM);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    expect(page.url()).toEndWith("/#/overview");
    await see(
      "the overview counting the job",
      () => page.getByTestId("running-count").textContent(),
      (t) => t === "1",
    );
    expect(await page.getByTestId("members-count").textContent()).toBe("1");
    await page.getByRole("link", { name: "web_stream" }).first().click();
    expect(page.url()).toEndWith(`/#/jobs/${id}`);
    await see(
      "the job running",
      () => page.getByTestId("job-state").textContent(),
      (t) => t === "RUNNING",
    );
    const first = await see(
      "rows read",
      () => count(page, "rows-read"),
      (n) => n > 0,
    );
    const later = await see(
      "more rows read",
      () => count(page, "rows-read"),
      (n) => n >= first + 100,
    );
    expect(later).toBeGreaterThan(first);
    expect(await page.getByTestId("bytes-read").textContent()).toMatch(/^[1-9][\d.]* (KB|MB)$/);
    // Its DAG: source, transform and sink of pipeline 1, the source's and sink's rows counted.
    const dag = (await page.locator(".dag").textContent()) ?? "";
    expect(dag).toContain("Pipeline 1");
    for (const v of ["Source[0]-FakeSource", "Transform[0]-Filter", "Sink[0]-Console"]) {
      expect(dag).toContain(v);
    }
    expect(await page.getByTestId("vertex-1").textContent()).toMatch(/fake · [\d,]+ rows/);
    expect(await page.locator(".chart canvas").count()).toBe(1);
    await see(
      "a checkpoint on the page",
      () => page.getByTestId("checkpoint-counts").textContent(),
      (t) => /^[1-9]\d* completed, 0 failed$/.test(t ?? ""),
    );
    await see(
      "its log",
      () => page.getByTestId("log").textContent(),
      (t) => (t ?? "").includes("starts: 1 pipeline(s)"),
    );
    await page.getByTestId("savepoint").click();
    await see(
      "the savepoint taken",
      () => page.getByTestId("job-state").textContent(),
      (t) => t === "SAVEPOINT_DONE",
    );
    expect(await page.getByTestId("savepoint").count()).toBe(0);
    expect((await info(m.port, id)).jobStatus).toBe("SAVEPOINT_DONE");
    await page.getByRole("link", { name: "Jobs" }).click();
    const finished = await see(
      "the job listed as finished",
      () => page.getByTestId("finished-jobs").textContent(),
      (t) => (t ?? "").includes(id),
    );
    expect(finished).toContain("web_stream");
    expect(finished).toContain("SAVEPOINT_DONE");
    expect(await page.getByTestId("running-jobs").textContent()).toBe("None.");
    await page.getByRole("link", { name: "Members" }).click();
    await see(
      "the members view",
      () => page.getByTestId("monitoring").textContent(),
      (t) => /processors/.test(t ?? ""),
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe("the web view's place", () => {
  test("under a context path and behind basic auth: the page asks for the credentials and works with them", async () => {
    const dir = dataDir();
    writeFileSync(
      join(dir, "seatunnel.yaml"),
      `seatunnel:\n  engine:\n    http:\n      context-path: /st\n      enable-basic-auth: true\n      basic-auth-password: "web-Pa55"\n`,
    );
    const m = await start(dir);
    expect((await fetch(`http://127.0.0.1:${m.port}/st/`)).status).toBe(401);
    const wrong = await browser.newContext({ httpCredentials: { username: "admin", password: "guess" } });
    // Chromium answers wrong credentials with its own error page (or the 401), never the view.
    const refused = await (await wrong.newPage())
      .goto(`http://127.0.0.1:${m.port}/st/`)
      .then((r) => String(r?.status()))
      .catch((e: Error) => e.message);
    expect(refused).toMatch(/401|ERR_INVALID_AUTH_CREDENTIALS/);
    await wrong.close();
    const context = await browser.newContext({ httpCredentials: { username: "admin", password: "web-Pa55" } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${m.port}/st`);
    expect(page.url()).toBe(`http://127.0.0.1:${m.port}/st/#/overview`);
    await see(
      "the overview",
      () => page.getByTestId("members-count").textContent(),
      (t) => t === "1",
    );
    expect(await page.locator("#cluster").textContent()).toContain("at epoch 1");
    await context.close();
  }, 60_000);
});

describe("secrets", () => {
  test("a failed job's error and log quote its password: masked on its page, in job-info and in the served log", async () => {
    const secret = "pw-Secret-4711";
    const data = dataDir();
    const m = await start(data);
    const base = `http://127.0.0.1:${m.port}`;
    // The database named after the password: PostgreSQL's refusal quotes it.
    const id = await submit(
      base,
      `env { job.mode = BATCH }
source { Jdbc { url = "jdbc:postgresql://127.0.0.1:5432/nodb_${secret}", driver = "org.postgresql.Driver", user = "root", password = "${secret}", query = "select 1 as a" } }
sink { Console {} }`,
    );
    const failed = await until(
      "the job failed",
      () => info(m.port, id),
      (j) => j.jobStatus === "FAILED",
    );
    expect(String(failed.errorMsg)).toContain("nodb_******");
    expect(JSON.stringify(failed)).not.toContain(secret);
    const full = await (await fetch(`${base}/job-info/${id}`)).text();
    expect(full).not.toContain(secret);
    const log = await (await fetch(`${base}/log/job-${id}.log`)).text();
    expect(log).toContain("nodb_******");
    expect(log).not.toContain(secret);
    // The job's process masked it before it reached the member's disk.
    const onDisk = readFileSync(join(data, "jobs", `${id}.log`), "utf8");
    expect(onDisk).toContain("nodb_******");
    expect(onDisk).not.toContain(secret);
    const page = await browser.newPage();
    await page.goto(`${base}/#/jobs/${id}`);
    await see(
      "the error on the page",
      () => page.locator("pre.error").textContent(),
      (t) => (t ?? "").includes("******"),
    );
    await see(
      "the log on the page",
      () => page.getByTestId("log").textContent(),
      (t) => (t ?? "").includes("nodb_"),
    );
    expect(await page.content()).not.toContain(secret);
    await page.close();
  }, 60_000);
});
