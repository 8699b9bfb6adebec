/**
 * The WebAssembly code that checks one field of a line (see line-scan-wasm.ts), one generator per
 * type family, following fieldCode in line-check.ts line by line. Dates and times are tested 16
 * bytes at a time; digit runs and strings stay byte by byte, being short.
 */
import type { DataType } from "../../src/api/index.ts";
import { INT_DIGITS } from "./line-check.ts";
import { EDGE_AT, STOP_AT } from "./line-scan-layout.ts";
import { dateField, isoTimestampField, timeField } from "./line-scan-temporal.ts";
import { ADD, type Asm, EQ, EQZ, GE_U, GT, leb, LOAD8, LT_U, NE, SUB, XOR } from "./wasm-asm.ts";

/** Code for one field at p (see fieldCode in line-check.ts), or false when its type has no byte check. */
/** A csv field's opening quote: `open` is 1 when it has one, [x, y) its cut (emptied to keep the quotes). */
export interface Quoted {
  open: string;
  x: string;
  y: string;
  D: number;
}

export function field(
  a: Asm,
  t: DataType,
  cutDecimals: boolean,
  cut: { x: string; y: string; t: string; quoted: Quoted | undefined },
): boolean {
  const { x, y, t: tv, quoted } = cut;
  switch (t.kind) {
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint":
      integerField(a, INT_DIGITS[t.kind]!);
      return true;
    case "decimal":
      decimalField(a, cutDecimals, x, y);
      return true;
    case "double":
      doubleField(a, x, y);
      return true;
    case "boolean":
      booleanField(a);
      return true;
    case "date":
      dateField(a);
      return true;
    case "time":
      timeField(a);
      return true;
    case "timestamp":
      isoTimestampField(a, { x, y, t: tv, fraction: cutDecimals });
      return true;
    case "string":
      stringField(a, quoted, cutDecimals);
      return true;
    default:
      return false;
  }
}

function skipMinus(a: Asm): void {
  a.if(
    () => a.byteIs("p", 0, 45),
    () => a.inc("p"),
  );
}

/** while (digit at l) l++: byte by byte, as runs are short (16 bytes at a time measured 40% slower on the bench file). */
function digits(a: Asm, l: string): void {
  a.whileDo(
    () => a.isDigitAt(l),
    () => a.inc(l),
  );
}

function integerField(a: Asm, max: number): void {
  a.copy("q", "p");
  skipMinus(a);
  a.copy("n", "p");
  digits(a, "p");
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
}

function decimalField(a: Asm, cutDecimals: boolean, x: string, y: string): void {
  a.i32(0).set(x).i32(0).set(y).copy("q", "p");
  skipMinus(a);
  a.copy("n", "p");
  digits(a, "p");
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
    () => decimalFraction(a, cutDecimals, x, y),
  );
  a.failIf(() =>
    a.all(
      () => a.get("q").get("n").op(NE),
      () => a.byteIs("n", 0, 48),
      () => a.get("c").get("m").op(EQ),
    ),
  );
}

/** A decimal's `.digits` at p (m at the point): c ends up past its last non-zero digit. */
function decimalFraction(a: Asm, cutDecimals: boolean, x: string, y: string): void {
  a.inc("p");
  digits(a, "p");
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
  // Without cuts the digits stay as written: the value keeps that scale.
  if (cutDecimals) {
    a.copy(x, "c").copy(y, "p");
  }
}

function doubleField(a: Asm, x: string, y: string): void {
  skipMinus(a);
  a.byte("p").set("c");
  a.if(
    () => a.is("c", 48),
    () => doubleBelowOne(a),
    () => doubleFromOne(a),
  );
  a.copy(x, "n").copy(y, "p");
}

/** `0.`, at most two zeros, then 1 to 15 significant digits: n ends past the last non-zero one. */
function doubleBelowOne(a: Asm): void {
  a.inc("p");
  a.failIf(() => a.byteNot("p", 0, 46));
  a.inc("p").copy("n", "p");
  a.whileDo(
    () => a.byteIs("p", 0, 48),
    () => a.inc("p"),
  );
  a.failIf(() => a.get("p").get("n").op(SUB).i32(2).op(GT));
  a.copy("q", "p");
  digits(a, "p");
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
}

/** Up to 7 integer digits, a point and at least one decimal, 15 digits in all once trailing zeros are cut at n. */
function doubleFromOne(a: Asm): void {
  a.failIf(() => a.get("c").i32(48).op(XOR).i32(10).op(GE_U));
  a.copy("n", "p").inc("p");
  digits(a, "p");
  a.get("p").get("n").op(SUB).set("q");
  a.failIf(() =>
    a.any(
      () => a.get("q").i32(7).op(GT),
      () => a.byteNot("p", 0, 46),
    ),
  );
  a.inc("p").copy("m", "p");
  digits(a, "p");
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
}

function booleanField(a: Asm): void {
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
}

/** Byte by byte: 16 bytes at a time measured 3-5x slower for strings of up to 12 bytes, and only 15% faster at 60. */
function stringField(a: Asm, quoted: Quoted | undefined, keep: boolean): void {
  if (quoted) {
    a.if(
      () => a.get(quoted.open).i32(0).op(NE),
      () => quotedString(a, quoted, keep),
      () => plainString(a),
    );
  } else {
    plainString(a);
  }
}

function plainString(a: Asm): void {
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
}

/** A quoted string up to its lone closing quote (see the JavaScript scan): m = 1 where the writer quotes it too (kept, or failed without cuts). */
function quotedString(a: Asm, q: Quoted, keep: boolean): void {
  a.copy("n", "p").i32(0).set("m");
  a.whileDo(
    () =>
      a.any(
        () => a.byteNot("p", 0, 34),
        () => a.byteIs("p", 1, 34),
      ),
    () =>
      a.if(
        () => a.byteIs("p", 0, 34),
        () => a.inc("p", 2).i32(1).set("m"),
        () => {
          a.failIf(() =>
            a.any(
              () => a.byteIs("p", 0, 10),
              () => a.byteIs("p", 0, 13),
            ),
          );
          a.if(
            () => a.byteIs("p", 0, q.D),
            () => a.i32(1).set("m"),
          );
          a.inc("p");
        },
      ),
  );
  a.if(
    () =>
      a.any(
        () => a.get("p").get("n").op(EQ),
        () => a.byte("n").i32(33).op(LT_U),
        () => a.get("p").i32(1).op(SUB).op(LOAD8, 0, 0).i32(33).op(LT_U),
      ),
    () => a.i32(1).set("m"),
  );
  if (keep) {
    a.if(
      () => a.get("m").i32(0).op(NE),
      () => a.i32(0).set(q.x).i32(0).set(q.y),
    );
  } else {
    a.failIf(() => a.get("m").i32(0).op(NE));
  }
}
