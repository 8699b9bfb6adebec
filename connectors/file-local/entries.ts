/**
 * The entries of a split to parse: a plain file's byte range, or the matching entries of an
 * archive, each decompressed as compress_codec says.
 */
import { JobError } from "../../src/api/index.ts";
import { archiveEntries } from "../file-common/archive.ts";
import { type ByteSource, gunzipBytes } from "../file-common/bytes.ts";
import { lzopBytes } from "../file-common/lzo.ts";
import type { CompressCodec } from "./options.ts";
import type { FileSplit, TablePlan } from "./plan.ts";

export const BATCH_ROWS = 256;

/** The suffix an archive entry must have for a format (AbstractReadStrategy.checkFileType). */
export const FORMAT_SUFFIX: Record<string, string> = {
  text: ".txt",
  csv: ".csv",
  json: ".json",
  excel: ".xlsx",
  xml: ".xml",
  parquet: ".parquet",
  orc: ".orc",
};

export function decompress(src: ByteSource, codec: CompressCodec): ByteSource {
  if (codec === "lzo") {
    return lzopBytes(src);
  }
  if (codec === "gzip") {
    return gunzipBytes(src);
  }
  if (codec === "none") {
    return src;
  }
  throw new JobError(
    "FILE_UNSUPPORTED",
    `compress_codec "${codec}" is unsupported for text, csv and json files; use none, lzo or gzip`,
  );
}

/** Entries of a split to parse: the range itself, or the matching entries of an archive. */
export async function* splitEntries(
  plan: TablePlan,
  split: FileSplit,
  log?: (m: string) => void,
): AsyncGenerator<{ name: string; bytes: ByteSource; first: boolean }> {
  const kind = plan.o.archive_compress_codec;
  const range = split.end !== undefined ? { start: split.start, end: split.end } : undefined;
  for await (const e of archiveEntries(split.path, kind, range)) {
    if (kind !== "none" && kind !== "gz" && !e.name.endsWith(FORMAT_SUFFIX[plan.format] ?? "")) {
      log?.(
        `The ${FORMAT_SUFFIX[plan.format]} file format is incorrect. Please check the format in the compressed file: skipping entry "${e.name}" of "${split.path}".`,
      );
      continue;
    }
    yield {
      name: kind === "none" ? split.path : `${split.path}!${e.name}`,
      bytes: decompress(e.bytes, plan.o.compress_codec),
      first: split.first,
    };
  }
}
