/**
 * Reader for SeaTunnel's SQL job files (`.sql`). Builds the same positioned tree as the HOCON reader,
 * mapping statements the way SeaTunnel's SqlConfigBuilder does (at the corpus commit):
 * - `/* config` ... `*\/` blocks (a line that is exactly `/* config` up to a line that is exactly `*\/`)
 *   are HOCON (usually `env { ... }`); lines starting with `--` inside them are dropped.
 * - `CREATE TABLE t WITH ('connector' = 'X', 'type' = 'source' | 'sink', 'k' = 'v', ...)` declares a
 *   plugin: plugin_name = connector; `connector`, `type` and `result_table_name` are not copied; a
 *   source gets `result_table_name = "t"`; a sink's own `source_table_name` is dropped. A value whose
 *   trimmed text is `{...}` or `[...]` is HOCON; any other value is a string (a multi-line value's lines
 *   are trimmed and joined with a space, and HOCON escapes such as `\n` are decoded, as SeaTunnel's
 *   generated `key = "value"` does). Other types are ignored, as SeaTunnel does.
 * - `CREATE TABLE t AS SELECT ... FROM s` → Sql transform {source_table_name = s, query, result_table_name = t}.
 * - `INSERT INTO k SELECT ... FROM s` → Sql transform with result_table_name `s__temp<n>` (n counts
 *   INSERTs with FROM from 1), and a copy of sink k with `source_table_name` = that name.
 *   `INSERT INTO k SELECT s` (no FROM) wires sink k straight to s, without a transform.
 * Extension (SeaTunnel rejects it): `SET key = value` sets an env key.
 */
import { ConfigError, ConfigErrors } from "../api/errors.ts";
import type { RawObject } from "./hocon.ts";
import { type ResolveOptions, resolveHocon } from "./hocon-resolve.ts";
import type { ObjectNode } from "../api/tree.ts";
import { Source, lex } from "./sql-lexer.ts";
import { Parser } from "./sql-statements.ts";
import { build } from "./sql-build.ts";

/**
 * Reads a `.sql` job file into the positioned tree, resolving unquoted `${x}` substitutions of the
 * HOCON parts like readHocon does. Throws only ConfigError (several unresolved variables: the first,
 * naming how many more there are).
 */
export function readSqlJob(
  text: string,
  file: string,
  opts: ResolveOptions = { variables: new Map(), env: process.env },
): ObjectNode {
  try {
    return resolveHocon(parseSqlJob(text, file), opts);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    const first = e instanceof ConfigErrors ? e.errors[0] : undefined;
    if (first) {
      throw new ConfigError(
        first.code,
        `${first.message} (and ${(e as ConfigErrors).errors.length - 1} more like it)`,
        first.pos,
      );
    }
    throw new ConfigError(
      "CONFIG_SQL_INVALID",
      `cannot resolve the SQL job file: ${e instanceof Error ? e.message : String(e)}`,
      { file, line: 1, col: 1 },
    );
  }
}

/** The raw tree of a `.sql` job file (substitutions unresolved); throws only ConfigError. */
export function parseSqlJob(text: string, file: string): RawObject {
  try {
    const src = new Source(text, file);
    const { toks, configLines } = lex(src);
    return build(src, new Parser(src, toks).statements(), configLines);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    throw new ConfigError(
      "CONFIG_SQL_SYNTAX",
      `cannot read the SQL job file: ${e instanceof Error ? e.message : String(e)}`,
      { file, line: 1, col: 1 },
    );
  }
}
