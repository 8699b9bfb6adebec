/**
 * Per table: how a raw row from the driver becomes values (decoders, with the column named in
 * errors) and, where every column allows it, a PostgreSQL COPY line straight from the raw text.
 */
import { JobError, type Column } from "../../src/api/index.ts";
import { hex, type Decoder, type NativeColumn } from "./dialect.ts";
import type { RawSource } from "../../src/api/lazy-row.ts";
import { copyFields, escapeCopy } from "./pgtext.ts";
import type { DialectKind } from "./url.ts";

type Transcode = (raw: unknown) => string;

const asText: Transcode = (s) => (typeof s === "string" ? s : String(s));
const escaped: Transcode = (s) => escapeCopy(s as string);
const buf = (b: unknown) => (b instanceof Uint8Array ? b : Buffer.from(String(b), "latin1"));

/** MySQL text value → PostgreSQL input text, per MySQL type; undefined where the value must be decoded. */
function myTranscoder(n: NativeColumn, c: Column): Transcode | undefined {
  const t = n.type.replace(/ UNSIGNED$/, "");
  if (/^(TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT|DECIMAL|YEAR|FLOAT|DOUBLE|REAL)$/.test(t)) {
    return asText;
  }
  if (/^(CHAR|VARCHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|JSON|ENUM|SET)$/.test(t)) {
    return escaped;
  }
  if (t === "DATE" || t === "DATETIME" || t === "TIMESTAMP") {
    return (s) => ((s as string).startsWith("0000-00-00") ? "\\N" : (s as string));
  }
  if (t === "TIME") {
    return asText;
  }
  if (c.type.kind === "boolean") {
    return (b) => (buf(b).some((x) => x !== 0) ? "t" : "f");
  }
  if (c.type.kind === "bytes") {
    return (b) => `\\\\x${hex(buf(b))}`;
  }
  return undefined;
}

export function rawSourceFor(
  kind: DialectKind,
  natives: NativeColumn[],
  columns: Column[],
  decoders: Decoder[],
  table: string,
): RawSource {
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
  if (kind === "postgres") {
    const safe = natives.every((n) => n.type !== "money");
    return { decode: (raw) => decodeArray(copyFields(raw as string)), ...(safe ? { pgLine: asText } : {}) };
  }
  if (kind === "mysql") {
    const tc = natives.map((n, i) => myTranscoder(n, columns[i]!));
    if (tc.every((t) => t !== undefined)) {
      const codes = tc as Transcode[];
      const pgLine = (raw: unknown): string => {
        const f = raw as unknown[];
        let line = "";
        for (let i = 0; i < f.length; i++) {
          const x = f[i];
          line += (i ? "\t" : "") + (x === null || x === undefined ? "\\N" : codes[i]!(x));
        }
        return line;
      };
      return { decode: (raw) => decodeArray(raw as unknown[]), pgLine };
    }
  }
  return { decode: (raw) => decodeArray(raw as unknown[]) };
}
