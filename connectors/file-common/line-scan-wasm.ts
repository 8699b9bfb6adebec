/**
 * The line scan of line-check.ts as a WebAssembly function, generated per schema and delimiter
 * with the same rules and the same contract. JavaScriptCore compiles it in a few milliseconds,
 * where the JavaScript scan costs every worker some 40 ms of optimizing compilation before it
 * runs at full speed; the JavaScript scan stays the reference (tests compare the two) and the
 * fallback for blocks outside the memory (or where WebAssembly has no SIMD). Dates and times are
 * tested 16 bytes at a time (a timestamp's 19 bytes in one test and three: 3.8 ns instead of
 * 9 ns); digit runs and strings stay byte by byte, being short (16 bytes at a time measured
 * slower below about 40 bytes). Loads of 16 bytes may reach past the block, into the tables
 * that follow it.
 *
 * Memory layout of one instance (one reader): the block at 0 (up to BLOCK_BYTES), then the byte
 * tables, the scan state (w, r0, k: see LineScan) and the line ends.
 */
import type { DataType } from "../../src/api/index.ts";
import { INT_DIGITS } from "./line-check.ts";
import {
  ADD,
  Asm,
  EQ,
  EQZ,
  GE_U,
  GT,
  GT_U,
  leb,
  LOAD32,
  LOAD8,
  LT,
  MEMORY_COPY,
  moduleOf,
  MUL,
  NE,
  REM_U,
  SHL,
  STORE32,
  SUB,
  XOR,
} from "./wasm-asm.ts";

export const BLOCK_BYTES = 1 << 20;
const DAYS_AT = BLOCK_BYTES;
const EDGE_AT = DAYS_AT + 16;
const STOP_AT = EDGE_AT + 256;
const STATE_AT = STOP_AT + 256;
const STARTS_AT = STATE_AT + 16;
const MAX_STARTS = BLOCK_BYTES / 2 + 16;
const PAGES = Math.ceil((STARTS_AT + 4 * MAX_STARTS) / (1 << 16));

/** One reader's instance: the block, the state and the line ends live in its memory. */
export interface WasmLines {
  /** The block area: blocks read into it are scanned here. */
  block: Uint8Array;
  st: Int32Array;
  starts: Int32Array;
  scan(p: number, last: number): number;
}

