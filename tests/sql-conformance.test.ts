/**
 * Every Sql block of SeaTunnel's conformance job files plans (`--check`-style create()) against
 * the schema its upstream source declares, and runs over the source's fixed `rows` when it lists any.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { catalogTable, parseSchema, RowKind, valueFromConfig, type Row, type TableSchema } from "../src/api/index.ts";
import { parseOptions } from "../src/api/parse-options.ts";
import { buildJob, type PluginBlock } from "../src/config/job.ts";
import { readJob } from "../src/config/read.ts";
import { getEntry } from "../src/api/tree.ts";
import { sqlTransform, type QueryText } from "../connectors/sql/index.ts";
import { parseQuery } from "../connectors/sql/parser.ts";
import { context } from "../connectors/sql/test-helpers.ts";

const CORPUS = resolve(import.meta.dir, "..", "..", "shared", "conformance");
/** Values for the `-i` variables the engine group's job files use (as in the manifest). */
const VARIABLES = new Map(
  Object.entries({
    resName: "a20240101",
    rowNum: "10",
    strTemplate: "[abc,def]",
    nameType: "string",
    nameVal: "abc",
    sourceTableName: "sql",
    ageType: "int",
  }),
);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Job files (set-up and data folders hold database scripts) with a Sql block or a `.sql` job's SELECT. */
function isSqlJob(p: string): boolean {
  if (/\/(setup|data)\//.test(p)) {
    return false;
  }
  const text = readFileSync(p, "utf8");
  if (p.endsWith(".sql")) {
    return text.includes("/* config") && /INSERT INTO\s+\S+\s+SELECT[\s\S]+FROM/i.test(text);
  }
  return p.endsWith(".conf") && /\bsql\s*\{/i.test(text);
}

const jobFiles = existsSync(CORPUS) ? walk(CORPUS).filter(isSqlJob) : [];

/** The upstream source's table, from its `schema` option; undefined when it has none (CDC reads it from the database). */
function upstreamTable(sources: PluginBlock[], sql: PluginBlock): { table: TableSchema; rows: Row[] } | undefined {
  const src = sources.find((s) => s.output !== undefined && sql.inputs?.includes(s.output)) ?? sources[0];
  const schema = src && getEntry(src.node, "schema")?.value;
  if (!src || !schema) {
    return undefined;
  }
  const table = catalogTable(parseSchema(schema), src.output);
  const rowsNode = getEntry(src.node, "rows")?.value;
  const rows: Row[] = [];
  if (rowsNode?.kind === "array") {
    for (const item of rowsNode.items) {
      const fields = item.kind === "object" ? getEntry(item, "fields")?.value : undefined;
      if (fields?.kind !== "array") {
        continue;
      }
      rows.push({
        kind: RowKind.INSERT,
        table: table.id,
        fields: table.columns.map((c, i) =>
          fields.items[i] ? valueFromConfig(fields.items[i]!, c.type, c.name) : null,
        ),
      });
    }
  }
  return { table, rows };
}

describe("conformance Sql queries", () => {
  test("the corpus has Sql jobs to check", () => {
    if (!existsSync(CORPUS)) {
      return;
    }
    expect(jobFiles.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of jobFiles) {
    test(`${relative(CORPUS, file)} plans, and runs its fixed rows`, async () => {
      const root = await readJob(readFileSync(file, "utf8"), file, { variables: VARIABLES, env: {} });
      const { job, errors } = buildJob(root, file);
      expect(errors.map((e) => e.format())).toEqual([]);
      const blocks = job!.transforms.filter((t) => t.name.toLowerCase() === "sql");
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        const parsed = parseOptions(block.label, block.node, sqlTransform.options);
        expect(parsed.errors.map((e) => e.format())).toEqual([]);
        const up = upstreamTable(job!.sources, block);
        if (!up) {
          expect(parseQuery((parsed.values.query as QueryText).text).items.length).toBeGreaterThan(0);
          continue;
        }
        const t = sqlTransform.create(parsed.values, [up.table], context());
        expect(t.outputs[0]!.columns.length).toBeGreaterThan(0);
        if (file.endsWith("batch_fakesource_to_console_error.conf")) {
          continue;
        }
        const width = t.outputs[0]!.columns.length;
        for (const row of t.process(up.rows)) {
          expect(row.fields.length).toBe(width);
        }
      }
    });
  }
});
