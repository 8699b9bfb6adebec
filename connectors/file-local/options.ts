/**
 * LocalFile options, SeaTunnel's keys and defaults (BaseSourceConfigOptions, BaseSinkConfig),
 * declared once for the source and once for the sink. Options we add are marked "Not in SeaTunnel".
 */
import { opt, type Opt, type OptionValues, schemaOption } from "../../src/api/index.ts";
import { describeNode } from "../../src/api/convert.ts";
import { parseOptions } from "../../src/api/parse-options.ts";
import { DATE_FORMATS, DATETIME_FORMATS, TIME_FORMATS } from "../file-common/temporal.ts";
import { saveModeOptions } from "../common/options.ts";

export const FORMATS = ["text", "csv", "json", "parquet", "orc", "excel", "xml", "binary"] as const;
export type FileFormat = (typeof FORMATS)[number];
export const COMPRESS_CODECS = ["none", "lzo", "gzip", "snappy", "lz4", "zstd", "zlib", "brotli"] as const;
export type CompressCodec = (typeof COMPRESS_CODECS)[number];
export const ARCHIVE_CODECS = ["none", "zip", "tar", "tar_gz", "gz"] as const;

const formatOpt = (values: readonly string[], def: string, what: string) =>
  opt.string({ default: def, doc: `${what} pattern, one of ${values.join(", ")}` });

/** Options shared by source and sink. */
const common = {
  field_delimiter: opt.string({
    doc: "Field separator of text and csv files (default \\u0001, or , for csv); a longer value with regex characters is a Java regex when reading, as in SeaTunnel",
    fallbackKeys: ["delimiter"],
  }),
  row_delimiter: opt.string({
    default: "\n",
    doc: "Row separator of text and csv files; \\n also accepts \\r\\n when reading",
  }),
  encoding: opt.string({ default: "UTF-8", doc: "Charset of text, csv, json and xml files (UTF-8, GBK, ISO-8859-1…)" }),
  date_format: formatOpt(DATE_FORMATS, "yyyy-MM-dd", "Date"),
  datetime_format: formatOpt(DATETIME_FORMATS, "yyyy-MM-dd HH:mm:ss", "Timestamp"),
  time_format: formatOpt(TIME_FORMATS, "HH:mm:ss", "Time"),
  compress_codec: opt.enum({
    values: COMPRESS_CODECS,
    default: "none",
    doc: "Compression of text, csv and json files (none, lzo, gzip); parquet writes none, snappy, gzip or zstd and detects it when reading; orc detects it when reading",
  }),
  sheet_name: opt.string({ doc: "Excel sheet to read or write (default: the first sheet / Sheet${n})" }),
  xml_row_tag: opt.string({ doc: "Tag of one row in xml files (sink default RECORD)" }),
  xml_use_attr_format: opt.bool({ doc: "XML fields are attributes of the row tag (true) or child elements (false)" }),
  schema: schemaOption({
    required: false,
    doc: "Table schema: fields { name = type } or columns = [...]; required for text, csv, json, excel and xml when the columns are not the single `content` column",
  }),
};

export const sourceTableOptions = {
  path: opt.string({
    doc: "File or directory to read (directories are read recursively; files starting with . or _SUCCESS are skipped)",
  }),
  file_format_type: opt.enum({ values: FORMATS, doc: "text, csv, json, parquet, orc, excel, xml or binary" }),
  ...common,
  parse_partition_from_path: opt.bool({
    default: true,
    doc: "Adds `k=v` directory names of the first file as string columns",
  }),
  skip_header_row_number: opt.int({
    default: 0,
    min: 0,
    doc: "Lines skipped at the start of every text/csv file (rows of excel sheets)",
  }),
  read_partitions: opt.list({
    of: "string",
    doc: "Read only files whose path contains one of these partition directories (e.g. name=tyrantlucifer)",
  }),
  read_columns: opt.list({ of: "string", doc: "Columns to read (projection), in this order" }),
  file_filter_pattern: opt.string({ doc: "Java regex a file name must match to be read" }),
  archive_compress_codec: opt.enum({
    values: ARCHIVE_CODECS,
    default: "none",
    doc: "Files are archives: zip, tar, tar_gz (entries of the file format are read) or gz",
  }),
  null_format: opt.string({ doc: "Text that reads as null in text and csv files" }),
  csv_use_header_line: opt.bool({
    default: false,
    doc: "The first csv line names the columns; values are matched to schema columns by name",
  }),
  binary_chunk_size: opt.int({
    default: 1024,
    min: 1,
    max: 100 * 1024 * 1024,
    doc: "Bytes per row of the binary format",
  }),
  binary_complete_file_mode: opt.bool({ default: false, doc: "Binary format: one row per file instead of chunks" }),
  ragged_rows: opt.enum({
    values: ["fill", "error", "skip"],
    default: "fill",
    doc: "Not in SeaTunnel. A text/csv line with fewer or more fields than the schema: fill (SeaTunnel: missing fields null, extra ignored), error (fail naming file, line and column; with env error_handler on, the line is rejected instead), skip (skip it and log how many)",
  }),
  enable_file_split: opt.bool({
    default: true,
    doc: "Splits large uncompressed text, csv and json files into byte ranges read in parallel; a csv file only before its first quote (SeaTunnel's default is false; row order across readers is not kept either way)",
  }),
  file_split_size: opt.long({
    default: 64n * 1024n * 1024n,
    min: 1024n,
    doc: "Bytes per split when enable_file_split is on",
  }),
};

