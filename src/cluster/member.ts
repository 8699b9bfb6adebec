/**
 * A cluster member's life in the store (docs/cluster.md): it registers, keeps its heartbeat, and,
 * unless its role is `worker`, takes the master lease when nobody holds a live one and renews it
 * while it is master. No member is configured as master: the store's lease decides, and its epoch
 * fences every decision. A master that cannot renew (it was paused or cut off past its lease, or
 * the store is unreachable for as long) steps down at once, before it decides anything more.
 */
import type { Logger } from "../api/connector.ts";
import { crashPoint } from "../checkpoint/crash-points.ts";
import type { EngineConfig } from "./config.ts";
import { JobScheduler } from "./master.ts";
import { JobRunner, type SelfCommand } from "./runner.ts";
import { ClusterStore, type Lease, type Member, type MemberInfo, StaleEpochError, type StoreOptions } from "./store.ts";

/** How often a member beats and a master renews (SeaTunnel's heartbeat interval is 2 s, its timeout 5 s). */
export const TICK_MS = 1_000;
/**
 * The master lease: a dead master is replaced once it runs out plus one tick, within 6 s (the
 * acceptance allows 10); a live one renews it five times over.
 */
export const LEASE_MS = 5_000;

export interface MemberOptions {
  store: StoreOptions;
  info: MemberInfo;
  log: Logger;
  /** How the member starts a job's process. */
  self: SelfCommand;
  /** seatunnel.yaml's settings (config.ts). */
  engine: EngineConfig;
  tickMs?: number;
  leaseMs?: number;
}

/** What a member knows of its cluster at its last tick. */
export interface ClusterView {
  cluster: string;
  member: MemberInfo;
  /** The live lease as the store last said (undefined: no master right now). */
  master: Lease | undefined;
  members: Member[];
  /** This member's own lease epoch at that tick: it was master then. */
  epoch: number | undefined;
}

export class ClusterMember {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lease: Lease | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  /** A wake came during a tick: the next tick runs at once. */
  private woken = false;
  private view: ClusterView;
  readonly runner: JobRunner;
  readonly engine: EngineConfig;
  private readonly scheduler: JobScheduler;

  private constructor(
    readonly store: ClusterStore,
    private readonly o: MemberOptions,
  ) {
    this.engine = o.engine;
    this.view = { cluster: o.store.cluster, member: o.info, master: undefined, members: [], epoch: undefined };
    this.runner = new JobRunner(store, o.info, o.store.dataDir, o.log, o.self, o.store, o.engine);
    this.scheduler = new JobScheduler(store, o.engine, o.log, o.info.id);
  }

  /** Opens the store, registers, and runs its first tick (so a lone member is master when this returns). */
  static async start(o: MemberOptions): Promise<ClusterMember> {
    const store = await ClusterStore.open(o.store);
    const m = new ClusterMember(store, o);
    try {
      await store.register(o.info);
      o.log.info(
        `Member ${o.info.id} (${o.info.role}) joined cluster "${o.store.cluster}" on the ${store.kind} store; it serves ${o.info.address}.`,
      );
      await m.tick();
    } catch (e) {
      await store.close();
      throw e;
    }
    m.schedule();
    return m;
  }

  get cluster(): ClusterView {
    return this.view;
  }

  /** Replaces this member's tags (`POST /update-tags`), kept when it registers again. */
  async setTags(tags: Record<string, string>): Promise<void> {
    this.o.info.tags = tags;
    await this.store.setTags(this.o.info.id, tags);
    this.wake();
  }

  /** The member's data directory: its jobs' files and logs are under `jobs/`. */
  get dataDir(): string {
    return this.o.store.dataDir;
  }

  /**
   * Runs the next tick now (a job was submitted here, or given to this member: it need not wait a
   * second). During a tick, the next one follows it at once: that tick may have read the store
   * before the news.
   */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.timer === undefined) {
      this.woken = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(0);
  }

  private schedule(delay = this.o.tickMs ?? TICK_MS): void {
    if (!this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.woken = false;
        this.ticking = this.tick()
          .catch((e: unknown) => this.o.log.warn(`Cluster store: ${(e as Error).message}`))
          .finally(() => this.schedule(this.woken ? 0 : undefined));
      }, delay);
    }
  }

  /** One beat: the heartbeat (registering again if the member was forgotten), the lease, the view. */
  private async tick(): Promise<void> {
    const { store, o } = this;
    if (!(await store.heartbeat(o.info.id))) {
      o.log.warn(`Member ${o.info.id} was no longer registered (no heartbeat for too long); it registers again.`);
      await store.register(o.info);
    }
    await this.lead();
    const members = await store.members();
    if (this.lease !== undefined) {
      try {
        await this.scheduler.lead(this.lease.epoch, members);
      } catch (e) {
        if (!(e instanceof StaleEpochError)) {
          throw e;
        }
        o.log.warn(
          `Member ${o.info.id}: the store refused a decision of epoch ${e.epoch} (${e.reason}); it steps down.`,
        );
        this.lease = undefined;
      }
    }
    await this.runner.work();
    // One snapshot: who is master, the members, and whether this member was master, as of this tick.
    const master = await store.master();
    this.view = { ...this.view, master, members, epoch: this.lease?.epoch };
  }

  private async lead(): Promise<void> {
    const { store, o } = this;
    const ttl = o.leaseMs ?? LEASE_MS;
    if (this.lease !== undefined) {
      const renewed = await store.renew(o.info.id, this.lease.epoch, ttl);
      if (renewed !== undefined) {
        this.lease = renewed;
        return;
      }
      const now = await store.master();
      o.log.warn(
        `Member ${o.info.id} lost the master lease of epoch ${this.lease.epoch}${now ? `: ${now.holder} is master at epoch ${now.epoch}` : " (it ran out)"}; it steps down.`,
      );
      this.lease = undefined;
    }
    if (o.info.role === "worker") {
      return;
    }
    const got = await store.tryAcquire(o.info.id, ttl);
    if (got !== undefined) {
      crashPoint("lease-acquired");
      this.lease = got;
      o.log.info(`Member ${o.info.id} is master of cluster "${o.store.cluster}" at epoch ${got.epoch}.`);
    }
  }

  /** Leaves the cluster: the lease released (another member takes it at its next tick), the member removed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const { store, o } = this;
    await this.runner.stop();
    try {
      if (this.lease !== undefined) {
        await store.release(o.info.id, this.lease.epoch);
        o.log.info(`Member ${o.info.id} released the master lease of epoch ${this.lease.epoch}.`);
        this.lease = undefined;
      }
      await store.remove(o.info.id);
    } finally {
      await store.close();
    }
  }
}
