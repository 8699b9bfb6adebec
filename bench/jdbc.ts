/**
 * Jdbc throughput against the peers, on a generated 2M-row CSV (id bigint pk, name text, amount
 * numeric(12,2), ts timestamp, flag boolean, note text with quoted commas), kept in bench/data/:
 *   CSV → PostgreSQL       seatunnel (LocalFile → Jdbc) vs psql \copy vs pgloader   (≥ 0.85× \copy, ≥ 8× pgloader, RSS ≤ 150 MB)
 *   PostgreSQL → PostgreSQL seatunnel (Jdbc → Jdbc) vs psql COPY TO STDOUT | COPY FROM STDIN (≥ 0.85×)
 *   MariaDB → PostgreSQL   seatunnel vs pgloader (≥ 2×)
 * Run alone: `bun bench/jdbc.ts [csv] [pg] [mariadb]` (builds nothing: run `make build` first). Installs pgloader with apt-get when missing.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureService } from "../tests/services.ts";

const ROOT = join(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "seatunnel");
const DATA = join(import.meta.dir, "data");
const CSV = join(DATA, "jdbc-2m.csv");
const ROWS = 2_000_000;
const PG = ["psql", "-h", "127.0.0.1", "-U", "root", "-d", "test", "-X", "-q", "-v", "ON_ERROR_STOP=1"];
const COLS = "id bigint PRIMARY KEY, name text, amount numeric(12,2), ts timestamp, flag boolean, note text";

interface Timed {
  seconds: number;
  rssMb: number;
}

async function sh(command: string, env: Record<string, string> = {}): Promise<Timed> {
  const start = performance.now();
  const p = Bun.spawn(["bash", "-c", command], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, TZ: "UTC", ...env },
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) {
    throw new Error(`${command.slice(0, 120)} exited ${code}: ${(err || out).slice(-1500)}`);
  }
  return { seconds, rssMb: (p.resourceUsage()?.maxRSS ?? 0) / 1048576 };
}

const psql = (sql: string) => sh(`${PG.join(" ")} -c ${JSON.stringify(sql)}`);
const maria = (sql: string) => sh(`mariadb -h127.0.0.1 -uroot --local-infile=1 -e ${JSON.stringify(sql)}`);

async function makeCsv(): Promise<void> {
  if (existsSync(CSV) && statSync(CSV).size > 100e6 && statSync(CSV).size < 160e6) {
    return;
  }
  mkdirSync(DATA, { recursive: true });
  const w = Bun.file(CSV).writer();
  const base = Date.UTC(2024, 0, 1) / 1000;
  let chunk = "";
  for (let id = 1; id <= ROWS; id++) {
    const ts = new Date((base + id * 13) * 1000).toISOString().slice(0, 19).replace("T", " ");
    const amount = ((id * 7919) % 10_000_000_000) / 100;
    chunk += `${id},n${id % 100_000},${amount.toFixed(2)},${ts},${id % 3 === 0 ? "true" : "false"},"a, ""b"", ${id}"\n`;
    if (chunk.length > 1 << 20) {
      w.write(chunk);
      chunk = "";
    }
  }
  w.write(chunk);
  await w.end();
}

async function ensurePgloader(): Promise<boolean> {
  if (Bun.which("pgloader")) {
    return true;
  }
  console.log("pgloader is missing; installing it with apt-get");
  await sh("apt-get install -y -qq pgloader || (apt-get update -qq && apt-get install -y -qq pgloader)").catch(
    (e: Error) => console.log(e.message),
  );
  return Bun.which("pgloader") !== null;
}

/**
 * Runs a job file through the binary: its wall time, and the peak RSS it reports itself (workers
 * are threads of it). The child's rusage would add this harness's own peak: Linux carries maxrss
 * across fork and execve.
 */
async function seatunnel(name: string, conf: string): Promise<Timed> {
  const file = join(DATA, `${name}.conf`);
  const log = join(DATA, `${name}.log`);
  writeFileSync(file, conf);
  const timed = await sh(`${BIN} run ${file} --json --no-progress > ${log} 2> ${log}.err`);
  const result = JSON.parse(readFileSync(log, "utf8").trim().split("\n").at(-1)!) as { peakRssMb: number };
  return { seconds: timed.seconds, rssMb: result.peakRssMb };
}

