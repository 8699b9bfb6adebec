/**
 * The PostgreSQL driver of the cluster store, for members on several machines. The store lives in
 * its own schema (the connection's search_path), so clusters and tests that use different schemas
 * never meet. Time is the server's (`statement_timestamp()`: one value per statement, read when the statement
 * arrives, so after every lock an earlier statement of its transaction waited for): members' clocks
 * never matter.
 */
import { redactUrl } from "../api/errors.ts";
import { type Driver, numberedPlaceholders, type SqlTx } from "./driver.ts";

type Sql = InstanceType<typeof Bun.SQL>;

// Lower case: search_path folds an unquoted name to lower case, CREATE SCHEMA "..." would not.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL as messages may show it: without a password. */
export { redactUrl };

function over(sql: Sql): SqlTx {
  return {
    all: async <R>(text: string, params: readonly unknown[] = []) =>
      (await sql.unsafe(numberedPlaceholders(text), [...params])) as R[],
    run: async (text, params = []) => {
      const result = (await sql.unsafe(numberedPlaceholders(text), [...params])) as { count: number };
      return Number(result.count);
    },
  };
}

export function openPostgres(url: string, schema: string): Driver {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`the cluster store's schema must be a plain lower-case SQL identifier, received "${schema}"`);
  }
  // A few connections: heartbeats, lease renewals and the master's fenced writes run side by side.
  // A member stopped inside a transaction (SIGSTOP, a paused VM) would hold its row locks (the
  // lease's among them) for as long as it stays stopped: the server ends such a session after 3 s,
  // within the 5 s lease, so the others can go on; the stopped member's work fails when it wakes.
  const sql = new Bun.SQL(url, {
    max: 4,
    connection: { search_path: schema, idle_in_transaction_session_timeout: "3000" },
  });
  const direct = over(sql);
  const transaction = <T>(fn: (tx: SqlTx) => Promise<T>) =>
    sql.begin((tx) => fn(over(tx as unknown as Sql))) as Promise<T>;
  return {
    kind: "postgresql",
    where: `${redactUrl(url)} (schema ${schema})`,
    nowMs: "(extract(epoch from statement_timestamp()) * 1000)::bigint",
    shareLock: " FOR SHARE",
    updateLock: " FOR UPDATE",
    ...direct,
    transaction,
    exclusive: (fn) =>
      transaction(async (tx) => {
        // hashtext of the schema name: every opener of this schema queues here, and only here.
        await tx.all("SELECT pg_advisory_xact_lock(hashtext(?))", [`seatunnel cluster store ${schema}`]);
        await tx.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        return fn(tx);
      }),
    close: () => sql.close(),
  };
}
