/**
 * What a LocalFile source reads, decided at plan time: per table its format, options, files,
 * data columns (declared, inferred from a parquet/orc file, or SeaTunnel's fixed text/binary
 * columns), the read_columns projection and the partition columns taken from the first file's
 * path (BaseFileSourceConfig.parseCatalogTable + AbstractReadStrategy.mergePartitionTypes).
 */
import {
  type Column,
  catalogTable,
  ConfigError,
  type RowPromises,
  type SchemaSpec,
  T,
  type TableSchema,
} from "../../src/api/index.ts";
import { type ListedFile, listFiles, partitionsOf } from "./listing.ts";
import type { FileFormat, SourceTableOptions } from "./options.ts";

export interface TablePlan {
  index: number;
  table: TableSchema;
  format: FileFormat;
  o: SourceTableOptions;
  files: ListedFile[];
  /** Every data column of the file, before projection. */
  dataColumns: Column[];
  /** For each output data column, its index in dataColumns. */
  projection: number[];
  /** Partition column names (string columns after the data columns). */
  partitionNames: string[];
}

/** A file or a byte range of one; `skipRows` rows of it were already emitted (restore). */
export interface FileSplit {
  table: number;
  path: string;
  size: number;
  start: number;
  end?: number;
  /** The range starts at the file's beginning (header lines are skipped there only). */
  first: boolean;
  skipRows?: number;
}

export const CONTENT_COLUMN: Column = { name: "content", type: T.string, nullable: true };
export const BINARY_COLUMNS: Column[] = [
  { name: "data", type: T.bytes, nullable: true },
  { name: "relativePath", type: T.string, nullable: true },
  { name: "partIndex", type: T.bigint, nullable: true },
];

const SCHEMA_FORMATS: readonly FileFormat[] = ["text", "csv", "json", "excel", "xml"];

/** Schema columns from a parquet/orc file, read at plan time (SeaTunnel does the same). */
export type InferSchema = (format: "parquet" | "orc", path: string) => Promise<Column[]>;

export interface PlanContext {
  label: string;
  outputName?: string;
  checkOnly: boolean;
  infer: InferSchema;
}

export async function planTable(index: number, o: SourceTableOptions, ctx: PlanContext): Promise<TablePlan> {
  const label = ctx.label;
  if (o.path === undefined) {
    throw new ConfigError("CONFIG_OPTION_MISSING", `${label}: option "path" is required (a file or directory to read)`);
  }
  if (o.file_format_type === undefined) {
    throw new ConfigError(
      "CONFIG_OPTION_MISSING",
      `${label}: option "file_format_type" is required (text, csv, json, parquet, orc, excel, xml or binary)`,
    );
  }
  const format = o.file_format_type;
  let files: ListedFile[] = [];
  try {
    const listOpts = {
      ...(o.file_filter_pattern !== undefined ? { filterPattern: o.file_filter_pattern } : {}),
      ...(o.read_partitions ? { readPartitions: o.read_partitions } : {}),
    };
    files = listFiles(o.path, listOpts);
  } catch (e) {
    if (!ctx.checkOnly) {
      throw new ConfigError("CONFIG_VALUE_INVALID", `${label}: ${(e as Error).message}`);
    }
  }
  const spec: SchemaSpec | undefined = o.schema;
  let dataColumns: Column[];
  if (format === "binary") {
    dataColumns = BINARY_COLUMNS;
  } else if (format === "parquet" || format === "orc") {
    if (files.length === 0) {
      dataColumns = spec?.columns ?? [];
    } else {
      try {
        dataColumns = await ctx.infer(format, files[0]!.path);
      } catch (e) {
        throw new ConfigError(
          "CONFIG_VALUE_INVALID",
          `${label}: reading the schema of "${files[0]!.path}": ${(e as Error).message}`,
        );
      }
    }
  } else if (spec && spec.columns.length > 0) {
    dataColumns = spec.columns;
  } else if (format === "text" || format === "csv") {
    dataColumns = spec ? spec.columns : [CONTENT_COLUMN];
  } else {
    dataColumns = spec?.columns ?? [];
  }
  const hasSchema = SCHEMA_FORMATS.includes(format) && spec !== undefined && spec.columns.length > 0;
  if (o.read_columns && SCHEMA_FORMATS.includes(format) && !hasSchema) {
    throw new ConfigError(
      "CONFIG_VALIDATION_FAILED",
      `${label}: When reading ${format} files, if user has not specified schema information, SeaTunnel will not support column projection`,
    );
  }
  const projection = projectionOf(dataColumns, o.read_columns, label);
  const partitionNames =
    o.parse_partition_from_path && format !== "binary" && files[0] ? partitionsOf(files[0].path).map(([k]) => k) : [];
  const columns: Column[] = [
    ...projection.map((i) => dataColumns[i]!),
    ...partitionNames.map((name) => ({ name, type: T.string, nullable: true })),
  ];
  const base = catalogTable(spec ?? { columns: [] }, ctx.outputName);
  // Offline, a parquet/orc path without files yet (an earlier job writes them) has columns nobody knows.
  const unknown =
    ctx.checkOnly && files.length === 0 && (format === "parquet" || format === "orc") && !spec?.columns.length;
  const table = { ...base, columns, ...(unknown ? { unknownColumns: true } : {}) };
  return { index, table, format, o, files, dataColumns, projection, partitionNames };
}

function projectionOf(columns: Column[], readColumns: string[] | undefined, label: string): number[] {
  if (!readColumns || readColumns.length === 0) {
    return columns.map((_, i) => i);
  }
  return readColumns.map((name) => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) {
      throw new ConfigError(
        "CONFIG_VALUE_INVALID",
        `${label}: read_columns names "${name}", which is not a column (known: ${columns.map((c) => `"${c.name}"`).join(", ")})`,
      );
    }
    return i;
  });
}

/** Builds output rows: projected data fields, then the partition values of the file. */
export function partitionValues(plan: TablePlan, path: string): string[] {
  if (plan.partitionNames.length === 0) {
    return [];
  }
  const map = new Map(partitionsOf(path));
  return plan.partitionNames.map((k) => map.get(k) ?? null) as string[];
}

/**
 * How a csv or text reader may pass rows on, from what its consumers promise (ReaderContext.consumers):
 * rows that keep their text (`textRows`), decimals cut to their stripped text (`cutDecimals`), and
 * row objects and buffers used again for the next batch (`reuse`).
 */
export interface TextMode {
  textRows: boolean;
  cutDecimals: boolean;
  reuse: boolean;
  debug?: (m: string) => void;
}

/** The text mode a reader gets from its consumers' promises. */
export function textModeOf(consumers: RowPromises | undefined, debug?: (m: string) => void): TextMode {
  const textRows = consumers?.sourceText === true;
  return {
    textRows,
    cutDecimals: textRows && consumers?.seaTunnelText === true,
    reuse: textRows && consumers?.releasesRows === true,
    ...(debug ? { debug } : {}),
  };
}

/** The field delimiter of a text or csv table: the option, else csv's comma or text's \u0001 (a file read whole as `content`: none). */
export function fieldDelimiterOf(plan: TablePlan): string {
  if (plan.dataColumns.length === 1 && plan.dataColumns[0]!.name === "content" && !plan.o.schema) {
    return "\b";
  }
  return plan.o.field_delimiter ?? (plan.format === "csv" ? "," : "\u0001");
}