/** Code for one field at p (see fieldCode in line-check.ts, which this follows line by line). */
function field(a: Asm, t: DataType, cutDecimals: boolean, x: string, y: string): boolean {
  const skipMinus = () =>
    a.if(
      () => a.byteIs("p", 0, 45),
      () => a.inc("p"),
    );
  // while (digit at l) l++: byte by byte, as runs are short (16 bytes at a time measured 40% slower on the bench file).
  const digits = (l: string) =>
    a.whileDo(
      () => a.isDigitAt(l),
      () => a.inc(l),
    );
  switch (t.kind) {
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint": {
      const max = INT_DIGITS[t.kind]!;
      a.copy("q", "p");
      skipMinus();
      a.copy("n", "p");
      digits("p");
      a.failIf(() =>
        a.any(
          () => a.get("p").get("n").op(EQ),
          () => a.get("p").get("n").op(SUB).i32(max).op(GT),
          () =>
            a.all(
              () => a.byteIs("n", 0, 48),
              () =>
                a.any(
                  () => a.get("p").get("n").op(SUB).i32(1).op(GT),
                  () => a.get("n").get("q").op(NE),
                ),
            ),
        ),
      );
      return true;
    }
    case "decimal":
      a.i32(0).set(x).i32(0).set(y).copy("q", "p");
      skipMinus();
      a.copy("n", "p");
      digits("p");
      a.failIf(() =>
        a.any(
          () => a.get("p").get("n").op(EQ),
          () =>
            a.all(
              () => a.byteIs("n", 0, 48),
              () => a.get("p").get("n").op(SUB).i32(1).op(GT),
            ),
        ),
      );
      a.copy("m", "p").copy("c", "p");
      a.if(
        () => a.byteIs("p", 0, 46),
        () => {
          a.inc("p");
          digits("p");
          a.failIf(() => a.get("m").i32(1).op(ADD).get("p").op(EQ));
          a.copy("c", "p");
          a.whileDo(
            () => a.get("c").i32(1).op(SUB).op(LOAD8, 0, 0).i32(48).op(EQ),
            () => a.dec("c"),
          );
          a.if(
            () => a.get("m").i32(1).op(ADD).get("c").op(EQ),
            () => a.copy("c", "m"),
          );
          if (cutDecimals) {
            a.copy(x, "c").copy(y, "p");
          } else {
            a.failIf(() => a.get("c").get("p").op(LT));
          }
        },
      );
      a.failIf(() =>
        a.all(
          () => a.get("q").get("n").op(NE),
          () => a.byteIs("n", 0, 48),
          () => a.get("c").get("m").op(EQ),
        ),
      );
      return true;
    case "double":
      skipMinus();
      a.byte("p").set("c");
      a.if(
        () => a.is("c", 48),
        () => {
          a.inc("p");
          a.failIf(() => a.byteNot("p", 0, 46));
          a.inc("p").copy("n", "p");
          a.whileDo(
            () => a.byteIs("p", 0, 48),
            () => a.inc("p"),
          );
          a.failIf(() => a.get("p").get("n").op(SUB).i32(2).op(GT));
          a.copy("q", "p");
          digits("p");
          a.copy("n", "p");
          a.whileDo(
            () =>
              a.all(
                () => a.get("n").get("q").op(GT),
                () => a.get("n").i32(1).op(SUB).op(LOAD8, 0, 0).i32(48).op(EQ),
              ),
            () => a.dec("n"),
          );
          a.failIf(() =>
            a.any(
              () => a.get("n").get("q").op(EQ),
              () => a.get("n").get("q").op(SUB).i32(15).op(GT),
            ),
          );
        },
        () => {
          a.failIf(() => a.get("c").i32(48).op(XOR).i32(10).op(GE_U));
          a.copy("n", "p").inc("p");
          digits("p");
          a.get("p").get("n").op(SUB).set("q");
          a.failIf(() =>
            a.any(
              () => a.get("q").i32(7).op(GT),
              () => a.byteNot("p", 0, 46),
            ),
          );
          a.inc("p").copy("m", "p");
          digits("p");
          a.failIf(() => a.get("p").get("m").op(EQ));
          a.copy("n", "p");
          a.whileDo(
            () =>
              a.all(
                () => a.get("n").get("m").i32(1).op(ADD).op(GT),
                () => a.get("n").i32(1).op(SUB).op(LOAD8, 0, 0).i32(48).op(EQ),
              ),
            () => a.dec("n"),
          );
          a.failIf(() => a.get("q").get("n").op(ADD).get("m").op(SUB).i32(15).op(GT));
        },
      );
      a.copy(x, "n").copy(y, "p");
      return true;
    case "boolean":
      a.if(
        () =>
          a.all(
            () => a.byteIs("p", 0, 116),
            () => a.byteIs("p", 1, 114),
            () => a.byteIs("p", 2, 117),
            () => a.byteIs("p", 3, 101),
          ),
        () => a.inc("p", 4),
        () => {
          a.failIf(() =>
            a
              .all(
                () => a.byteIs("p", 0, 102),
                () => a.byteIs("p", 1, 97),
                () => a.byteIs("p", 2, 108),
                () => a.byteIs("p", 3, 115),
                () => a.byteIs("p", 4, 101),
              )
              .op(EQZ),
          );
          a.inc("p", 5);
        },
      );
      return true;
    case "date":
      a.failIf(() => a.bytesOver("p", 0, pad(DATE_BIAS, 0), pad(DATE_MAX, 255)));
      days(a, 0);
      a.inc("p", 10);
      return true;
    case "time":
      a.failIf(() => a.bytesOver("p", 0, pad(TIME_BIAS, 0), pad(TIME_MAX, 255)));
      hours(a, 0);
      a.inc("p", 8);
      return true;
    case "timestamp":
      // Bytes 0-15 in one test, 16-18 (`:ss`) one by one.
      a.failIf(() =>
        a.any(
          () =>
            a.bytesOver(
              "p",
              0,
              [...DATE_BIAS, 32, ...TIME_BIAS.slice(0, 5)],
              [...DATE_MAX, 0, ...TIME_MAX.slice(0, 5)],
            ),
          () => a.byteNot("p", 16, 58),
          () => a.digitOver("p", 17, 5),
          () => a.digitOver("p", 18, 9),
        ),
      );
      days(a, 0);
      hours(a, 11);
      a.inc("p", 19);
      return true;
    case "string":
      // Byte by byte: 16 bytes at a time measured 3-5x slower for strings of up to 12 bytes, and
      // only 15% faster at 60.
      a.failIf(() => a.byte("p").op(LOAD8, 0, ...leb(EDGE_AT)));
      a.doWhile(
        () =>
          a
            .inc("p")
            .byte("p")
            .op(LOAD8, 0, ...leb(STOP_AT))
            .set("c"),
        () => a.get("c").op(EQZ),
      );
      a.failIf(() =>
        a.any(
          () => a.is("c", 2),
          () =>
            a
              .get("p")
              .i32(1)
              .op(SUB)
              .op(LOAD8, 0, 0)
              .op(LOAD8, 0, ...leb(EDGE_AT)),
        ),
      );
      return true;
    default:
      return false;
  }
}

