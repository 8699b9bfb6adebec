/**
 * The WebAssembly code that checks a date, time or timestamp field of a line (see
 * line-scan-fields.ts, which dispatches here): the bytes of `yyyy-MM-dd` and `HH:mm:ss` are
 * tested 16 at a time, then the calendar and the hour.
 */
import { DAYS_AT } from "./line-scan-layout.ts";
import { ADD, type Asm, EQ, EQZ, GT, leb, LOAD8, LT, MUL, NE, REM_U, SUB } from "./wasm-asm.ts";

// Per byte of `yyyy-MM-dd` and `HH:mm:ss`: less the bias (mod 256), at most the max. A digit is
// byte - 48 <= 9 (the year's first 1-9: byte - 49 <= 8), a separator byte - itself <= 0.
const DATE_BIAS = [49, 48, 48, 48, 45, 48, 48, 45, 48, 48];
const DATE_MAX = [8, 9, 9, 9, 0, 9, 9, 0, 9, 9];
const TIME_BIAS = [48, 48, 58, 48, 48, 58, 48, 48];
const TIME_MAX = [2, 9, 0, 5, 9, 0, 5, 9];
/** 16 lanes: the bytes past a pattern take any value. */
const pad = (xs: number[], v: number) => [...xs, ...Array<number>(16 - xs.length).fill(v)];

export function dateField(a: Asm): void {
  a.failIf(() => a.bytesOver("p", 0, pad(DATE_BIAS, 0), pad(DATE_MAX, 255)));
  days(a, 0);
  a.inc("p", 10);
}

export function timeField(a: Asm): void {
  a.failIf(() => a.bytesOver("p", 0, pad(TIME_BIAS, 0), pad(TIME_MAX, 255)));
  hours(a, 0);
  a.inc("p", 8);
}

/**
 * A timestamp in the ISO shape (see the JavaScript scan): `yyyy-MM-dd`, a space or 'T' (tv is
 * where a 'T' is, else -1), `HH:mm:ss`, a fraction of 1-9 digits and an offset, cut as [x, y)
 * (the fraction only with `fraction`).
 */
export function isoTimestampField(a: Asm, cut: { x: string; y: string; t: string; fraction: boolean }): void {
  const { x, y, t: tv } = cut;
  a.failIf(() =>
    a.any(
      () =>
        a.bytesOver("p", 0, [...DATE_BIAS, 0, ...TIME_BIAS.slice(0, 5)], [...DATE_MAX, 255, ...TIME_MAX.slice(0, 5)]),
      () =>
        a.all(
          () => a.byteNot("p", 10, 32),
          () => a.byteNot("p", 10, 84),
        ),
      () => a.byteNot("p", 16, 58),
      () => a.digitOver("p", 17, 5),
      () => a.digitOver("p", 18, 9),
    ),
  );
  days(a, 0);
  hours(a, 11);
  a.i32(-1).set(tv);
  a.if(
    () => a.byteIs("p", 10, 84),
    () => a.get("p").i32(10).op(ADD).set(tv),
  );
  a.inc("p", 19);
  if (cut.fraction) {
    a.copy(x, "p");
  }
  a.if(
    () => a.byteIs("p", 0, 46),
    () => {
      a.inc("p").copy("n", "p");
      a.whileDo(
        () => a.isDigitAt("p"),
        () => a.inc("p"),
      );
      a.failIf(() =>
        a.any(
          () => a.get("p").get("n").op(EQ),
          () => a.get("p").get("n").op(SUB).i32(9).op(GT),
        ),
      );
    },
  );
  if (!cut.fraction) {
    a.copy(x, "p");
  }
  a.if(
    () => a.byteIs("p", 0, 90),
    () => a.inc("p").inc("zl"),
    () =>
      a.if(
        () =>
          a.any(
            () => a.byteIs("p", 0, 43),
            () => a.byteIs("p", 0, 45),
          ),
        () => {
          a.failIf(() =>
            a.any(
              () => a.digitOver("p", 1, 9),
              () => a.digitOver("p", 2, 9),
              () => a.byteNot("p", 3, 58),
              () => a.digitOver("p", 4, 5),
              () => a.digitOver("p", 5, 9),
              () => a.digit("p", 1).i32(10).op(MUL).digit("p", 2).op(ADD).i32(18).op(GT),
            ),
          );
          a.inc("p", 6).inc("zl");
        },
      ),
  );
  a.copy(y, "p");
}

/** The calendar of a `yyyy-MM-dd` at p + o whose bytes passed: a real day, February 29 on leap years. */
function days(a: Asm, o: number): void {
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
    () => leapYear(a, o),
  );
}

/** Fails unless the year of the date at p + o is a leap year. */
function leapYear(a: Asm, o: number): void {
  a.digit("p", o).i32(1000).op(MUL);
  a.digit("p", o + 1)
    .i32(100)
    .op(MUL)
    .op(ADD);
  a.digit("p", o + 2)
    .i32(10)
    .op(MUL)
    .op(ADD);
  a.digit("p", o + 3)
    .op(ADD)
    .set("q");
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
