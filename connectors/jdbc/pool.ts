/**
 * One pool per (database, user) per thread. Every table, source and sink of a job that talks to the
 * same database in this thread shares it, so a job opens about one connection per running reader or
 * writer plus one for the job master's catalog work, whatever the number of tables. Pools open
 * connections lazily; `max` only guards against a runaway, the bound comes from how sessions are used
 * (a reader or writer holds one session, catalog work runs one statement at a time).
 */
import { classify, type FailureClass } from "../../src/api/index.ts";
import type { CopyIn, Db, Dialect, Session } from "./dialect.ts";
import { mysqlDialect } from "./mysql.ts";
import { postgres } from "./pg.ts";
import { sqlite } from "./sqlite.ts";
import type { ConnInfo, DialectKind } from "./url.ts";

const DIALECTS: Record<DialectKind, Dialect> = { postgres, mysql: mysqlDialect, sqlite };

export const dialectOf = (kind: DialectKind): Dialect => DIALECTS[kind];

const pools = new Map<string, { db: Db; users: number }>();

/** This thread's pool for `info`; `max` applies when it is created. */
export function poolFor(info: ConnInfo, max: number): Db {
  let p = pools.get(info.key);
  if (!p) {
    const d = dialectOf(info.kind);
    p = { db: classifying(d.connect(info, max), d.classify), users: 0 };
    pools.set(info.key, p);
  }
  return p.db;
}

/** A plugin instance starts using the pool of `info`. */
export function retain(info: ConnInfo, max: number): Db {
  const db = poolFor(info, max);
  pools.get(info.key)!.users++;
  return db;
}

/** The last user of a pool closes it, so a finished job leaves no socket open. */
export async function releasePool(info: ConnInfo): Promise<void> {
  const p = pools.get(info.key);
  if (!p) {
    return;
  }
  if (--p.users > 0) {
    return;
  }
  pools.delete(info.key);
  await p.db.close();
}

/** Runs `fn` on a session that is released afterwards (discarded when `fn` throws). */
export async function withSession<T>(db: Db, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = await db.session();
  try {
    const r = await fn(s);
    await s.release();
    return r;
  } catch (e) {
    await s.discard().catch(() => {});
    throw e;
  }
}

/** Pool size for a plugin of `parallelism` subtasks: readers and writers of every chain in one thread, plus the master's. */
export const poolMax = (parallelism: number): number => 2 * parallelism + 2;

type Classify = (e: unknown) => FailureClass | undefined;

/**
 * Every error a session of `db` throws carries its class (Dialect.classify), whoever wraps it
 * later: the job master reads it along the error's causes to retry or to fail at once. The
 * session's methods are replaced in place, so a dialect's own session fields stay reachable.
 */
function classifying(db: Db, by: Classify): Db {
  const mark = (e: unknown): never => {
    throw classify(e, by(e));
  };
  return {
    session: async () => {
      const s = await db.session().catch(mark);
      const { query, exec, stream, copyIn, runMany, release, discard } = s;
      s.query = (q) => query(q).catch(mark);
      s.exec = (q) => exec(q).catch(mark);
      s.stream = (q, rows, binary) => markedRows(stream(q, rows, binary), mark);
      if (copyIn) {
        s.copyIn = (q) => markedCopy(copyIn(q), mark);
      }
      if (runMany) {
        s.runMany = (q, rows) => runMany(q, rows).catch(mark);
      }
      s.release = () => release().catch(mark);
      s.discard = () => discard().catch(mark);
      return s;
    },
    close: () => db.close().catch(mark),
  };
}

async function* markedRows(
  rows: AsyncIterableIterator<unknown[]>,
  mark: (e: unknown) => never,
): AsyncIterableIterator<unknown[]> {
  try {
    yield* rows;
  } catch (e) {
    mark(e);
  }
}

function markedCopy(c: CopyIn, mark: (e: unknown) => never): CopyIn {
  return {
    write: (chunk) => c.write(chunk).catch(mark),
    end: () => c.end().catch(mark),
    abort: () => c.abort().catch(mark),
  };
}
