/**
 * Local services for tests: makes sure PostgreSQL and MariaDB accept connections (starting them
 * with the machine's own start command when they are down) and changes server settings a test
 * needs, idempotently, saying what it did. Tests name their own schemas/tables with `uniqueName()`.
 */
import { afterAll, beforeAll } from "bun:test";
import { ensureService as ensureListening, portOpen } from "./conformance/services.ts";

export { portOpen };
export type ServiceName = "postgres" | "mariadb" | "redis" | "rabbitmq";

const PORTS: Record<ServiceName, number> = { postgres: 5432, mariadb: 3306, redis: 6379, rabbitmq: 5672 };

async function sh(command: string): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(["bash", "-c", command], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: (out + err).trim() };
}

async function waitPort(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await portOpen(port)) {
      return true;
    }
    await Bun.sleep(200);
  }
  return false;
}

/** Starts the service with the machine's start command when its port is closed (the conformance runner's logic). */
export async function ensureService(name: ServiceName): Promise<void> {
  const wasUp = await portOpen(PORTS[name]);
  await ensureListening(name, (line) => console.log(`[services] ${line}`));
  // The port opens a moment before the server accepts logins.
  if (!wasUp) {
    await Bun.sleep(500);
  }
}

export const PG_URL = "postgres://root@127.0.0.1:5432/test";
export const MY_URL = "mysql://root@127.0.0.1:3306/test";

/**
 * PostgreSQL with `max_prepared_transactions` ≥ `min` (PREPARE TRANSACTION, the Jdbc sink's
 * exactly-once mode). Changes it with ALTER SYSTEM and restarts the server only when it is lower.
 */
export async function ensurePreparedTransactions(min = 10): Promise<void> {
  await ensureService("postgres");
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  const [row] = (await sql`SELECT current_setting('max_prepared_transactions')::int AS n`) as { n: number }[];
  if ((row?.n ?? 0) >= min) {
    await sql.close();
    return;
  }
  await sql.unsafe(`ALTER SYSTEM SET max_prepared_transactions = ${min}`);
  await sql.close();
  console.log(
    `[services] PostgreSQL had max_prepared_transactions=${row?.n}; set it to ${min} with ALTER SYSTEM and restarting the server`,
  );
  const r = await sh("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart");
  if (r.code !== 0) {
    throw new Error(`restarting PostgreSQL failed: ${r.out}`);
  }
  if (!(await waitPort(5432, 30_000))) {
    throw new Error("PostgreSQL did not come back after the restart");
  }
  await Bun.sleep(500);
}

/** A name no other test run uses: `prefix_<time36><random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

type Sql = InstanceType<typeof Bun.SQL>;

/**
 * For the test file that calls it at its top level: both servers up, a PostgreSQL schema and a
 * MariaDB database named `name` made before its tests and dropped after them, and one connection
 * to each (`pg`, `my`, set once the tests start).
 */
export function scratchSchemas(name: string): { pg: Sql; my: Sql } {
  const db = {} as { pg: Sql; my: Sql };
  beforeAll(async () => {
    await ensureService("postgres");
    await ensureService("mariadb");
    db.pg = new Bun.SQL(PG_URL, { max: 1 });
    db.my = new Bun.SQL(MY_URL, { max: 1 });
    await db.pg.unsafe(`CREATE SCHEMA ${name}`);
    await db.my.unsafe(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await db.pg.unsafe(`DROP SCHEMA ${name} CASCADE`);
    await db.my.unsafe(`DROP DATABASE ${name}`);
    await db.pg.close();
    await db.my.close();
  });
  return db;
}
