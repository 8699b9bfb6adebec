/**
 * Which driver errors a retry could get past (a lost connection, a deadlock, a busy database) and
 * which it would meet again (a bad value, a constraint, a missing table, a wrong password), by the
 * codes each database gives: PostgreSQL's SQLSTATE, MySQL/MariaDB's error number, SQLite's result
 * code, and the drivers' own codes for a connection that broke. Each dialect's `classify` is one
 * of these; pool.ts marks every error of a session with it (see FailureClass in src/api/errors.ts).
 * Codes not listed stay unclassified: the engine retries them, as SeaTunnel retries every failure.
 */
import { deterministic, type FailureClass, transient } from "../../src/api/index.ts";

/** PostgreSQL SQLSTATEs known one by one; the rest go by their class (the first two characters). */
const PG_CODES: Record<string, string> = {
  "22001": "value too long",
  "22003": "numeric overflow",
  "22P02": "bad value",
  "22007": "bad date or time value",
  "22008": "date or time out of range",
  "22012": "division by zero",
  "23502": "NOT NULL constraint violation",
  "23503": "foreign key constraint violation",
  "23505": "unique constraint violation",
  "23514": "CHECK constraint violation",
  "28P01": "authentication failed (wrong password)",
  "42501": "permission denied",
  "42601": "syntax error",
  "42P01": "missing table",
  "42703": "missing column",
  "3D000": "missing database",
  "3F000": "missing schema",
  "40001": "serialization failure",
  "40P01": "deadlock",
  "53300": "too many connections",
  "55P03": "lock not available",
  "57014": "statement canceled (timeout)",
  "57P01": "connection terminated",
  "57P02": "server crashed",
  "57P03": "server cannot accept connections now",
};

const PG_CLASSES: Record<string, FailureClass> = {
  "08": transient("connection lost"),
  "0A": deterministic("feature not supported"),
  "22": deterministic("bad value"),
  "23": deterministic("constraint violation"),
  "28": deterministic("authentication failed"),
  "3D": deterministic("missing database"),
  "3F": deterministic("missing schema"),
  "42": deterministic("syntax error or missing object"),
  "53": transient("server out of resources"),
};

/** SQLSTATEs whose class is not wholly one kind: serialization and deadlock of 40, of 55 and 57 these. */
const PG_TRANSIENT = new Set(["40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03"]);

/** Bun's PostgreSQL client's own codes for a connection that failed or broke. */
const BUN_PG: Record<string, FailureClass> = {
  ERR_POSTGRES_CONNECTION_CLOSED: transient("connection closed (ERR_POSTGRES_CONNECTION_CLOSED)"),
  ERR_POSTGRES_CONNECTION_REFUSED: transient("connection refused (ERR_POSTGRES_CONNECTION_REFUSED)"),
  ERR_POSTGRES_CONNECTION_FAILED: transient("connection failed (ERR_POSTGRES_CONNECTION_FAILED)"),
  ERR_POSTGRES_CONNECTION_TIMEOUT: transient("connection timeout (ERR_POSTGRES_CONNECTION_TIMEOUT)"),
  ERR_POSTGRES_IDLE_TIMEOUT: transient("idle timeout (ERR_POSTGRES_IDLE_TIMEOUT)"),
  ERR_POSTGRES_LIFETIME_TIMEOUT: transient("connection lifetime ended (ERR_POSTGRES_LIFETIME_TIMEOUT)"),
  ERR_POSTGRES_AUTHENTICATION_FAILED_PBKDF2: deterministic(
    "authentication failed (ERR_POSTGRES_AUTHENTICATION_FAILED_PBKDF2)",
  ),
  ERR_POSTGRES_SASL_SIGNATURE_MISMATCH: deterministic("authentication failed (ERR_POSTGRES_SASL_SIGNATURE_MISMATCH)"),
  ERR_POSTGRES_UNSUPPORTED_AUTHENTICATION_METHOD: deterministic(
    "authentication method not supported (ERR_POSTGRES_UNSUPPORTED_AUTHENTICATION_METHOD)",
  ),
};

/** A PostgreSQL error (Bun's PostgresError: `errno` is the SQLSTATE), or a Node socket error. */
export function pgFailure(e: unknown): FailureClass | undefined {
  const { code, errno } = e as { code?: unknown; errno?: unknown };
  if (typeof errno === "string" && /^[0-9A-Z]{5}$/.test(errno)) {
    const named = PG_CODES[errno];
    const known = PG_TRANSIENT.has(errno) ? transient("") : PG_CLASSES[errno.slice(0, 2)];
    if (known) {
      return { transient: known.transient, reason: `${named ?? known.reason} (PostgreSQL ${errno})` };
    }
    return undefined;
  }
  return typeof code === "string" ? BUN_PG[code] : undefined;
}

