/**
 * A member's part in running jobs (docs/cluster.md, "Jobs"), called at each of its ticks (the
 * master's part is master.ts). As a member that runs work it starts the jobs given to it, each in a process of
 * its own (`seatunnel run <job>.json --json`, so a job that crashes takes no member with it),
 * stops the ones asked to stop, and records how each ended. A job given to a member again after
 * its member died resumes from its last checkpoint (`-r`) where one was stored: the checkpoint
 * directory is the data directory's, shared by the members of one machine, or seatunnel.yaml's
 * checkpoint namespace, a directory every member reads.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { CRASH_ALSO_ENV, CRASH_ENV } from "../checkpoint/crash-points.ts";
import type { AttemptSpec } from "./attempt.ts";
import { ATTEMPT_ENV, MEMBER_STDIN_ENV, METRICS_FILE_ENV } from "./env.ts";
import { jobFile, jobLogFile, jobsDir, liveFile } from "./files.ts";
import type { ClusterJob, EndState } from "./jobs.ts";
import type { EngineConfig } from "./config.ts";
import type { ClusterStore, MemberInfo, StoreOptions } from "./store.ts";

/** How to start this program again (the compiled binary, or bun with its script): the CLI knows. */
export type SelfCommand = { path: string; args: string[] };

interface Running {
  proc: ReturnType<typeof Bun.spawn>;
  attempt: number;
  canceled: boolean;
  /** The live counts last copied into the store. */
  live?: string;
}

export class JobRunner {
  private readonly running = new Map<string, Running>();
  /** The member is leaving: its jobs' ends are not recorded (the master gives them to other members). */
  private stopping = false;

  constructor(
    private readonly store: ClusterStore,
    private readonly me: MemberInfo,
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly self: SelfCommand,
    private readonly storeOptions: StoreOptions,
    private readonly engine: EngineConfig,
  ) {}

  /** How many job processes this member runs now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** seatunnel.yaml's checkpoint namespace (a directory every member reads), else the data directory's. */
  get checkpointDir(): string {
    return this.engine.checkpointDir ?? join(this.dataDir, "checkpoint");
  }

  /**
   * This member's work for the tick: start what it was given, stop what is to stop, and kill the
   * process of a job the master took back from it (it was cut off past the member timeout and the
   * job runs again elsewhere).
   */
  async work(): Promise<void> {
    if (this.me.role === "master") {
      return;
    }
    for (const [id, r] of this.running) {
      const j = await this.store.jobs.get(id);
      if (j === undefined || j.member !== this.me.id || j.attempt !== r.attempt) {
        this.log.warn(`Job ${id}: the master gave it to a member again; this member's attempt ${r.attempt} is killed.`);
        r.canceled = true;
        r.proc.kill("SIGKILL");
      } else {
        await this.copyLiveCounts(id, r);
      }
    }
    for (const j of await this.store.jobs.list(["SCHEDULED", "CANCELING", "DOING_SAVEPOINT"])) {
      if (j.member !== this.me.id) {
        continue;
      }
      const r = this.running.get(j.id);
      // A signal stops a job process as it stops a local run: with a savepoint of every pipeline.
      if (j.state !== "SCHEDULED" && r !== undefined && !r.canceled) {
        r.canceled = true;
        r.proc.kill("SIGTERM");
      } else if (j.state === "SCHEDULED" && (r === undefined || r.attempt !== j.attempt)) {
        await this.launch(j);
      }
    }
  }

