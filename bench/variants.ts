/**
 * The CSV variants of the bench matrix (bench/matrix.ts): files shaped like ordinary database
 * exports, not only like the bench's own file. Each is generated once into bench/data (about
 * 140 MB, two million rows of the base shape), deterministically, with the SeaTunnel schema and the PostgreSQL columns that load it.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DATA } from "./lib.ts";

type Kind = "bigint" | "string" | "int" | "double" | "decimal" | "timestamp" | "boolean" | "date";

export interface Variant {
  name: string;
  rows: number;
  /** The file's columns, in order. */
  kinds: Kind[];
  /** One row's fields as they are written (unquoted text; `null` for an empty field). */
  cell?: (kind: Kind, col: number, row: number, rnd: () => number) => string | null;
  quote?: (col: number, row: number) => boolean;
  eol?: string;
}

const BASE: Kind[] = ["bigint", "string", "string", "int", "double", "decimal", "timestamp", "boolean"];
const WIDE: Kind[] = Array.from(
  { length: 30 },
  (_, i) => (["bigint", "string", "int", "double", "decimal", "timestamp", "boolean", "date"] as Kind[])[i % 8]!,
);
const CITIES = ["Paris", "Oslo", "Lima", "Kyoto", "Accra", "Quito", "Perth", "Dakar"];
const WORDS = ["alpha", "beta", "gamma", "delta", "north", "south", "river", "stone", "amber", "cedar"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A timestamp of 2024 from a random number, with `frac` fraction digits, `sep` between date and time, and `zone`. */
function stamp(rnd: () => number, frac: number, sep = " ", zone = ""): string {
  const s = Math.floor(rnd() * 86400);
  const base = `2024-${pad(1 + Math.floor(rnd() * 12))}-${pad(1 + Math.floor(rnd() * 28))}${sep}${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return frac > 0 ? `${base}.${pad(Math.floor(rnd() * 10 ** frac), frac)}${zone}` : `${base}${zone}`;
}

/** The base file's fields: what bench/file-local.ts writes. */
function baseCell(kind: Kind, col: number, row: number, rnd: () => number): string {
  switch (kind) {
    case "bigint":
      return String(row);
    case "string":
      return col === 1 ? `user${row}` : CITIES[(row + col) & 7]!;
    case "int":
      return String(18 + (row % 60));
    case "double":
      return (rnd() * 100).toFixed(3);
    case "decimal":
      return (rnd() * 1e5).toFixed(2);
    case "timestamp":
      return stamp(rnd, 0);
    case "boolean":
      return String(rnd() < 0.5);
    case "date":
      return `2024-${pad(1 + (row % 12))}-${pad(1 + (row % 28))}`;
  }
}

const withStamp = (frac: number, sep = " ", zone?: (row: number) => string) => ({
  cell: (kind: Kind, col: number, row: number, rnd: () => number) =>
    kind === "timestamp" ? stamp(rnd, frac, sep, zone?.(row) ?? "") : baseCell(kind, col, row, rnd),
});

const ZONES = ["+02:00", "Z", "-05:30", "+00:00"];

export const VARIANTS: Variant[] = [
  { name: "base", rows: 2_000_000, kinds: BASE },
  { name: "ts-millis", rows: 2_000_000, kinds: BASE, ...withStamp(3) },
  { name: "ts-micros", rows: 2_000_000, kinds: BASE, ...withStamp(6) },
  { name: "ts-t", rows: 2_000_000, kinds: BASE, ...withStamp(0, "T") },
  { name: "ts-offset", rows: 2_000_000, kinds: BASE, ...withStamp(3, "T", (row) => ZONES[row & 3]!) },
  {
    name: "short-decimals",
    rows: 2_000_000,
    kinds: BASE,
    cell: (kind, col, row, rnd) =>
      kind === "decimal" ? ["7", "12.5", "0.25", "-3.1", "100"][row % 5]! : baseCell(kind, col, row, rnd),
  },
  {
    name: "empty-30pct",
    rows: 2_000_000,
    kinds: BASE,
    cell: (kind, col, row, rnd) => (col > 0 && rnd() < 0.3 ? null : baseCell(kind, col, row, rnd)),
  },
  { name: "all-quoted", rows: 2_000_000, kinds: BASE, quote: () => true },
  {
    name: "quotes-1in10",
    rows: 2_000_000,
    kinds: BASE,
    cell: (kind, col, row, rnd) =>
      col === 2 && row % 10 === 0 ? 'said "hi", then left' : baseCell(kind, col, row, rnd),
    quote: (col, row) => col === 2 && row % 10 === 0,
  },
  { name: "wide-30", rows: 600_000, kinds: WIDE },
  {
    name: "text-1k",
    rows: 140_000,
    kinds: BASE,
    cell: (kind, col, row, rnd) =>
      col === 2
        ? Array.from({ length: 170 }, (_, i) => WORDS[(row + i * 7) % 10]).join(" ")
        : baseCell(kind, col, row, rnd),
  },
  { name: "crlf", rows: 2_000_000, kinds: BASE, eol: "\r\n" },
];

export const csvPath = (v: Variant) => join(DATA, `matrix-${v.name}.csv`);

/** `c1 = bigint, c2 = string, ...` for the job's schema. */
export function seaTunnelFields(v: Variant): string {
  const t = (k: Kind) => (k === "decimal" ? '"decimal(12, 2)"' : k);
  return v.kinds.map((k, i) => `c${i} = ${t(k)}`).join(", ");
}

const PG_TYPES: Record<Kind, string> = {
  bigint: "bigint",
  string: "text",
  int: "int",
  double: "double precision",
  decimal: "numeric(12,2)",
  timestamp: "timestamp",
  boolean: "boolean",
  date: "date",
};

export const pgColumns = (v: Variant) => v.kinds.map((k, i) => `c${i} ${PG_TYPES[k]}`).join(", ");

const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Writes the variant's file unless it is there already. */
export function generate(v: Variant): string {
  const path = csvPath(v);
  if (existsSync(path) && statSync(path).size > 0) {
    return path;
  }
  mkdirSync(DATA, { recursive: true });
  const fd = openSync(`${path}.part`, "w");
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const cell = v.cell ?? baseCell;
  const eol = v.eol ?? "\n";
  let s = "";
  for (let row = 0; row < v.rows; row++) {
    for (let col = 0; col < v.kinds.length; col++) {
      const text = cell(v.kinds[col]!, col, row, rnd);
      s += (col > 0 ? "," : "") + (text === null ? "" : v.quote?.(col, row) ? quoted(text) : text);
    }
    s += eol;
    if (s.length > 1 << 20) {
      writeSync(fd, s);
      s = "";
    }
  }
  writeSync(fd, s);
  closeSync(fd);
  Bun.spawnSync(["mv", `${path}.part`, path]);
  return path;
}
