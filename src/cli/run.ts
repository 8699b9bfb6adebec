/**
 * `seatunnel run <file>` (and SeaTunnel's `seatunnel --config <file>`): read → validate → plan →
 * run → summary, in stages; each stage reports all its errors before the job stops.
 */
import { renameSync, writeFileSync } from "node:fs";
import { type ConfigError, ConfigErrors } from "../api/errors.ts";
import { CRASH_ENV, parseCrashSpec } from "../checkpoint/crash-points.ts";
import { checkpointDir } from "../checkpoint/storage.ts";
import { encodeSensitive } from "../config/shade.ts";
import type { JobModel } from "../config/job.ts";
import { readJobFile } from "../config/read.ts";
import { toPlain, type ObjectNode } from "../api/tree.ts";
import { parseVariableArgs } from "../config/variables.ts";
import type { BoundJob } from "../plan/bind.ts";
import { bindPlanned, type PlannedJob, planJob } from "../plan/load.ts";
import { runJob, type JobResult } from "../runtime/job-master.ts";
import { newJobId } from "../runtime/job-id.ts";
import { ATTEMPT_ENV, MEMBER_STDIN_ENV, METRICS_FILE_ENV } from "../cluster/env.ts";
import { poolSizeOf, prestartWorkers } from "../runtime/worker-pool.ts";
import { Metrics } from "../runtime/metrics.ts";
import { parseRunArgs, runHelp, type RunArgs, UsageError } from "./args.ts";
import { reportCheck } from "./check.ts";
import { reportCheckpoints, resumeCommand } from "./checkpoints.ts";
import { EXIT, errorJson, failureJson, printErrors, writeJson } from "./errors.ts";
import { createLogger, type ProcessLogger } from "../runtime/log.ts";
import { startProgress } from "./progress.ts";
import { countsJson, formatSummary, resultJson } from "./summary.ts";
import { CONCURRENT_JIT_VAR, FTL_COST_VAR, execWithOneMarker, GC_MARKERS_VAR, wantsOneMarker } from "./gc-tuning.ts";

/**
 * Reads, validates and binds a job file; throws ConfigErrors with everything found. `connect`:
 * also connect and check every source and sink (see bindPlanned); the caller closes the nodes then.
 */
export async function loadJob(
  args: RunArgs,
  log: ProcessLogger,
  checkOnly: boolean,
  connect?: "errors" | "warnings",
  seen?: ConfigError[],
): Promise<{ bound: BoundJob; root: ObjectNode }> {
  const warn = (w: ConfigError[]) => {
    reportWarnings(w, log, args.strict);
    seen?.push(...w);
  };
  const variables = parseVariableArgs(args.variables, warn);
  const root = await readJobFile(args.config!, { variables, env: process.env });
  if (process.env[ATTEMPT_ENV]) {
    // A member's job: its log is served and kept on the member; the job's secrets never reach it.
    const { maskOutput, secretsOf } = await import("../cluster/redact.ts");
    maskOutput(secretsOf(JSON.stringify(toPlain(root))));
  }
  const workers = args.workers !== undefined ? Number(args.workers) : undefined;
  // Source subtasks: each is one chain.
  const chainsOf = (p: PlannedJob) =>
    p.dag.nodes.reduce((n, d) => n + (d.block.kind === "source" ? d.parallelism : 0), 0);
  const planned = await planJob(root, args.config!, {
    decodeSecrets: !args.encrypt,
    warn,
    // Before anything is printed or opened: the process may be replaced by itself (gc-tuning.ts).
    planned: async (p) => {
      if (!checkOnly && wantsOneMarker(chainsOf(p), workers)) {
        await execWithOneMarker((m) => log.debug(m));
      }
    },
  });
  const { job } = planned;
  const chains = chainsOf(planned);
  const jobName = chooseName(args.name, job);
  const jobId = args.restore ?? args.setJobId ?? newJobId();
  // The workers bind the job while this thread does (see prestartWorkers).
  const size = checkOnly ? 0 : poolSizeOf(chains, workers);
  if (size > 0) {
    prestartWorkers(size, { root, file: args.config!, jobId, jobName, verbose: args.verbose, stderr: args.json });
  }
  const bound = await bindPlanned(planned, {
    jobId,
    jobName,
    log,
    checkOnly: checkOnly && !connect,
    warn,
    ...(connect ? { connect } : {}),
  });
  return { bound, root };
}