  private async launch(j: ClusterJob): Promise<void> {
    const where = await this.checkpointsOf(j);
    const host = hostOf(this.me.id);
    if (!(await this.store.jobs.start(j.id, this.me.id, j.attempt, { dir: where.dir, host }))) {
      return;
    }
    if (where.refused !== undefined) {
      const error = `error[CLUSTER_CHECKPOINTS_UNREACHABLE]: ${where.refused}`;
      if (await this.store.jobs.end(j.id, this.me.id, j.attempt, "FAILED", error, null)) {
        this.log.error(`Job ${j.id} (${j.name}) cannot run here: ${where.refused}`);
      }
      return;
    }
    const { restore } = where;
    mkdirSync(jobsDir(this.dataDir), { recursive: true });
    const file = jobFile(this.dataDir, j.id);
    writeFileSync(file, withEngineDefaults(j.config, this.engine));
    const self = this.self;
    const args = [...self.args, "run", file, "--json", "--no-progress"];
    args.push("--checkpoint-dir", where.dir, "--retained-checkpoints", String(this.engine.retained));
    args.push("-n", j.name, ...(j.slots > 0 ? ["--slots", String(j.slots)] : []));
    args.push(...(restore ? ["-r", j.id] : ["--set-job-id", j.id]));
    // Every attempt's log goes on after the earlier ones'.
    const logFd = openSync(jobLogFile(this.dataDir, j.id), "a");
    const attempt: AttemptSpec = {
      store: this.storeOptions,
      jobId: j.id,
      member: this.me.id,
      attempt: j.attempt,
      checkpointsInStore: this.inStore,
    };
    // Its stdin stays open while this member lives: the job process ends when it closes (MEMBER_STDIN_ENV).
    let proc: ReturnType<typeof Bun.spawn>;
    try {
      proc = Bun.spawn([self.path, ...args], {
        stdout: "pipe",
        stderr: logFd,
        stdin: "pipe",
        env: {
          ...process.env,
          [MEMBER_STDIN_ENV]: "1",
          [ATTEMPT_ENV]: JSON.stringify(attempt),
          [METRICS_FILE_ENV]: liveFile(this.dataDir, j.id),
          ...(process.env[CRASH_ENV] ? { [CRASH_ALSO_ENV]: String(process.pid) } : {}),
        },
      });
    } finally {
      closeSync(logFd);
    }
    const r: Running = { proc, attempt: j.attempt, canceled: false };
    this.running.set(j.id, r);
    this.log.info(
      `Job ${j.id} (${j.name}) starts on this member${restore ? ", from its last checkpoint" : ""} (attempt ${j.attempt}).`,
    );
    void this.ended(j, r);
  }

  /** Records the end of a job's process: its --json object's status, counts and error. */
  private async ended(j: ClusterJob, r: Running): Promise<void> {
    const out = await new Response(r.proc.stdout as ReadableStream).text();
    const code = await r.proc.exited;
    let result: Record<string, unknown> = {};
    try {
      result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    } catch {
      // A process that died without its JSON (a signal): failed, with its exit code.
    }
    const status = String(result.status ?? "");
    const state = await this.endState(j.id, status, r.canceled);
    const err = result.error as { code?: string; message?: string } | undefined;
    const errors = result.errors as { code: string; message: string }[] | undefined;
    const error =
      state !== "FAILED"
        ? null
        : err?.message !== undefined
          ? `error[${err.code}]: ${err.message}`
          : (errors?.map((e) => `error[${e.code}]: ${e.message}`).join("\n") ??
            `the job's process exited with code ${code}`);
    const metrics = { ...result };
    delete metrics.error;
    delete metrics.errors;
    this.running.delete(j.id);
    // The end's counts are the --json object's; the live ones are done with.
    rmSync(liveFile(this.dataDir, j.id), { force: true });
    if (this.stopping) {
      return;
    }
    // The process of an earlier attempt (its member cut off) still holds the job's checkpoints: it
    // ends at its next checkpoint (attempt.ts), and this attempt starts again at the next tick.
    if (err?.code === "JOB_RUNNING" && r.attempt > 1 && (await this.store.jobs.again(j.id, this.me.id, r.attempt))) {
      this.log.info(`Job ${j.id} (${j.name}) waits for its earlier attempt's process to end.`);
      return;
    }
    if (await this.store.jobs.end(j.id, this.me.id, r.attempt, state, error, metrics)) {
      this.log.info(`Job ${j.id} (${j.name}) ended ${state}${error ? `: ${error}` : ""}.`);
      if (state === "FINISHED" && this.inStore) {
        await this.store.checkpoints.drop(j.id).catch((e: unknown) => {
          this.log.warn(
            `Job ${j.id}: its checkpoints stay in the store: ${e instanceof Error ? e.message : String(e)}`,
          );
        });
      }
    }
  }

  /** A running job's counts, as its process last wrote them, into the store (once per new write). */
  private async copyLiveCounts(id: string, r: Running): Promise<void> {
    const file = liveFile(this.dataDir, id);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    if (text !== r.live) {
      r.live = text;
      await this.store.jobs.live(id, this.me.id, r.attempt, JSON.parse(text) as Record<string, unknown>);
    }
  }

