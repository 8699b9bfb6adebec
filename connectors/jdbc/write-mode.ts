/**
 * The Jdbc sink's write mode in words (Sink.describeWrite): per input table, append or upsert, by
 * which key and where the key came from, and what running the job again does to the target.
 */
import { tableId } from "../../src/api/index.ts";
import type { SinkOptions } from "./options.ts";
import type { TablePlan } from "./statements.ts";

/** Tables described one by one; a sink with more names how many others there are. */
const LISTED = 5;

export function describeJdbcWrite(o: SinkOptions, plans: Iterable<TablePlan>): string {
  const all = [...plans];
  const parts = all.slice(0, LISTED).map((p) => describePlan(o, p));
  if (all.length > LISTED) {
    parts.push(`and ${all.length - LISTED} more table(s)`);
  }
  const once = o.is_exactly_once ? "; exactly-once: XA transactions committed at each checkpoint" : "";
  return `${parts.join("; ")}${once}`;
}

function describePlan(o: SinkOptions, p: TablePlan): string {
  if (p.mode === "query" || !p.target) {
    return `the query for every row of input "${p.input}" (what a re-run does depends on the query)`;
  }
  const target = tableId(p.target);
  const keys = p.keys.map((k) => p.columns[k]!).join(", ");
  const origin = o.primary_keys?.length ? "from primary_keys" : `the primary key of input "${p.input}"`;
  if (p.mode === "upsert") {
    return `upsert into ${target} by (${keys}), ${origin}: ${rerun(o, "updates the same rows")}`;
  }
  const how = `append into ${target} (${p.mode === "copy" ? "COPY" : "INSERT"})`;
  if (!keys) {
    return `${how}: no primary_keys, and input "${p.input}" has no primary key: ${rerun(o, "duplicates rows")}`;
  }
  // A key that is not upserted by: enable_upsert is off, or support_upsert_by_insert_only is on.
  const why = o.enable_upsert ? "support_upsert_by_insert_only = true" : "enable_upsert = false";
  return `${how} though rows have a key (${keys}), ${origin}, because ${why}: ${rerun(o, "fails on the target's key or duplicates rows")}`;
}

/** What a second run does, given the save modes that run first. */
function rerun(o: SinkOptions, otherwise: string): string {
  if (o.schema_save_mode === "RECREATE_SCHEMA") {
    return "a re-run recreates the table first (schema_save_mode = RECREATE_SCHEMA)";
  }
  if (o.data_save_mode === "DROP_DATA") {
    return "a re-run empties the table first (data_save_mode = DROP_DATA)";
  }
  if (o.data_save_mode === "ERROR_WHEN_DATA_EXISTS") {
    return "a re-run fails while the table has rows (data_save_mode = ERROR_WHEN_DATA_EXISTS)";
  }
  return `a re-run ${otherwise}`;
}
