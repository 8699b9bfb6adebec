/**
 * Split planning on the job master, after SeaTunnel's FixedChunkSplitter (a `partition_column`
 * cut into `partition_num` ranges between the bounds, or hash buckets for text columns) and
 * DynamicChunkSplitter (the key cut into chunks of about `split.size` rows: evenly sized ranges when
 * the key is dense, else chunk ends read from the table). A split is the SQL that reads it.
 */
import type { Column } from "../../src/api/index.ts";
import { Decimal } from "../../src/api/index.ts";
import type { Dialect, Session } from "./dialect.ts";
import type { SplitResume } from "./incremental.ts";

export interface JdbcSplit {
  /** Index of the table in the source's table list. */
  table: number;
  id: string;
  sql: string;
  /** Incremental tables with a one-column key: read in key order, resumed after the last key read. */
  resume?: SplitResume;
}

export interface SplitOptions {
  parallelism: number;
  partitionColumn?: string;
  partitionNum?: number;
  lowerBound?: string;
  upperBound?: string;
  splitSize: number;
  factorUpper: number;
  factorLower: number;
}

export interface SplitTable {
  index: number;
  id: string;
  /** The query every split narrows (table select or user query, with where_condition applied). */
  base: string;
  /** Split key when the table has one (PK / unique key / partition_column). */
  key?: Column;
  /** Rows estimate for dynamic splitting. */
  rows: () => Promise<number>;
  fixed: boolean;
}

const INTEGER_KINDS = new Set(["tinyint", "smallint", "int", "bigint"]);
const isIntegral = (c: Column) => INTEGER_KINDS.has(c.type.kind) || (c.type.kind === "decimal" && c.type.scale === 0);

/** The value as an exact integer, or undefined when it is not one. */
function toBig(v: unknown): bigint | undefined {
  if (v === null || v === undefined) {
    return undefined;
  }
  if (typeof v === "bigint") {
    return v;
  }
  const t = String(v).trim();
  if (/^-?\d+$/.test(t)) {
    return BigInt(t);
  }
  if (/^-?\d+\.0*$/.test(t)) {
    return BigInt(t.replace(/\..*$/, ""));
  }
  const d = Decimal.parse(t);
  return d.setScale(0).unscaled;
}

export async function planSplits(s: Session, d: Dialect, t: SplitTable, o: SplitOptions): Promise<JdbcSplit[]> {
  const whole = [{ table: t.index, id: `${t.id}-0`, sql: t.base }];
  if (!t.key) {
    return whole;
  }
  const col = d.quote(t.key.name);
  const wrapped = `SELECT * FROM (${t.base}) st_jdbc`;
  const make = (conds: string[]) =>
    conds.map((c, i) => ({ table: t.index, id: `${t.id}-${i}`, sql: `${wrapped} WHERE ${c}` }));
  const nulls = t.key.nullable ? ` OR ${col} IS NULL` : "";
  if (t.fixed) {
    if (!isIntegral(t.key)) {
      const n = Math.max(1, o.partitionNum ?? o.parallelism);
      return make(Array.from({ length: n }, (_, i) => `${d.hashModSql(col, n)} = ${i}${i === 0 ? nulls : ""}`));
    }
    let lo = toBig(o.lowerBound);
    let hi = toBig(o.upperBound);
    if (lo === undefined || hi === undefined) {
      const r = (await s.query(`SELECT MIN(${col}) AS lo, MAX(${col}) AS hi FROM (${t.base}) st_jdbc`))[0];
      lo ??= toBig(r?.lo);
      hi ??= toBig(r?.hi);
    }
    if (lo === undefined || hi === undefined) {
      return whole;
    }
    return make(
      betweenRanges(lo, hi, o.partitionNum ?? o.parallelism).map(
        ([a, b], i) => `(${col} >= ${a} AND ${col} <= ${b}${i === 0 ? nulls : ""})`,
      ),
    );
  }
  const r = (await s.query(`SELECT MIN(${col}) AS lo, MAX(${col}) AS hi FROM (${t.base}) st_jdbc`))[0];
  if (r?.lo === null || r?.lo === undefined) {
    return whole;
  }
  const rows = await t.rows();
  if (rows <= o.splitSize) {
    return whole;
  }
  const bounds = isIntegral(t.key) ? evenBounds(toBig(r.lo)!, toBig(r.hi)!, rows, o) : undefined;
  const ends = bounds ?? (await queriedBounds(s, t, col, r.hi, o.splitSize, d));
  const conds: string[] = [];
  let prev: string | undefined;
  for (const e of ends) {
    conds.push(prev === undefined ? `(${col} < ${e}${nulls})` : `${col} >= ${prev} AND ${col} < ${e}`);
    prev = e;
  }
  conds.push(prev === undefined ? "1=1" : `${col} >= ${prev}`);
  return make(conds);
}

/** JdbcNumericBetweenParametersProvider.ofBatchNum: inclusive ranges, the first ones one larger. */
export function betweenRanges(lo: bigint, hi: bigint, num: number): [bigint, bigint][] {
  const count = hi - lo + 1n;
  const n = BigInt(Math.max(1, num)) > count ? count : BigInt(Math.max(1, num));
  if (n <= 0n) {
    return [[lo, hi]];
  }
  const size = (count + n - 1n) / n;
  const big = count - (size - 1n) * n;
  const out: [bigint, bigint][] = [];
  let start = lo;
  for (let i = 0n; i < n; i++) {
    const end = start + size - 1n - (i >= big ? 1n : 0n);
    out.push([start, end]);
    start = end + 1n;
  }
  return out;
}

/** Chunk ends of an evenly distributed integer key, or undefined when the key is too sparse or dense. */
function evenBounds(lo: bigint, hi: bigint, rows: number, o: SplitOptions): string[] | undefined {
  const factor = Number(hi - lo + 1n) / rows;
  if (!(factor >= o.factorLower && factor <= o.factorUpper)) {
    return undefined;
  }
  const size = BigInt(Math.max(1, Math.floor(factor * o.splitSize)));
  const ends: string[] = [];
  for (let end = lo + size; end <= hi; end += size) {
    ends.push(end.toString());
  }
  return ends;
}

/** Chunk ends read from the table: the key of every `split.size`-th row (DynamicChunkSplitter.splitUnevenlySizedChunks). */
async function queriedBounds(
  s: Session,
  t: SplitTable,
  col: string,
  max: unknown,
  size: number,
  d: Dialect,
): Promise<string[]> {
  const ends: string[] = [];
  let prev = (await s.query(`SELECT MIN(${col}) AS v FROM (${t.base}) st_jdbc`))[0]?.v;
  const maxLit = d.literal(max);
  for (;;) {
    const q = `SELECT MAX(${col}) AS v FROM (SELECT ${col} FROM (${t.base}) st_jdbc WHERE ${col} >= ${d.literal(prev)} ORDER BY ${col} LIMIT ${size}) st_chunk`;
    let next = (await s.query(q))[0]?.v;
    if (String(next) === String(prev)) {
      next = (await s.query(`SELECT MIN(${col}) AS v FROM (${t.base}) st_jdbc WHERE ${col} > ${d.literal(prev)}`))[0]
        ?.v;
    }
    if (next === null || next === undefined || d.literal(next) === maxLit) {
      break;
    }
    ends.push(d.literal(next));
    prev = next;
  }
  return ends;
}