const MY_DETERMINISTIC: Record<number, string> = {
  1044: "permission denied",
  1045: "authentication failed",
  1048: "NOT NULL constraint violation",
  1049: "missing database",
  1054: "missing column",
  1062: "duplicate key",
  1064: "syntax error",
  1136: "column count does not match",
  1142: "permission denied",
  1143: "permission denied",
  1146: "missing table",
  1264: "numeric overflow",
  1265: "value truncated",
  1292: "bad value",
  1364: "NOT NULL column without default",
  1366: "bad value",
  1406: "value too long",
  1451: "foreign key constraint violation",
  1452: "foreign key constraint violation",
  1690: "numeric overflow",
  3819: "CHECK constraint violation",
  4025: "CHECK constraint violation",
};

const MY_TRANSIENT: Record<number, string> = {
  1040: "too many connections",
  1053: "server shutting down",
  1158: "network read error",
  1159: "network read timeout",
  1160: "network write error",
  1161: "network write timeout",
  1205: "lock wait timeout",
  1213: "deadlock",
  1317: "query interrupted",
  1927: "connection killed",
  1969: "statement timeout",
  2002: "cannot connect",
  2003: "cannot connect",
  2006: "server has gone away",
  2013: "connection lost during query",
  3024: "statement timeout",
};

/** mysql2's codes for a connection that broke (besides Node's socket codes, which src/api knows). */
const MYSQL2_TRANSIENT: Record<string, string> = {
  PROTOCOL_CONNECTION_LOST: "connection lost",
  PROTOCOL_SEQUENCE_TIMEOUT: "timeout",
  ECONNRESET: "connection reset",
  ECONNREFUSED: "connection refused",
  ETIMEDOUT: "timed out",
  EPIPE: "connection closed while writing",
};

/** A MySQL/MariaDB error of mysql2 (`errno` is the server's error number, `code` its name). */
export function myFailure(e: unknown): FailureClass | undefined {
  const { code, errno, fatal } = e as { code?: unknown; errno?: unknown; fatal?: unknown };
  if (typeof errno === "number" && errno > 0) {
    // Without mysql2's name of the code: it has MySQL's names, and MariaDB numbers some codes differently.
    const tag = `MySQL ${errno}`;
    const d = MY_DETERMINISTIC[errno];
    const t = MY_TRANSIENT[errno];
    return d ? deterministic(`${d} (${tag})`) : t ? transient(`${t} (${tag})`) : undefined;
  }
  if (typeof code === "string" && MYSQL2_TRANSIENT[code]) {
    return transient(`${MYSQL2_TRANSIENT[code]} (${code})`);
  }
  // mysql2 marks errors that end the connection fatal; without a code it is a command on a closed one.
  return fatal === true ? transient("connection lost") : undefined;
}

const LITE: Record<string, FailureClass> = {
  SQLITE_CONSTRAINT: deterministic("constraint violation"),
  SQLITE_MISMATCH: deterministic("datatype mismatch"),
  SQLITE_TOOBIG: deterministic("value too big"),
  SQLITE_RANGE: deterministic("parameter out of range"),
  SQLITE_ERROR: deterministic("SQL error"),
  SQLITE_READONLY: deterministic("read-only database"),
  SQLITE_PERM: deterministic("permission denied"),
  SQLITE_AUTH: deterministic("not authorized"),
  SQLITE_CANTOPEN: deterministic("cannot open the database file"),
  SQLITE_NOTADB: deterministic("not a database file"),
  SQLITE_CORRUPT: deterministic("database file corrupt"),
  SQLITE_BUSY: transient("database busy"),
  SQLITE_LOCKED: transient("table locked"),
};

/** A SQLite error of bun:sqlite: `code` is the extended result code (SQLITE_CONSTRAINT_NOTNULL). */
export function liteFailure(e: unknown): FailureClass | undefined {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) {
    return undefined;
  }
  const primary = /^SQLITE_[A-Z]+/.exec(code)![0];
  const known = LITE[primary];
  return known ? { transient: known.transient, reason: `${known.reason} (${code})` } : undefined;
}
