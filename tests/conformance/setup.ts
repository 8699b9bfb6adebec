// Setup steps (`setup` column) and the per-row/per-sequence context they share with the checks.
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { type AmqpSession, firstDataLine } from "./amqp.ts";
import type { Check } from "./checks.ts";
import { type HttpFixture, parseMockServerConfig, startFixture } from "./http-fixture.ts";
import type { Row, SetupStep } from "./manifest.ts";
import { ensureService, exec, type Service } from "./services.ts";
import { substitute, type Vars } from "./text.ts";

/** Where relative set-up paths are looked up, in order: setup root, corpus root, manifest folder. */
export class PathResolver {
  constructor(private readonly roots: string[]) {}

  resolve(path: string): string {
    if (isAbsolute(path)) {
      return path;
    }
    for (const root of this.roots) {
      const candidate = resolve(root, path);
      if (existsSync(candidate)) {
        return candidate;
      }
    }
    throw new Error(`${path} not found under ${[...new Set(this.roots)].join(", ")}`);
  }
}

/** State shared by the steps of one row, or of all rows of a sequence. */
export interface RunContext {
  vars: Vars;
  /** The row's work folder (parent of ST_ROOT), also the job's cwd. */
  workDir: string;
  paths: PathResolver;
  fixture: HttpFixture | undefined;
  amqp: AmqpSession;
  log: (line: string) => void;
}

/** `clean:` refuses folders this shallow, so a wrong placeholder cannot wipe a system folder. */
function assertCleanable(dir: string): void {
  const depth = dir.split("/").filter((s) => s !== "").length;
  if (!isAbsolute(dir) || depth < 2 || dir.includes("${")) {
    throw new Error(`refusing to clean ${dir}`);
  }
}

async function runClient(argv: string[], stdin: string | { file: string }, what: string): Promise<void> {
  const res = await exec(argv, { stdin, timeoutMs: 600_000 });
  if (res.code !== 0) {
    throw new Error(`${what} failed (exit ${res.code}): ${(res.stderr || res.stdout).trim().slice(-2000)}`);
  }
  return;
}

/** Runs one step; throws with a one-line reason when it fails. */
export async function runStep(step: SetupStep, ctx: RunContext): Promise<void> {
  const sub = (s: string) => substitute(s, ctx.vars);
  switch (step.kind) {
    case "clean": {
      const dir = sub(step.dir);
      assertCleanable(dir);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      return;
    }
    case "mkdir":
      await mkdir(sub(step.dir), { recursive: true });
      return;
    case "copy":
      await cp(ctx.paths.resolve(sub(step.src)), sub(step.dst), { recursive: true, force: true });
      return;
    case "psql": {
      await ensureService("postgres", ctx.log);
      const file = ctx.paths.resolve(sub(step.file));
      const argv = [
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "root",
        "-d",
        sub(step.db),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-f",
        file,
      ];
      return runClient(argv, "", `psql ${file}`);
    }
    case "mariadb": {
      await ensureService("mariadb", ctx.log);
      const file = ctx.paths.resolve(sub(step.file));
      return runClient(["mariadb", "-h127.0.0.1", "-uroot"], { file }, `mariadb < ${file}`);
    }
    case "redis":
      return redisStep(ctx.paths.resolve(sub(step.file)), ctx);
    case "http-fixture": {
      const expectations = parseMockServerConfig(await readFile(ctx.paths.resolve(sub(step.file)), "utf8"));
      if (ctx.fixture === undefined) {
        ctx.fixture = startFixture(expectations);
      } else {
        ctx.fixture.load(expectations);
      }
      ctx.vars.HTTP_FIXTURE_PORT = String(ctx.fixture.port);
      return;
    }
    case "amqp-consume":
      await ensureService("rabbitmq", ctx.log);
      return ctx.amqp.declarePurge(sub(step.queue));
    case "amqp-publish": {
      await ensureService("rabbitmq", ctx.log);
      const file = ctx.paths.resolve(sub(step.file));
      const body = firstDataLine(await readFile(file, "utf8"));
      if (body === undefined) {
        throw new Error(`${file} has no data line`);
      }
      return ctx.amqp.publish(sub(step.queue), body, step.count);
    }
  }
}

/** Lines that are not blank and not `#` comments, piped into redis-cli; an ERR reply fails the step. */
async function redisStep(file: string, ctx: RunContext): Promise<void> {
  await ensureService("redis", ctx.log);
  const lines = (await readFile(file, "utf8"))
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const res = await exec(["redis-cli", "-h", "127.0.0.1"], { stdin: `${lines.join("\n")}\n`, timeoutMs: 300_000 });
  const err = res.stdout.split("\n").find((l) => /^(\(error\) )?ERR\b/.test(l));
  if (res.code !== 0 || err !== undefined) {
    throw new Error(`redis-cli < ${file}: ${(err ?? res.stderr ?? "").trim() || `exit ${res.code}`}`);
  }
}

/** Services a row needs for its steps and checks (started before the row if they are down). */
export function servicesOf(row: Row, checks: (Check | undefined)[]): Service[] {
  const out = new Set<Service>();
  const steps = [...row.setup.map((s) => s.step), ...row.after.map((s) => s.step)];
  for (const s of steps) {
    if (s.kind === "psql") {
      out.add("postgres");
    }
    if (s.kind === "mariadb") {
      out.add("mariadb");
    }
    if (s.kind === "redis") {
      out.add("redis");
    }
    if (s.kind === "amqp-consume" || s.kind === "amqp-publish") {
      out.add("rabbitmq");
    }
  }
  const visit = (c: Check | undefined): void => {
    if (c === undefined) {
      return;
    }
    if (c.kind === "soft") {
      return visit(c.check);
    }
    if (c.kind === "sql" || c.kind === "compare") {
      out.add(c.engine === "my" ? "mariadb" : "postgres");
    }
    if (c.kind === "redis") {
      out.add("redis");
    }
    if (c.kind === "amqp" || c.kind === "amqp-body") {
      out.add("rabbitmq");
    }
  };
  checks.forEach(visit);
  return [...out];
}

/** A job file's text from the corpus, or from a git mirror (held-out rows). */
export async function readJobFile(path: string, root: string, mirror: string | undefined): Promise<string> {
  if (mirror === undefined) {
    return readFile(join(root, path), "utf8");
  }
  const res = await exec(["git", "--git-dir", mirror, "show", `HEAD:${path}`], { timeoutMs: 60_000 });
  if (res.code !== 0) {
    throw new Error(`git show HEAD:${path} failed: ${res.stderr.trim()}`);
  }
  return res.stdout;
}
