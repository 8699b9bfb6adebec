/**
 * `seatunnel run -m cluster job.conf`: the job file is read and checked here, as local mode checks
 * it (the same positioned errors and exit code), then submitted to a member through SeaTunnel's
 * REST API v2 (`POST /submit-job`, the file as JSON) and followed (`GET /job-info/:id`) until it
 * ends: its state changes are logged, its log is written here as its process writes it on its
 * member (`GET /logs/:id`, so the same lines, summary and errors as a local run), and its end
 * gives the same `--json` object and exit code as a local run. A signal to the client stops the
 * job (SeaTunnel's -cj, on by default). `--async` returns once the job is submitted.
 */
import { JobError } from "../api/errors.ts";
import { FINAL_STATES } from "../cluster/jobs.ts";
import type { ObjectNode } from "../api/tree.ts";
import { toPlain } from "../api/tree.ts";
import type { ProcessLogger } from "../runtime/log.ts";
import type { RunArgs } from "./args.ts";
import { EXIT } from "./errors.ts";
import { clusterAddress, shown, withCredentials } from "./cluster-address.ts";

async function call(base: string, path: string, init?: RequestInit): Promise<unknown> {
  let r: Response;
  try {
    r = await fetch(`${base}${path}`, init);
  } catch (e) {
    throw new JobError(
      "CLUSTER_UNREACHABLE",
      `no cluster member answers at ${shown(base)} (${(e as { code?: string }).code ?? (e as Error).message}): start one with \`seatunnel cluster start\`, or give a member's address with --cluster-address or SEATUNNEL_CLUSTER`,
    );
  }
  const body = (await r.json().catch(() => ({}))) as { status?: string; message?: string };
  if (!r.ok) {
    const message =
      r.status === 401
        ? `${body.message ?? "Unauthorized"} (give them in the member's address: http://USER:PASSWORD@host:port)`
        : (body.message ?? `${r.status} ${r.statusText}`);
    throw new JobError("CLUSTER_REFUSED", `${shown(base)}${path.split("?")[0]}: ${message}`);
  }
  return body;
}

/** Where the client is in one log: the byte to read from, and a line begun but not ended. */
type LogState = { offset: number; decoder: TextDecoder; partial: string };

type Info = {
  jobId: string;
  jobName: string;
  jobStatus: string;
  member?: string;
  errorMsg?: string | null;
  result?: Record<string, unknown>;
};

const FINAL = new Set<string>(FINAL_STATES);

