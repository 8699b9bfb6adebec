// External commands (psql, mariadb, redis-cli, bash) and the local services they talk to.
import { createConnection } from "node:net";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; `stdin` is text or a file path given as `{ file }`. Never throws. */
export async function exec(
  argv: string[],
  opts: { stdin?: string | { file: string }; timeoutMs?: number; env?: Record<string, string | undefined> } = {},
): Promise<ExecResult> {
  let stdin: Blob | Uint8Array | "ignore" = "ignore";
  if (typeof opts.stdin === "string") {
    stdin = new TextEncoder().encode(opts.stdin);
  } else if (opts.stdin !== undefined) {
    stdin = Bun.file(opts.stdin.file);
  }
  try {
    const proc = Bun.spawn(argv, {
      stdin,
      stdout: "pipe",
      stderr: "pipe",
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 300_000,
      killSignal: "SIGKILL",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { code: proc.signalCode !== null ? 128 : code, stdout, stderr };
  } catch (e) {
    return { code: 127, stdout: "", stderr: `cannot run ${argv[0] ?? ""}: ${(e as Error).message}` };
  }
}

export type Service = "postgres" | "mariadb" | "redis" | "rabbitmq";

const SERVICES: Record<Service, { port: number; start: string; waitMs: number }> = {
  postgres: {
    port: 5432,
    start: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    waitMs: 30_000,
  },
  mariadb: {
    port: 3306,
    start: "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
    waitMs: 30_000,
  },
  redis: {
    port: 6379,
    start:
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
    waitMs: 15_000,
  },
  rabbitmq: { port: 5672, start: "rabbitmq-server -detached", waitMs: 90_000 },
};

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const startAttempted = new Set<Service>();

/**
 * Makes sure a service listens; if it is down, runs its start command once per runner process and
 * waits for the port. Throws when it stays down.
 */
export async function ensureService(service: Service, log: (line: string) => void): Promise<void> {
  const spec = SERVICES[service];
  if (await portOpen(spec.port)) {
    return;
  }
  if (startAttempted.has(service)) {
    throw new Error(`${service} is not listening on 127.0.0.1:${spec.port}`);
  }
  startAttempted.add(service);
  log(`${service} is down; starting it: ${spec.start}`);
  const started = await exec(["bash", "-c", spec.start], { timeoutMs: spec.waitMs });
  const deadline = Date.now() + spec.waitMs;
  while (Date.now() < deadline) {
    if (await portOpen(spec.port)) {
      return;
    }
    await Bun.sleep(500);
  }
  const why = started.code !== 0 ? ` (start command: ${(started.stderr || started.stdout).trim()})` : "";
  throw new Error(`${service} is not listening on 127.0.0.1:${spec.port} after starting it${why}`);
}

/** mariadb client: `mariadb -h127.0.0.1 -uroot -N -B -e QUERY`. */
export function mariadbQuery(query: string): Promise<ExecResult> {
  return exec(["mariadb", "-h127.0.0.1", "-uroot", "-N", "-B", "-e", query], { timeoutMs: 120_000 });
}

/** psql: `psql -h 127.0.0.1 -U root -d DB -At` (unit separator between columns, NULL as \N). */
export function psqlQuery(db: string, query: string): Promise<ExecResult> {
  return exec(
    [
      "psql",
      "-h",
      "127.0.0.1",
      "-U",
      "root",
      "-d",
      db,
      "-X",
      "-At",
      "-F",
      "\u001f",
      "-P",
      "null=\\N",
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      query,
    ],
    { timeoutMs: 120_000 },
  );
}

/** First column of the first row of a query's text output. */
export function firstColumn(output: string, separator: string): string {
  const line = output.split("\n")[0] ?? "";
  return line.split(separator)[0] ?? "";
}