export type SourceTableOptions = OptionValues<typeof sourceTableOptions>;

function tablesConfigsOption(): Opt<SourceTableOptions[]> {
  const meta = opt.node({
    doc: "Several tables from one source: each item is a complete LocalFile source config with its own path and schema",
    type: "list<object>",
    expects: "a list of LocalFile source configs",
  }).meta;
  return {
    meta,
    parse(node) {
      if (node.kind !== "array") {
        return { ok: false, pos: node.pos };
      }
      const out: SourceTableOptions[] = [];
      for (const [i, item] of node.items.entries()) {
        if (item.kind !== "object") {
          return { ok: false, message: `tables_configs[${i}] is ${describeNode(item)}, not an object`, pos: item.pos };
        }
        const res = parseOptions(`tables_configs[${i}]`, item, sourceTableOptions);
        if (res.errors[0]) {
          return { ok: false, error: res.errors[0] };
        }
        out.push(res.values as SourceTableOptions);
      }
      return { ok: true, value: out };
    },
  };
}

export const sourceOptions = { ...sourceTableOptions, tables_configs: tablesConfigsOption() };
export type SourceOptions = SourceTableOptions & { tables_configs?: SourceTableOptions[] };

export const sinkOptions = {
  path: opt.string({
    required: true,
    nonEmpty: true,
    doc: "Target directory; ${table_name} and the other table placeholders are replaced per table",
  }),
  tmp_path: opt.string({
    default: "/tmp/seatunnel",
    doc: "Files are written under <tmp_path>/seatunnel/<jobId>/… and moved to path on commit",
  }),
  file_format_type: opt.enum({
    values: FORMATS,
    default: "csv",
    doc: "text, csv, json, parquet, orc, excel, xml or binary",
  }),
  ...common,
  have_partition: opt.bool({ default: false, doc: "Write rows into partition directories (partition_by)" }),
  partition_by: opt.list({ of: "string", doc: "Columns whose values name the partition directories" }),
  partition_dir_expression: opt.string({
    default: "${k0}=${v0}",
    placeholders: /^[kv]\d+$/,
    doc: "Partition directory name: ${kN} is the N-th partition column, ${vN} its value",
  }),
  is_partition_field_write_in_file: opt.bool({ default: false, doc: "Keep partition columns in the written rows" }),
  sink_columns: opt.list({ of: "string", doc: "Columns to write, in this order (default: all)" }),
  is_enable_transaction: opt.bool({
    default: true,
    doc: "Write under tmp_path and move into path on commit, so a failed job leaves no partial file in path",
  }),
  file_name_expression: opt.string({
    default: "${transactionId}",
    placeholders: /^(transactionId|now|uuid)$/,
    doc: "File name before _<part>.<suffix>: ${transactionId}, ${now} (filename_time_format), ${uuid}",
  }),
  filename_time_format: opt.string({ default: "yyyy.MM.dd", doc: "Pattern of ${now} in file_name_expression" }),
  custom_filename: opt.bool({ default: false, doc: "Accepted for compatibility: file_name_expression is always used" }),
  batch_size: opt.int({ default: 1000000, min: 1, doc: "Rows per file before a new file part is started" }),
  enable_header_write: opt.bool({
    default: false,
    doc: "Write the column names as the first line of text and csv files",
  }),
  csv_string_quote_mode: opt.enum({
    values: ["MINIMAL", "ALL", "NONE"],
    default: "MINIMAL",
    doc: "Quoting of csv strings: MINIMAL quotes values that need it (and empty strings, so they read back as empty rather than null)",
  }),
  max_rows_in_memory: opt.int({ default: 1000, min: 1, doc: "Accepted for compatibility (excel)" }),
  xml_root_tag: opt.string({ default: "RECORDS", doc: "Root element of xml files" }),
  ...saveModeOptions({
    schema:
      "Before writing: RECREATE_SCHEMA deletes and recreates path, CREATE_SCHEMA_WHEN_NOT_EXIST creates it, ERROR_WHEN_SCHEMA_NOT_EXIST fails when it is missing, IGNORE does nothing",
    data: "Before writing: DROP_DATA deletes the files in path, APPEND_DATA keeps them, ERROR_WHEN_DATA_EXISTS fails when path has files",
  }),
  save_mode: opt.string({ doc: "Deprecated SeaTunnel option; ignored (use schema_save_mode and data_save_mode)" }),
  single_file_mode: opt.bool({ default: false, doc: "One file per writer: batch_size is ignored" }),
  create_empty_file_when_no_data: opt.bool({
    default: false,
    doc: "Write an empty file (with header when enabled) when a writer received no rows",
  }),
  filename_extension: opt.string({
    doc: "File suffix instead of the format's (.csv, .txt, .json, .parquet, .orc, .xlsx, .xml)",
  }),
};

export type SinkOptions = OptionValues<typeof sinkOptions>;
