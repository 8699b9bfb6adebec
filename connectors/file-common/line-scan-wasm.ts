/**
 * The line scan of line-check.ts as a WebAssembly function, generated per schema and delimiter
 * with the same rules and the same contract. JavaScriptCore compiles it in a few milliseconds,
 * where the JavaScript scan costs every worker some 40 ms of optimizing compilation before it
 * runs at full speed; the JavaScript scan stays the reference (tests compare the two) and the
 * fallback for blocks outside the memory (or where WebAssembly has no SIMD). Dates and times are
 * tested 16 bytes at a time (a timestamp's 19 bytes in one test and three: 3.8 ns instead of
 * 9 ns); digit runs and strings stay byte by byte, being short (16 bytes at a time measured
 * slower below about 40 bytes). The code per field is in line-scan-fields.ts, the memory layout
 * of an instance in line-scan-layout.ts.
 */
import type { DataType } from "../../src/api/index.ts";
import { QUOTED_NUMBERS_UP_TO, type ScanOptions } from "./line-check.ts";
import { field, type Quoted } from "./line-scan-fields.ts";
import { BLOCK_BYTES, DAYS_AT, EDGE_AT, MAX_STARTS, PAGES, STARTS_AT, STATE_AT, STOP_AT } from "./line-scan-layout.ts";
import { ADD, Asm, GT_U, leb, LOAD32, LT, MEMORY_COPY, moduleOf, NE, SHL, STORE8, STORE32, SUB } from "./wasm-asm.ts";

export { BLOCK_BYTES };

/** One reader's instance: the block, the state and the line ends live in its memory. */
export interface WasmLines {
  /** The block area: blocks read into it are scanned here. */
  block: Uint8Array;
  st: Int32Array;
  starts: Int32Array;
  scan(p: number, last: number): number;
}

/** The scan function's module, or undefined when a type has no byte check. */
function moduleBytes(types: DataType[], D: number, o: ScanOptions): Uint8Array | undefined {
  const a = new Asm(["p", "last"]);
  // State in: w, r0, k, and the count of offsets cut (zc).
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT))
    .set("w");
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT + 4))
    .set("r0");
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT + 8))
    .set("k");
  a.i32(0)
    .op(LOAD32, 2, ...leb(STATE_AT + 12))
    .set("zc");
  let cuts: Cut[] | undefined;
  a.done(() =>
    a.forever(() => {
      a.copy("s", "p");
      a.i32(0).set("zl");
      a.failIf(() => a.get("p").get("last").op(GT_U));
      cuts = lineFields(a, types, D, o);
      if (cuts) {
        passLine(a, cuts);
      }
    }),
  );
  if (!cuts) {
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
  a.i32(0)
    .get("zc")
    .op(STORE32, 2, ...leb(STATE_AT + 12));
  a.get("s");
  return moduleOf(a, 2, PAGES, "scan");
}

/** The locals of bytes to cut, [x, y) (empty when none), and of a timestamp's 'T' to make a space (-1: none). */
type Cut = [string, string, string?];

/** Code checking a line's fields and delimiters: its cuts, or undefined when a type has no byte check. */
function lineFields(a: Asm, types: DataType[], D: number, o: ScanOptions): Cut[] | undefined {
  const cuts: Cut[] = [];
  for (let i = 0; i < types.length; i++) {
    const shape = { D, cut: o.cutDecimals, csv: o.csv === true, lone: types.length === 1, columns: types.length };
    if (!fieldWithCuts(a, types[i]!, shape, cuts)) {
      return undefined;
    }
    if (i < types.length - 1) {
      a.failIf(() => a.byteNot("p", 0, D)).inc("p");
    } else {
      // A CRLF line end: the CR is cut (no part of a value; writers end rows with their own delimiter).
      const cr: Cut = [`x${cuts.length}`, `y${cuts.length}`];
      cuts.push(cr);
      a.copy(cr[0], "p");
      a.if(
        () => a.byteIs("p", 0, 13),
        () => a.inc("p"),
      );
      a.copy(cr[1], "p");
      a.failIf(() => a.byteNot("p", 0, 10));
    }
  }
  return cuts;
}