function reportWarnings(warnings: ConfigError[], log: ProcessLogger, strict: boolean): void {
  if (strict && warnings.length) {
    throw new ConfigErrors(warnings);
  }
  for (const w of warnings) {
    log.warn(w.format().replace(/^error\[/, "warning["));
  }
}

/** SeaTunnel: the CLI name wins unless it is unset or one of the defaults, then env job.name. */
function chooseName(cli: string | undefined, job: JobModel): string {
  if (cli && cli !== "SeaTunnel" && cli !== "SeaTunnel_Job") {
    return cli;
  }
  return job.env["job.name"];
}

/** `--json` decided before the flags parse, so that a usage error is reported as JSON too. */
function wantsJson(argv: readonly string[]): boolean {
  const at = argv.lastIndexOf("--json");
  return (
    /^--json=true$/i.test(argv.findLast((a) => a.startsWith("--json=")) ?? "") ||
    (at >= 0 && !/^false$/i.test(argv[at + 1] ?? ""))
  );
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  if (process.env[MEMBER_STDIN_ENV] === "1") {
    process.stdin.on("end", () => process.exit(EXIT.jobFailed)).on("data", () => {});
  }
  const json = wantsJson(argv);
  let verbose = argv.includes("--verbose");
  // The job file's warnings go into every object written after it was read.
  const warnings: ConfigError[] = [];
  const emit: Emit = (o) => writeJson(warnings.length ? { ...o, warnings: warnings.map(errorJson) } : o);
  const fail = (e: unknown): number => {
    const code = printErrors(e, verbose);
    if (json) {
      emit(failureJson(e, code));
    }
    return code;
  };
  try {
    const args = parseRunArgs(argv);
    verbose = args.verbose;
    if (args.help) {
      process.stdout.write(`${runHelp()}\n`);
      return EXIT.usage;
    }
    if (args.list || args.jobId || args.cancelJob.length || args.savepoint || args.metrics || args.runningMetrics) {
      const { clusterQuery } = await import("./cluster-client.ts");
      return await clusterQuery(args, json ? emit : undefined);
    }
    if (!args.config) {
      throw new UsageError("no job file given; run: seatunnel run <job-file>  (or seatunnel --config <job-file>)");
    }
    try {
      parseCrashSpec(process.env[CRASH_ENV]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return await loadAndRun(args, createLogger({ verbose: args.verbose, stderr: json }), warnings, emit);
  } catch (e) {
    return fail(e);
  }
}

/** Writes the --json object. */
type Emit = (o: Record<string, unknown>) => void;

async function loadAndRun(args: RunArgs, log: ProcessLogger, warnings: ConfigError[], emit: Emit): Promise<number> {
  // A signal while the job file is read (a schema fetched, a large file listed) stops the command at
  // once, and says so like any other outcome.
  const early = (sig: NodeJS.Signals) => {
    const error = { code: "INTERRUPTED", message: `stopped by ${sig} before the job started` };
    process.stderr.write(`error[${error.code}]: ${error.message}\n`);
    if (args.json) {
      emit({ status: "CANCELED", exitCode: EXIT.interrupted, error });
    }
    process.exit(EXIT.interrupted);
  };
  process.on("SIGINT", early);
  process.on("SIGTERM", early);
  let loaded: { bound: BoundJob; root: ObjectNode };
  try {
    // A job for the cluster is checked here as --check checks it, then runs on a member.
    const checkOnly = args.check || args.encrypt || args.decrypt || args.master === "cluster";
    loaded = await loadJob(args, log, checkOnly, args.connect ? "errors" : undefined, warnings);
  } finally {
    process.off("SIGINT", early);
    process.off("SIGTERM", early);
  }
  if (args.async && args.master !== "cluster") {
    log.warn("The job is running in local mode, can not use async mode.");
  }
  if (process.env[GC_MARKERS_VAR] !== undefined) {
    log.debug(`JavaScriptCore GC markers per heap: ${process.env[GC_MARKERS_VAR]} (${GC_MARKERS_VAR})`);
  }
  for (const [what, name] of [
    ["concurrent JIT", CONCURRENT_JIT_VAR],
    ["largest function FTL compiles", FTL_COST_VAR],
  ] as const) {
    if (process.env[name] !== undefined) {
      log.debug(`JavaScriptCore ${what}: ${process.env[name]} (${name})`);
    }
  }
  const { bound } = loaded;
  if (args.encrypt || args.decrypt) {
    const config = shade(loaded.root, bound.job, args.encrypt);
    if (args.json) {
      emit({ status: args.encrypt ? "ENCRYPTED" : "DECRYPTED", exitCode: EXIT.ok, config });
    } else {
      process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
    }
    return EXIT.ok;
  }
  if (args.check) {
    return reportCheck(bound, args.connect, args.json ? emit : undefined);
  }
  if (args.master === "cluster") {
    const { runOnCluster } = await import("./cluster-client.ts");
    await (await import("../plan/connect.ts")).closeNodes(bound.nodes);
    const job = { name: bound.jobName, streaming: bound.job.env["job.mode"] === "STREAMING" };
    return runOnCluster(args, loaded.root, job, log, args.json ? emit : undefined);
  }
  return execute(bound, loaded.root, args, log, emit);
}

async function execute(
  bound: BoundJob,
  root: ObjectNode,
  args: RunArgs,
  log: ProcessLogger,
  emit: Emit,
): Promise<number> {
  const streaming = bound.job.env["job.mode"] === "STREAMING";
  const controller = new AbortController();
  let signals = 0;
  const metrics = new Metrics();
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn(`Second ${sig}: stopping now without draining; resume with: ${resumeCommand(bound.jobId, args)}`);
      if (args.json) {
        const error = { code: "INTERRUPTED", message: `stopped at once by a second ${sig}` };
        const job = { jobId: bound.jobId, jobName: bound.jobName };
        emit({ status: "CANCELED", exitCode: EXIT.interrupted, ...job, ...countsJson(metrics), error });
      }
      process.exit(EXIT.interrupted);
    }
    log.info(`Received ${sig}: taking a savepoint and stopping (send it again to stop at once).`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Logged once a signal is handled: whoever waits for this line may stop the job from then on.
  log.info(
    `Job ${bound.jobName} (${bound.jobId}) starts: ${bound.dag.pipelines.length} pipeline(s), ${bound.job.env["job.mode"]} mode.`,
  );
  const progress = startProgress(bound, metrics, log, !args.noProgress);
  const live = liveCounts(metrics, process.env[METRICS_FILE_ENV]);
  // A cluster member's job process: its commits check that its attempt is still the job's.
  const attempt = process.env[ATTEMPT_ENV];
  const spec = attempt ? JSON.parse(attempt) : undefined;
  const cluster = spec ? await import("../cluster/attempt.ts") : undefined;
  const guard = spec ? cluster!.attemptGuard(spec) : undefined;
  let result: JobResult;
  try {
    result = await runJob(bound, {
      log,
      signal: controller.signal,
      metrics,
      noFuse: args.noFuse,
      tree: { root, file: args.config!, verbose: args.verbose, stderr: args.json },
      checkpoint: {
        dir: checkpointDir(args.checkpointDir),
        retained: Number(args.retainedCheckpoints ?? 3),
        mirror: spec ? cluster!.checkpointMirror(spec) : undefined,
      },
      restore: args.restore !== undefined,
      ...(guard ? { beforeCommit: guard } : {}),
      ...(args.workers !== undefined ? { workers: Number(args.workers) } : {}),
      ...(args.slots !== undefined ? { slots: Number(args.slots) } : {}),
    });
  } finally {
    progress.stop();
    live.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const code =
    result.status === "FINISHED" || (result.status === "CANCELED" && streaming)
      ? EXIT.ok
      : result.status === "FAILED"
        ? EXIT.jobFailed
        : EXIT.interrupted;
  log.info(`Job (${result.jobId}) end with state ${result.status}`);
  if (result.status !== "FAILED") {
    log.info(formatSummary(result, bound));
  }
  if (result.error) {
    printErrors(result.error, args.verbose);
  }
  reportCheckpoints(result, args, log);
  log.debug(
    `The job used ${result.threads} worker thread(s) besides the main thread; at most ${result.metrics.maxInFlight} rows were in flight per chain.`,
  );
  if (args.json) {
    emit({ ...resultJson(result, code), ...(result.error ? { error: errorJson(result.error) } : {}) });
  }
  return code;
}

/**
 * A cluster member's job process writes its counts to `file` every second (METRICS_FILE_ENV), with
 * the rows per second since the last write: replaced whole (temp file, rename), never half written.
 */
function liveCounts(metrics: Metrics, file: string | undefined): { stop(): void } {
  if (!file) {
    return { stop() {} };
  }
  const sample = () => ({
    t: Date.now(),
    read: metrics.totalRead,
    written: metrics.totalWritten,
    readBytes: metrics.totalReadBytes,
    writtenBytes: metrics.totalWrittenBytes,
  });
  let last = { t: Date.now(), read: 0, written: 0, readBytes: 0, writtenBytes: 0 };
  const timer = setInterval(() => {
    const now = sample();
    const secs = Math.max(0.001, (now.t - last.t) / 1000);
    const rate = (k: "read" | "written" | "readBytes" | "writtenBytes") =>
      Math.max(0, Math.round((now[k] - last[k]) / secs));
    const rates = {
      readPerSecond: rate("read"),
      writtenPerSecond: rate("written"),
      readBytesPerSecond: rate("readBytes"),
      writtenBytesPerSecond: rate("writtenBytes"),
    };
    last = now;
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify({ time: now.t, ...countsJson(metrics), ...rates }));
      renameSync(`${file}.tmp`, file);
    } catch {
      // The member reads what is there; a missed second is no loss.
    }
  }, 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** --encrypt / --decrypt: the job as JSON with sensitive plugin options base64-encoded or plain (as read). */
function shade(root: ObjectNode, job: JobModel, encode: boolean): unknown {
  const plain = toPlain(root) as Record<string, unknown>;
  return encode ? encodeSensitive(plain, job.env["shade.identifier"]) : plain;
}
