/**
 * FakeSource at run time: tables built from the options, splits as FakeSourceSplitEnumerator makes
 * them, and a reader that generates each split in batches. A split's position (rows done and the
 * PRNG state) is plain data, so a checkpoint restores it without losing or repeating a row.
 */
import type {
  DataType,
  PluginContext,
  ReaderContext,
  Row,
  Source,
  SourceReader,
  TableSchema,
} from "../../src/api/index.ts";
import { catalogTable, ConfigError, JobError, type RowKind } from "../../src/api/index.ts";
import { valueFromConfig, type Node } from "../../src/api/convert.ts";
import { type Gen, type GenConfig, initialState, randomRows, Rng, tableGenerators } from "./generate.ts";
import type { FakeOptions, FakeRowSpec, FakeTableOptions } from "./index.ts";

/**
 * Rows per poll. Small batches keep few rows alive when the collector runs, so each young
 * collection has little to mark (bench/engine.ts measures the fused chain at this size); the
 * engine's per-batch cost is still small at 256.
 */
export const BATCH_ROWS = 256;
/** A gap before the next split shorter than this is slept inside poll() instead of idling. */
const INLINE_WAIT_MS = 10;

/** One split: `rowNum` random rows of table `table` (or all listed rows), and how far it got. */
export interface FakeSplit {
  /** `<table id>_<split id>`, for logs. */
  id: string;
  /** Index of the table in the source's table list. */
  table: number;
  splitId: number;
  rowNum: number;
  /** Rows already emitted. */
  done: number;
  /** PRNG state after `done` rows; absent until the split starts. */
  rng?: number[];
}

interface FixedRow {
  kind: RowKind;
  fields: unknown[];
}

/** A table ready to generate. */
export interface FakeTable {
  index: number;
  schema: TableSchema;
  gens: Gen[];
  /** The listed rows, converted (per split again when they use CURRENT_*). */
  fixedRows?: () => FixedRow[];
  rowNum: number;
  splitNum: number;
  readInterval: number;
  seed?: bigint;
}

const NOW_TOKEN = /^\s*CURRENT_(DATE|TIME|TIMESTAMP)\s*$/i;

function usesNow(n: Node): boolean {
  if (n.kind === "scalar") {
    return NOW_TOKEN.test(n.text);
  }
  if (n.kind === "array") {
    return n.items.some(usesNow);
  }
  return n.entries.some((e) => usesNow(e.value));
}

function convertRows(rows: FakeRowSpec[], schema: TableSchema, label: string): () => FixedRow[] {
  const rowType: DataType = { kind: "row", fields: schema.columns.map((c) => ({ name: c.name, type: c.type })) };
  const convert = () =>
    rows.map((r, i) => {
      try {
        return { kind: r.kind, fields: valueFromConfig(r.fields, rowType, "") as unknown[] };
      } catch (e) {
        if (e instanceof ConfigError) {
          throw new ConfigError(e.code, `${label}: rows[${i}]: ${e.message}`, e.pos);
        }
        throw e;
      }
    });
  const once = convert();
  return rows.some((r) => usesNow(r.fields)) ? convert : () => once;
}

function checkRange(
  label: string,
  o: FakeTableOptions,
  t: "tinyint" | "smallint" | "int" | "bigint" | "float" | "double",
): void {
  const min = o[`${t}.min`];
  const max = o[`${t}.max`];
  if (min > max) {
    throw new ConfigError(
      "CONFIG_OPTION_CONFLICT",
      `${label}: option "${t}.min" (${min}) must be <= "${t}.max" (${max})`,
    );
  }
}