/** One field and its cuts, in byte order (see fieldWithCuts in line-check.ts); false when its type has no byte check. */
function fieldWithCuts(
  a: Asm,
  t: DataType,
  o: { D: number; cut: boolean; csv: boolean; lone: boolean; columns: number },
  cuts: Cut[],
): boolean {
  // As the JavaScript scan: without cuts only strings may be quoted.
  const csv = o.csv && (o.cut || t.kind === "string" || o.columns <= QUOTED_NUMBERS_UP_TO);
  const open: Cut | undefined = csv ? [`x${cuts.length}`, `y${cuts.length}`] : undefined;
  if (open) {
    cuts.push(open);
  }
  const j = cuts.length;
  const own: Cut =
    t.kind === "double" || t.kind === "decimal"
      ? [`x${j}`, `y${j}`]
      : t.kind === "timestamp"
        ? [`x${j}`, `y${j}`, `t${j}`]
        : ["", ""];
  if (own[0] !== "") {
    cuts.push(own);
  }
  const close: Cut | undefined = csv ? [`x${cuts.length}`, `y${cuts.length}`] : undefined;
  if (close) {
    cuts.push(close);
  }
  let ok = true;
  const quoted: Quoted | undefined = open ? { open: `o${j}`, x: open[0], y: open[1], D: o.D } : undefined;
  const body = () => {
    if (open && quoted) {
      clearCut(a, open);
      a.i32(0).set(quoted.open);
      a.if(
        () => a.byteIs("p", 0, 34),
        () => a.i32(1).set(quoted.open).copy(open[0], "p").inc("p").copy(open[1], "p"),
      );
    }
    ok = field(a, t, o.cut, { x: own[0], y: own[1], t: own[2] ?? "", quoted });
    if (open && close && quoted) {
      // A field that keeps its quotes (see the string check) has an empty opening cut.
      clearCut(a, close);
      a.if(
        () => a.get(quoted.open).i32(0).op(NE),
        () => {
          a.failIf(() => a.byteNot("p", 0, 34));
          a.if(
            () => a.get(open[1]).i32(0).op(NE),
            () => a.copy(close[0], "p").get("p").i32(1).op(ADD).set(close[1]),
          );
          a.inc("p");
        },
      );
    }
  };
  if (o.lone) {
    body();
  } else {
    a.if(
      () =>
        a.any(
          () => a.byteIs("p", 0, o.D),
          () => a.byteIs("p", 0, 10),
          () => a.byteIs("p", 0, 13),
        ),
      () => {
        for (const c of [open, own, close]) {
          if (c && c[0] !== "") {
            clearCut(a, c);
          }
        }
      },
      body,
    );
  }
  return ok;
}

function clearCut(a: Asm, [x, y, t]: Cut): void {
  if (x !== "") {
    a.i32(0).set(x).i32(0).set(y);
  }
  if (t) {
    a.i32(-1).set(t);
  }
}

/** A passing line: the bytes before each cut move to w, then the line's end is recorded. */
function passLine(a: Asm, cuts: Cut[]): void {
  for (const [x, y, t] of cuts) {
    if (t) {
      a.if(
        () => a.get(t).i32(-1).op(NE),
        () => a.get(t).i32(32).op(STORE8, 0, 0),
      );
    }
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
  a.get("zc").get("zl").op(ADD).set("zc");
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
export function wasmLineScan(types: DataType[], delimiter: string, o: ScanOptions): WasmScans | undefined {
  const key = `${JSON.stringify(types)}\u0000${delimiter}\u0000${o.cutDecimals}\u0000${o.csv === true}`;
  if (!pools.has(key)) {
    pools.set(key, makePool(types, delimiter, o));
  }
  return pools.get(key);
}

function makePool(types: DataType[], delimiter: string, o: ScanOptions): WasmScans | undefined {
  let module: WebAssembly.Module;
  try {
    const bytes = moduleBytes(types, delimiter.charCodeAt(0), o);
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
    u8[STOP_AT + 34] = 2;
    u8[STOP_AT + 13] = 1;
    return {
      block: new Uint8Array(mem.buffer, 0, BLOCK_BYTES),
      st: new Int32Array(mem.buffer, STATE_AT, 4),
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
