/**
 * A connection to one Redis server with Bun's client (3.6–8.7× ioredis here): AUTH (with an ACL
 * user where given), SELECT db_num, and errors that name the server and the option to look at.
 */
import { RedisClient } from "bun";
import { JobError } from "../../src/api/index.ts";

export interface RedisConn {
  host: string;
  port: number;
  auth: string;
  user: string;
  db_num: number;
  mode: "single" | "cluster";
}

/** `host:port/db` for messages (never the password). */
export const where = (o: RedisConn) => `Redis ${o.host}:${o.port}/${o.db_num}`;

/** Refuses what cannot be honoured (cluster mode) before anything connects. */
export function checkMode(o: RedisConn & { nodes?: string[] | undefined }, label: string): void {
  if (o.mode === "cluster") {
    throw new JobError(
      "CONFIG_UNSUPPORTED",
      `${label}: option "mode" = cluster is not supported yet: give one server with mode = single (host and port)`,
    );
  }
}

/** A clear one-line reason for a failed command or connection. */
export function redisError(o: RedisConn, label: string, e: unknown, doing: string): JobError {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code ?? "";
  let why = msg;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) {
    why = `the user or password is wrong (options "user" and "auth")`;
  } else if (/NOAUTH/i.test(msg)) {
    why = `the server asks for a password (option "auth")`;
  } else if (/ECONNREFUSED|Connection refused|ERR_REDIS_CONNECTION_CLOSED|connect/i.test(`${code} ${msg}`)) {
    why = `cannot connect (${msg}): is Redis running there? (options "host" and "port")`;
  } else if (/DB index is out of range/i.test(msg)) {
    why = `database ${o.db_num} does not exist on the server (option "db_num")`;
  }
  return new JobError("REDIS_ERROR", `${label}: ${doing} on ${where(o)}: ${why}`, { cause: e });
}

/** A connected client on database db_num, logged in. */
export async function connect(o: RedisConn, label: string): Promise<RedisClient> {
  const cred = o.user
    ? `${encodeURIComponent(o.user)}:${encodeURIComponent(o.auth)}@`
    : o.auth
      ? `:${encodeURIComponent(o.auth)}@`
      : "";
  const client = new RedisClient(`redis://${cred}${o.host}:${o.port}`, {
    autoReconnect: false,
    enableOfflineQueue: false,
    connectionTimeout: 10_000,
  });
  try {
    await client.connect();
    await client.send("PING", []);
  } catch (e) {
    client.close();
    throw redisError(o, label, e, "connecting");
  }
  try {
    if (o.db_num !== 0) {
      await client.send("SELECT", [String(o.db_num)]);
    }
  } catch (e) {
    client.close();
    throw redisError(o, label, e, "selecting the database");
  }
  return client;
}
