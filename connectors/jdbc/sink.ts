/**
 * The Jdbc sink: one plan per input table (target path with placeholders replaced, columns, keys,
 * write mode), save modes on the job master, a JdbcWriter per subtask, and commit() completing the
 * prepared transactions of an exactly-once run (idempotent: an id that is gone was committed).
 */
import type { EarlierRuns, PluginContext, Sink, TablePath, TableSchema } from "../../src/api/index.ts";
import { ConfigError, didYouMean, JobError, replacePlaceholders, tableId } from "../../src/api/index.ts";
import type { Db, Dialect } from "./dialect.ts";
import type { SinkOptions } from "./options.ts";
import { poolMax, releasePool, retain, withSession, dialectOf } from "./pool.ts";
import { compatibleMode, convertPath, convertSchema, type FieldIde, identCase, type UpsertStyle } from "./naming.ts";
import { checkSink, targetText } from "./check.ts";
import { applySaveModes, type SaveTarget } from "./savemode.ts";
import { compileQuery } from "./sqltext.ts";
import type { TablePlan } from "./statements.ts";
import { describeConn, parseJdbcUrl, type ConnInfo } from "./url.ts";
import { JdbcWriter, type XaCommit } from "./writer.ts";
import { describeJdbcWrite } from "./write-mode.ts";

/** The sink table of an input table: `database` + `table` with placeholders, per dialect. */
function targetOf(o: SinkOptions, input: TableSchema, d: Dialect, info: ConnInfo): TablePath | undefined {
  if (!o.table) {
    return undefined;
  }
  const table = replacePlaceholders(o.table, input);
  const database = o.database ? replacePlaceholders(o.database, input) : info.database;
  return d.sinkPath(table, database);
}

function keysOf(o: SinkOptions, input: TableSchema): string[] {
  const listed = (o.primary_keys ?? [])
    .flatMap((k) => replacePlaceholders(k, input).split(","))
    .map((k) => k.trim())
    .filter(Boolean);
  return listed.length ? listed : (input.primaryKey?.columnNames ?? []);
}

/** How names and upserts come out for this sink (field_ide, compatible_mode). */
interface Naming {
  ide: FieldIde | undefined;
  name: (n: string) => string;
  upsertBy: UpsertStyle;
}

function planFor(o: SinkOptions, input: TableSchema, d: Dialect, info: ConnInfo, n: Naming): TablePlan {
  const names = input.columns.map((c) => c.name);
  const keyNames = keysOf(o, input);
  const keys = keyNames.map((k) => names.indexOf(k)).filter((i) => i >= 0);
  const base = { input: input.id, columns: names, schema: input.columns, keys, deleteBefore: o.is_primary_key_updated };
  if (o.query) {
    return { ...base, mode: "query", template: compileQuery(replacePlaceholders(o.query, input), names) };
  }
  const target = targetOf(o, input, d, info);
  if (!target) {
    throw new ConfigError("CONFIG_OPTION_MISSING", "Jdbc sink needs query, or table (with generate_sink_sql = true)");
  }
  if (keyNames.length && keys.length !== keyNames.length && input.columns.length) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `primary_keys ${JSON.stringify(keyNames)} are not all fields of "${input.id}" (${names.join(", ")})`,
    );
  }
  const upsert = keys.length > 0 && o.enable_upsert && !o.support_upsert_by_insert_only;
  const mode = upsert ? "upsert" : d.copyInserts && (keys.length === 0 || o.use_copy_statement) ? "copy" : "insert";
  // Keys are matched by the input's names above; statements use the converted ones.
  const columns = convertSchema(input, n.name, n.ide).columns.map((c) => c.name);
  return { ...base, columns, target: convertPath(target, n.name), mode, upsertBy: n.upsertBy };
}

