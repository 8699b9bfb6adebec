/**
 * Metadata (MetadataTransform): appends row metadata as fields — Database, Table (from the row's
 * table id), RowKind (+I/-U/+U/-D), and EventTime, Delay (BIGINT) and Partition (STRING), which
 * only CDC and Kafka sources carry in SeaTunnel; this engine's rows carry none, so they are null.
 */
import {
  ConfigError,
  didYouMean,
  parseTablePath,
  ROW_KIND_SHORT,
  T,
  type Column,
  type DataType,
  type OptionValues,
  type PluginContext,
  type Row,
  type TableSchema,
  type TableStep,
} from "../../src/api/index.ts";
import { fieldOutput } from "../common/fields.ts";
import type { metadataOptions } from "./index.ts";

export type MetadataOptions = OptionValues<typeof metadataOptions>;

export const METADATA_KEYS: Record<string, DataType> = {
  Database: T.string,
  Table: T.string,
  RowKind: T.string,
  EventTime: T.bigint,
  Delay: T.bigint,
  Partition: T.string,
};

export function metadataStep(ctx: PluginContext, table: TableSchema, o: MetadataOptions): TableStep {
  const pairs = o.metadata_fields ?? [];
  const keys = Object.keys(METADATA_KEYS);
  const names = new Set(table.columns.map((c) => c.name));
  for (const [key, name] of pairs) {
    if (!(key in METADATA_KEYS)) {
      const hint = didYouMean(key, keys);
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `${ctx.label}: metadata_fields names "${key}", which is not a metadata key${hint ? `; did you mean "${hint}"?` : ""} (keys, case-sensitive: ${keys.join(", ")})`,
      );
    }
    if (names.has(name)) {
      throw new ConfigError(
        "CONFIG_OPTION_INVALID",
        `${ctx.label}: metadata_fields maps ${key} to "${name}", which table "${table.id}" already has`,
      );
    }
    names.add(name);
  }
  const added: Column[] = pairs.map(([key, name]) => ({ name, type: METADATA_KEYS[key]!, nullable: true }));
  const { output, indexes, width } = fieldOutput(table, added);
  if (pairs.length === 0) {
    return { output, row: (r) => r, batch: (rows) => rows };
  }
  // The row's table id is the table's: the path parts are constants of the step.
  const path = parseTablePath(table.id);
  const constants: unknown[] = pairs.map(([key]) =>
    key === "Database" ? (path.database ?? null) : key === "Table" ? path.table : null,
  );
  const kindAt = pairs.flatMap(([key], k) => (key === "RowKind" ? [indexes[k]!] : []));
  const n = indexes.length;
  const row = (r: Row): Row => {
    const f = r.fields.slice();
    f.length = width;
    for (let k = 0; k < n; k++) {
      f[indexes[k]!] = constants[k];
    }
    for (const at of kindAt) {
      f[at] = ROW_KIND_SHORT[r.kind];
    }
    return { kind: r.kind, table: r.table, fields: f };
  };
  return { output, row };
}
