/**
 * The sinks' save modes are a job's first writes: a server that refuses them is retried as a
 * pipeline's failure is (job.retry.times, the delay doubling), and the job fails naming the sink, the
 * server and the cause once the retries are spent. Through the binary, against the real PostgreSQL
 * behind a proxy the test opens late or never.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { runBin } from "./helpers.ts";
import { scratchSchemas, uniqueName } from "./services.ts";

const JOB = join("fixtures", "failures", "fake-to-late-server.conf");
const schema = uniqueName("late");
const sql = scratchSchemas(schema);

/** A port nothing listens on (for now). */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

/** A TCP proxy on `port` to the real PostgreSQL. */
function proxy(port: number) {
  type Side = { peer?: Bun.Socket<Side>; early: Uint8Array[] };
  return Bun.listen<Side>({
    hostname: "127.0.0.1",
    port,
    socket: {
      async open(client) {
        client.data = { early: [] };
        const server = await Bun.connect<Side>({
          hostname: "127.0.0.1",
          port: 5432,
          socket: {
            data: (_, chunk) => void client.write(chunk),
            close: () => void client.end(),
          },
        });
        server.data = { peer: client, early: [] };
        client.data.peer = server;
        for (const chunk of client.data.early) {
          server.write(chunk);
        }
      },
      data(client, chunk) {
        const { peer, early } = client.data;
        peer ? peer.write(chunk) : early.push(new Uint8Array(chunk));
      },
      close: (client) => void client.data.peer?.end(),
    },
  });
}

test("a server that comes up during the retries: the job finishes and every row is written", async () => {
  const port = freePort();
  let up: ReturnType<typeof proxy> | undefined;
  const late = setTimeout(() => (up = proxy(port)), 1500);
  try {
    const r = await runBin(["run", JOB, "-i", `port=${port}`, "-i", `schema=${schema}`, "--no-progress"]);
    expect(r.stderr).toContain(
      `sink Jdbc: the save mode failed (postgresql://root@127.0.0.1:${port}/test: Failed to connect): retry 1/2 in 1s: connection refused (ERR_POSTGRES_CONNECTION_REFUSED).`,
    );
    expect(r.code).toBe(0);
    const [row] = (await sql.pg.unsafe(`SELECT count(*)::int AS n FROM ${schema}.late`)) as { n: number }[];
    expect(row!.n).toBe(100);
  } finally {
    clearTimeout(late);
    up?.stop(true);
  }
}, 30_000);

test("a server that never comes up: the job fails after the retries, naming the sink, the server and the cause", async () => {
  const port = freePort();
  const r = await runBin(["run", JOB, "-i", `port=${port}`, "-i", `schema=${schema}`, "--no-progress"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("retry 2/2 in 2s");
  expect(r.stderr).toContain(
    `error[JDBC_SAVE_MODE]: running the save mode of sink Jdbc: postgresql://root@127.0.0.1:${port}/test: Failed to connect (connection refused (ERR_POSTGRES_CONNECTION_REFUSED), still after 2 retries)`,
  );
}, 30_000);
