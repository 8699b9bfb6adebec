/**
 * What env says about SeaTunnel's error handler keys this engine does not read. SeaTunnel's
 * `env.error_handler` (and its stage blocks `sink_error_handler` / `transform_error_handler`) route
 * rows that fail in a transform or sink to an error sink; here `error_handler` rejects the records
 * readers cannot read, into reject files. Its other keys would be accepted silently (a nested block
 * only needs one known key), so each one gets a warning saying it has no effect.
 */
import { ConfigError } from "../api/errors.ts";
import type { Entry, ObjectNode } from "../api/tree.ts";

const READ = new Set(["mode", "max_error_records", "reject_dir"]);
const STAGES = ["sink_error_handler", "transform_error_handler"];

/** SeaTunnel's keys inside error_handler that this engine does not act on. */
const SEATUNNEL_KEYS = new Set([
  "max_error_ratio",
  "max_error_ratio_min_records",
  "queue_capacity",
  "queue_overflow_policy",
  "include_original_data",
  "include_stacktrace",
  "original_data_format",
  "original_data_max_length",
  "sink",
]);

/** True for an env warning this module replaces with its own (an unknown key it explains). */
export function explainedKey(w: ConfigError): boolean {
  return /option "(sink_error_handler|transform_error_handler|error_handler\.)/.test(w.message);
}

/** Warnings for the error handler keys of `env` that have no effect here. */
export function errorHandlerWarnings(env: ObjectNode | undefined): ConfigError[] {
  const out: ConfigError[] = [];
  for (const e of env?.entries ?? []) {
    const stage = STAGES.find((s) => e.key === s || e.key.startsWith(`${s}.`));
    if (stage) {
      out.push(
        new ConfigError(
          "CONFIG_OPTION_UNSUPPORTED",
          `env: "${stage}" has no effect here: a row that fails in a transform or sink fails the job; "error_handler" rejects the rows that readers cannot read`,
          e.keyPos,
        ),
      );
    } else if (e.key === "error_handler" && e.value.kind === "object") {
      for (const inner of e.value.entries) {
        out.push(...unread(inner.key, inner));
      }
    } else if (e.key.startsWith("error_handler.")) {
      out.push(...unread(e.key.slice("error_handler.".length), e));
    }
  }
  return out;
}

function unread(key: string, e: Entry): ConfigError[] {
  const top = key.split(".")[0]!;
  if (READ.has(key)) {
    return [];
  }
  const why = SEATUNNEL_KEYS.has(top)
    ? top === "sink"
      ? "rejected rows go to reject files (error_handler.reject_dir), not to an error sink"
      : "only error_handler.mode, max_error_records and reject_dir are read"
    : "the keys read are mode, max_error_records and reject_dir";
  return [
    new ConfigError(
      "CONFIG_OPTION_UNSUPPORTED",
      `env: option "error_handler.${top}" has no effect here: ${why}`,
      e.keyPos,
    ),
  ];
}
