/**
 * Job file → positioned tree: picks the reader by extension (`.json`, `.toml`, `.sql`, anything
 * else HOCON), resolves variables (FACTS §1.4) and applies the `-i` placeholder pass.
 */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { ConfigError } from "../api/errors.ts";
import { readHocon } from "./hocon.ts";
import type { ResolveOptions } from "./hocon-resolve.ts";
import { parseJson } from "./json.ts";
import type { ObjectNode } from "../api/tree.ts";
import { applyPlaceholders } from "./variables.ts";

export type ReadOptions = ResolveOptions;

/** Parses job text named `file` (used for positions and to choose the syntax); throws ConfigError. */
export async function readJob(text: string, file: string, opts: ReadOptions): Promise<ObjectNode> {
  const ext = extname(file).toLowerCase();
  let tree: ObjectNode;
  if (ext === ".json") {
    tree = parseJson(text, file);
  } else if (ext === ".toml") {
    tree = await (await import("./toml.ts")).parseToml(text, file);
  } else if (ext === ".sql") {
    tree = (await import("./sql.ts")).readSqlJob(text, file, opts);
  } else {
    tree = readHocon(text, file, opts);
  }
  return applyPlaceholders(tree, opts.variables);
}

/** Reads and parses a job file; a missing file is CONFIG_FILE_NOT_FOUND (no position). */
export async function readJobFile(path: string, opts: ReadOptions): Promise<ObjectNode> {
  let text: string;
  try {
    if (!(await stat(path)).isFile()) {
      throw new ConfigError("CONFIG_FILE_NOT_FOUND", `job file "${path}" is not a regular file`);
    }
    text = await readFile(path, "utf8");
  } catch (err) {
    if (err instanceof ConfigError) {
      throw err;
    }
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new ConfigError("CONFIG_FILE_NOT_FOUND", `job file "${path}" does not exist`);
    }
    throw new ConfigError(
      "CONFIG_FILE_UNREADABLE",
      `reading job file "${path}": ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return readJob(text, path, opts);
}
