/**
 * The bench matrix: CSV → PostgreSQL and CSV → CSV over the variants of bench/variants.ts
 * (timestamps with millis, micros, 'T' or offsets; short decimals; 30% empty fields; every field
 * quoted; one row in ten quoted; 30 columns; 1 KB text fields; CRLF), each against its real peer
 * in the same round: `psql \copy` into the same table, and `cat file > copy` on the same disk.
 * Each figure is the best of ROUNDS rounds that run every contender once.
 * Targets at parallelism 2: every variant ≥ 0.85× `\copy`, ≥ 25% of `cat`, peak RSS ≤ 150 MB.
 * Run alone: `bun bench/matrix.ts [variant ...]` after `make build`.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureService } from "../tests/services.ts";
import { BIN, DATA } from "./lib.ts";
import { csvPath, generate, pgColumns, seaTunnelFields, VARIANTS, type Variant } from "./variants.ts";

const ROUNDS = Number(process.env.MATRIX_ROUNDS ?? 3);
const PSQL = "psql -h 127.0.0.1 -U root -d test -X -q -v ON_ERROR_STOP=1";

interface Run {
  seconds: number;
  rssMb: number;
  rows: number;
}

function sh(command: string): number {
  const t = performance.now();
  const p = Bun.spawnSync(["bash", "-c", command], { env: { ...process.env, TZ: "UTC" } });
  if (p.exitCode !== 0) {
    throw new Error(`${command.slice(0, 160)} exited ${p.exitCode}: ${p.stderr.toString().slice(-1500)}`);
  }
  return (performance.now() - t) / 1000;
}

const psql = (sql: string) => sh(`${PSQL} -c ${JSON.stringify(sql)}`);

function seatunnel(name: string, conf: string): Run {
  const file = join(DATA, `matrix-${name}.conf`);
  const out = join(DATA, `matrix-${name}.json`);
  writeFileSync(file, conf);
  const seconds = sh(`${BIN} run ${file} --json --no-progress > ${out} 2> ${out}.err`);
  const r = JSON.parse(readFileSync(out, "utf8").trim().split("\n").at(-1)!) as { peakRssMb: number; written: number };
  return { seconds, rssMb: r.peakRssMb, rows: r.written };
}

const source = (v: Variant) => `env { parallelism = 2, job.mode = BATCH }
source {
  LocalFile {
    path = "${csvPath(v)}"
    file_format_type = csv
    result_table_name = "src"
    schema = { fields { ${seaTunnelFields(v)} } }
  }
}`;

/**
 * Like `cat file > copy`, which the bench times with its previous copy already removed, the job
 * starts with no previous output: its save mode would otherwise spend part of the timed run
 * deleting the last round's 100+ MB (some 20 ms here), which is not copying.
 */
function toCsv(v: Variant): Run {
  const out = join(DATA, "matrix-out");
  rmSync(out, { recursive: true, force: true });
  return seatunnel(
    `${v.name}-csv`,
    `${source(v)}
sink {
  LocalFile {
    source_table_name = "src"
    path = "${out}"
    tmp_path = "${join(DATA, "matrix-tmp")}"
    file_format_type = csv
    schema_save_mode = RECREATE_SCHEMA
    data_save_mode = DROP_DATA
  }
}`,
  );
}

/**
 * The same copy with every row decoded into values and written from them: a transform between
 * source and sink (FilterRowKind keeping every row, which costs nothing itself) takes the rows off
 * the text paths.
 */
function toPgDecoded(v: Variant): Run {
  return toPg(
    v,
    "decoded",
    `transform {
  FilterRowKind {
    source_table_name = "src"
    result_table_name = "kept"
    include_kinds = ["INSERT"]
  }
}`,
  );
}

function toPg(v: Variant, name = "pg", transform = ""): Run {
  return seatunnel(
    `${v.name}-${name}`,
    `${source(v)}
${transform}
sink {
  Jdbc {
    source_table_name = "${transform ? "kept" : "src"}"
    url = "jdbc:postgresql://127.0.0.1:5432/test"
    driver = "org.postgresql.Driver"
    user = root
    generate_sink_sql = true
    database = test
    table = "public.matrix_st"
    batch_size = 10000
    data_save_mode = DROP_DATA
  }
}`,
  );
}

