/**
 * Byte streams of files: a byte range read in large chunks (one reused buffer per read, so a big
 * file never sits in memory whole), gzip inflated on the fly, and the text decoding step that
 * turns chunks into strings for the record splitters.
 */
import { isAscii } from "node:buffer";
import { open } from "node:fs/promises";

/** Bytes of a file or of something inside it, in order. Chunks may be reused by the producer after the next pull. */
export type ByteSource = AsyncIterable<Uint8Array>;

export const CHUNK_BYTES = 64 << 10;

/** Reads `[start, end)` of a file (end undefined: to EOF). Each yielded chunk is only valid until the next one. */
export async function* fileBytes(
  path: string,
  start = 0,
  end?: number,
  chunk = CHUNK_BYTES,
): AsyncGenerator<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(chunk);
    let pos = start;
    for (;;) {
      const want = end === undefined ? chunk : Math.min(chunk, end - pos);
      if (want <= 0) {
        return;
      }
      const { bytesRead } = await fh.read(buf, 0, want, pos);
      if (bytesRead === 0) {
        return;
      }
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** A whole small file or entry as one chunk. */
export async function* oneChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

/** Inflates a gzip stream (concatenated members too). */
export async function* gunzipBytes(src: ByteSource): AsyncGenerator<Uint8Array> {
  const { Gunzip } = await import("fflate");
  const out: Uint8Array[] = [];
  const gz = new Gunzip((data) => {
    out.push(data);
  });
  for await (const c of src) {
    gz.push(c.slice(), false);
    while (out.length) {
      yield out.shift()!;
    }
  }
  gz.push(new Uint8Array(0), true);
  while (out.length) {
    yield out.shift()!;
  }
}

/** Collects a byte source into one array (archives entries, excel and xml documents). */
export async function readAll(src: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of src) {
    parts.push(c.slice());
    n += c.length;
  }
  if (parts.length === 1) {
    return parts[0]!;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The WHATWG decoder for a Java charset name (`UTF-8`, `gbk`, `ISO-8859-1`…); a BOM is kept so
 * the record splitter decides what to do with it.
 */
export function decoderFor(encoding: string): TextDecoder {
  try {
    return new TextDecoder(encoding.trim().toLowerCase() as "utf-8", { ignoreBOM: true });
  } catch {
    throw new Error(
      `unsupported encoding "${encoding}"; use a charset such as UTF-8, GBK, GB18030, ISO-8859-1, UTF-16LE, Shift_JIS or Big5`,
    );
  }
}

const ASCII_COMPATIBLE =
  /^(utf-?8|gbk|gb2312|gb18030|iso-8859-\d+|latin1|us-ascii|ascii|windows-125\d|big5|shift_jis|euc-\w+)$/i;

/**
 * Decoded text of a byte source, chunk by chunk (multi-byte characters split across chunks are
 * kept whole). A pure-ASCII chunk of an ASCII-compatible charset is decoded as latin1, which is
 * several times faster than the general decoder and gives the same text.
 */
export async function* decodeText(src: ByteSource, encoding: string): AsyncGenerator<string> {
  const dec = decoderFor(encoding);
  const fast = ASCII_COMPATIBLE.test(encoding.trim());
  let pending = false;
  for await (const c of src) {
    if (fast && !pending && isAscii(c)) {
      if (c.length) {
        yield Buffer.from(c.buffer, c.byteOffset, c.length).toString("latin1");
      }
      continue;
    }
    const s = dec.decode(c, { stream: true });
    // The decoder may hold an incomplete character only if the chunk ended in a non-ASCII byte.
    pending = c.length > 0 && c[c.length - 1]! >= 0x80;
    if (s.length) {
      yield s;
    }
  }
  const tail = dec.decode();
  if (tail.length) {
    yield tail;
  }
}
