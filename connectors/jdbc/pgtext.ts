/**
 * PostgreSQL's text formats: COPY text rows (tab-separated, `\N` for NULL, backslash escapes), the
 * array literal `{a,"b c",NULL}` and every row value's input text. Reads and writes both go through
 * COPY, so this is the hot path: plain string ops, no per-row allocation beyond the fields.
 */
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "../../src/api/index.ts";
import { dateTimeText, hex, numberText, plainText, timeText } from "./dialect.ts";
import { escapeCopyText } from "../common/source-text.ts";

const ESC: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** Undoes COPY text escaping of one field. */
export function unescapeCopy(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const j = s.indexOf("\\", i);
    if (j < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, j);
    const c = s[j + 1] ?? "";
    if (c >= "0" && c <= "7") {
      const m = /^[0-7]{1,3}/.exec(s.slice(j + 1))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i = j + 1 + m.length;
    } else if (c === "x" && /^[0-9a-fA-F]/.test(s[j + 2] ?? "")) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(j + 2))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i = j + 2 + m.length;
    } else {
      out += ESC[c] ?? c;
      i = j + 2;
    }
  }
  return out;
}

/** The fields of one COPY text line (without its newline); NULL is `null`. */
export function copyFields(line: string): (string | null)[] {
  const parts = line.split("\t");
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length > 0 && p.charCodeAt(0) === 92 /* \ */ && p === "\\N") {
      (parts as (string | null)[])[i] = null;
    } else if (p.includes("\\")) {
      parts[i] = unescapeCopy(p);
    }
  }
  return parts;
}

/** Escapes text for a COPY field. */
export const escapeCopy = escapeCopyText;

/** A row value as PostgreSQL input text (before COPY escaping / literal quoting). */
export function pgText(v: unknown): string {
  if (typeof v === "string") {
    return v;
  }
  if (typeof v === "number") {
    return numberText(v);
  }
  if (typeof v === "boolean") {
    return v ? "t" : "f";
  }
  if (typeof v === "bigint" || v instanceof Decimal || v instanceof LocalDate) {
    return v.toString();
  }
  if (v instanceof LocalDateTime) {
    return dateTimeText(v);
  }
  if (v instanceof LocalTime) {
    return timeText(v);
  }
  if (v instanceof Uint8Array) {
    return `\\x${hex(v)}`;
  }
  if (Array.isArray(v)) {
    return pgArray(v);
  }
  return plainText(v);
}

function pgArray(items: unknown[]): string {
  const parts = items.map((x) => {
    if (x === null || x === undefined) {
      return "NULL";
    }
    if (Array.isArray(x)) {
      return pgArray(x);
    }
    const t = pgText(x);
    return t === "" || /[{}",\\\s]|^null$/i.test(t) ? `"${t.replace(/[\\"]/g, (c) => `\\${c}`)}"` : t;
  });
  return `{${parts.join(",")}}`;
}

/**
 * One row as a COPY text line (with its newline), the plain reference of the format: the sink
 * writes COPY text with CopyBytes (copy-bytes.ts), which tests hold to this byte for byte.
 */
export function copyLine(fields: unknown[]): string {
  let line = "";
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    if (i > 0) {
      line += "\t";
    }
    // Only strings (and the text of bytes, arrays, maps) can hold what COPY escapes.
    line +=
      v === null || v === undefined
        ? "\\N"
        : typeof v === "string"
          ? escapeCopy(v)
          : typeof v === "number"
            ? numberText(v)
            : typeof v === "bigint" || v instanceof Decimal || v instanceof LocalDate
              ? v.toString()
              : v instanceof LocalDateTime
                ? dateTimeText(v)
                : escapeCopy(pgText(v));
  }
  return `${line}\n`;
}

/** An array literal's elements: text, null for NULL, or a nested array of a multi-dimensional one. */
export type PgArrayItem = string | null | PgArrayItem[];

/**
 * Elements of an array literal `{1,"a b",NULL}` as text (NULL → null); a multi-dimensional one
 * (`{{1,2},{3,4}}`) gives nested arrays. A dimension prefix (`[0:1]={…}`) is skipped.
 */
export function parsePgArray(text: string): PgArrayItem[] {
  const at = { i: text.indexOf("{") };
  return parseLevel(text, at);
}

function parseLevel(text: string, at: { i: number }): PgArrayItem[] {
  const out: PgArrayItem[] = [];
  at.i++;
  if (text[at.i] === "}") {
    at.i++;
    return out;
  }
  while (at.i < text.length) {
    const c = text[at.i];
    if (c === "{") {
      out.push(parseLevel(text, at));
    } else if (c === '"') {
      let s = "";
      at.i++;
      while (at.i < text.length && text[at.i] !== '"') {
        if (text[at.i] === "\\") {
          at.i++;
        }
        s += text[at.i++];
      }
      at.i++;
      out.push(s);
    } else {
      const end = text.slice(at.i).search(/[,}]/);
      const raw = text.slice(at.i, at.i + end);
      at.i += end;
      out.push(raw === "NULL" ? null : raw);
    }
    if (text[at.i] === "}") {
      at.i++;
      break;
    }
    at.i++;
  }
  return out;
}

/** `'…'` literal (standard_conforming_strings: only quotes are doubled). */
export const pgQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