const pgSink = (table: string) => `Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = root
    generate_sink_sql = true
    database = test
    table = "public.${table}"
    batch_size = 10000
  }`;

async function csvToPg(hasLoader: boolean): Promise<Record<string, number>> {
  const list = await new Response(Bun.spawn([BIN, "connectors", "list"], { stdout: "pipe" }).stdout).text();
  if (!/\bLocalFile\b/.test(list)) {
    console.log("CSV → PostgreSQL: skipped, the LocalFile source is not in this build yet");
    return {};
  }
  await psql(`DROP TABLE IF EXISTS bench_csv_st; CREATE TABLE bench_csv_st (${COLS})`);
  const ours = await seatunnel(
    "csv-to-pg",
    `env { job.mode = "BATCH", parallelism = 1 }
source {
  LocalFile {
    path = "${CSV}"
    file_format_type = "csv"
    schema = { fields { id = bigint, name = string, amount = "decimal(12, 2)", ts = timestamp, flag = boolean, note = string } }
  }
}
sink { ${pgSink("bench_csv_st")} }`,
  );
  await psql(`DROP TABLE IF EXISTS bench_csv_copy; CREATE TABLE bench_csv_copy (${COLS})`);
  const copy = await psql(`\\copy bench_csv_copy FROM '${CSV}' WITH (FORMAT csv)`);
  const out: Record<string, number> = {
    seatunnel_s: ours.seconds,
    psql_copy_s: copy.seconds,
    seatunnel_rss_mb: ours.rssMb,
    vs_copy: copy.seconds / ours.seconds,
  };
  if (hasLoader) {
    await psql(`DROP TABLE IF EXISTS bench_csv_pgl; CREATE TABLE bench_csv_pgl (${COLS})`);
    const load = join(DATA, "csv.load");
    writeFileSync(
      load,
      `LOAD CSV FROM '${CSV}' (id, name, amount, ts, flag, note)
INTO postgresql://root@127.0.0.1:5432/test?tablename=bench_csv_pgl (id, name, amount, ts, flag, note)
WITH fields terminated by ',', fields optionally enclosed by '"', fields escaped by double-quote, truncate;\n`,
    );
    const pgl = await sh(`pgloader --no-ssl-cert-verification ${load}`);
    Object.assign(out, { pgloader_s: pgl.seconds, vs_pgloader: pgl.seconds / ours.seconds });
  }
  console.log(
    `CSV → PostgreSQL: seatunnel ${ours.seconds.toFixed(2)} s (peak RSS ${ours.rssMb.toFixed(0)} MB), psql \\copy ${copy.seconds.toFixed(2)} s → ${out.vs_copy!.toFixed(2)}× \\copy (target ≥ 0.85)${out.vs_pgloader ? `, pgloader ${out.pgloader_s!.toFixed(2)} s → ${out.vs_pgloader.toFixed(2)}× pgloader (target ≥ 8)` : ""}`,
  );
  return out;
}

async function pgToPg(): Promise<Record<string, number>> {
  await psql(`DROP TABLE IF EXISTS bench_src; CREATE TABLE bench_src (${COLS})`);
  await psql(`\\copy bench_src FROM '${CSV}' WITH (FORMAT csv)`);
  await psql("ANALYZE bench_src");
  await psql(`DROP TABLE IF EXISTS bench_pipe; CREATE TABLE bench_pipe (${COLS})`);
  const pipe = await sh(
    `${PG.join(" ")} -c "COPY bench_src TO STDOUT" | ${PG.join(" ")} -c "COPY bench_pipe FROM STDIN"`,
  );
  await psql(`DROP TABLE IF EXISTS bench_dst; CREATE TABLE bench_dst (${COLS})`);
  // One reader and one writer: on a 2-core machine that also runs the server, a second COPY writer into
  // the same indexed table costs more than it gives.
  const ours = await seatunnel(
    "pg-to-pg",
    `env { job.mode = "BATCH", parallelism = 1 }
source {
  Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = root
    table_path = "test.public.bench_src"
    split.size = 100000
  }
}
sink { ${pgSink("bench_dst")} }`,
  );
  const ratio = pipe.seconds / ours.seconds;
  console.log(
    `PostgreSQL → PostgreSQL: seatunnel ${ours.seconds.toFixed(2)} s (peak RSS ${ours.rssMb.toFixed(0)} MB), psql COPY pipe ${pipe.seconds.toFixed(2)} s → ${ratio.toFixed(2)}× (target ≥ 0.85)`,
  );
  return { seatunnel_s: ours.seconds, pipe_s: pipe.seconds, seatunnel_rss_mb: ours.rssMb, vs_pipe: ratio };
}

