/**
 * The SQLite driver of the cluster store: one file that several member processes on one machine
 * share. WAL mode lets readers run beside the one writer; the busy timeout makes a writer wait for
 * the lock instead of failing. `synchronous = NORMAL`: a commit does not wait for the disk, so a
 * writer holds the file's lock for microseconds, not for an fsync (under a busy disk, tens of
 * milliseconds: a member stopped there, SIGSTOP or Ctrl-Z, held every other member off until it
 * went on, and no new master could take over). A power cut may lose the last commits, but it
 * stops every member and job process of the machine with them, so no stale master or attempt is
 * left to reuse an epoch; jobs resume from their checkpoints, which are written with fsync. Time is the machine's clock, read by SQLite
 * (`julianday('now')`, one value per statement): every process sharing the file reads the same clock.
 */
import { Database, type SQLQueryBindings } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Driver, Mutex, type SqlTx } from "./driver.ts";

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function openSqlite(path: string): Driver {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: false });
  // The busy timeout first: switching to WAL itself needs the lock when another process holds it.
  db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  // One connection runs one transaction at a time: every use waits its turn, so a statement never
  // lands inside another caller's open transaction while that one awaits.
  const mutex = new Mutex();
  const direct: SqlTx = {
    all: async <R>(sql: string, params: readonly unknown[] = []) =>
      db.query(sql).all(...(params as SQLQueryBindings[])) as R[],
    run: async (sql, params = []) => db.query(sql).run(...(params as SQLQueryBindings[])).changes,
  };
  const transaction = <T>(fn: (tx: SqlTx) => Promise<T>) =>
    mutex.run(async () => {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(direct);
        db.exec("COMMIT");
        return result;
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    });
  return {
    kind: "sqlite",
    where: path,
    nowMs: "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)",
    shareLock: "",
    updateLock: "",
    all: (sql, params) => mutex.run(() => direct.all(sql, params)),
    run: (sql, params) => mutex.run(() => direct.run(sql, params)),
    transaction,
    exclusive: transaction,
    close: () => mutex.run(async () => db.close()),
  };
}
