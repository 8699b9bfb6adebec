/**
 * Where the client finds the cluster: several members in --cluster-address, SEATUNNEL_CLUSTER or
 * the client config file (SEATUNNEL_CLIENT_CONFIG), of which the first that answers is used; none
 * answering, or a bad config file, fails in one line.
 */
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, dataDir, start } from "./cluster-helpers.ts";
import { runBin } from "./helpers.ts";

afterAll(cleanup);

test("the first member that answers takes the job, from the flag, the environment or the client config file", async () => {
  const m = await start(dataDir());
  const dead = "http://127.0.0.1:9";
  const live = `http://127.0.0.1:${m.port}`;
  const job = ["run", "fixtures/jobs/demo.conf", "-m", "cluster", "--json"];
  const flag = await runBin([...job, "--cluster-address", `${dead},${live}`]);
  expect([flag.code, JSON.parse(flag.stdout).status]).toEqual([0, "FINISHED"]);
  const env = await runBin(job, { env: { SEATUNNEL_CLUSTER: `${dead}, ${live}/` } });
  expect([env.code, JSON.parse(env.stdout).status]).toEqual([0, "FINISHED"]);
  const file = join(dataDir(), "client.yaml");
  writeFileSync(file, `cluster-address:\n  - ${dead}\n  - ${live}\n`);
  const listed = await runBin(["-l", "--json"], { env: { SEATUNNEL_CLIENT_CONFIG: file } });
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout).jobs).toHaveLength(2);

  const none = await runBin(["-l"], { env: { SEATUNNEL_CLUSTER: `${dead},http://127.0.0.1:10` } });
  expect(none.code).toBe(1);
  expect(none.stderr.trim().split("\n")).toEqual([
    "error[CLUSTER_UNREACHABLE]: no cluster member answers at http://127.0.0.1:9, http://127.0.0.1:10: start one with `seatunnel cluster start`, or give a member's address with --cluster-address or SEATUNNEL_CLUSTER",
  ]);
  writeFileSync(file, "cluster-address: {a: 1}\n");
  const bad = await runBin(["-l"], { env: { SEATUNNEL_CLIENT_CONFIG: file } });
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe(
    `error[CLUSTER_CLIENT_CONFIG]: ${file}: cluster-address must be an address or a list of them`,
  );
}, 60_000);