async function mariaToPg(hasLoader: boolean): Promise<Record<string, number>> {
  await maria(
    `CREATE DATABASE IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.src; CREATE TABLE bench.src (id BIGINT PRIMARY KEY, name TEXT, amount DECIMAL(12,2), ts DATETIME, flag BOOLEAN, note TEXT)`,
  );
  await maria(
    `LOAD DATA LOCAL INFILE '${CSV}' INTO TABLE bench.src FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' (id, name, amount, ts, @flag, note) SET flag = (@flag = 'true'); ANALYZE TABLE bench.src`,
  );
  await psql("DROP TABLE IF EXISTS public.src_st");
  const ours = await seatunnel(
    "maria-to-pg",
    `env { job.mode = "BATCH", parallelism = ${process.env.JDBC_BENCH_MARIADB_P ?? 1} }
source {
  Jdbc {
    url = "jdbc:mysql://127.0.0.1:3306/bench"
    driver = "com.mysql.cj.jdbc.Driver"
    user = root
    password = ""
    table_path = "bench.src"
    split.size = 100000
  }
}
sink { ${pgSink("src_st")} }`,
  );
  const out: Record<string, number> = { seatunnel_s: ours.seconds, seatunnel_rss_mb: ours.rssMb };
  let line = `MariaDB → PostgreSQL: seatunnel ${ours.seconds.toFixed(2)} s (peak RSS ${ours.rssMb.toFixed(0)} MB)`;
  if (hasLoader) {
    await psql("DROP SCHEMA IF EXISTS bench CASCADE");
    const pgl = await sh(
      "pgloader --no-ssl-cert-verification mysql://root@127.0.0.1:3306/bench postgresql://root@127.0.0.1:5432/test",
    );
    Object.assign(out, { pgloader_s: pgl.seconds, vs_pgloader: pgl.seconds / ours.seconds });
    line += `, pgloader ${pgl.seconds.toFixed(2)} s → ${(pgl.seconds / ours.seconds).toFixed(2)}× pgloader (target ≥ 2)`;
    await psql("DROP SCHEMA IF EXISTS bench CASCADE");
  } else {
    line += ", pgloader unavailable";
  }
  console.log(line);
  return out;
}

export async function jdbcBench(): Promise<Record<string, Record<string, number>>> {
  if (!existsSync(BIN)) {
    throw new Error("dist/seatunnel is missing: run `make build` first");
  }
  await ensureService("postgres");
  await ensureService("mariadb");
  await makeCsv();
  const hasLoader = await ensurePgloader();
  const only = process.argv.slice(2);
  const want = (k: string) => only.length === 0 || only.includes(k);
  const results = {
    csv_to_pg: want("csv") ? await csvToPg(hasLoader) : {},
    pg_to_pg: want("pg") ? await pgToPg() : {},
    mariadb_to_pg: want("mariadb") ? await mariaToPg(hasLoader) : {},
  };
  await psql(
    "DROP TABLE IF EXISTS bench_csv_st, bench_csv_copy, bench_csv_pgl, bench_src, bench_pipe, bench_dst, public.src_st",
  );
  await maria("DROP DATABASE IF EXISTS bench");
  for (const f of ["csv.load"]) {
    rmSync(join(DATA, f), { force: true });
  }
  return results;
}

if (import.meta.main) {
  await jdbcBench();
}
