/**
 * The LocalFile sink's write mode in words (Sink.describeWrite): which files it writes where, and
 * what running the job again does to the files already there.
 */
import type { SinkOptions } from "./options.ts";

export function describeFileWrite(o: SinkOptions, paths: string[]): string {
  const where = paths.map((p) => `"${p}"`).join(", ");
  const commit = o.is_enable_transaction ? ", moved there on commit" : "";
  const files = `writes new ${o.file_format_type} files into ${where} (${o.file_name_expression}_<part>${commit})`;
  return `${files}; ${rerun(o)}`;
}

/** Where `seatunnel plan` says a table goes: its directory, the file format and what a re-run does. */
export function fileTarget(o: SinkOptions, path: string): string {
  return `"${path}", ${o.file_format_type} files: ${rerun(o)}`;
}

function rerun(o: SinkOptions): string {
  if (o.schema_save_mode === "RECREATE_SCHEMA") {
    return "a re-run deletes and recreates the directory first (schema_save_mode = RECREATE_SCHEMA)";
  }
  if (o.data_save_mode === "DROP_DATA") {
    return "a re-run deletes the files there first (data_save_mode = DROP_DATA)";
  }
  if (o.data_save_mode === "ERROR_WHEN_DATA_EXISTS") {
    return "a re-run fails while files are there (data_save_mode = ERROR_WHEN_DATA_EXISTS)";
  }
  // Each run has its own transaction id (and uuid), so its file names are new.
  return /\$\{(transactionId|uuid)\}/.test(o.file_name_expression)
    ? "a re-run adds its files next to the earlier ones (data_save_mode = APPEND_DATA)"
    : "a re-run overwrites files of the same name and keeps the others (data_save_mode = APPEND_DATA)";
}
