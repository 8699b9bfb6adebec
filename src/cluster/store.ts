/**
 * The cluster's coordination store: membership, the master lease with its fencing epoch, and the
 * fenced write every master decision goes through. It sits on a database that already solves
 * agreement (SQLite's file lock on one machine, PostgreSQL's row locks across machines); nothing
 * here is a consensus protocol of its own. See docs/cluster-store.md.
 *
 * A store object serves one cluster name: every query filters on it, so clusters that share a
 * database never see each other's members or lease.
 */
import { CheckpointFiles } from "./checkpoint-files.ts";
import { join } from "node:path";
import type { Driver, SqlTx } from "./driver.ts";
import { openPostgres, redactUrl } from "./postgres.ts";
import { ClusterJobs } from "./jobs.ts";
import { migrate } from "./schema.ts";
import { openSqlite } from "./sqlite.ts";

/** A member without a heartbeat for this long is no longer live (SeaTunnel's default member timeout is 5 s too). */
export const MEMBER_TIMEOUT_MS = 5_000;
/** The PostgreSQL schema of the store unless told otherwise. */
export const DEFAULT_PG_SCHEMA = "seatunnel_cluster";
/** The SQLite file in a member's data directory. */
export const SQLITE_FILE = "cluster.db";

export type Role = "master" | "worker" | "master_and_worker";

/** What a member says about itself when it registers. */
export interface MemberInfo {
  id: string;
  /** Where other members and clients reach it, e.g. `http://10.0.0.5:8080`. */
  address: string;
  role: Role;
  tags: Record<string, string>;
  slots: number;
}

/** A registered member as the store sees it; times are the store's clock, epoch milliseconds. */
export interface Member extends MemberInfo {
  cluster: string;
  startedMs: number;
  heartbeatMs: number;
}

/** The master lease of one cluster as its holder saw it when it got or renewed it. */
export interface Lease {
  holder: string;
  /** The fencing token: a higher epoch is a newer master. */
  epoch: number;
  acquiredMs: number;
  expiresMs: number;
}

/** A master's write refused because its epoch is no longer the cluster's live lease. */
export class StaleEpochError extends Error {
  override readonly name = "StaleEpochError";

  constructor(
    readonly epoch: number,
    /** The lease's epoch now (0 before the first master). */
    readonly currentEpoch: number,
    readonly reason: "superseded" | "expired" | "released",
  ) {
    super(`master epoch ${epoch} is stale: the lease is ${reason} (current epoch ${currentEpoch})`);
  }
}

export interface StoreOptions {
  cluster: string;
  /** `postgresql://...` (or `postgres://...`); empty or undefined: a SQLite file in `dataDir`. */
  url?: string;
  /** Where the SQLite file lives. */
  dataDir: string;
  /** PostgreSQL only: the schema of the store's tables (DEFAULT_PG_SCHEMA). */
  schema?: string;
}

type MemberRow = {
  cluster: string;
  id: string;
  address: string;
  role: Role;
  tags: string;
  slots: number | string;
  started_ms: number | string;
  heartbeat_ms: number | string;
};
type LeaseRow = {
  holder: string | null;
  epoch: number | string;
  acquired_ms: number | string;
  expires_ms: number | string;
};

function toLease(row: LeaseRow | undefined): Lease | undefined {
  if (row === undefined || row.holder === null) {
    return undefined;
  }
  const { holder, epoch, acquired_ms, expires_ms } = row;
  return { holder, epoch: Number(epoch), acquiredMs: Number(acquired_ms), expiresMs: Number(expires_ms) };
}

function toMember(row: MemberRow): Member {
  return {
    cluster: row.cluster,
    id: row.id,
    address: row.address,
    role: row.role,
    tags: JSON.parse(row.tags) as Record<string, string>,
    slots: Number(row.slots),
    startedMs: Number(row.started_ms),
    heartbeatMs: Number(row.heartbeat_ms),
  };
}

