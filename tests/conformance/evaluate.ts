// Evaluation of checks against the job output, files, databases, Redis, the HTTP fixture and AMQP.
import { readFile } from "node:fs/promises";
import { firstDataLine } from "./amqp.ts";
import { type Check, compareValues } from "./checks.ts";
import { globFiles } from "./glob.ts";
import { jsonMatches, recordedJson } from "./http-fixture.ts";
import type { OutputBuffer } from "./output.ts";
import { exec, firstColumn, mariadbQuery, psqlQuery } from "./services.ts";
import type { RunContext } from "./setup.ts";

export interface CheckResult {
  holds: boolean;
  detail: string;
}

const result = (holds: boolean, detail: string): CheckResult => ({ holds, detail });

async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of Bun.file(path).stream()) {
    for (const byte of chunk) {
      if (byte === 10) {
        lines++;
      }
    }
    if (chunk.length > 0) {
      last = chunk[chunk.length - 1] ?? 10;
    }
  }
  return last === 10 ? lines : lines + 1;
}

async function firstLine(path: string): Promise<string> {
  const head = await Bun.file(path)
    .slice(0, 1 << 20)
    .text();
  const nl = head.indexOf("\n");
  return (nl < 0 ? head : head.slice(0, nl)).replace(/\r$/, "");
}

function clip(text: string, max = 300): string {
  const one = text
    .trim()
    .replace(/\u001f/g, "|")
    .replace(/\s*\n\s*/g, " | ");
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

async function sqlValue(check: Extract<Check, { kind: "sql" }>): Promise<{ ok: boolean; value: string }> {
  const res = check.engine === "my" ? await mariadbQuery(check.query) : await psqlQuery(check.db, check.query);
  if (res.code !== 0) {
    return { ok: false, value: clip(res.stderr || res.stdout) };
  }
  return { ok: true, value: firstColumn(res.stdout, check.engine === "my" ? "\t" : "\u001f") };
}

async function compareQueries(check: Extract<Check, { kind: "compare" }>): Promise<CheckResult> {
  const run = (q: string) => (check.engine === "my" ? mariadbQuery(q) : psqlQuery(check.db, q));
  const [a, b] = await Promise.all([run(check.left), run(check.right)]);
  if (a.code !== 0) {
    return result(false, `left query failed: ${clip(a.stderr)}`);
  }
  if (b.code !== 0) {
    return result(false, `right query failed: ${clip(b.stderr)}`);
  }
  if (a.stdout === b.stdout) {
    return result(true, `${a.stdout.split("\n").filter((l) => l !== "").length} identical rows`);
  }
  const la = a.stdout.split("\n");
  const lb = b.stdout.split("\n");
  const i = la.findIndex((l, j) => l !== lb[j]);
  const at = i < 0 ? la.length : i;
  return result(
    false,
    `results differ (${la.length - 1} vs ${lb.length - 1} rows) at row ${at + 1}: ${clip(la[at] ?? "<none>", 200)} <=> ${clip(lb[at] ?? "<none>", 200)}`,
  );
}

async function amqpBodyText(text: string, ctx: RunContext): Promise<string> {
  if (!text.startsWith("@")) {
    return text;
  }
  const file = ctx.paths.resolve(text.slice(1));
  return firstDataLine(await readFile(file, "utf8")) ?? "";
}

/** Evaluates one check (a `soft:` check evaluates its inner check; `sleep:` always holds). */
export async function evaluateCheck(check: Check, ctx: RunContext, output: OutputBuffer): Promise<CheckResult> {
  switch (check.kind) {
    case "contains":
      return result(output.contains(check.text), "not in the output");
    case "not_contains":
      return result(!output.contains(check.text), "found in the output");
    case "files":
    case "lines": {
      const files = await globFiles(check.glob, ctx.workDir);
      let n = files.length;
      if (check.kind === "lines") {
        n = 0;
        for (const f of files) {
          n += await countLines(f);
        }
      }
      return result(
        compareValues(String(n), check.op, check.value),
        `${check.kind === "files" ? "files" : "lines"}: ${n}`,
      );
    }
    case "first-line": {
      const files = await globFiles(check.glob, ctx.workDir);
      if (files.length === 0) {
        return result(false, "no file matches");
      }
      for (const f of files) {
        const line = await firstLine(f);
        if (!compareValues(line, check.op, check.text)) {
          return result(false, `${f}: first line ${JSON.stringify(line)}`);
        }
      }
      return result(true, `${files.length} files`);
    }
    case "sql": {
      const v = await sqlValue(check);
      if (!v.ok) {
        return result(false, `query failed: ${v.value}`);
      }
      return result(compareValues(v.value, check.op, check.value), `got ${JSON.stringify(v.value)}`);
    }
    case "compare":
      return compareQueries(check);
    case "redis": {
      const words = check.command.split(/\s+/).filter((w) => w !== "");
      const res = await exec(["redis-cli", "-h", "127.0.0.1", "-n", String(check.db), ...words], { timeoutMs: 60_000 });
      const reply = res.stdout.trim();
      if (res.code !== 0 || /^(\(error\) )?[A-Z]*ERR\b|^WRONGTYPE/.test(reply)) {
        return result(false, `redis-cli failed: ${clip(reply || res.stderr)}`);
      }
      return result(compareValues(reply, check.op, check.value), `got ${JSON.stringify(clip(reply, 100))}`);
    }
    case "http": {
      if (ctx.fixture === undefined) {
        return result(false, "no HTTP fixture was started");
      }
      const n = ctx.fixture.requests.filter((r) => r.method === check.method && r.path === check.path).length;
      return result(compareValues(String(n), check.op, check.value), `${n} requests`);
    }
    case "http-json": {
      if (ctx.fixture === undefined) {
        return result(false, "no HTTP fixture was started");
      }
      const { rows, bad } = recordedJson(ctx.fixture.requests, check.method, check.path);
      const ok =
        bad === 0 &&
        rows.length === check.expected.length &&
        check.expected.every((e, i) => jsonMatches(e, rows[i], { strict: false, ordered: true, tolerance: 1e-6 }));
      return result(ok, `${bad > 0 ? `${bad} non-JSON bodies; ` : ""}got ${clip(JSON.stringify(rows), 400)}`);
    }
    case "amqp": {
      const messages = await ctx.amqp.drain(check.queue);
      return result(compareValues(String(messages.length), check.op, check.value), `${messages.length} messages`);
    }
    case "amqp-body": {
      const messages = await ctx.amqp.drain(check.queue);
      const want = (await amqpBodyText(check.text, ctx)).trim();
      const ok = messages.some((m) => m.trim() === want);
      return result(
        ok,
        `${messages.length} messages${messages[0] !== undefined ? `, first: ${clip(messages[0], 200)}` : ""}`,
      );
    }
    case "sleep":
      return result(true, "");
    case "soft":
      return check.check === undefined ? result(true, check.text) : evaluateCheck(check.check, ctx, output);
  }
}

/** Evaluates a check, turning an exception (a service that went away, a missing file) into a failed result. */
export async function safeEvaluate(check: Check, ctx: RunContext, output: OutputBuffer): Promise<CheckResult> {
  try {
    return await evaluateCheck(check, ctx, output);
  } catch (e) {
    return result(false, (e as Error).message);
  }
}
