// Parsing of manifest.tsv (pure): columns, mode, expect_exit, notes, setup, row keys.
import { type Check, parseCheck, splitChecks } from "./checks.ts";
import { parseRewrite, type RewritePair } from "./text.ts";

export const COLUMNS = ["path", "group", "mode", "expect_exit", "args", "checks", "notes", "setup", "rewrite"] as const;

export type Mode = { kind: "batch" } | { kind: "streaming"; seconds: number };
/** `nonzero` = any code 1..127 that is not a death by signal; a number = exactly that code. */
export type ExpectExit = "nonzero" | number;

export type ServiceStep =
  | { kind: "psql"; db: string; file: string }
  | { kind: "mariadb"; file: string }
  | { kind: "redis"; file: string };

export type SetupStep =
  | { kind: "clean" | "mkdir"; dir: string }
  | { kind: "copy"; src: string; dst: string }
  | ServiceStep
  | { kind: "http-fixture"; file: string }
  | { kind: "amqp-consume"; queue: string }
  | { kind: "amqp-publish"; queue: string; count: number; file: string };

export interface Notes {
  status: "runnable" | "gated";
  gatedReason: string;
  origin: string;
  seq: { name: string; step: number } | undefined;
  src: string[];
  tf: string[];
  sink: string[];
  it: string;
  text: string[];
}

export interface CheckItem {
  /** The item as written (placeholders unsubstituted); it is re-parsed after substitution at run time. */
  raw: string;
  check: Check | undefined;
}

export interface Row {
  /** 1-based line number in the manifest. */
  line: number;
  path: string;
  group: string;
  mode: Mode;
  expectExit: ExpectExit;
  args: string;
  checks: CheckItem[];
  notes: Notes;
  setup: { raw: string; step: SetupStep }[];
  after: { raw: string; step: ServiceStep }[];
  rewrite: RewritePair[];
  /** Identifier used by -v output, --only, --json and the expected-pass list (see keyRows). */
  key: string;
  /** Parse problems; a row with errors is reported and counted as failed. */
  errors: string[];
}

export function parseMode(cell: string): Mode | undefined {
  if (cell === "batch") {
    return { kind: "batch" };
  }
  const m = /^streaming:(\d+(?:\.\d+)?)$/.exec(cell);
  return m?.[1] === undefined ? undefined : { kind: "streaming", seconds: Number(m[1]) };
}

export function parseExpectExit(cell: string): ExpectExit | undefined {
  if (cell === "nonzero") {
    return "nonzero";
  }
  return /^\d+$/.test(cell) ? Number(cell) : undefined;
}

const NOTE_KEYS = new Set(["origin", "seq", "src", "tf", "sink", "IT"]);

export function parseNotes(cell: string): { notes: Notes; errors: string[] } {
  const errors: string[] = [];
  const notes: Notes = {
    status: "runnable",
    gatedReason: "",
    origin: "",
    seq: undefined,
    src: [],
    tf: [],
    sink: [],
    it: "",
    text: [],
  };
  const fields = cell.split(" | ").map((f) => f.trim());
  const status = fields.shift() ?? "";
  if (status === "status=runnable") {
    notes.status = "runnable";
  } else if (status.startsWith("status=GATED")) {
    notes.status = "gated";
    notes.gatedReason = status.replace(/^status=GATED:?\s*/, "");
  } else {
    errors.push(`notes must start with status=runnable or status=GATED: got ${JSON.stringify(status)}`);
  }
  const seen = new Set<string>();
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = eq > 0 ? field.slice(0, eq) : "";
    if (!NOTE_KEYS.has(key) || seen.has(key)) {
      notes.text.push(field);
      continue;
    }
    seen.add(key);
    const value = field.slice(eq + 1).trim();
    const list = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (key === "origin") {
      notes.origin = value;
    } else if (key === "IT") {
      notes.it = value;
    } else if (key === "src") {
      notes.src = list;
    } else if (key === "tf") {
      notes.tf = list;
    } else if (key === "sink") {
      notes.sink = list;
    } else {
      const m = /^(.+):(\d+)$/.exec(value);
      if (m?.[1] === undefined || m[2] === undefined) {
        errors.push(`bad seq=${value} (expected seq=<name>:<step>)`);
      } else {
        notes.seq = { name: m[1], step: Number(m[2]) };
      }
    }
  }
  if (notes.origin === "") {
    errors.push("notes have no origin=");
  }
  return { notes, errors };
}

/** Parses one setup step `kind:argument` (also the STEP of `after:`). */
export function parseStep(raw: string): { ok: true; step: SetupStep } | { ok: false; error: string } {
  const colon = raw.indexOf(":");
  const kind = colon < 0 ? raw : raw.slice(0, colon);
  const arg = colon < 0 ? "" : raw.slice(colon + 1);
  const bad = (why: string) => ({ ok: false as const, error: `setup step ${JSON.stringify(raw)}: ${why}` });
  if (arg.trim() === "") {
    return bad("missing argument");
  }
  switch (kind) {
    case "clean":
    case "mkdir":
      return { ok: true, step: { kind, dir: arg.trim() } };
    case "copy": {
      const m = /^(\S+)\s+(.+)$/.exec(arg.trim());
      if (m?.[1] === undefined || m[2] === undefined) {
        return bad("expected copy:SRC DST");
      }
      return { ok: true, step: { kind, src: m[1], dst: m[2].trim() } };
    }
    case "psql": {
      const c = arg.indexOf(":");
      if (c <= 0) {
        return bad("expected psql:DB:FILE");
      }
      return { ok: true, step: { kind, db: arg.slice(0, c), file: arg.slice(c + 1) } };
    }
    case "mariadb":
    case "redis":
    case "http-fixture":
      return { ok: true, step: { kind, file: arg } };
    case "amqp-consume":
      return { ok: true, step: { kind, queue: arg } };
    case "amqp-publish": {
      const m = /^([^:]+):(\d+):(.+)$/.exec(arg);
      if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
        return bad("expected QUEUE:N:FILE");
      }
      return { ok: true, step: { kind, queue: m[1], count: Number(m[2]), file: m[3] } };
    }
    default:
      return bad(`unknown step kind ${JSON.stringify(kind)}`);
  }
}

