/**
 * How many rows a LocalFile source reads, estimated from file sizes (Source.estimateRows): for the
 * line formats (text, csv, json) the line ends in the first bytes of a few files, scaled to the
 * size of all files. Compressed files, archives and other formats are not estimated.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { TablePlan } from "./plan.ts";

const SAMPLE_BYTES = 64 << 10;
const SAMPLE_FILES = 8;
const LINE_FORMATS = new Set(["text", "csv", "json"]);

export function estimateFileRows(plans: TablePlan[]): number | undefined {
  let total = 0;
  for (const p of plans) {
    if (!LINE_FORMATS.has(p.format) || p.o.compress_codec !== "none" || p.o.archive_compress_codec !== "none") {
      return undefined;
    }
    const bytes = p.files.reduce((n, f) => n + f.size, 0);
    let lines = 0;
    let sampled = 0;
    for (const f of p.files.slice(0, SAMPLE_FILES)) {
      const s = sampleLines(f.path, Math.min(f.size, SAMPLE_BYTES));
      lines += s.lines;
      sampled += s.bytes;
    }
    if (sampled > 0) {
      const headers = (p.format === "json" ? 0 : p.o.skip_header_row_number) * p.files.length;
      total += Math.max(0, Math.round((bytes * lines) / sampled) - headers);
    }
  }
  return total;
}

/** Lines in the first `want` bytes of a file (a last line without its line end counts). */
function sampleLines(path: string, want: number): { lines: number; bytes: number } {
  const buf = new Uint8Array(want);
  const fd = openSync(path, "r");
  try {
    const got = readSync(fd, buf, 0, want, 0);
    let lines = 0;
    for (let i = buf.indexOf(10); i >= 0 && i < got; i = buf.indexOf(10, i + 1)) {
      lines++;
    }
    if (got > 0 && buf[got - 1] !== 10) {
      lines++;
    }
    return { lines, bytes: got };
  } finally {
    closeSync(fd);
  }
}
