/**
 * FakeSource's random data (FakeDataRandomUtils / FakeDataGenerator): one generator function per
 * column, built once per table, then called in a tight loop per batch. Values follow SeaTunnel's
 * rules (templates win over ranges, ranges are [min, max), letters for strings and bytes, dates
 * from year/month/day/hour/minute/second templates); the PRNG is ours (sfc32), seedable per split.
 */
import type { Column, DataType, Row, TableSchema } from "../../src/api/index.ts";
import { Decimal, JobError, LocalDate, LocalDateTime, LocalTime, RowKind } from "../../src/api/index.ts";
import { nowDateTime, valueFromConfig, type Node } from "../../src/api/convert.ts";

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** sfc32: small, fast, 128-bit state that fits a checkpoint as four numbers. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: readonly number[]) {
    this.a = state[0]! | 0;
    this.b = state[1]! | 0;
    this.c = state[2]! | 0;
    this.d = state[3]! | 0;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (enough for int ranges). */
  float(): number {
    return this.u32() / TWO_32;
  }

  /** Uniform in [0, 1) with 53 bits of resolution (double and bigint ranges). */
  float53(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / TWO_53;
  }

  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }
}

/** splitmix32 step: spreads a seed's bits so that neighbouring seeds give unrelated streams. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * The PRNG state a split starts from. With a seed it depends only on (seed, table, split id), so
 * the same job gives the same rows whichever reader runs the split; without one it is random.
 */
export function initialState(
  seed: bigint | undefined,
  table: number,
  splitId: number,
): [number, number, number, number] {
  if (seed === undefined) {
    const w = crypto.getRandomValues(new Uint32Array(4));
    return [w[0]!, w[1]!, w[2]!, w[3]! | 1];
  }
  const lo = Number(BigInt.asUintN(32, seed));
  const hi = Number(BigInt.asUintN(32, seed >> 32n));
  const s0 = mix(lo ^ mix(hi));
  const s1 = mix(s0 ^ mix(table + 0x51ed27));
  const s2 = mix(s1 ^ mix(splitId + 0x2545f491));
  const s3 = mix(s2 ^ 0x6a09e667);
  const rng = new Rng([s0, s1, s2, s3]);
  // sfc32 needs a few rounds before a low-entropy state looks random.
  for (let i = 0; i < 12; i++) {
    rng.u32();
  }
  return rng.state();
}

/** Everything of FakeConfig the generators read. */
export interface GenConfig {
  mapSize: number;
  arraySize: number;
  bytesLength: number;
  stringLength: number;
  stringTemplate?: string[];
  tinyintTemplate?: number[];
  smallintTemplate?: number[];
  intTemplate?: number[];
  bigintTemplate?: bigint[];
  floatTemplate?: number[];
  doubleTemplate?: number[];
  yearTemplate?: number[];
  monthTemplate?: number[];
  dayTemplate?: number[];
  hourTemplate?: number[];
  minuteTemplate?: number[];
  secondTemplate?: number[];
  tinyint: [number, number];
  smallint: [number, number];
  int: [number, number];
  bigint: [bigint, bigint];
  float: [number, number];
  double: [number, number];
  /** Year used when there is no year template (SeaTunnel: the current year). */
  year: number;
}

export type Gen = (r: Rng) => unknown;

const LETTERS = Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", (c) => c.charCodeAt(0));

const nonEmpty = <T>(xs: T[] | undefined): xs is T[] => xs !== undefined && xs.length > 0;

function pick<T>(xs: T[]): (r: Rng) => T {
  const n = xs.length;
  return (r) => xs[Math.floor(r.float() * n)]!;
}

/** Uniform integer in [min, max), or min when the range is empty (commons-lang RandomUtils). */
function intRange([min, max]: [number, number]): (r: Rng) => number {
  const span = max - min;
  if (span <= 0) {
    return () => min;
  }
  return (r) => min + Math.floor(r.float() * span);
}

function bigintRange([min, max]: [bigint, bigint]): Gen {
  const span = max - min;
  if (span <= 0n) {
    return () => min;
  }
  const spanN = Number(span);
  if (max <= BigInt(TWO_53)) {
    const minN = Number(min);
    return (r) => BigInt(minN + Math.floor(r.float53() * spanN));
  }
  // Beyond 2^53 a double cannot hit every integer; values stay uniform in magnitude and in range.
  // From 0 (the default range) there is nothing to add: one BigInt per value instead of two.
  if (min === 0n) {
    return (r) => {
      const v = BigInt(Math.floor(r.float53() * spanN));
      return v < max ? v : max - 1n;
    };
  }
  return (r) => {
    const v = min + BigInt(Math.floor(r.float53() * spanN));
    return v < max ? v : max - 1n;
  };
}