function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`a lease's ttl is a whole number of milliseconds > 0, received ${ttlMs}`);
  }
}

const LEASE_COLUMNS = "holder, epoch, acquired_ms, expires_ms";

export class ClusterStore {
  /** The cluster's jobs (jobs.ts); a master's decisions on them go through `fenced`. */
  readonly jobs: ClusterJobs;
  /** The jobs' checkpoint folders (checkpoint-files.ts), where no shared directory holds them. */
  readonly checkpoints: CheckpointFiles;

  private constructor(
    private readonly db: Driver,
    readonly cluster: string,
  ) {
    this.jobs = new ClusterJobs(db, cluster, db.nowMs);
    this.checkpoints = new CheckpointFiles(db, cluster);
  }

  /** Opens (and creates or migrates) the store; several processes may open one store at once. */
  static async open(options: StoreOptions): Promise<ClusterStore> {
    const url = options.url ?? "";
    let db: Driver;
    if (url === "") {
      db = openSqlite(join(options.dataDir, SQLITE_FILE));
    } else if (/^postgres(ql)?:\/\//i.test(url)) {
      db = openPostgres(url, options.schema ?? DEFAULT_PG_SCHEMA);
    } else {
      throw new Error(
        `cluster.store expects a postgresql:// URL (or nothing, for a SQLite file), received "${redactUrl(url)}"`,
      );
    }
    try {
      await migrate(db);
    } catch (e) {
      await db.close();
      // Bun's connection errors say little ("Failed to connect"); their code says what happened.
      const { message, code } = e as Error & { code?: string };
      const detail = code === undefined || message.includes(code) ? message : `${message} (${code})`;
      throw new Error(`opening the cluster store ${db.where}: ${detail}`);
    }
    return new ClusterStore(db, options.cluster);
  }

  get kind(): Driver["kind"] {
    return this.db.kind;
  }

  /** An SQL expression for the store's time in epoch milliseconds, for statements run in `fenced`. */
  get nowSql(): string {
    return this.db.nowMs;
  }

  /** Adds the member, or replaces what the store knew about it (a restart); its heartbeat is now. */
  async register(member: MemberInfo): Promise<void> {
    const now = this.db.nowMs;
    await this.db.run(
      `INSERT INTO members (cluster, id, address, role, tags, slots, started_ms, heartbeat_ms)
       VALUES (?, ?, ?, ?, ?, ?, ${now}, ${now})
       ON CONFLICT (cluster, id) DO UPDATE SET address = excluded.address, role = excluded.role,
         tags = excluded.tags, slots = excluded.slots, started_ms = excluded.started_ms,
         heartbeat_ms = excluded.heartbeat_ms`,
      [this.cluster, member.id, member.address, member.role, JSON.stringify(member.tags), member.slots],
    );
  }

  /** Replaces a member's tags (SeaTunnel's update-tags); its start time and jobs stay as they are. */
  async setTags(id: string, tags: Record<string, string>): Promise<void> {
    await this.db.run("UPDATE members SET tags = ? WHERE cluster = ? AND id = ?", [
      JSON.stringify(tags),
      this.cluster,
      id,
    ]);
  }