  /**
   * Where an attempt keeps its checkpoints and whether it resumes from them (submitted with -r, or
   * given to a member again after its member died). An earlier attempt's directory wins where this
   * member sees the job's folder in it (members of one host, or one shared directory). Else, where
   * the checkpoints go into the store (no shared directory configured), the folder is written back
   * from the store. With a checkpoint directory configured, one on another host that this member
   * cannot see refuses the attempt: the job may have stored checkpoints there, and running it again
   * from its start could write its rows twice.
   */
  private async checkpointsOf(j: ClusterJob): Promise<{ dir: string; restore: boolean; refused?: string }> {
    const again = j.restore || j.attempt > 1;
    const earlier = j.checkpointDir || undefined;
    if (earlier !== undefined && existsSync(join(earlier, j.id))) {
      return { dir: earlier, restore: again };
    }
    const dir = this.checkpointDir;
    if (again && this.inStore && (await this.fromStore(j.id, dir))) {
      return { dir, restore: true };
    }
    // Without a copy in the store no checkpoint was stored, so none was committed: the job may start again.
    const unseen = !this.inStore && earlier !== undefined && j.checkpointHost !== hostOf(this.me.id);
    if (again && unseen && j.checkpointHost) {
      const refused =
        `job ${j.id} last ran on host ${j.checkpointHost}, which keeps its checkpoints in ${earlier}; member ${this.me.id} cannot read them, and running the job from its start again could write its rows twice. ` +
        `Give the members one checkpoint directory they all read (seatunnel.yaml checkpoint.storage.plugin-config.namespace on a shared mount), then resume it: seatunnel run -m cluster -r ${j.id} <job file>`;
      return { dir, restore: false, refused };
    }
    return { dir, restore: j.restore || (j.attempt > 1 && existsSync(join(dir, j.id))) };
  }

  /** Checkpoints go into the store: no shared checkpoint directory is configured. */
  private get inStore(): boolean {
    return this.engine.checkpointDir === undefined;
  }

  /**
   * Writes the job's checkpoint folder back from the store into `dir` (its owner left out: that
   * process is gone); false when the store holds none of it.
   */
  private async fromStore(id: string, dir: string): Promise<boolean> {
    const files = await this.store.checkpoints.list(id);
    if (!files.some((f) => f.name === "job.json")) {
      return false;
    }
    const folder = join(dir, id);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (const f of files) {
      let body = f.body;
      if (f.name === "job.json") {
        const { owner: _, ...meta } = JSON.parse(body) as Record<string, unknown>;
        body = JSON.stringify(meta, null, 2);
      }
      writeFileSync(join(folder, f.name), body);
    }
    this.log.info(`Job ${id}: its checkpoint folder is written back from the cluster store into ${folder}.`);
    return true;
  }

  /**
   * How an attempt ended. A process stopped by its member took a savepoint (it ended SAVEPOINT_DONE,
   * or CANCELED for a streaming job): SAVEPOINT_DONE where a savepoint was asked for, else CANCELED.
   */
  private async endState(id: string, status: string, canceled: boolean): Promise<EndState> {
    if (status === "FINISHED") {
      return "FINISHED";
    }
    if (status === "FAILED" || !canceled) {
      return "FAILED";
    }
    if (status !== "SAVEPOINT_DONE" && status !== "CANCELED") {
      return "CANCELED";
    }
    return (await this.store.jobs.get(id))?.stop === "savepoint" ? "SAVEPOINT_DONE" : "CANCELED";
  }

  /**
   * Stops every job process of this member (its own stop) as a signal stops a job: each keeps its
   * checkpoints, and the master gives it to a member again (this one, restarted, or another), which
   * resumes it from them. One that does not stop within 10 s is killed.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const procs = [...this.running.values()].map((r) => r.proc);
    for (const p of procs) {
      p.kill("SIGTERM");
    }
    const killer = setTimeout(() => {
      for (const p of procs) {
        p.kill("SIGKILL");
      }
    }, 10_000);
    await Promise.all(procs.map((p) => p.exited));
    clearTimeout(killer);
  }
}

/**
 * The job file a member runs: the submitted one with the engine's checkpoint defaults in its env
 * where it sets none (SeaTunnel: a streaming job without `checkpoint.interval` takes the engine's;
 * a batch job without one takes only its final checkpoint).
 */
export function withEngineDefaults(config: string, engine: EngineConfig): string {
  const job = JSON.parse(config) as { env?: Record<string, unknown> };
  const env = { ...(job.env ?? {}) };
  // A key as SeaTunnel writes it (`job.mode`), or nested as plain JSON may give it.
  const get = (a: string, b: string) => env[`${a}.${b}`] ?? (env[a] as Record<string, unknown> | undefined)?.[b];
  if (get("checkpoint", "interval") === undefined && String(get("job", "mode") ?? "").toUpperCase() === "STREAMING") {
    env["checkpoint.interval"] = engine.checkpointInterval;
  }
  if (get("checkpoint", "timeout") === undefined) {
    env["checkpoint.timeout"] = engine.checkpointTimeout;
  }
  return JSON.stringify({ ...job, env });
}

/** The host of a member id (`host:port`). */
export const hostOf = (member: string) => member.slice(0, member.lastIndexOf(":"));
