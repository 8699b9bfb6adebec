// Runs one manifest row: setup, temporary job copy, the binary, the mode's stop rules, the checks.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type Check, outputNeedles, parseCheck } from "./checks.ts";
import { type CheckResult, safeEvaluate } from "./evaluate.ts";
import { describeExit, exitMatches, type Job, killJob, startJob, stopJob, waitExit } from "./job.ts";
import type { Row } from "./manifest.ts";
import { OutputBuffer } from "./output.ts";
import { ensureService } from "./services.ts";
import { readJobFile, type RunContext, runStep, servicesOf } from "./setup.ts";
import { applyRewrite, evalArgs, hasNameArg, substitute, unresolvedPlaceholders } from "./text.ts";

export type Status = "PASS" | "FAIL" | "UNSUPPORTED" | "GATED";

export interface RowResult {
  key: string;
  path: string;
  group: string;
  status: Status;
  /** False for an earlier sequence step that ran only as a prerequisite. */
  counted: boolean;
  seconds: number;
  exit: string | undefined;
  reasons: string[];
  soft: string[];
  argv: string[];
  outputTail: string[];
}

export interface RowOptions {
  bin: string;
  root: string;
  mirror: string | undefined;
  /** Batch time limit, seconds. */
  timeout: number;
  /** A cluster member's address: run each job there (`-m cluster`) instead of locally. */
  cluster?: string | undefined;
}

interface Item {
  raw: string;
  check: Check | undefined;
}

const expectText = (e: Row["expectExit"]) => (e === "nonzero" ? "a non-zero exit (1..127)" : `exit code ${e}`);

/** Evaluates the items once: failures go to `reasons`, soft results to `soft`. */
async function evaluateAll(
  items: Item[],
  ctx: RunContext,
  output: OutputBuffer,
  batch: boolean,
  reasons: string[],
  soft: string[],
) {
  for (const item of items) {
    const c = item.check;
    if (c === undefined) {
      reasons.push(`check does not parse: ${item.raw}`);
    } else if (c.kind === "sleep") {
      if (batch && reasons.length === 0) {
        await Bun.sleep(c.seconds * 1000);
      }
    } else if (c.kind === "soft") {
      if (c.check === undefined) {
        soft.push(`note: ${c.text}`);
      } else {
        const r = await safeEvaluate(c.check, ctx, output);
        soft.push(`${r.holds ? "holds" : "does not hold"}: ${c.text}${r.holds ? "" : ` (${r.detail})`}`);
      }
    } else {
      const r: CheckResult = await safeEvaluate(c, ctx, output);
      if (!r.holds) {
        reasons.push(`${item.raw}: ${r.detail}`);
      }
    }
  }
}

async function allHold(checks: Check[], ctx: RunContext, output: OutputBuffer): Promise<boolean> {
  for (const c of checks) {
    if (!(await safeEvaluate(c, ctx, output)).holds) {
      return false;
    }
  }
  return true;
}

/**
 * streaming:N with expect_exit 0: polls the checks about once a second; when they hold, runs the next
 * `after:` step, or stops the job after the last one; stops it after N seconds anyway.
 */
async function pollStreaming(
  job: Job,
  row: Row,
  seconds: number,
  items: Item[],
  ctx: RunContext,
  output: OutputBuffer,
  reasons: string[],
): Promise<boolean> {
  const enforced = items.flatMap((i) =>
    i.check !== undefined && i.check.kind !== "soft" && i.check.kind !== "sleep" ? [i.check] : [],
  );
  const deadline = Date.now() + seconds * 1000;
  let phase = 0;
  while (!job.done && Date.now() < deadline) {
    if (await waitExit(job, Math.min(1000, Math.max(0, deadline - Date.now())))) {
      break;
    }
    if (Date.now() >= deadline) {
      break;
    }
    const holds = enforced.length > 0 && (await allHold(enforced, ctx, output));
    if (enforced.length > 0 && !holds) {
      continue;
    }
    const after = row.after[phase];
    if (after === undefined) {
      if (enforced.length > 0) {
        break;
      }
      continue;
    }
    phase++;
    ctx.log(`  after: ${after.raw}`);
    try {
      await runStep(after.step, ctx);
    } catch (e) {
      reasons.push(`${after.raw}: ${(e as Error).message}`);
      break;
    }
  }
  if (phase < row.after.length) {
    reasons.push(
      `checks did not hold in time to run ${row.after
        .slice(phase)
        .map((a) => a.raw)
        .join(", ")}`,
    );
  }
  const stopped = !job.done;
  if (stopped) {
    const signal = await stopJob(job);
    if (signal !== "SIGINT") {
      ctx.log(`  job needed ${signal ?? "no signal"} to stop`);
    }
  }
  return stopped;
}

