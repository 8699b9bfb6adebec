/**
 * The cross-database copy tests (tests/jdbc-types-cross-*.test.ts): one table per pair with a
 * column per type case, copied by the binary with the sink creating the table; each case states
 * the type SeaTunnel's mapping tables give it on the target, the values' text there when it is not
 * the source's, and the reason the job's warning gives when the mapping is lossy.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureService, MY_URL, PG_URL, uniqueName } from "./services.ts";
import {
  copyJob,
  createSql,
  Database,
  insertSql,
  type JobRun,
  liteConn,
  liteFile,
  liteTypes,
  liteValues,
  MY_CONN,
  myTypes,
  PG_CONN,
  pgTypes,
  pgValues,
  type TypeCase,
} from "./jdbc-types.ts";

export interface CrossCase extends TypeCase {
  created: string;
  /** The values' text on the target, one per value (default: the source's text). */
  want?: (string | null)[];
  /** The reason the job's warning gives for the column (it must not be named otherwise). */
  lossy?: string;
}

type Texts = Map<string, (string | null)[]>;

/** One database of a pair: its source table `src` and sink table `dst` in a namespace of its own. */
export interface End {
  name: string;
  source: string;
  sink: string;
  fill(cases: TypeCase[]): Promise<void>;
  types(table: "src" | "dst"): Promise<Map<string, string>>;
  texts(table: "src" | "dst", cases: TypeCase[]): Promise<Texts>;
  down(): Promise<void>;
}

export function pgEnd(): End {
  const sql = new Bun.SQL(PG_URL, { max: 1 });
  const ns = uniqueName("cross");
  return {
    name: "PostgreSQL",
    source: `${PG_CONN}\ntable_path = "test.${ns}.src"`,
    sink: `${PG_CONN}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${ns}.dst"`,
    fill: async (cases) => {
      await ensureService("postgres");
      await sql.unsafe(`CREATE SCHEMA ${ns}`);
      await sql.unsafe(createSql(`${ns}.src`, cases));
      await sql.unsafe(insertSql(`${ns}.src`, cases));
    },
    types: (t) => pgTypes(sql, `${ns}.${t}`),
    texts: (t, cases) => pgValues(sql, `${ns}.${t}`, t === "src" ? cases : cases.map(({ text: _, ...c }) => c)),
    down: async () => {
      await sql.unsafe(`DROP SCHEMA IF EXISTS ${ns} CASCADE`);
      await sql.close();
    },
  };
}

/** MariaDB's text of a value: numbers, times and strings as text, binary types in hex, FLOAT as the double it is. */
function myText(type: string, col: string): string {
  const q = `\`${col}\``;
  if (/^float/.test(type)) {
    return `CAST(${q} + 0e0 AS CHAR)`;
  }
  return /blob|binary|^bit/.test(type) ? `HEX(${q})` : `CAST(${q} AS CHAR)`;
}

export function myEnd(): End {
  const sql = new Bun.SQL(MY_URL, { max: 1 });
  const ns = uniqueName("cross");
  const types = (t: string) => myTypes(sql, `${ns}_${t}`);
  return {
    name: "MariaDB",
    source: `${MY_CONN}\ntable_path = "test.${ns}_src"`,
    sink: `${MY_CONN}\ngenerate_sink_sql = true\ndatabase = test\ntable = "${ns}_dst"`,
    fill: async (cases) => {
      await ensureService("mariadb");
      await sql.unsafe(createSql(`test.${ns}_src`, cases, "`"));
      await sql.unsafe(insertSql(`test.${ns}_src`, cases, "`"));
    },
    types,
    texts: async (t, cases) => {
      const ts = await types(t);
      const expr = (c: TypeCase) =>
        t === "src" && c.text ? c.text.replaceAll("%", `\`${c.col}\``) : myText(ts.get(c.col) ?? "", c.col);
      const rows = (await sql.unsafe(
        `SELECT ${cases.map((c) => `${expr(c)} AS \`${c.col}\``).join(", ")} FROM test.${ns}_${t} ORDER BY id`,
      )) as Record<string, string | null>[];
      return new Map(cases.map((c) => [c.col, rows.map((r) => r[c.col] ?? null)]));
    },
    down: async () => {
      await sql.unsafe(`DROP TABLE IF EXISTS test.${ns}_src, test.${ns}_dst`);
      await sql.close();
    },
  };
}

export function liteEnd(): End {
  const file = liteFile(uniqueName("cross"));
  const open = () => new Database(file, { safeIntegers: true });
  return {
    name: "SQLite",
    source: `${liteConn(file)}\ntable_path = "src"`,
    sink: `${liteConn(file)}\ngenerate_sink_sql = true\ntable = "dst"`,
    fill: async (cases) => {
      const db = new Database(file);
      db.run(createSql("src", cases));
      db.run(insertSql("src", cases));
      db.close();
    },
    types: async (t) => {
      const db = open();
      const m = liteTypes(db, t);
      db.close();
      return m;
    },
    texts: async (t, cases) => {
      const db = open();
      const m = liteValues(db, t, cases);
      db.close();
      return m;
    },
    down: async () => {},
  };
}

const literally = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The copy of every case from one end to the other, a test per case. */
export function crossSuite(from: () => End, to: () => End, cases: CrossCase[]): void {
  const a = from();
  const b = to();
  let run: JobRun;
  let created: Map<string, string>;
  let src: Texts;
  let dst: Texts;
  const rows = Math.max(...cases.map((c) => c.values.length)) + 1;
  describe(`${a.name} to ${b.name}, type by type`, () => {
    beforeAll(async () => {
      await a.fill(cases);
      run = await copyJob(a.source, b.sink);
      created = await b.types("dst");
      src = await a.texts("src", cases);
      dst = await b.texts("dst", cases);
    });
    afterAll(async () => {
      await a.down();
      await b.down();
    });

    test("the job succeeds", () => {
      expect(run.code).toBe(0);
      expect(run.stderr.split("\n").filter((l) => l && !l.includes(" WARN "))).toEqual([]);
    });

    for (const c of cases) {
      test(`${c.type} becomes ${c.created}${c.note ? ` ${c.note}` : ""}${c.lossy ? `, and the job warns it ${c.lossy}` : ""}`, () => {
        expect(created.get(c.col)).toBe(c.created);
        const want = c.want ? [...c.want, ...Array(rows - c.want.length).fill(null)] : src.get(c.col);
        expect(dst.get(c.col)).toEqual(want!);
        const named = new RegExp(`"${c.col}" [^;]*${literally(c.lossy ?? "")}`);
        if (c.lossy) {
          expect(run.stderr).toMatch(named);
        } else {
          expect(run.stderr).not.toMatch(new RegExp(`"${c.col}" `));
        }
      });
    }
  });
}
