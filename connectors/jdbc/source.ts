/**
 * The Jdbc source at run time. create() asks the catalog for exact schemas (not under --check,
 * where only the table paths are known), splits() plans key ranges on the job master, and each
 * reader streams its splits one after the other through one pooled session: COPY TO STDOUT on
 * PostgreSQL, a row stream on MySQL, an iterator on SQLite. Memory holds one batch per reader.
 */
import type { PluginContext, Row, Source, SourceReader } from "../../src/api/index.ts";
import { ConfigError, ConfigErrors, JobError, RowKind } from "../../src/api/index.ts";
import type { Db, Session } from "./dialect.ts";
import { discoverAll } from "./catalog.ts";
import { plannedPath, type SourceTable, type TableConfig } from "./discover.ts";
import { compatibleMode } from "./naming.ts";
import type { SourceOptions } from "./options.ts";
import { dialectOf, poolMax, releasePool, retain, withSession } from "./pool.ts";
import { checkSource } from "./check.ts";
import { planSplits, type JdbcSplit } from "./split.ts";
import { describeConn, parseJdbcUrl, type ConnInfo } from "./url.ts";
import {
  checkFrom,
  type IncrementalTable,
  incrementalColumnOf,
  incrementalRange,
  type JdbcPosition,
  logReset,
  resumeOf,
  resumeSql,
} from "./incremental.ts";
import { LazyRow, type RowTextCodec } from "../common/source-text.ts";
import { estimateJdbcRows } from "./estimate.ts";

const DEFAULT_FETCH = 2048;

function tableConfigs(o: SourceOptions): TableConfig[] {
  const top: TableConfig = {};
  if (o.partition_column) {
    top.partitionColumn = o.partition_column;
  }
  if (o.partition_num) {
    top.partitionNum = o.partition_num;
  }
  if (o.partition_lower_bound !== undefined) {
    top.lowerBound = o.partition_lower_bound;
  }
  if (o.partition_upper_bound !== undefined) {
    top.upperBound = o.partition_upper_bound;
  }
  if (o.incremental_column) {
    top.incremental = o.incremental_column;
  }
  if (o.table_list?.length) {
    return o.table_list.map((t) => {
      const c: TableConfig = { ...top };
      if (t.table_path) {
        c.tablePath = t.table_path;
      }
      if (t.query) {
        c.query = t.query;
      }
      if (t.partition_column) {
        c.partitionColumn = t.partition_column;
      }
      if (t.partition_num !== undefined) {
        c.partitionNum = Number(t.partition_num);
      }
      if (t.partition_lower_bound !== undefined) {
        c.lowerBound = String(t.partition_lower_bound);
      }
      if (t.partition_upper_bound !== undefined) {
        c.upperBound = String(t.partition_upper_bound);
      }
      if (t.incremental_column) {
        c.incremental = { name: t.incremental_column, ...(t.incremental_pos ? { pos: t.incremental_pos } : {}) };
      }
      return c;
    });
  }
  if (!o.query && !o.table_path) {
    throw new ConfigError("CONFIG_OPTION_MISSING", "Jdbc source needs one of query, table_path or table_list");
  }
  return [{ ...top, ...(o.table_path ? { tablePath: o.table_path } : {}), ...(o.query ? { query: o.query } : {}) }];
}

