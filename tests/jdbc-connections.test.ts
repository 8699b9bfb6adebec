/**
 * A 50-table job (PostgreSQL → MariaDB, parallelism 2) through the binary opens at most
 * parallelism + 1 connections per database: every table shares the per-thread pool of its database.
 * Connections are sampled from pg_stat_activity and information_schema.processlist while it runs.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, binaryBuilt } from "./helpers.ts";
import { ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";

const TABLES = 50;
const ROWS = 4000;
const PARALLELISM = 2;
const name = uniqueName("jdbc_conn");
const dir = mkdtempSync(join(tmpdir(), "jdbc-conn-"));
let pg: InstanceType<typeof Bun.SQL>;
let my: InstanceType<typeof Bun.SQL>;

beforeAll(async () => {
  await ensureService("postgres");
  await ensureService("mariadb");
  pg = new Bun.SQL(PG_URL, { max: 1 });
  my = new Bun.SQL(MY_URL, { max: 1 });
  let ddl = `CREATE SCHEMA ${name};`;
  for (let i = 0; i < TABLES; i++) {
    ddl += `CREATE TABLE ${name}.t${i} (id bigint PRIMARY KEY, v text); INSERT INTO ${name}.t${i} SELECT g, md5(g::text) FROM generate_series(1, ${ROWS}) g;`;
  }
  await pg.unsafe(ddl);
  await my.unsafe(`CREATE DATABASE ${name}`);
});

afterAll(async () => {
  await pg.unsafe(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  await my.unsafe(`DROP DATABASE IF EXISTS ${name}`);
  await pg.close();
  await my.close();
  rmSync(dir, { recursive: true, force: true });
});

function job(): string {
  const list = Array.from({ length: TABLES }, (_, i) => `{ table_path = "test.${name}.t${i}" }`).join(",\n      ");
  return `env { parallelism = ${PARALLELISM}, job.mode = "BATCH" }
source {
  Jdbc {
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = root
    properties { ApplicationName = "${name}" }
    split.size = 1000
    table_list = [
      ${list}
    ]
  }
}
sink {
  Jdbc {
    url = "jdbc:mysql://127.0.0.1:3306/${name}"
    driver = "com.mysql.cj.jdbc.Driver"
    user = root
    password = ""
    generate_sink_sql = true
    database = "${name}"
    table = "\${table_name}"
    batch_size = 500
  }
}
`;
}

describe("Jdbc connection pools", () => {
  test(`a ${TABLES}-table job opens at most parallelism + 1 connections per database`, async () => {
    expect(binaryBuilt()).toBe(true);
    const file = join(dir, "many.conf");
    writeFileSync(file, job());
    const proc = Bun.spawn([BIN, "run", file], { stdout: "pipe", stderr: "pipe", env: { ...process.env, TZ: "UTC" } });
    const peak = { pg: 0, my: 0, samples: 0 };
    let running = true;
    const sampler = (async () => {
      while (running) {
        const [p] = (await pg.unsafe(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = '${name}'`,
        )) as { n: number }[];
        const [m] = (await my.unsafe(
          `SELECT count(*) AS n FROM information_schema.processlist WHERE db = '${name}'`,
        )) as { n: number }[];
        peak.pg = Math.max(peak.pg, Number(p?.n ?? 0));
        peak.my = Math.max(peak.my, Number(m?.n ?? 0));
        peak.samples++;
        await Bun.sleep(10);
      }
    })();
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    running = false;
    await sampler;
    if (code !== 0) {
      console.error(out.slice(-2000), err.slice(-2000));
    }
    expect(code).toBe(0);
    console.log(
      `[jdbc-connections] ${TABLES} tables, parallelism ${PARALLELISM}: peak PostgreSQL ${peak.pg}, MariaDB ${peak.my} connections over ${peak.samples} samples`,
    );
    expect(peak.pg).toBeGreaterThan(0);
    expect(peak.my).toBeGreaterThan(0);
    expect(peak.pg).toBeLessThanOrEqual(PARALLELISM + 1);
    expect(peak.my).toBeLessThanOrEqual(PARALLELISM + 1);
    const [rows] = (await my.unsafe(
      `SELECT SUM(TABLE_ROWS) AS n, COUNT(*) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}'`,
    )) as { n: number; t: number }[];
    expect(Number(rows?.t)).toBe(TABLES);
    const [last] = (await my.unsafe(`SELECT COUNT(*) AS n FROM ${name}.t${TABLES - 1}`)) as { n: number }[];
    expect(Number(last?.n)).toBe(ROWS);
  }, 120_000);
});