/** BigDecimal(v).setScale(scale, HALF_UP).floatValue(): toFixed rounds the exact binary value half up. */
function scaleHalfUp(v: number, scale: number): number {
  return Math.fround(Math.abs(v) >= 1e21 ? v : Number(v.toFixed(scale)));
}

function floating(kind: "float" | "double", col: Column, cfg: GenConfig): Gen {
  const tpl = kind === "float" ? cfg.floatTemplate : cfg.doubleTemplate;
  if (nonEmpty(tpl)) {
    return pick(kind === "float" ? tpl.map(Math.fround) : tpl);
  }
  const [min, max] = cfg[kind];
  const span = max - min;
  const scale = col.columnScale;
  if (scale !== undefined) {
    return (r) => scaleHalfUp(min + r.float53() * span, scale);
  }
  return kind === "float" ? (r) => Math.fround(min + r.float() * span) : (r) => min + r.float53() * span;
}

/** `(p−s)` random digits, `.`, `s` random digits: an unscaled integer of p digits at scale s. */
function decimal(precision: number, scale: number): Gen {
  if (precision <= 15) {
    const pow = 10 ** precision;
    return (r) => new Decimal(BigInt(Math.floor(r.float53() * pow)), scale);
  }
  const chunks = Math.ceil(precision / 9);
  return (r) => {
    let digits = "";
    for (let i = 0; i < chunks; i++) {
      digits += String(Math.floor(r.float() * 1e9)).padStart(9, "0");
    }
    return new Decimal(BigInt(digits.slice(0, precision)), scale);
  };
}

const SINGLES = LETTERS.map((c) => String.fromCharCode(c));
const PAIRS = SINGLES.flatMap((a) => SINGLES.map((b) => a + b));

/** Random `[A-Za-z]{length}` built from a table of letter pairs (about twice as fast as char codes). */
function letters(length: number): (r: Rng) => string {
  return (r) => {
    let s = "";
    let i = 0;
    for (; i + 3 < length; i += 4) {
      // One draw feeds four letters: 2704² < 2^32, so the bias is below 0.2%.
      const x = r.u32();
      s += PAIRS[x % 2704]! + PAIRS[((x / 2704) >>> 0) % 2704]!;
    }
    if (i + 1 < length) {
      s += PAIRS[r.u32() % 2704]!;
      i += 2;
    }
    if (i < length) {
      s += SINGLES[r.u32() % 52]!;
    }
    return s;
  };
}

function dateParts(cfg: GenConfig): { date: (r: Rng) => LocalDate; time: (r: Rng) => LocalTime } {
  const part = (tpl: number[] | undefined, lo: number, hi: number) => (nonEmpty(tpl) ? pick(tpl) : intRange([lo, hi]));
  const year = part(cfg.yearTemplate, cfg.year, cfg.year);
  const month = part(cfg.monthTemplate, 1, 13);
  const day = part(cfg.dayTemplate, 1, 29);
  const hour = part(cfg.hourTemplate, 0, 24);
  const minute = part(cfg.minuteTemplate, 0, 60);
  const second = part(cfg.secondTemplate, 0, 60);
  return {
    date: (r) => {
      const d = new LocalDate(year(r), month(r), day(r));
      if (!d.isValid()) {
        throw new JobError(
          "FAKE_INVALID_DATE",
          `generating a date: ${d} is not a valid date (check date.month.template and date.day.template)`,
        );
      }
      return d;
    },
    time: (r) => new LocalTime(hour(r), minute(r), second(r)),
  };
}