/** The tables save modes apply to: every input written to a table (not through `query`). */
function saveTargets(inputs: TableSchema[], plans: Map<string, TablePlan>, n: Naming): SaveTarget[] {
  return inputs.flatMap((input) => {
    const p = plans.get(input.id)!;
    const primaryKey = p.keys.map((k) => p.columns[k]!);
    return p.target ? [{ input: convertSchema(input, n.name, n.ide), target: p.target, primaryKey }] : [];
  });
}

/** Every column_types key names a column of an input table (inputs whose columns are not known yet aside). */
function checkColumnTypes(o: SinkOptions, inputs: TableSchema[]): void {
  const known = inputs.filter((t) => t.columns.length);
  const names = [...new Set(known.flatMap((t) => t.columns.map((c) => c.name)))];
  for (const ct of known.length ? (o.column_types ?? []) : []) {
    if (!names.includes(ct.column)) {
      const hint = didYouMean(ct.column, names);
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `column_types names "${ct.column}", which is not a column of ${known.map((t) => `"${t.id}"`).join(", ")} (${names.join(", ")})${hint ? `; did you mean "${hint}"?` : ""}`,
        ct.pos,
      );
    }
  }
}

export function createJdbcSink(o: SinkOptions, inputs: TableSchema[], ctx: PluginContext): Sink<XaCommit> {
  checkColumnTypes(o, inputs);
  const info = parseJdbcUrl(o.url, o.user, o.password, o.properties ?? {});
  const d = dialectOf(info.kind);
  if (o.is_exactly_once && !d.prepareXa) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `is_exactly_once needs prepared (XA) transactions, which ${info.kind} does not have`,
    );
  }
  const naming: Naming = {
    ide: o.field_ide,
    name: identCase(o.field_ide),
    upsertBy: compatibleMode(info.kind, o.compatible_mode, ctx.log),
  };
  if (o.query && o.field_ide && o.field_ide !== "ORIGINAL") {
    ctx.log.warn(`field_ide = ${o.field_ide} changes nothing with query: the query's SQL is used as written`);
  }
  const plans = new Map(inputs.map((t) => [t.id, planFor(o, t, d, info, naming)]));
  // SeaTunnel's JdbcConnectionConfig sets max_retries to 0 under is_exactly_once (a retry there reconnects).
  const maxRetries = o.is_exactly_once ? 0 : o.max_retries;
  if (o.is_exactly_once && o.max_retries > 0) {
    ctx.log.warn(`max_retries = ${o.max_retries} is not used with is_exactly_once = true (SeaTunnel sets it to 0)`);
  }
  const max = poolMax(ctx.parallelism);
  const label = (p: TablePlan) =>
    `${p.target ? `table "${tableId(p.target)}"` : `query of input "${p.input}"`} (${describeConn(info)})`;
  let held: Db | undefined;
  const pool = (): Db => (held ??= retain(info, max));
  const xidPrefix = xidOf(ctx.jobId, ctx.label);
  /** Rolls back this sink's prepared transactions that no checkpoint will commit. */
  const rollbackOrphans = async (why: string) => {
    if (!o.is_exactly_once || !d.recoverXa) {
      return;
    }
    await withSession(pool(), async (s) => {
      const orphans = await d.recoverXa!(s, `${xidPrefix}-`);
      for (const xid of orphans) {
        await d.rollbackXa!(s, xid);
      }
      if (orphans.length) {
        ctx.log.info(`Rolled back ${orphans.length} prepared transaction(s) of job ${ctx.jobId} ${why}.`);
      }
    });
  };
  return {
    targets: Object.fromEntries(inputs.map((t) => [t.id, targetText(plans.get(t.id)!, o, info, t)])),
    check: () => checkSink({ db: pool(), dialect: d, info, o, inputs, plans }),
    // PostgreSQL COPY takes a source row's text as it is (see connectors/common/source-text.ts).
    rows: { sourceText: d.writesSourceText },
    describeWrite: () => describeJdbcWrite(o, plans.values()),
    prepare: () => prepareTargets(pool, d, saveTargets(inputs, plans, naming), o, ctx, info),
    writer: (wc) =>
      new JdbcWriter(
        {
          db: pool(),
          dialect: d,
          plans,
          batchSize: o.batch_size,
          exactlyOnce: o.is_exactly_once,
          maxRetries,
          xidPrefix,
          label,
        },
        wc,
      ),
    commit: async (infos, cp) => {
      if (infos.length) {
        await withSession(pool(), async (s) => {
          for (const x of infos) {
            await retry(o.max_commit_attempts, () => d.commitXa!(s, x.xid));
          }
        });
      }
      // At the end everything this sink prepared is committed: what is left was prepared by a run
      // that was killed while the server was still finishing its PREPARE (after the restore looked).
      if (cp?.end) {
        await rollbackOrphans("left by an earlier, killed run");
      }
    },
    recover: () => rollbackOrphans("that an earlier run left uncommitted"),
    recoverEarlier: (runs) => rollbackEarlier(o.is_exactly_once ? pool() : undefined, d, runs, ctx),
    abort: async (infos) => {
      await withSession(pool(), async (s) => {
        for (const x of infos) {
          await d.rollbackXa!(s, x.xid);
        }
      });
    },
    close: async () => {
      if (held) {
        await releasePool(info);
      }
      held = undefined;
    },
  };
}

