/** Helpers of the cluster tests: members of the built binary as processes, their state over HTTP. */
import { expect } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, runBin } from "./helpers.ts";
import { PG_URL } from "./services.ts";

const dirs: string[] = [];
const procs: ReturnType<typeof Bun.spawn>[] = [];

/** Kills the members the file started and removes their data directories: each test file's afterAll. */
export function cleanup(): void {
  for (const p of procs) {
    p.kill("SIGKILL");
  }
  for (const d of dirs) {
    rmSync(d, { recursive: true, force: true });
  }
  dirs.length = 0;
  procs.length = 0;
}

export function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "st-cluster-"));
  dirs.push(d);
  return d;
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface State {
  cluster: string;
  member: string;
  isMaster: boolean;
  master: { member: string; epoch: number } | null;
  members: { id: string }[];
}

export interface Started {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  log: () => Promise<string>;
}

export async function state(port: number): Promise<State | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/cluster`);
    return r.ok ? ((await r.json()) as State) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a member serves HTTP on `port` (any answer but 503, which a starting member gives). */
export async function serving(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/cluster`)).status !== 503;
  } catch {
    return false;
  }
}

/** Polls until `ok` holds (or fails after `ms`); returns what it saw last. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    }
    await Bun.sleep(100);
  }
}

/** Spawns a member process (with `env` added to this one's), not waiting for it. */
export function spawnMember(dir: string, flags: string[], port: number, env: Record<string, string> = {}) {
  const proc = Bun.spawn([BIN, "cluster", "start", "--data-dir", dir, "--port", String(port), ...flags], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  procs.push(proc);
  return proc;
}

export async function start(
  dir: string,
  flags: string[] = [],
  port = freePort(),
  env: Record<string, string> = {},
): Promise<Started> {
  const proc = spawnMember(dir, flags, port, env);
  const out = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]).then((t) => t.join(""));
  await until(
    `member on ${port}`,
    () => serving(port),
    (s) => s,
  );
  return { proc, port, log: () => out };
}

/** The master every member of `ms` agrees on, once they do and it is one of them. */
export async function agreedMaster(ms: Started[]): Promise<{ member: string; epoch: number }> {
  const states = await until(
    "one master all agree on",
    () => Promise.all(ms.map((m) => state(m.port))),
    (ss) =>
      ss.every((s) => s?.master && s.master.member === ss[0]!.master!.member) &&
      ss.filter((s) => s!.isMaster).length === 1,
  );
  return states[0]!.master!;
}

export const portOf = (member: string) => Number(member.split(":").at(-1));

/** A csv → csv job over `rows` ids, read at `perSecond` rows a second, with checkpoints every 300 ms. */
export function csvJob(dir: string, rows: number, perSecond?: number): string {
  const input = join(dir, "in.csv");
  writeFileSync(input, Array.from({ length: rows }, (_, i) => `${i + 1},name ${i + 1}\n`).join(""));
  const conf = join(dir, "job.conf");
  writeFileSync(
    conf,
    `env { job.mode = BATCH, parallelism = 1, checkpoint.interval = 300${perSecond ? `, read_limit.rows_per_second = ${perSecond}` : ""} }
source { LocalFile { path = "${input}", file_format_type = csv, schema = { fields { id = bigint, name = string } } } }
sink { LocalFile { path = "\${out}", file_format_type = csv } }`,
  );
  return conf;
}

/** Every row of the csv files under `dir`, sorted. */
export function rowsIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".csv"))
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean))
    .sort();
}

export const info = async (port: number, id: string) =>
  (await (await fetch(`http://127.0.0.1:${port}/job-info/${id}`)).json()) as Record<string, unknown>;

/** The job's end as `port` sees it, once FINISHED; its output is every row once. */
export async function finishedOnce(port: number, id: string, out: string): Promise<Record<string, unknown>> {
  const done = await until(
    "the job's end",
    () => info(port, id),
    (j) => j.jobStatus === "FINISHED",
    60_000,
  );
  const rows = rowsIn(out);
  expect(rows.length).toBe(40_000);
  expect(new Set(rows).size).toBe(40_000);
  return done;
}

/**
 * Submits a 40,000-row csv job read at `perSecond` rows a second (into `out`, a new directory) to
 * the member on `port` with `--async`: its id, output directory and job file.
 */
export async function submitCsv(
  port: number,
  perSecond: number,
  extra: string[] = [],
): Promise<{ id: string; out: string; conf: string }> {
  const dir = dataDir();
  const out = join(dir, "out");
  mkdirSync(out);
  const conf = csvJob(dir, 40_000, perSecond);
  const address = ["--cluster-address", `http://127.0.0.1:${port}`];
  const sub = await runBin(["run", conf, "-m", "cluster", ...address, "-i", `out=${out}`, "--async", ...extra]);
  expect(sub.code).toBe(0);
  return { id: sub.stdout.trim().split("\n").at(-1)!, out, conf };
}

/** Removes a cluster name's rows from the machine's PostgreSQL store (the end of a test that used it). */
export async function forgetCluster(name: string): Promise<void> {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  for (const table of ["members", "lease", "jobs", "checkpoint_files"]) {
    await sql.unsafe(`DELETE FROM seatunnel_cluster.${table} WHERE cluster = $1`, [name]);
  }
  await sql.close();
}
