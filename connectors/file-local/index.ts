/**
 * LocalFile: reads and writes files on the local disk in SeaTunnel's formats (text, csv, json,
 * parquet, orc, excel, xml, binary), with SeaTunnel's options, file naming and two-phase commit.
 */
import { defineSink, defineSource } from "../../src/api/index.ts";
import { sinkOptions, type SinkOptions, sourceOptions, type SourceOptions } from "./options.ts";
import { createLocalFileSink } from "./sink.ts";
import { createLocalFileSource } from "./source.ts";

const READ_CSV = `env {
  parallelism = 2
  job.mode = "BATCH"
}

source {
  LocalFile {
    path = "fixtures/data/file-local/people.csv"
    file_format_type = "csv"
    skip_header_row_number = 1
    schema = {
      fields {
        id = bigint
        name = string
        score = "decimal(6, 2)"
        born = date
      }
    }
    result_table_name = "people"
  }
}

sink {
  Console {
    source_table_name = "people"
  }
}
`;

const WRITE_PARQUET = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    row.num = 100
    result_table_name = "fake"
    schema = { fields { id = bigint, name = string, city = string } }
  }
}

sink {
  LocalFile {
    source_table_name = "fake"
    path = "/tmp/seatunnel-example/parquet"
    file_format_type = "parquet"
    partition_by = ["city"]
    batch_size = 50
    schema_save_mode = "RECREATE_SCHEMA"
    data_save_mode = "DROP_DATA"
  }
}
`;

const READ_ARCHIVE = `env {
  job.mode = "BATCH"
}

source {
  LocalFile {
    path = "fixtures/data/file-local/people.csv"
    file_format_type = "text"
    field_delimiter = ","
    file_filter_pattern = ".*\\\\.csv"
    read_columns = ["name"]
    schema = { fields { id = bigint, name = string, score = string, born = string } }
  }
}

sink {
  Console {}
}
`;

export const localFileSource = defineSource({
  name: "LocalFile",
  doc: "Reads files of a local path (a file or a directory, recursively): text, csv, json, parquet, orc, excel, xml or binary, optionally inside zip/tar/tar.gz archives or lzo/gzip compressed. Each file (or byte range of a large text file) is a split read in parallel.",
  options: sourceOptions,
  // Each item of tables_configs names its own path and format (checked when its table is planned).
  rules: [
    // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
    { requiredUnless: "tables_configs", then: ["path", "file_format_type"] },
    // biome-ignore lint/suspicious/noThenProperty: a rule is data, never awaited
    { requiredIf: { key: "file_format_type", equals: "xml" }, then: ["xml_row_tag"] },
  ],
  features: { batch: true, streaming: false, multiTable: true, parallel: true, exactlyOnce: true },
  examples: [
    { title: "A csv file with a header line, typed", conf: READ_CSV },
    { title: "Text with a delimiter, filtered and projected", conf: READ_ARCHIVE },
  ],
  create: (options, ctx) => createLocalFileSource(options as SourceOptions, ctx),
});

export const localFileSink = defineSink({
  name: "LocalFile",
  doc: "Writes files under a local path in text, csv, json, parquet, orc, excel, xml or binary. Files are written under tmp_path and moved into path when the job (or a checkpoint) commits, so path never holds a partial file.",
  options: sinkOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true, exactlyOnce: true },
  examples: [{ title: "Partitioned parquet, replacing earlier output", conf: WRITE_PARQUET }],
  create: (options, inputs, ctx) => createLocalFileSink(options as SinkOptions, inputs, ctx),
});