  /** Marks the member alive now. False when it is not registered (removed): it must register again. */
  async heartbeat(id: string): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE members SET heartbeat_ms = ${this.db.nowMs} WHERE cluster = ? AND id = ?`,
      [this.cluster, id],
    );
    return changed === 1;
  }

  /** The members whose last heartbeat is younger than `timeoutMs` (store clock), by id. */
  async members(timeoutMs = MEMBER_TIMEOUT_MS): Promise<Member[]> {
    const rows = await this.db.all<MemberRow>(
      `SELECT * FROM members WHERE cluster = ? AND heartbeat_ms > ${this.db.nowMs} - ? ORDER BY id`,
      [this.cluster, timeoutMs],
    );
    return rows.map(toMember);
  }

  async remove(id: string): Promise<void> {
    await this.db.run("DELETE FROM members WHERE cluster = ? AND id = ?", [this.cluster, id]);
  }

  /**
   * Gives the lease to `member` when nobody holds it or its holder let it expire, with the next
   * epoch; undefined while another member's (or this member's own) lease is live. The lease row is
   * locked before the store's time is read, so a new lease starts after every fenced write of the
   * old holder has committed; of two racing members the database lets exactly one through.
   */
  async tryAcquire(member: string, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const now = this.db.nowMs;
    return this.db.transaction(async (tx) => {
      await tx.run(
        "INSERT INTO lease (cluster, holder, epoch, acquired_ms, expires_ms) VALUES (?, NULL, 0, 0, 0) ON CONFLICT (cluster) DO NOTHING",
        [this.cluster],
      );
      await tx.all(`SELECT epoch FROM lease WHERE cluster = ?${this.db.updateLock}`, [this.cluster]);
      const rows = await tx.all<LeaseRow>(
        `UPDATE lease SET holder = ?, epoch = epoch + 1, acquired_ms = ${now}, expires_ms = ${now} + ?
         WHERE cluster = ? AND (holder IS NULL OR expires_ms <= ${now}) RETURNING ${LEASE_COLUMNS}`,
        [member, ttlMs, this.cluster],
      );
      return toLease(rows[0]);
    });
  }

  /**
   * Extends a live lease by `ttlMs` from now; undefined when `member` no longer holds `epoch` or
   * let it expire (then it must tryAcquire, and gets a new epoch if nobody was faster).
   */
  async renew(member: string, epoch: number, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const now = this.db.nowMs;
    const rows = await this.db.all<LeaseRow>(
      `UPDATE lease SET expires_ms = ${now} + ?
       WHERE cluster = ? AND holder = ? AND epoch = ? AND expires_ms > ${now} RETURNING ${LEASE_COLUMNS}`,
      [ttlMs, this.cluster, member, epoch],
    );
    return toLease(rows[0]);
  }

  /** Gives the lease up at once (a clean stop); false when `member` did not hold `epoch`. The epoch stays. */
  async release(member: string, epoch: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE lease SET holder = NULL, expires_ms = ${this.db.nowMs} WHERE cluster = ? AND holder = ? AND epoch = ?`,
      [this.cluster, member, epoch],
    );
    return changed === 1;
  }

  /** The live lease (who is master), or undefined when it is free or expired. */
  async master(): Promise<Lease | undefined> {
    const rows = await this.db.all<LeaseRow>(
      `SELECT ${LEASE_COLUMNS} FROM lease WHERE cluster = ? AND expires_ms > ${this.db.nowMs}`,
      [this.cluster],
    );
    return toLease(rows[0]);
  }

  /**
   * Runs a master's writes in one transaction that first checks `epoch` is still the cluster's live
   * lease and keeps the lease row locked until it commits, so no newer master can take over between
   * the check and the writes. Throws StaleEpochError (writing nothing) when the epoch was superseded,
   * released or let expire. `fn`'s statements use `?` placeholders and unqualified table names,
   * and go through `tx` only: a call on the store itself from inside `fn` would wait for `fn`.
   */
  fenced<T>(epoch: number, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.all<LeaseRow & { now_ms: number | string }>(
        `SELECT ${LEASE_COLUMNS}, ${this.db.nowMs} AS now_ms FROM lease WHERE cluster = ?${this.db.shareLock}`,
        [this.cluster],
      );
      const current = row === undefined ? 0 : Number(row.epoch);
      if (row === undefined || current !== epoch) {
        throw new StaleEpochError(epoch, current, "superseded");
      }
      if (row.holder === null) {
        throw new StaleEpochError(epoch, current, "released");
      }
      if (Number(row.expires_ms) <= Number(row.now_ms)) {
        throw new StaleEpochError(epoch, current, "expired");
      }
      return fn(tx);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