/** The generator of one value of `type` for column `col` (templates and lengths come from cfg). */
export function typeGenerator(type: DataType, col: Column, cfg: GenConfig): Gen {
  switch (type.kind) {
    case "string":
      return nonEmpty(cfg.stringTemplate) ? pick(cfg.stringTemplate) : letters(col.columnLength ?? cfg.stringLength);
    case "boolean":
      return (r) => (r.u32() & 1) === 1;
    case "tinyint":
      return nonEmpty(cfg.tinyintTemplate)
        ? pick(cfg.tinyintTemplate.map((v) => (v << 24) >> 24))
        : intRange(cfg.tinyint);
    case "smallint":
      return nonEmpty(cfg.smallintTemplate)
        ? pick(cfg.smallintTemplate.map((v) => (v << 16) >> 16))
        : intRange(cfg.smallint);
    case "int":
      return nonEmpty(cfg.intTemplate) ? pick(cfg.intTemplate) : intRange(cfg.int);
    case "bigint":
      return nonEmpty(cfg.bigintTemplate) ? pick(cfg.bigintTemplate) : bigintRange(cfg.bigint);
    case "float":
    case "double":
      return floating(type.kind, col, cfg);
    case "decimal":
      return decimal(type.precision, type.scale);
    case "null":
      return () => null;
    case "bytes": {
      const n = cfg.bytesLength;
      return (r) => {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          out[i] = LETTERS[r.u32() % 52]!;
        }
        return out;
      };
    }
    case "date":
      return dateParts(cfg).date;
    case "time":
      return dateParts(cfg).time;
    case "timestamp": {
      const { date, time } = dateParts(cfg);
      return (r) => new LocalDateTime(date(r), time(r));
    }
    case "array": {
      const el = typeGenerator(type.element, col, cfg);
      const n = cfg.arraySize;
      return (r) => {
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          out[i] = el(r);
        }
        return out;
      };
    }
    case "map": {
      const k = typeGenerator(type.key, col, cfg);
      const v = typeGenerator(type.value, col, cfg);
      const n = cfg.mapSize;
      return (r) => {
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          out.set(k(r), v(r));
        }
        return out;
      };
    }
    case "row": {
      const gens = type.fields.map((f) => typeGenerator(f.type, { name: f.name, type: f.type, nullable: true }, cfg));
      return (r) => gens.map((g) => g(r));
    }
  }
}

const IMMUTABLE = [Decimal, LocalDate, LocalTime, LocalDateTime];
const NOW_TOKEN = /^\s*CURRENT_(DATE|TIME|TIMESTAMP)\s*$/i;

/**
 * A column's generator: its `defaultValue` as a constant when set (CURRENT_* re-read per row, as
 * SeaTunnel calls LocalDateTime.now() per row), else random data.
 */
export function columnGenerator(col: Column, cfg: GenConfig, defaultNode?: Node): Gen {
  if (!defaultNode) {
    return typeGenerator(col.type, col, cfg);
  }
  const convert = () => valueFromConfig(defaultNode, col.type, col.name, { bytes: "utf8" });
  const now =
    defaultNode.kind === "scalar" &&
    NOW_TOKEN.test(defaultNode.text) &&
    ["date", "time", "timestamp"].includes(col.type.kind);
  if (now) {
    const kind = col.type.kind;
    return () => (kind === "date" ? nowDateTime().date : kind === "time" ? nowDateTime().time : nowDateTime());
  }
  const value = convert();
  const shared = value === null || typeof value !== "object" || IMMUTABLE.some((c) => value instanceof c);
  // Lists, maps and bytes are rebuilt per row so that no two rows share a mutable value.
  return shared ? () => value : convert;
}

/** Fills `n` random rows of `table` into a new batch; the hot loop of FakeSource. */
export function randomRows(gens: readonly Gen[], table: string, rng: Rng, n: number): Row[] {
  return rowMaker(gens)(table, rng, n);
}

type RowMaker = (table: string, rng: Rng, n: number) => Row[];
const makers = new WeakMap<readonly Gen[], RowMaker>();

/**
 * A batch builder compiled for one table's generators: one call site per column (each sees one
 * generator, so the JIT inlines it) and the fields array built as a literal of its final size,
 * instead of a generic loop over a megamorphic call that grows an array of holes.
 */
function rowMaker(gens: readonly Gen[]): RowMaker {
  let m = makers.get(gens);
  if (m) {
    return m;
  }
  const names = gens.map((_, c) => `g${c}`);
  const body = `return (table, rng, n) => {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { kind, table, fields: [${names.map((g) => `${g}(rng)`).join(", ")}] };
  return out;
};`;
  m = new Function("kind", ...names, body)(RowKind.INSERT, ...gens) as RowMaker;
  makers.set(gens, m);
  return m;
}

/** Generators for every column of a table, built once. */
export function tableGenerators(t: TableSchema, cfg: GenConfig, defaults: readonly (Node | undefined)[]): Gen[] {
  return t.columns.map((c, i) => columnGenerator(c, cfg, defaults[i]));
}