// Per byte of `yyyy-MM-dd` and `HH:mm:ss`: less the bias (mod 256), at most the max. A digit is
// byte - 48 <= 9 (the year's first 1-9: byte - 49 <= 8), a separator byte - itself <= 0.
const DATE_BIAS = [49, 48, 48, 48, 45, 48, 48, 45, 48, 48];
const DATE_MAX = [8, 9, 9, 9, 0, 9, 9, 0, 9, 9];
const TIME_BIAS = [48, 48, 58, 48, 48, 58, 48, 48];
const TIME_MAX = [2, 9, 0, 5, 9, 0, 5, 9];
/** 16 lanes: the bytes past a pattern take any value. */
const pad = (xs: number[], v: number) => [...xs, ...Array<number>(16 - xs.length).fill(v)];

/** The calendar of a `yyyy-MM-dd` at p + o whose bytes passed: a real day, February 29 on leap years. */
function days(a: Asm, o: number): void {
  const d = (i: number) => () => a.digit("p", o + i);
  a.digit("p", o + 5)
    .i32(10)
    .op(MUL)
    .digit("p", o + 6)
    .op(ADD)
    .set("m");
  a.digit("p", o + 8)
    .i32(10)
    .op(MUL)
    .digit("p", o + 9)
    .op(ADD)
    .set("n");
  a.failIf(() =>
    a.any(
      () => a.get("m").i32(12).op(GT),
      () => a.get("m").i32(1).op(LT),
      () => a.get("n").i32(1).op(LT),
      () =>
        a
          .get("n")
          .get("m")
          .op(LOAD8, 0, ...leb(DAYS_AT))
          .op(GT),
    ),
  );
  a.if(
    () =>
      a.all(
        () => a.is("m", 2),
        () => a.is("n", 29),
      ),
    () => {
      d(0)();
      a.i32(1000).op(MUL);
      d(1)();
      a.i32(100).op(MUL).op(ADD);
      d(2)();
      a.i32(10).op(MUL).op(ADD);
      d(3)();
      a.op(ADD).set("q");
      a.failIf(() =>
        a.any(
          () => a.get("q").i32(4).op(REM_U),
          () =>
            a.all(
              () => a.get("q").i32(100).op(REM_U).op(EQZ),
              () => a.get("q").i32(400).op(REM_U).i32(0).op(NE),
            ),
        ),
      );
    },
  );
}

/** The hour of an `HH:mm:ss` at p + o whose bytes passed: at most 23. */
function hours(a: Asm, o: number): void {
  a.failIf(() =>
    a
      .digit("p", o)
      .i32(10)
      .op(MUL)
      .digit("p", o + 1)
      .op(ADD)
      .i32(23)
      .op(GT),
  );
}

