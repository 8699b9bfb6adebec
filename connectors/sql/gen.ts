/**
 * State shared while compiling one query into JavaScript: the constants and helper functions the
 * generated code refers to (`h0`, `h1`, ... bound once when the function is built), temporaries
 * (`t0`, `t1`, ...), and the input columns.
 */
import type { Column, DataType } from "../../src/api/index.ts";
import type { Expr } from "./ast.ts";
import { SqlTypeError } from "./typing.ts";

/** A compiled expression: JS source for its value, its declared type and its values' Java class. */
export interface Typed {
  code: string;
  type: DataType;
  /** The Java class of the values (differs from `type` for a few functions, e.g. TRUNC of an INT). */
  rt: DataType;
  /** The value, when the expression is a constant. */
  literal?: { value: unknown };
  /** The code is a JS boolean (a condition), never null. */
  cond?: boolean;
}

export const typed = (code: string, type: DataType, rt: DataType = type, extra: Partial<Typed> = {}): Typed => ({
  code,
  type,
  rt,
  ...extra,
});

export class Gen {
  private readonly helperIndex = new Map<unknown, number>();
  readonly helpers: unknown[] = [];
  private temps = 0;

  constructor(readonly columns: readonly Column[]) {}

  /** A name the generated code uses for `value` (functions, regexes, sets, constants). */
  helper(value: unknown): string {
    let i = this.helperIndex.get(value);
    if (i === undefined) {
      i = this.helpers.length;
      this.helpers.push(value);
      this.helperIndex.set(value, i);
    }
    return `h${i}`;
  }

  /** A fresh temporary variable. */
  temp(): string {
    return `t${this.temps++}`;
  }

  /** Declarations of every temporary used so far. */
  tempDecls(): string {
    if (this.temps === 0) {
      return "";
    }
    return `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(", ")};`;
  }

  fail(message: string, at: Expr | { start: number }): never {
    throw new SqlTypeError(message, at.start);
  }
}