function genConfig(o: FakeTableOptions): GenConfig {
  return {
    mapSize: o["map.size"],
    arraySize: o["array.size"],
    bytesLength: o["bytes.length"],
    stringLength: o["string.length"],
    stringTemplate: o["string.template"],
    tinyintTemplate: o["tinyint.template"],
    smallintTemplate: o["smallint.template"],
    intTemplate: o["int.template"],
    bigintTemplate: o["bigint.template"],
    floatTemplate: o["float.template"],
    doubleTemplate: o["double.template"],
    yearTemplate: o["date.year.template"],
    monthTemplate: o["date.month.template"],
    dayTemplate: o["date.day.template"],
    hourTemplate: o["time.hour.template"],
    minuteTemplate: o["time.minute.template"],
    secondTemplate: o["time.second.template"],
    tinyint: [o["tinyint.min"], o["tinyint.max"]],
    smallint: [o["smallint.min"], o["smallint.max"]],
    int: [o["int.min"], o["int.max"]],
    bigint: [o["bigint.min"], o["bigint.max"]],
    float: [o["float.min"], o["float.max"]],
    double: [o["double.min"], o["double.max"]],
    year: new Date().getFullYear(),
  };
}

/** Validates one table's options and builds its generators (plan time; no data is made here). */
export function buildTable(
  o: FakeTableOptions,
  index: number,
  label: string,
  outputName?: string,
  outerSeed?: bigint,
): FakeTable {
  if (!o.schema) {
    throw new ConfigError(
      "CONFIG_OPTION_MISSING",
      `${label}: option "schema" is required (a schema object with fields or columns), or write tables_configs`,
    );
  }
  for (const t of ["tinyint", "smallint", "int", "bigint", "float", "double"] as const) {
    checkRange(label, o, t);
  }
  let schema: TableSchema;
  try {
    schema = catalogTable(o.schema.spec, outputName);
  } catch (e) {
    throw new ConfigError(
      "CONFIG_SCHEMA_INVALID",
      `${label}: schema.table: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const seed = o.seed ?? outerSeed;
  return {
    index,
    schema,
    gens: tableGenerators(schema, genConfig(o), o.schema.defaults),
    ...(o.rows ? { fixedRows: convertRows(o.rows, schema, label) } : {}),
    rowNum: o["row.num"],
    splitNum: o["split.num"],
    readInterval: o["split.read-interval"],
    ...(seed !== undefined ? { seed } : {}),
  };
}

/** FakeSourceSplitEnumerator: per table, reader i gets split ids i, i+P, … of ceil(row.num/split.num) rows each. */
export function fakeSplits(tables: readonly FakeTable[], parallelism: number): FakeSplit[][] {
  const out: FakeSplit[][] = Array.from({ length: parallelism }, () => []);
  for (const t of tables) {
    const splitRowNum = Math.ceil(t.rowNum / t.splitNum);
    for (let i = 0; i < parallelism; i++) {
      for (let num = 0, id = i; num < t.rowNum; num += splitRowNum, id += parallelism) {
        out[i]!.push({
          id: `${t.schema.id}_${id}`,
          table: t.index,
          splitId: id,
          rowNum: Math.min(splitRowNum, t.rowNum - num),
          done: 0,
        });
      }
    }
  }
  return out;
}

const copySplit = (s: FakeSplit): FakeSplit => (s.rng ? { ...s, rng: [...s.rng] } : { ...s });

interface Current {
  split: FakeSplit;
  table: FakeTable;
  rng: Rng;
  fixed?: FixedRow[];
  startedAt: number;
}

/** Test seams: the clock and the batch size. */
export interface ReaderOptions {
  now?: () => number;
  batchRows?: number;
}

/** Reads its splits one after another, a batch per poll; see SourceReader for the poll contract. */
export class FakeReader implements SourceReader<FakeSplit> {
  private readonly queue: FakeSplit[] = [];
  private cur: Current | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly batchRows: number;
  private closed = false;

  constructor(
    private readonly tables: readonly FakeTable[],
    private readonly ctx: ReaderContext,
    private readonly bounded: boolean,
    o: ReaderOptions = {},
  ) {
    // Like FakeSourceReader: one interval for the reader, the smallest of its tables.
    this.interval = Math.min(...tables.map((t) => t.readInterval));
    this.now = o.now ?? Date.now;
    this.batchRows = o.batchRows ?? BATCH_ROWS;
  }

  addSplits(splits: FakeSplit[]): void {
    for (const s of splits) {
      this.queue.push(copySplit(s));
    }
  }

  poll(): Row[] | null | Promise<Row[] | null> {
    if (!this.cur) {
      const next = this.queue[0];
      if (!next) {
        return this.idle();
      }
      const wait = this.lastStart + this.interval - this.now();
      if (wait > 0) {
        return wait <= INLINE_WAIT_MS ? Bun.sleep(wait).then(() => this.poll()) : [];
      }
      this.queue.shift();
      this.start(next);
    }
    return this.batch(this.cur!);
  }

  snapshot(): FakeSplit[] {
    return (this.cur ? [this.cur.split, ...this.queue] : this.queue).map(copySplit);
  }

  /** No split left: done when bounded; a streaming source stays open and idles. */
  private idle(): Row[] | null {
    if (!this.bounded) {
      return [];
    }
    if (!this.closed) {
      this.ctx.log.info("Closed the bounded fake source");
    }
    this.closed = true;
    return null;
  }

  private start(split: FakeSplit): void {
    const table = this.tables[split.table];
    if (!table) {
      throw new JobError(
        "FAKE_SPLIT_INVALID",
        `reading split "${split.id}": the source has no table #${split.table} (restored from a different job?)`,
      );
    }
    const state = split.rng ?? initialState(table.seed, table.index, split.splitId);
    this.lastStart = this.now();
    this.cur = {
      split,
      table,
      rng: new Rng(state),
      startedAt: this.lastStart,
      ...(table.fixedRows ? { fixed: table.fixedRows() } : {}),
    };
  }

  private batch(c: Current): Row[] {
    const { split, table } = c;
    const id = table.schema.id;
    let out: Row[];
    let total: number;
    if (c.fixed) {
      total = c.fixed.length;
      const n = Math.min(this.batchRows, total - split.done);
      out = c.fixed
        .slice(split.done, split.done + n)
        .map((r) => ({ kind: r.kind, table: id, fields: r.fields.slice() }));
    } else {
      total = split.rowNum;
      out = randomRows(table.gens, id, c.rng, Math.min(this.batchRows, total - split.done));
      split.rng = c.rng.state();
    }
    split.done += out.length;
    if (split.done >= total) {
      this.ctx.log.info(
        `${split.done} rows of data have been generated in split(${split.id}) for table ${id}. Generation time: ${this.now() - c.startedAt} ms`,
      );
      this.cur = undefined;
    }
    return out;
  }
}

/** FakeSource's create(): validates every table now, so --check reports what a run would. */
export function createFakeSource(options: FakeOptions, ctx: PluginContext): Source<FakeSplit> {
  const items = options.tables_configs;
  const tables =
    items && items.length > 0
      ? items.map((o, i) => buildTable(o, i, `${ctx.label}: tables_configs[${i}]`, undefined, options.seed))
      : [buildTable(options, 0, ctx.label, ctx.outputName)];
  const ids = tables.map((t) => t.schema.id);
  if (new Set(ids).size !== ids.length) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: table name: [${ids.join(", ")}] must be unique (set schema.table in each tables_configs item)`,
    );
  }
  const bounded = ctx.jobMode !== "STREAMING";
  return {
    tables: tables.map((t) => t.schema),
    bounded,
    splits(parallelism) {
      const splits = fakeSplits(tables, parallelism);
      ctx.log.debug(
        `Calculated splits successfully, the size of splits is ${splits.reduce((n, s) => n + s.length, 0)}.`,
      );
      return splits;
    },
    reader: (rctx) => new FakeReader(tables, rctx, bounded),
  };
}