function catOnce(path: string): number {
  const copy = join(DATA, "matrix-cat.copy");
  rmSync(copy, { force: true });
  const s = sh(`cat '${path}' > '${copy}'`);
  rmSync(copy, { force: true });
  return s;
}

interface Row {
  variant: string;
  mb: number;
  cat_mb_s: number;
  csv_mb_s: number;
  of_cat: number;
  csv_rss_mb: number;
  copy_s: number;
  pg_s: number;
  vs_copy: number;
  pg_rss_mb: number;
  /** The decoding path's time over the text path's, csv → PostgreSQL (target ≤ 1.5). */
  decoded_over_text: number;
}

function measure(v: Variant): Row {
  const path = generate(v);
  const mb = statSync(path).size / 1e6;
  psql(
    `DROP TABLE IF EXISTS matrix_st, matrix_copy; CREATE TABLE matrix_st (${pgColumns(v)}); CREATE TABLE matrix_copy (${pgColumns(v)})`,
  );
  let cat = Infinity;
  let copy = Infinity;
  let csv: Run | undefined;
  let pg: Run | undefined;
  let decoded: Run | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    cat = Math.min(cat, catOnce(path));
    const c = toCsv(v);
    csv = !csv || c.seconds < csv.seconds ? c : csv;
    psql("TRUNCATE matrix_copy");
    copy = Math.min(copy, sh(`${PSQL} -c "\\copy matrix_copy FROM '${path}' WITH (FORMAT csv)"`));
    const p = toPg(v);
    pg = !pg || p.seconds < pg.seconds ? p : pg;
    const d = toPgDecoded(v);
    decoded = !decoded || d.seconds < decoded.seconds ? d : decoded;
  }
  for (const r of [csv!, pg!, decoded!]) {
    if (r.rows !== v.rows) {
      throw new Error(`${v.name}: wrote ${r.rows} rows, expected ${v.rows}`);
    }
  }
  return {
    variant: v.name,
    mb: Math.round(mb),
    cat_mb_s: Math.round(mb / cat),
    csv_mb_s: Math.round(mb / csv!.seconds),
    of_cat: Math.round((cat / csv!.seconds) * 1000) / 10,
    csv_rss_mb: Math.round(csv!.rssMb),
    copy_s: Math.round(copy * 100) / 100,
    pg_s: Math.round(pg!.seconds * 100) / 100,
    vs_copy: Math.round((copy / pg!.seconds) * 100) / 100,
    pg_rss_mb: Math.round(pg!.rssMb),
    decoded_over_text: Math.round((decoded!.seconds / pg!.seconds) * 100) / 100,
  };
}

/** Every variant (or those named), printed as a table with the targets marked. */
export async function matrixBench(only: string[] = []): Promise<Row[]> {
  await ensureService("postgres");
  const rows: Row[] = [];
  console.log(
    "matrix (parallelism 2; targets: ≥ 25% of cat, ≥ 0.85× \\copy, peak RSS ≤ 150 MB, decoded ≤ 1.5× the text path)",
  );
  console.log("variant          MB   cat MB/s  csv MB/s  %cat   rss | \\copy s  pg s   ×copy  rss | decoded/text");
  for (const v of VARIANTS.filter((x) => only.length === 0 || only.includes(x.name))) {
    const r = measure(v);
    rows.push(r);
    const miss =
      r.of_cat < 25 || r.vs_copy < 0.85 || Math.max(r.csv_rss_mb, r.pg_rss_mb) > 150 || r.decoded_over_text > 1.5
        ? "  MISSED"
        : "";
    console.log(
      `${r.variant.padEnd(15)} ${String(r.mb).padStart(4)} ${String(r.cat_mb_s).padStart(9)} ${String(r.csv_mb_s).padStart(9)} ${r.of_cat.toFixed(1).padStart(5)} ${String(r.csv_rss_mb).padStart(5)} | ${r.copy_s.toFixed(2).padStart(7)} ${r.pg_s.toFixed(2).padStart(5)} ${r.vs_copy.toFixed(2).padStart(6)} ${String(r.pg_rss_mb).padStart(4)} | ${r.decoded_over_text.toFixed(2).padStart(5)}${miss}`,
    );
  }
  psql("DROP TABLE IF EXISTS matrix_st, matrix_copy");
  return rows;
}

if (import.meta.main) {
  await matrixBench(process.argv.slice(2));
}
