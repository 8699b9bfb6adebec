/**
 * The cluster store's tables, as numbered migrations. A store records the version it has reached
 * in `store_version`; opening it applies the missing migrations in one transaction that no other
 * opener runs at the same time, so any number of members may open a new store together. A later
 * issue adds a table by appending a migration, never by editing one that shipped.
 */
import type { Driver } from "./driver.ts";

/** Migration i + 1 is MIGRATIONS[i]: statements both SQLite and PostgreSQL accept. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    // One row per member of each cluster; times are the store's clock in epoch milliseconds.
    `CREATE TABLE members (
      cluster TEXT NOT NULL,
      id TEXT NOT NULL,
      address TEXT NOT NULL,
      role TEXT NOT NULL,
      tags TEXT NOT NULL,
      slots INTEGER NOT NULL,
      started_ms BIGINT NOT NULL,
      heartbeat_ms BIGINT NOT NULL,
      PRIMARY KEY (cluster, id)
    )`,
    // One row per cluster, never deleted: its epoch only grows, across releases and restarts.
    `CREATE TABLE lease (
      cluster TEXT PRIMARY KEY,
      holder TEXT,
      epoch BIGINT NOT NULL,
      acquired_ms BIGINT NOT NULL,
      expires_ms BIGINT NOT NULL
    )`,
  ],
  [
    // One row per job of each cluster (docs/cluster.md, "Jobs"). `attempt` grows each time the
    // master gives the job to a member again, so a member's late write for an earlier attempt is refused.
    `CREATE TABLE jobs (
      cluster TEXT NOT NULL,
      job_id TEXT NOT NULL,
      name TEXT NOT NULL,
      state TEXT NOT NULL,
      config TEXT NOT NULL,
      member TEXT,
      attempt INTEGER NOT NULL,
      epoch BIGINT,
      cancel INTEGER NOT NULL,
      submitted_ms BIGINT NOT NULL,
      started_ms BIGINT,
      finished_ms BIGINT,
      error TEXT,
      metrics TEXT,
      PRIMARY KEY (cluster, job_id)
    )`,
  ],
  [
    // 1 for a job submitted to resume from its savepoint or last checkpoint (`-r`, SeaTunnel's
    // isStartWithSavePoint). `cancel` now also says how a stop was asked for: 1 cancel, 2 savepoint.
    "ALTER TABLE jobs ADD COLUMN restore INTEGER NOT NULL DEFAULT 0",
  ],
  [
    // Fixed slots: a job runs on a member with at least `slots_min` free slots (its largest
    // pipeline's chains), holds `slots` of them (up to `slots_max`, all its chains) while it runs.
    "ALTER TABLE jobs ADD COLUMN slots_min INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE jobs ADD COLUMN slots_max INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE jobs ADD COLUMN slots INTEGER NOT NULL DEFAULT 0",
  ],
  [
    // Where the job's last attempt keeps its checkpoints: the directory, and the host of the
    // member that ran it (a member on another host may not read that directory).
    "ALTER TABLE jobs ADD COLUMN checkpoint_dir TEXT",
    "ALTER TABLE jobs ADD COLUMN checkpoint_host TEXT",
  ],
  [
    // A job's checkpoint folder (checkpoint-files.ts) where no shared checkpoint directory is set.
    `CREATE TABLE checkpoint_files (
      cluster TEXT NOT NULL,
      job_id TEXT NOT NULL,
      name TEXT NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (cluster, job_id, name)
    )`,
  ],
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the store's tables to SCHEMA_VERSION; refuses a store that a newer engine migrated further. */
export async function migrate(driver: Driver): Promise<void> {
  await driver.exclusive(async (tx) => {
    await tx.run("CREATE TABLE IF NOT EXISTS store_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)");
    const [row] = await tx.all<{ version: number }>("SELECT version FROM store_version WHERE id = 1");
    const from = row === undefined ? 0 : Number(row.version);
    if (from > SCHEMA_VERSION) {
      throw new Error(
        `the cluster store ${driver.where} has schema version ${from}, newer than this engine's ${SCHEMA_VERSION}: ` +
          "upgrade seatunnel on this member",
      );
    }
    for (const statements of MIGRATIONS.slice(from)) {
      for (const statement of statements) {
        await tx.run(statement);
      }
    }
    if (row === undefined) {
      await tx.run("INSERT INTO store_version (id, version) VALUES (1, ?)", [SCHEMA_VERSION]);
    } else if (from < SCHEMA_VERSION) {
      await tx.run("UPDATE store_version SET version = ? WHERE id = 1", [SCHEMA_VERSION]);
    }
  });
}