export async function createJdbcSource(o: SourceOptions, ctx: PluginContext): Promise<Source<JdbcSplit>> {
  const info = parseJdbcUrl(o.url, o.user, o.password, o.properties ?? {});
  const d = dialectOf(info.kind);
  // Reads are the same in every mode SeaTunnel's dialects know; this refuses or warns about the others.
  compatibleMode(info.kind, o.compatible_mode, ctx.log);
  const configs = tableConfigs(o);
  const where = o.where_condition?.trim() || undefined;
  if (where && !/^where\s/i.test(where)) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `option "where_condition" must start with "where", received "${where}"`,
    );
  }
  if (o.incremental_reset && !configs.some((c) => c.incremental)) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      'option "incremental_reset" needs incremental_column (on the source or on a table_list item)',
    );
  }
  if (ctx.checkOnly) {
    // Columns come from the catalog: nothing is known of them before connecting.
    const tables = configs.map((c) => ({ ...plannedPath(c, d, info), unknownColumns: true }));
    return { tables, bounded: true, splits: (p) => Array.from({ length: p }, () => []), reader: () => emptyReader() };
  }
  const db = retain(info, poolMax(ctx.parallelism));
  const tables: SourceTable[] = [];
  let incremental: (IncrementalTable | undefined)[];
  try {
    await withSession(db, async (s) => {
      tables.push(...(await discoverAll(s, d, info, configs, where)));
    });
    incremental = tables.map((t) =>
      t.config.incremental ? { table: t, column: incrementalColumnOf(t, t.config.incremental, ctx.label) } : undefined,
    );
  } catch (e) {
    await releasePool(info);
    throw e instanceof JobError || e instanceof ConfigError || e instanceof ConfigErrors
      ? e
      : new JobError("JDBC_CONNECT", `reading the catalog of ${describeConn(info)}: ${(e as Error).message}`, {
          cause: e,
        });
  }
  warnZonedTimes(tables, ctx);
  const fetch = o.fetch_size > 0 ? o.fetch_size : DEFAULT_FETCH;
  let position: JdbcPosition | undefined;
  const isIncremental = incremental.some((t) => t !== undefined);
  return {
    tables: tables.map((t) => t.schema),
    bounded: true,
    splits: async (p, so) => {
      if (!isIncremental) {
        return splitAll(db, info, tables, o, p);
      }
      if (o.incremental_reset) {
        logReset(ctx.log, ctx.label, ctx.jobName);
      }
      const from = o.incremental_reset ? undefined : checkFrom(so?.from, ctx.jobName);
      position = { tables: {} };
      return splitAll(db, info, tables, o, p, {
        tables: incremental,
        position,
        jobName: ctx.jobName,
        ...(from ? { from } : {}),
      });
    },
    ...(isIncremental ? { position: () => position } : {}),
    reader: () => new JdbcReader(db, info, tables, fetch),
    estimateRows: () => estimateJdbcRows(db, info, tables, where),
    check: () => checkSource(db, info, tables),
    close: () => releasePool(info),
  };
}

/** An incremental run's tables, the position it was handed, and the one it fills in as it plans. */
interface IncrementalPlan {
  tables: (IncrementalTable | undefined)[];
  from?: JdbcPosition;
  position: JdbcPosition;
  jobName: string;
}

async function splitAll(
  db: Db,
  info: ConnInfo,
  tables: SourceTable[],
  o: SourceOptions,
  parallelism: number,
  inc?: IncrementalPlan,
): Promise<JdbcSplit[][]> {
  const d = dialectOf(info.kind);
  const all: JdbcSplit[] = [];
  await withSession(db, async (s) => {
    for (const [index, t] of tables.entries()) {
      const c = t.config;
      const it = inc?.tables[index];
      let base = t.base;
      if (it) {
        const r = await incrementalRange(s, d, info.kind, it, inc!.from?.tables[t.schema.id], inc!.jobName);
        if (r.position) {
          inc!.position.tables[t.schema.id] = r.position;
        }
        if (!r.base) {
          continue; // no row past the position
        }
        base = r.base;
      }
      const split = {
        index,
        id: t.schema.id,
        base,
        fixed: c.partitionColumn !== undefined,
        rows: () => (t.path && !o.use_select_count && !it ? d.approxRows(s, t.path) : countRows(s, base)),
        ...(t.key ? { key: t.key } : {}),
      };
      const resume = it ? resumeOf(t, d) : undefined;
      const planned = await planSplits(s, d, split, {
        parallelism,
        splitSize: o["split.size"],
        factorUpper: o["split.even-distribution.factor.upper-bound"],
        factorLower: o["split.even-distribution.factor.lower-bound"],
        ...(c.partitionColumn ? { partitionColumn: c.partitionColumn } : {}),
        ...(c.partitionNum ? { partitionNum: c.partitionNum } : {}),
        ...(c.lowerBound !== undefined ? { lowerBound: c.lowerBound } : {}),
        ...(c.upperBound !== undefined ? { upperBound: c.upperBound } : {}),
      });
      all.push(...(resume ? planned.map((p) => ({ ...p, resume: { ...resume } })) : planned));
    }
  });
  const out: JdbcSplit[][] = Array.from({ length: parallelism }, () => []);
  all.forEach((s, i) => out[i % parallelism]!.push(s));
  return out;
}

