/**
 * The master's decisions at each of its ticks (docs/cluster.md, "Jobs"), every one a write fenced
 * by its epoch: the jobs of members that died go back to pending, pending jobs go to members
 * (the one with the fewest jobs among those with the slots the job needs), ended jobs are
 * forgotten after history-job-expire-minutes. With fixed slots a job no member has the slots for
 * waits, pending, until one has (job-schedule-strategy WAIT), or fails (REJECT).
 */
import { memberHeaders } from "./http-listen.ts";
import type { Logger } from "../api/connector.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import type { EngineConfig } from "./config.ts";
import { ACTIVE_STATES, type ClusterJob } from "./jobs.ts";
import type { ClusterStore, Member } from "./store.ts";

/** How often the master forgets expired jobs. */
const EXPIRE_EVERY_MS = 5_000;

/**
 * Fixed slots of `workers` (members of dynamic slots count 0, as SeaTunnel's overview counts them)
 * and how many of them no job given to one of them holds.
 */
export function slotUse(workers: Member[], jobs: ClusterJob[]): { total: number; free: number } {
  const names = new Set(workers.map((m) => m.id));
  const total = workers.reduce((n, m) => n + m.slots, 0);
  const held = jobs.reduce(
    (n, j) => n + (j.member !== null && names.has(j.member) && ACTIVE_STATES.includes(j.state) ? j.slots : 0),
    0,
  );
  return { total, free: Math.max(0, total - held) };
}

export class JobScheduler {
  /** Jobs already said to wait for slots (said once per master). */
  private readonly waiting = new Set<string>();
  private expiredAt = 0;

  constructor(
    private readonly store: ClusterStore,
    private readonly engine: EngineConfig,
    private readonly log: Logger,
    private readonly me: string,
  ) {}

  async lead(epoch: number, live: Member[]): Promise<void> {
    const active = await this.store.jobs.list(ACTIVE_STATES);
    await this.requeue(epoch, live, active);
    await this.expire(epoch);
    const workers = live.filter((m) => m.role !== "master");
    if (workers.length === 0) {
      return;
    }
    const jobsOn = new Map(workers.map((m) => [m.id, 0]));
    const held = new Map(workers.map((m) => [m.id, 0]));
    for (const j of active) {
      if (j.member !== null && jobsOn.has(j.member)) {
        jobsOn.set(j.member, jobsOn.get(j.member)! + 1);
        held.set(j.member, held.get(j.member)! + j.slots);
      }
    }
    // A member of dynamic slots (0) takes any job; one of fixed slots, a job whose largest pipeline fits its free ones.
    const free = (m: Member) => (m.slots === 0 ? Infinity : m.slots - held.get(m.id)!);
    for (const j of await this.store.jobs.list(["PENDING"])) {
      const fits = workers.filter((m) => free(m) >= Math.min(j.slotsMin, m.slots || Infinity));
      if (fits.length === 0) {
        await this.unplaced(epoch, j, workers, free);
        continue;
      }
      const [to] = fits.sort((a, b) => jobsOn.get(a.id)! - jobsOn.get(b.id)! || a.id.localeCompare(b.id));
      const slots = to!.slots === 0 ? 0 : Math.min(j.slotsMax, free(to!));
      if (await this.store.fenced(epoch, (tx) => this.store.jobs.schedule(tx, j.id, to!.id, epoch, slots))) {
        crashPoint("assignment-written");
        jobsOn.set(to!.id, jobsOn.get(to!.id)! + 1);
        held.set(to!.id, held.get(to!.id)! + slots);
        this.waiting.delete(j.id);
        this.log.info(`Job ${j.id} (${j.name}) is given to member ${to!.id}${slots ? ` with ${slots} slot(s)` : ""}.`);
        this.wake(to!);
      }
    }
  }

  /**
   * Has another member run its tick now rather than within a second: it starts the job at once.
   * Only a hint (POST /wake): a member that misses it starts the job at its next tick.
   */
  private wake(m: Member): void {
    if (m.id !== this.me) {
      fetch(`${m.address}${this.engine.contextPath}/wake`, {
        method: "POST",
        headers: memberHeaders(this.engine.http),
        signal: AbortSignal.timeout(1000),
      }).catch(() => undefined);
    }
  }

  /** Jobs whose member is gone, or registered again since the job started there (its process went with it). */
  private async requeue(epoch: number, live: Member[], active: ClusterJob[]): Promise<void> {
    const jobs = this.store.jobs;
    const started = new Map(live.map((m) => [m.id, m.startedMs]));
    for (const j of active) {
      if (j.member === null) {
        continue;
      }
      const since = started.get(j.member);
      const lost =
        since === undefined ? "is gone" : j.startedMs !== null && j.startedMs < since ? "restarted" : undefined;
      if (lost !== undefined && (await this.store.fenced(epoch, (tx) => jobs.requeue(tx, j.id, j.attempt)))) {
        this.log.warn(`Job ${j.id} (${j.name}): its member ${j.member} ${lost}; the job is given to a member again.`);
      }
    }
  }

  private async unplaced(epoch: number, j: ClusterJob, workers: Member[], free: (m: Member) => number): Promise<void> {
    const seen = workers.map((m) => `${m.id} ${free(m)} of ${m.slots}`).join(", ");
    const need = `job ${j.id} (${j.name}) needs ${j.slotsMin} free slot(s) (its largest pipeline's chains); the members have ${seen}`;
    if (this.engine.scheduleStrategy === "REJECT") {
      const error = `error[CLUSTER_NO_SLOTS]: ${need} (job-schedule-strategy REJECT)`;
      if (await this.store.fenced(epoch, (tx) => this.store.jobs.reject(tx, j.id, error))) {
        this.log.warn(`Job ${j.id} (${j.name}) is rejected: ${need}.`);
      }
    } else if (!this.waiting.has(j.id)) {
      this.waiting.add(j.id);
      this.log.info(`Job ${j.id} (${j.name}) waits for slots: ${need}.`);
    }
  }

  private async expire(epoch: number): Promise<void> {
    if (Date.now() - this.expiredAt < EXPIRE_EVERY_MS) {
      return;
    }
    this.expiredAt = Date.now();
    const minutes = this.engine.historyExpireMinutes;
    const n = await this.store.fenced(epoch, (tx) => this.store.jobs.expire(tx, minutes));
    if (n > 0) {
      this.log.info(`${n} job(s) that ended over ${minutes} minute(s) ago are forgotten (history-job-expire-minutes).`);
    }
  }
}