function parseSetup(cell: string, row: Row): void {
  if (cell.trim() === "") {
    return;
  }
  for (const raw of cell.split(" | ").map((s) => s.trim())) {
    if (raw.startsWith("after:")) {
      const inner = parseStep(raw.slice(6));
      if (!inner.ok) {
        row.errors.push(inner.error);
      } else if (inner.step.kind !== "psql" && inner.step.kind !== "mariadb" && inner.step.kind !== "redis") {
        row.errors.push(`after: takes a psql, mariadb or redis step: ${raw}`);
      } else {
        row.after.push({ raw, step: inner.step });
      }
      continue;
    }
    const parsed = parseStep(raw);
    if (parsed.ok) {
      row.setup.push({ raw, step: parsed.step });
    } else {
      row.errors.push(parsed.error);
    }
  }
}

/** Parses one data line (1-based `line`) into a row; problems go to `row.errors`. */
export function parseRow(text: string, line: number): Row {
  const cells = text.split("\t");
  const get = (i: number) => cells[i] ?? "";
  const errors: string[] = [];
  if (cells.length !== COLUMNS.length) {
    errors.push(`expected ${COLUMNS.length} tab-separated cells, got ${cells.length}`);
  }
  const mode = parseMode(get(2));
  if (mode === undefined) {
    errors.push(`bad mode ${JSON.stringify(get(2))}`);
  }
  const expectExit = parseExpectExit(get(3));
  if (expectExit === undefined) {
    errors.push(`bad expect_exit ${JSON.stringify(get(3))}`);
  }
  const { notes, errors: noteErrors } = parseNotes(get(6));
  const { pairs, errors: rewriteErrors } = parseRewrite(get(8));
  const row: Row = {
    line,
    path: get(0),
    group: get(1),
    mode: mode ?? { kind: "batch" },
    expectExit: expectExit ?? 0,
    args: get(4),
    checks: [],
    notes,
    setup: [],
    after: [],
    rewrite: pairs,
    key: get(0),
    errors: [...errors, ...noteErrors, ...rewriteErrors],
  };
  if (row.path === "") {
    row.errors.push("empty path");
  }
  for (const raw of splitChecks(get(5))) {
    const parsed = parseCheck(raw);
    if (!parsed.ok) {
      row.errors.push(parsed.error);
    }
    row.checks.push({ raw, check: parsed.ok ? parsed.check : undefined });
  }
  parseSetup(get(7), row);
  return row;
}

/**
 * Parses the whole manifest. The header must name the 9 columns; blank lines are skipped.
 * Throws only when the header is wrong.
 */
export function parseManifest(text: string): Row[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t");
  if (header.join("\t") !== COLUMNS.join("\t")) {
    throw new Error(`manifest header must be: ${COLUMNS.join(" ")} (got ${JSON.stringify(lines[0] ?? "")})`);
  }
  const rows: Row[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() !== "") {
      rows.push(parseRow(line, i + 2));
    }
  });
  keyRows(rows);
  return rows;
}

/**
 * Row keys. A path that occurs once is its own key. When several rows share a path, the key is
 * `path` + ` ` + args (if any) + ` seq=<name>:<step>` (if in a sequence); if that is still ambiguous,
 * ` #<n>` (n-th such row in manifest order) is appended.
 */
export function keyRows(rows: Row[]): void {
  const byPath = new Map<string, number>();
  for (const r of rows) {
    byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1);
  }
  for (const r of rows) {
    if ((byPath.get(r.path) ?? 0) <= 1) {
      r.key = r.path;
      continue;
    }
    let key = r.path;
    if (r.args.trim() !== "") {
      key += ` ${r.args.trim()}`;
    }
    if (r.notes.seq !== undefined) {
      key += ` seq=${r.notes.seq.name}:${r.notes.seq.step}`;
    }
    r.key = key;
  }
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  }
  for (const group of byKey.values()) {
    if (group.length > 1) {
      group.forEach((r, i) => (r.key += ` #${i + 1}`));
    }
  }
}

/** Normalises a key for comparison (trimmed, runs of white space as one space). */
export function normalizeKey(key: string): string {
  return key.trim().replace(/\s+/g, " ");
}

/** Plugin names of a row: src/tf/sink from the notes, or the `'connector'` values of a .sql job file. */
export function rowPlugins(row: Row, jobText: string | undefined): string[] {
  if (row.path.endsWith(".sql")) {
    if (jobText === undefined) {
      return [];
    }
    return [...jobText.matchAll(/'connector'\s*=\s*'([^']*)'/gi)].map((m) => m[1] ?? "");
  }
  return [...row.notes.src, ...row.notes.tf, ...row.notes.sink];
}

/** True when every plugin of the row is in `allowed` (case-insensitive). A row without plugins is not selected. */
export function pluginsAllowed(plugins: string[], allowed: string[]): boolean {
  const set = new Set(allowed.map((p) => p.toLowerCase()));
  return plugins.length > 0 && plugins.every((p) => set.has(p.toLowerCase()));
}
