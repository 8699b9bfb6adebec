/**
 * The seam between the cluster store and its database. The store's SQL is written once, with `?`
 * placeholders and types both databases accept (TEXT, INTEGER, BIGINT); a driver runs it on one
 * database and says how that database tells the time and locks a row it reads.
 */

/** Statements inside one transaction (or outside any, on the driver itself). */
export interface SqlTx {
  /** The rows a query (or a statement with RETURNING) gives; `?` placeholders, in order. */
  all<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and gives the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Driver extends SqlTx {
  readonly kind: "sqlite" | "postgresql";
  /** Where the store is, for messages: a file path, or the URL without its password. */
  readonly where: string;
  /**
   * An SQL expression for the database's time in epoch milliseconds, as an integer. The same value
   * within one statement. PostgreSQL: the server's clock (`statement_timestamp()`), so members' own
   * clocks never matter; SQLite: the clock of the machine whose processes share the file.
   */
  readonly nowMs: string;
  /**
   * Appended to a SELECT that must keep the rows it read unchanged until the transaction ends:
   * ` FOR SHARE` on PostgreSQL; empty on SQLite, whose transactions take the write lock up front.
   */
  readonly shareLock: string;
  /** As shareLock, for a row the transaction will change: ` FOR UPDATE` on PostgreSQL, empty on SQLite. */
  readonly updateLock: string;
  /**
   * Runs `fn` in one transaction that holds off every other writer of the rows it locks:
   * SQLite `BEGIN IMMEDIATE` (the database's write lock), PostgreSQL READ COMMITTED plus the row
   * locks its statements take. Commits when `fn` returns, rolls back when it throws.
   */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction that no other opener of the same store runs at the same time (schema
   * migrations): SQLite's write lock, a PostgreSQL advisory lock on the schema name.
   */
  exclusive<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`, leaving quoted text and identifiers alone. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let out = "";
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) {
        quote = undefined;
      }
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else {
      out += ch === "?" ? `$${++n}` : ch;
    }
  }
  return out;
}

/** Runs async functions one at a time, in call order (one SQLite connection serves one at a time). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => fn());
    this.tail = result.catch(() => undefined);
    return result;
  }
}
