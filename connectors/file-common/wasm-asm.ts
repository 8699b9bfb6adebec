/**
 * A small WebAssembly assembler: structured control flow over named i32 locals, byte loads from
 * one imported memory, a few SIMD tests on 16 bytes at a time, and a module of one exported
 * function (see line-scan-wasm.ts).
 */

export const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) {
      b |= 0x80;
    }
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      return [...out, b];
    }
    out.push(b | 0x80);
  }
};

// Opcodes used.
export const BLOCK = 0x02,
  LOOP = 0x03,
  IF = 0x04,
  ELSE = 0x05,
  END = 0x0b,
  BR = 0x0c,
  BR_IF = 0x0d;
export const GET = 0x20,
  SET = 0x21,
  LOAD32 = 0x28,
  LOAD8 = 0x2d,
  STORE32 = 0x36,
  STORE8 = 0x3a,
  CONST = 0x41;
export const EQZ = 0x45,
  EQ = 0x46,
  NE = 0x47,
  LT = 0x48,
  LT_U = 0x49,
  GT = 0x4a,
  GT_U = 0x4b,
  GE_U = 0x4f;
export const ADD = 0x6a,
  SUB = 0x6b,
  MUL = 0x6c,
  REM_U = 0x70,
  AND = 0x71,
  OR = 0x72,
  XOR = 0x73,
  SHL = 0x74;
export const MEMORY_COPY = [0xfc, 10, 0, 0];
// SIMD (0xfd prefix): the 128-bit operations the scan uses on 16 bytes at a time.
const V128_LOAD = [0xfd, 0x00],
  V128_CONST = [0xfd, 0x0c],
  I8X16_GT_U = [0xfd, 0x28],
  ANY_TRUE = [0xfd, 0x53],
  I8X16_SUB = [0xfd, 0x71];

/** Structured code with named i32 locals; `failIf()` leaves the block opened by `done()`. */
export class Asm {
  readonly code: number[] = [];
  private depth = 0;
  private doneAt = 0;
  private readonly locals = new Map<string, number>();

  constructor(params: string[]) {
    params.forEach((p, i) => this.locals.set(p, i));
  }

  local(name: string): number {
    let i = this.locals.get(name);
    if (i === undefined) {
      this.locals.set(name, (i = this.locals.size));
    }
    return i;
  }

  get localCount(): number {
    return this.locals.size;
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(l: string): this {
    return this.op(GET, ...leb(this.local(l)));
  }
  set(l: string): this {
    return this.op(SET, ...leb(this.local(l)));
  }
  i32(n: number): this {
    return this.op(CONST, ...sleb(n));
  }
  /** The byte at local `l` + `off` (off >= 0). */
  byte(l: string, off = 0): this {
    return this.get(l).op(LOAD8, 0, ...leb(off));
  }
  /** Byte at l + off, xor 48: 0..9 for a digit. */
  digit(l: string, off = 0): this {
    return this.byte(l, off).i32(48).op(XOR);
  }
  inc(l: string, by = 1): this {
    return this.get(l).i32(by).op(ADD).set(l);
  }
  dec(l: string): this {
    return this.get(l).i32(1).op(SUB).set(l);
  }
  /** `l = r` for locals. */
  copy(l: string, r: string): this {
    return this.get(r).set(l);
  }
  /** Ors the conditions each pushes. */
  any(...conds: (() => void)[]): this {
    conds.forEach((c, i) => {
      c();
      if (i) {
        this.op(OR);
      }
    });
    return this;
  }
  all(...conds: (() => void)[]): this {
    conds.forEach((c, i) => {
      c();
      if (i) {
        this.op(AND);
      }
    });
    return this;
  }
  block(body: () => void): this {
    this.op(BLOCK, 0x40);
    this.depth++;
    body();
    this.depth--;
    return this.op(END);
  }
  /** The block `fail()` leaves. */
  done(body: () => void): this {
    this.op(BLOCK, 0x40);
    this.depth++;
    const outer = this.doneAt;
    this.doneAt = this.depth;
    body();
    this.doneAt = outer;
    this.depth--;
    return this.op(END);
  }
  /** for (;;) body; (leave it with fail()). */
  forever(body: () => void): this {
    this.op(LOOP, 0x40);
    this.depth++;
    body();
    this.op(BR, 0);
    this.depth--;
    return this.op(END);
  }
  /** A loop that repeats while `again` (pushes a condition) holds, running `body` first each time. */
  doWhile(body: () => void, again: () => void): this {
    this.op(LOOP, 0x40);
    this.depth++;
    body();
    again();
    this.op(BR_IF, 0);
    this.depth--;
    return this.op(END);
  }
  /** while (cond) body; */
  whileDo(cond: () => void, body: () => void): this {
    return this.block(() => {
      this.op(LOOP, 0x40);
      this.depth++;
      cond();
      this.op(EQZ, BR_IF, 1);
      body();
      this.op(BR, 0);
      this.depth--;
      this.op(END);
    });
  }
  if(cond: () => void, then: () => void, otherwise?: () => void): this {
    cond();
    this.op(IF, 0x40);
    this.depth++;
    then();
    if (otherwise) {
      this.op(ELSE);
      otherwise();
    }
    this.depth--;
    return this.op(END);
  }
  /** Leaves the scan when the pushed condition holds. */
  failIf(cond: () => void): this {
    cond();
    return this.op(BR_IF, ...leb(this.depth - this.doneAt));
  }
  /** Pushes `l == n` (n a constant). */
  is(l: string, n: number): this {
    return this.get(l).i32(n).op(EQ);
  }
  /** Pushes byte(l, off) == n. */
  byteIs(l: string, off: number, n: number): this {
    return this.byte(l, off).i32(n).op(EQ);
  }
  byteNot(l: string, off: number, n: number): this {
    return this.byte(l, off).i32(n).op(NE);
  }
  /** Pushes `(digit at l + off) > max` (signed; digits are 0..255 after xor). */
  digitOver(l: string, off: number, max: number): this {
    return this.digit(l, off).i32(max).op(GT);
  }
  isDigitAt(l: string): this {
    return this.digit(l).i32(10).op(LT_U);
  }
  /** The 16 bytes at local `l` + `off` (the memory must reach that far). */
  bytes16(l: string, off = 0): this {
    return this.get(l).op(...V128_LOAD, 0, ...leb(off));
  }
  v128(bytes: number[]): this {
    return this.op(...V128_CONST, ...bytes);
  }
  /** Pushes whether any of the 16 bytes at l + off, less `bias[i]` (mod 256), is over `max[i]`. */
  bytesOver(l: string, off: number, bias: number[], max: number[]): this {
    return this.bytes16(l, off)
      .v128(bias)
      .op(...I8X16_SUB)
      .v128(max)
      .op(...I8X16_GT_U)
      .op(...ANY_TRUE);
  }
}

/** A module importing memory env.mem (`pages` pages) and exporting `name`: (i32, i32) -> i32 with body `a`. */
export function moduleOf(a: Asm, params: number, pages: number, name: string): Uint8Array {
  const body = [...leb(1), ...leb(a.localCount - params), 0x7f, ...a.code, END];
  const section = (id: number, b: number[]) => [id, ...leb(b.length), ...b];
  const str = (t: string) => [...leb(t.length), ...[...t].map((ch) => ch.charCodeAt(0))];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, [1, 0x60, params, ...Array<number>(params).fill(0x7f), 1, 0x7f]),
    ...section(2, [1, ...str("env"), ...str("mem"), 0x02, 0x00, ...leb(pages)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str(name), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}