/** Every target's save modes on one session; a failure names the server (a driver's "Failed to connect" does not). */
async function prepareTargets(
  pool: () => Db,
  d: Dialect,
  targets: SaveTarget[],
  o: SinkOptions,
  ctx: PluginContext,
  info: ConnInfo,
): Promise<void> {
  if (!targets.length) {
    return;
  }
  await withSession(pool(), async (s) => {
    for (const t of targets) {
      await applySaveModes(s, d, t, o, ctx.log);
    }
  }).catch((e: unknown) => {
    // The error's class (a refused connection is transient) stays on its cause.
    throw e instanceof JobError || e instanceof ConfigError
      ? e
      : new JobError("JDBC_SAVE_MODE", `${describeConn(info)}: ${(e as Error).message}`, { cause: e });
  });
}

/** Transaction ids of a sink node (by its label) in a job start with this; orphans are found by it. */
const xidOf = (jobId: string, label: string) => `st-${jobId}-${Bun.hash(label).toString(36).slice(0, 6)}`;

/**
 * Rolls back the prepared transactions of this sink node in earlier runs of the job that their
 * stored checkpoints do not cover: no `-r` would ever commit them, and they hold their rows' locks.
 * The transactions are listed first and the run's folder is asked second: a run that took the job
 * again (a `-r`) before the listing is seen as running then, and nothing of it is touched.
 */
async function rollbackEarlier(db: Db | undefined, d: Dialect, runs: EarlierRuns, ctx: PluginContext): Promise<void> {
  if (!db || !d.recoverXa) {
    return; // not exactly-once: nothing was ever prepared
  }
  const n = await withSession(db, async (s) => {
    let rolledBack = 0;
    for (const jobId of runs.jobIds) {
      const prepared = await d.recoverXa!(s, `${xidOf(jobId, ctx.label)}-`);
      const claimed = prepared.length ? runs.claimed(jobId) : undefined;
      const keep = new Set(claimed?.map((c) => (c as Partial<XaCommit> | null)?.xid));
      for (const xid of claimed ? prepared.filter((x) => !keep.has(x)) : []) {
        await d.rollbackXa!(s, xid);
        rolledBack++;
      }
    }
    return rolledBack;
  });
  if (n) {
    ctx.log.info(
      `Rolled back ${n} prepared transaction(s) that earlier, killed runs of job ${ctx.jobName} left and no checkpoint of theirs covers.`,
    );
  }
}

async function retry(times: number, fn: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= times) {
        throw new JobError(
          "JDBC_COMMIT",
          `committing a prepared transaction after ${i} attempt(s): ${(e as Error).message}`,
          { cause: e },
        );
      }
    }
  }
}