async function countRows(s: Session, base: string): Promise<number> {
  return Number((await s.query(`SELECT COUNT(*) AS n FROM (${base}) st_count`))[0]?.n ?? 0);
}

function emptyReader(): SourceReader<JdbcSplit> {
  return { addSplits: () => {}, poll: () => null };
}

/** One field of a raw row, leaving the row as it was (a MySQL row's decode works in place). */
function keyOf(codec: RowTextCodec, raw: unknown, field: number): unknown {
  return codec.value ? codec.value(raw, field) : codec.decode(Array.isArray(raw) ? [...raw] : raw)[field];
}

/** Reads its splits in order; one session at a time, released between splits. */
class JdbcReader implements SourceReader<JdbcSplit> {
  private readonly queue: JdbcSplit[] = [];
  private current?: { split: JdbcSplit; session: Session; rows: AsyncIterableIterator<unknown[]> };

  constructor(
    private readonly db: Db,
    private readonly info: ConnInfo,
    private readonly tables: SourceTable[],
    private readonly fetch: number,
  ) {}

  addSplits(splits: JdbcSplit[]): void {
    // Copies of resumes: the one read on must not be a checkpoint's, which a retry may start from again.
    this.queue.push(...splits.map((s) => (s.resume ? { ...s, resume: { ...s.resume } } : s)));
  }

  snapshot(): JdbcSplit[] {
    // A copy: the current split's resume moves on as it is read, the checkpoint must not.
    const cur = this.current?.split;
    return [...(cur ? [cur.resume ? { ...cur, resume: { ...cur.resume } } : cur] : []), ...this.queue];
  }

  async poll(): Promise<Row[] | null> {
    for (;;) {
      if (!this.current) {
        const split = this.queue.shift();
        if (!split) {
          return null;
        }
        const session = await this.db.session();
        this.current = {
          split,
          session,
          rows: session.stream(
            split.resume ? resumeSql(split.sql, split.resume) : split.sql,
            this.fetch,
            this.tables[split.table]!.binary,
          ),
        };
      }
      const cur = this.current;
      let next: IteratorResult<unknown[]>;
      try {
        next = await cur.rows.next();
      } catch (e) {
        this.current = undefined;
        await cur.session.discard().catch(() => {});
        throw new JobError(
          "JDBC_READ",
          `reading split "${cur.split.id}" of ${describeConn(this.info)}: ${(e as Error).message}`,
          { cause: e },
        );
      }
      if (next.done) {
        this.current = undefined;
        await cur.session.release();
        continue;
      }
      const resume = cur.split.resume;
      if (resume && next.value.length) {
        resume.after = dialectOf(this.info.kind).literal(
          keyOf(this.tables[cur.split.table]!.raw, next.value.at(-1), resume.field),
        );
      }
      return this.decode(cur.split, next.value);
    }
  }

  private decode(split: JdbcSplit, raw: unknown[]): Row[] {
    const t = this.tables[split.table]!;
    const id = t.schema.id;
    const out: Row[] = new Array(raw.length);
    for (let r = 0; r < raw.length; r++) {
      out[r] = new LazyRow(RowKind.INSERT, id, raw[r], t.raw);
    }
    return out;
  }

  async close(): Promise<void> {
    const cur = this.current;
    this.current = undefined;
    if (cur) {
      await cur.rows.return?.(undefined).catch(() => {});
      await cur.session.discard().catch(() => {});
    }
  }
}

/**
 * A `time with time zone` column is SeaTunnel's TIME, which has no offset: said once per table
 * before any row moves. A PostgreSQL sink given the rows as read (a copy) keeps the offset from
 * their text; whatever reads their values (a transform, another sink, --no-fuse) has local times.
 */
function warnZonedTimes(tables: SourceTable[], ctx: PluginContext): void {
  for (const t of tables) {
    const zoned = t.zonedTimes;
    if (zoned.length > 0) {
      ctx.log.warn(
        `${ctx.label}: ${t.schema.id}: ${zoned.join(", ")} ${zoned.length > 1 ? "are" : "is"} time with time zone, read as TIME (SeaTunnel's type, no UTC offset): a PostgreSQL sink given the rows untouched keeps the offset; a transform, another sink or --no-fuse sees local times`,
      );
    }
  }
}