/** The scan function's module, or undefined when a type has no byte check. */
function moduleBytes(types: DataType[], D: number, cutDecimals: boolean): Uint8Array | undefined {
  const a = new Asm(["p", "last"]);
  const cuts: [string, string][] = [];
  // State in: w, r0, k.
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT))
    .set("w");
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT + 4))
    .set("r0");
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT + 8))
    .set("k");
  let ok = true;
  a.done(() =>
    a.forever(() => {
      a.copy("s", "p");
      a.failIf(() => a.get("p").get("last").op(GT_U));
      for (let i = 0; i < types.length && ok; i++) {
        const t = types[i]!;
        const x = `x${cuts.length}`;
        const y = `y${cuts.length}`;
        ok = field(a, t, cutDecimals, x, y);
        if (t.kind === "double" || t.kind === "decimal") {
          cuts.push([x, y]);
        }
        if (i < types.length - 1) {
          a.failIf(() => a.byteNot("p", 0, D)).inc("p");
        } else {
          a.failIf(() => a.byteNot("p", 0, 10));
        }
      }
      // A passing line: the bytes before each cut move to w, then the line's end is recorded.
      for (const [x, y] of cuts) {
        a.if(
          () => a.get(x).get(y).op(LT),
          () => {
            a.if(
              () => a.get("w").get("r0").op(NE),
              () =>
                a
                  .get("w")
                  .get("r0")
                  .get(x)
                  .get("r0")
                  .op(SUB)
                  .op(...MEMORY_COPY),
            );
            a.get("w").get(x).get("r0").op(SUB).op(ADD).set("w");
            a.copy("r0", y);
          },
        );
      }
      a.inc("p");
      a.get("k")
        .i32(2)
        .op(SHL)
        .get("w")
        .get("p")
        .op(ADD)
        .get("r0")
        .op(SUB)
        .op(STORE32, 2, ...leb(STARTS_AT));
      a.inc("k");
    }),
  );
  if (!ok) {
    return undefined;
  }
  a.i32(0)
    .get("w")
    .op(STORE32, 2, ...leb(STATE_AT));
  a.i32(0)
    .get("r0")
    .op(STORE32, 2, ...leb(STATE_AT + 4));
  a.i32(0)
    .get("k")
    .op(STORE32, 2, ...leb(STATE_AT + 8));
  a.get("s");
  return moduleOf(a, 2, PAGES, "scan");
}

/** Instances of one shape's scan, kept for the next reader (each instance holds 3 MB of memory). */
export interface WasmScans {
  /** An instance, or undefined when no more memory can be had (the reader then scans in JavaScript). */
  acquire(): WasmLines | undefined;
  release(w: WasmLines): void;
}

const pools = new Map<string, WasmScans | undefined>();

/**
 * The instances for lines of `types` split by `delimiter` (the same checks as lineScan), or
 * undefined where a type has no byte check or WebAssembly is not available.
 */
export function wasmLineScan(types: DataType[], delimiter: string, o: { cutDecimals: boolean }): WasmScans | undefined {
  const key = `${JSON.stringify(types)}\u0000${delimiter}\u0000${o.cutDecimals}`;
  if (!pools.has(key)) {
    pools.set(key, makePool(types, delimiter, o));
  }
  return pools.get(key);
}

function makePool(types: DataType[], delimiter: string, o: { cutDecimals: boolean }): WasmScans | undefined {
  let module: WebAssembly.Module;
  try {
    const bytes = moduleBytes(types, delimiter.charCodeAt(0), o.cutDecimals);
    if (!bytes) {
      return undefined;
    }
    module = new WebAssembly.Module(bytes);
  } catch {
    return undefined;
  }
  const D = delimiter.charCodeAt(0);
  const free: WasmLines[] = [];
  const create = (): WasmLines => {
    const mem = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
    const scan = new WebAssembly.Instance(module, { env: { mem } }).exports.scan as (p: number, last: number) => number;
    const u8 = new Uint8Array(mem.buffer);
    u8.set([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], DAYS_AT);
    for (let x = 0; x <= 32; x++) {
      u8[EDGE_AT + x] = 1;
    }
    u8[EDGE_AT + 127] = u8[EDGE_AT + 34] = u8[EDGE_AT + D] = 1;
    u8[STOP_AT + D] = u8[STOP_AT + 10] = 1;
    u8[STOP_AT + 34] = u8[STOP_AT + 13] = 2;
    return {
      block: new Uint8Array(mem.buffer, 0, BLOCK_BYTES),
      st: new Int32Array(mem.buffer, STATE_AT, 3),
      starts: new Int32Array(mem.buffer, STARTS_AT, MAX_STARTS),
      scan,
    };
  };
  return {
    acquire: () => {
      try {
        return free.pop() ?? create();
      } catch {
        // Each memory reserves address space; a worker with very many readers at once may run out.
        return undefined;
      }
    },
    release: (w) => void free.push(w),
  };
}
