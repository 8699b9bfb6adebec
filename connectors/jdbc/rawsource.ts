/**
 * Per table: how a raw row from the driver becomes values (decoders, with the column named in
 * errors) and, where every column allows it, a PostgreSQL COPY line straight from the raw text.
 */
import { JobError, type Column } from "../../src/api/index.ts";
import type { Decoder, Dialect, NativeColumn } from "./dialect.ts";
import type { RowTextCodec } from "../common/source-text.ts";

export function rawSourceFor(
  d: Dialect,
  natives: NativeColumn[],
  columns: Column[],
  decoders: Decoder[],
  table: string,
): RowTextCodec {
  const fail = (i: number, x: unknown, e: unknown) =>
    new JobError(
      "JDBC_READ",
      `reading table "${table}": column "${columns[i]?.name}" value ${JSON.stringify(String(x)).slice(0, 80)}: ${(e as Error).message}`,
      { cause: e },
    );
  const decodeArray = (f: unknown[]): unknown[] => {
    for (let i = 0; i < f.length; i++) {
      const x = f[i];
      if (x === null || x === undefined) {
        f[i] = null;
      } else {
        try {
          f[i] = decoders[i]!(x);
        } catch (e) {
          throw fail(i, x, e);
        }
      }
    }
    return f;
  };
  const { fields, pgLine } = d.rawRows(natives, columns);
  const decode = fields ? (raw: unknown) => decodeArray(fields(raw)) : (raw: unknown) => decodeArray(raw as unknown[]);
  const value = (raw: unknown, i: number): unknown => {
    const x = fields ? fields(raw)[i] : (raw as unknown[])[i];
    if (x === null || x === undefined) {
      return null;
    }
    try {
      return decoders[i]!(x);
    } catch (e) {
      throw fail(i, x, e);
    }
  };
  return pgLine ? { decode, pgLine, value } : { decode, value };
}