/** Submits the checked job `root` and follows it; the exit code of the job's outcome. */
export async function runOnCluster(
  args: RunArgs,
  root: ObjectNode,
  job: { name: string; streaming: boolean },
  log: ProcessLogger,
  emit: ((o: Record<string, unknown>) => void) | undefined,
): Promise<number> {
  const base = await clusterAddress(args);
  // -r: SeaTunnel's client submits the job again under its id, to start from its savepoint.
  const jobId = args.restore ?? args.setJobId;
  const query = new URLSearchParams({
    jobName: job.name,
    ...(jobId ? { jobId } : {}),
    ...(args.restore ? { isStartWithSavePoint: "true" } : {}),
  });
  const submitted = (await call(base, `/submit-job?${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(toPlain(root)),
  })) as { jobId: string; jobName: string };
  log.info(`Job ${submitted.jobName} (${submitted.jobId}) submitted to the cluster at ${shown(base)}.`);
  if (args.async) {
    if (emit) {
      emit({
        status: "SUBMITTED",
        exitCode: EXIT.ok,
        jobId: submitted.jobId,
        jobName: submitted.jobName,
        cluster: base,
      });
    } else {
      process.stdout.write(`${submitted.jobId}\n`);
    }
    return EXIT.ok;
  }
  const id = submitted.jobId;
  // The job's log as its process writes it: what a local run prints (its summary, its errors).
  const tail = new LogTail(base, id, emit !== undefined);
  // -cj (SeaTunnel's default): a signal to the client stops the job as a signal stops a local run.
  let closing = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (closing || !args.closeJob) {
      log.warn(`Received ${sig}: the client leaves; job ${id} goes on in the cluster (seatunnel -j ${id}).`);
      process.exit(EXIT.interrupted);
    }
    closing = true;
    log.info(`Received ${sig}: Task will be closed due to client shutdown (send it again to leave at once).`);
    const body = JSON.stringify({ jobId: id, isStopWithSavePoint: false });
    call(base, "/stop-job", { method: "POST", body }).catch((e: Error) => log.warn(e.message));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const info = await follow(base, id, (m) => log.info(m), tail);
    // Stopped by this client's signal, a streaming job exits 0, as a local one does.
    const stopped = closing && job.streaming && (info.jobStatus === "CANCELED" || info.jobStatus === "SAVEPOINT_DONE");
    return ended(info, emit, tail.bytes > 0, stopped);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * A job's log, pulled from the member that runs it (the links of `GET /logs/:id`) and written
 * here as it grows: to stdout, with error lines to stderr, or all to stderr under --json.
 */
class LogTail {
  bytes = 0;
  private readonly at = new Map<string, LogState>();

  constructor(
    private readonly base: string,
    private readonly id: string,
    private readonly json: boolean,
  ) {}

  async pull(final = false): Promise<void> {
    let links: { logLink: string }[];
    try {
      links = (await call(this.base, `/logs/${this.id}?format=json`)) as { logLink: string }[];
    } catch {
      return;
    }
    for (const { logLink } of links) {
      let s = this.at.get(logLink);
      if (s === undefined) {
        s = { offset: 0, decoder: new TextDecoder(), partial: "" };
        this.at.set(logLink, s);
      }
      // The member serves whole lines: at the end, a last line without its newline takes a second read.
      for (let read = 0; read < (final ? 2 : 1); read++) {
        if (!(await this.read(logLink, s, final))) {
          break;
        }
      }
    }
  }
  /** Reads the log at `logLink` on from its offset and writes its whole lines; false when all is read. */
  private async read(logLink: string, s: LogState, final: boolean): Promise<boolean> {
    const r = await fetch(`${withCredentials(logLink, this.base)}?from=${s.offset}`).catch(() => undefined);
    if (r === undefined || !r.ok) {
      return false;
    }
    const bytes = new Uint8Array(await r.arrayBuffer());
    // The member masks secrets (the text may be shorter than the bytes it covers): it says where to go on.
    s.offset = Number(r.headers.get("x-log-next") ?? s.offset + bytes.length);
    this.bytes += bytes.length;
    const text = s.partial + s.decoder.decode(bytes, { stream: !final });
    const end = final ? text.length : text.lastIndexOf("\n") + 1;
    s.partial = text.slice(end);
    this.write(text.slice(0, end));
    return Number(r.headers.get("x-log-size") ?? 0) > s.offset;
  }

  private write(text: string): void {
    if (text === "") {
      return;
    }
    if (this.json) {
      process.stderr.write(text);
      return;
    }
    for (const line of text.split(/(?<=\n)/)) {
      (line.startsWith("error[") ? process.stderr : process.stdout).write(line);
    }
  }
}

/** Tells a job's state changes and writes its log until it ends; its last info. */
async function follow(base: string, id: string, tell: (line: string) => void, tail?: LogTail): Promise<Info> {
  let last = "";
  for (;;) {
    const info = (await call(base, `/job-info/${id}`)) as Info;
    const over = FINAL.has(info.jobStatus);
    await tail?.pull(over);
    const where = info.member ? ` on member ${info.member}` : "";
    if (info.jobStatus !== last) {
      tell(`Job ${info.jobName} (${info.jobId}) is ${info.jobStatus}${where}.`);
      last = info.jobStatus;
    }
    if (over) {
      return info;
    }
    await Bun.sleep(200);
  }
}

/** The end of a followed job: its --json object, or (when its log did not say it all) its error and counts. */
function ended(
  info: Info,
  emit: ((o: Record<string, unknown>) => void) | undefined,
  logged: boolean,
  stopped: boolean,
): number {
  const r = info.result ?? {};
  const code =
    info.jobStatus === "FINISHED" || stopped
      ? EXIT.ok
      : info.jobStatus === "FAILED"
        ? EXIT.jobFailed
        : EXIT.interrupted;
  if (emit) {
    emit({
      ...r,
      status: info.jobStatus,
      exitCode: code,
      jobId: info.jobId,
      jobName: info.jobName,
      member: info.member,
    });
    return code;
  }
  if (info.errorMsg && !logged) {
    process.stderr.write(`${info.errorMsg}\n`);
  }
  process.stdout.write(
    `Job ${info.jobName} (${info.jobId}) ended ${info.jobStatus}${info.member ? ` on member ${info.member}` : ""}: ` +
      `read ${r.read ?? 0}, written ${r.written ?? 0}, rejected ${r.rejected ?? 0} row(s).\n`,
  );
  return code;
}

const show = (o: unknown) => process.stdout.write(`${JSON.stringify(o, null, 2)}\n`);

/** A job's info, or a clear error when the cluster has no such job. */
async function jobOf(base: string, id: string): Promise<Info & { metrics?: unknown }> {
  const info = (await call(base, `/job-info/${encodeURIComponent(id)}`)) as Info & { metrics?: unknown };
  if (info.jobStatus === undefined) {
    throw new JobError("CLUSTER_NO_JOB", `the cluster at ${shown(base)} has no job ${id}`);
  }
  return info;
}

/**
 * SeaTunnel's client queries against the cluster: `-l` (every job: id, name, state, times),
 * `-j <id>` (a job's info), `-can <id>...` (stop jobs), `-s <id>` (savepoint, then stop), `--metrics <id>` and
 * `--get_running_job_metrics`; with `--json`, one object.
 */
export async function clusterQuery(
  args: RunArgs,
  emit: ((o: Record<string, unknown>) => void) | undefined,
): Promise<number> {
  const base = await clusterAddress(args);
  let out: Record<string, unknown>;
  if (args.list) {
    const jobs = [
      ...((await call(base, "/running-jobs")) as Record<string, unknown>[]),
      ...((await call(base, "/finished-jobs")) as Record<string, unknown>[]),
    ];
    if (!emit) {
      const rows = jobs.map((j) => [j.jobId, j.jobName, j.jobStatus, j.createTime, j.finishedTime ?? ""].map(String));
      const head = ["Job ID", "Job Name", "Job Status", "Submit Time", "Finished Time"];
      const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [head, ...rows]) {
        process.stdout.write(
          `${r
            .map((c, i) => c.padEnd(width[i]!))
            .join("  ")
            .trimEnd()}\n`,
        );
      }
      return EXIT.ok;
    }
    out = { jobs };
  } else if (args.jobId) {
    out = await jobOf(base, args.jobId);
  } else if (args.cancelJob.length) {
    const canceled: string[] = [];
    for (const id of args.cancelJob) {
      await jobOf(base, id);
      await call(base, "/stop-job", {
        method: "POST",
        body: JSON.stringify({ jobId: id, isStopWithSavePoint: false }),
      });
      canceled.push(id);
      if (!emit) {
        process.stdout.write(`Job ${id} is asked to stop.\n`);
      }
    }
    if (!emit) {
      return EXIT.ok;
    }
    out = { canceled };
  } else if (args.savepoint) {
    return savepoint(base, args.savepoint, emit);
  } else if (args.metrics) {
    out = { jobId: args.metrics, metrics: (await jobOf(base, args.metrics)).metrics };
  } else {
    const running = (await call(base, "/running-jobs")) as { jobId: string; metrics: unknown }[];
    out = Object.fromEntries(running.map((j) => [j.jobId, j.metrics]));
  }
  if (emit) {
    emit({ status: "OK", exitCode: EXIT.ok, ...out });
  } else {
    show(out);
  }
  return EXIT.ok;
}

/**
 * `-s <id>`: asks for a savepoint of the job and waits until it is stopped (SAVEPOINT_DONE: resume
 * it with `-r <id>`). A job that ended otherwise (it finished first, had not started, or was
 * canceled earlier) says how.
 */
async function savepoint(
  base: string,
  id: string,
  emit: ((o: Record<string, unknown>) => void) | undefined,
): Promise<number> {
  await jobOf(base, id);
  await call(base, "/stop-job", { method: "POST", body: JSON.stringify({ jobId: id, isStopWithSavePoint: true }) });
  const info = await follow(base, id, () => {});
  const code = info.jobStatus === "FAILED" ? EXIT.jobFailed : EXIT.ok;
  const r = info.result ?? {};
  if (emit) {
    emit({ ...r, status: info.jobStatus, exitCode: code, jobId: info.jobId, jobName: info.jobName });
    return code;
  }
  if (info.errorMsg) {
    process.stderr.write(`${info.errorMsg}\n`);
  }
  const how =
    info.jobStatus === "SAVEPOINT_DONE"
      ? `stopped with a savepoint; resume it with: seatunnel run -m cluster -r ${id} <job file>`
      : `ended ${info.jobStatus}`;
  process.stdout.write(`Job ${info.jobName} (${id}) ${how} (read ${r.read ?? 0}, written ${r.written ?? 0} row(s)).\n`);
  return code;
}