async function prepare(row: Row, ctx: RunContext, opts: RowOptions, reasons: string[]): Promise<string[] | undefined> {
  for (const service of servicesOf(
    row,
    row.checks.map((c) => c.check),
  )) {
    try {
      await ensureService(service, ctx.log);
    } catch (e) {
      reasons.push((e as Error).message);
      return undefined;
    }
  }
  for (const s of row.setup) {
    try {
      await runStep(s.step, ctx);
    } catch (e) {
      reasons.push(`setup ${s.raw}: ${(e as Error).message}`);
      return undefined;
    }
  }
  const name = basename(row.notes.origin || row.path);
  const missing = row.rewrite.flatMap((p) => unresolvedPlaceholders(substitute(p.new, ctx.vars)));
  const args = substitute(row.args, ctx.vars);
  missing.push(...unresolvedPlaceholders(args));
  if (missing.length > 0) {
    reasons.push(`placeholder ${[...new Set(missing)].join(", ")} has no value (no http-fixture: step?)`);
    return undefined;
  }
  try {
    const text = applyRewrite(await readJobFile(row.path, opts.root, opts.mirror), row.rewrite, ctx.vars);
    const dir = join(ctx.workDir, `job-line${row.line}`);
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    await writeFile(file, text);
    const words = await evalArgs(args, { ...process.env, TZ: "UTC" });
    const master = opts.cluster ? ["-m", "cluster", "--cluster-address", opts.cluster] : ["-m", "local"];
    return [opts.bin, "--config", file, ...(hasNameArg(words) ? [] : ["--name", name]), ...master, ...words];
  } catch (e) {
    reasons.push((e as Error).message);
    return undefined;
  }
}

/** Runs the row in `ctx` (its ST_ROOT, fixture and AMQP session may be shared by a sequence). */
export async function runRow(row: Row, ctx: RunContext, opts: RowOptions, counted: boolean): Promise<RowResult> {
  const started = Date.now();
  const reasons: string[] = [...row.errors];
  const soft: string[] = [];
  const res: RowResult = {
    key: row.key,
    path: row.path,
    group: row.group,
    status: "FAIL",
    counted,
    seconds: 0,
    exit: undefined,
    reasons,
    soft,
    argv: [],
    outputTail: [],
  };
  const finish = (output: OutputBuffer | undefined): RowResult => {
    res.seconds = (Date.now() - started) / 1000;
    const unsupported = output?.matchesUnsupported() ?? false;
    if (unsupported && reasons.length === 0 && row.expectExit !== 0) {
      reasons.push("the output says something is unsupported; a row that expects a non-zero exit cannot pass with it");
    }
    res.status = reasons.length === 0 ? "PASS" : unsupported ? "UNSUPPORTED" : "FAIL";
    res.outputTail = output?.lastLines(40) ?? [];
    return res;
  };
  if (row.errors.length > 0) {
    return finish(undefined);
  }
  const argv = await prepare(row, ctx, opts, reasons);
  if (argv === undefined) {
    return finish(undefined);
  }
  res.argv = argv;
  const items: Item[] = row.checks.map((c) => {
    const raw = substitute(c.raw, ctx.vars);
    const parsed = parseCheck(raw);
    return { raw, check: parsed.ok ? parsed.check : undefined };
  });
  const output = new OutputBuffer(outputNeedles(items.flatMap((i) => (i.check === undefined ? [] : [i.check]))));
  let job: Job;
  try {
    job = startJob(argv, { cwd: ctx.workDir, env: { ...process.env, TZ: "UTC" }, output });
  } catch (e) {
    reasons.push(`cannot start ${opts.bin}: ${(e as Error).message}`);
    return finish(output);
  }
  const mode = row.mode;
  let compareExit = true;
  if (mode.kind === "batch") {
    if (!(await waitExit(job, opts.timeout * 1000))) {
      reasons.push(`timed out after ${opts.timeout} s`);
      compareExit = false;
      await killJob(job);
    }
  } else if (row.expectExit === 0) {
    compareExit = !(await pollStreaming(job, row, mode.seconds, items, ctx, output, reasons));
  } else if (!(await waitExit(job, mode.seconds * 1000))) {
    reasons.push(`still running after ${mode.seconds} s (it must end by itself)`);
    compareExit = false;
    await stopJob(job);
  }
  const exit = await job.finished;
  res.exit = describeExit(exit);
  if (compareExit && !exitMatches(exit, row.expectExit)) {
    reasons.push(`${describeExit(exit)}, expected ${expectText(row.expectExit)}`);
  }
  await evaluateAll(items, ctx, output, mode.kind === "batch", reasons, soft);
  return finish(output);
}
