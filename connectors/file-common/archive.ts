/**
 * Entries of archives (archive_compress_codec): zip (central directory read with positioned
 * reads, entries inflated one at a time), tar and tar.gz (streamed: headers parsed as bytes
 * arrive), and single-member gz. Like SeaTunnel, each entry is held in memory while it is read,
 * never the whole archive.
 */
import { open } from "node:fs/promises";
import { type ByteSource, fileBytes, gunzipBytes, oneChunk } from "./bytes.ts";

export interface Entry {
  name: string;
  bytes: ByteSource;
}

/** Entries of a tar stream (ustar, GNU long names, pax `path`). */
export async function* tarEntries(src: ByteSource): AsyncGenerator<Entry> {
  let buf = new Uint8Array(0);
  let longName: string | undefined;
  const it = src[Symbol.asyncIterator]();
  const need = async (n: number): Promise<boolean> => {
    while (buf.length < n) {
      const r = await it.next();
      if (r.done) {
        return false;
      }
      const next = new Uint8Array(buf.length + r.value.length);
      next.set(buf);
      next.set(r.value, buf.length);
      buf = next;
    }
    return true;
  };
  const dec = new TextDecoder();
  const str = (b: Uint8Array) => {
    const z = b.indexOf(0);
    return dec.decode(z < 0 ? b : b.subarray(0, z));
  };
  try {
    for (;;) {
      if (!(await need(512))) {
        return;
      }
      const h = buf.subarray(0, 512);
      if (h.every((x) => x === 0)) {
        return;
      }
      const size = parseInt(str(h.subarray(124, 136)).trim() || "0", 8);
      const type = String.fromCharCode(h[156]!);
      const prefix = str(h.subarray(345, 500));
      let name = str(h.subarray(0, 100));
      if (prefix && dec.decode(h.subarray(257, 262)) === "ustar") {
        name = `${prefix}/${name}`;
      }
      const padded = Math.ceil(size / 512) * 512;
      if (!(await need(512 + padded))) {
        throw new Error("tar: truncated archive");
      }
      const data = buf.slice(512, 512 + size);
      buf = buf.slice(512 + padded);
      if (type === "L") {
        longName = str(data);
        continue;
      }
      if (type === "x") {
        const m = /\d+ path=([^\n]*)\n/.exec(dec.decode(data));
        if (m) {
          longName = m[1];
        }
        continue;
      }
      if (type === "g") {
        continue;
      }
      const entryName = longName ?? name;
      longName = undefined;
      if (type === "0" || type === "\0" || type === "7") {
        yield { name: entryName, bytes: oneChunk(data) };
      }
    }
  } finally {
    await it.return?.(undefined);
  }
}

/** Entries of a zip file in central-directory order (stored and deflated entries). */
export async function* zipEntries(path: string): AsyncGenerator<Entry> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new Error(`zip: "${path}" is not a zip file (no end of central directory)`);
    }
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff) {
      throw new Error(`zip: "${path}" is a zip64 archive, which is not supported`);
    }
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) {
        throw new Error(`zip: "${path}" has a corrupt central directory`);
      }
      const method = cd.readUInt16LE(p + 10);
      const csize = cd.readUInt32LE(p + 20);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const local = cd.readUInt32LE(p + 42);
      const name = cd.toString("utf8", p + 46, p + 46 + nameLen);
      p += 46 + nameLen + extraLen + commentLen;
      if (name.endsWith("/")) {
        continue;
      }
      const lh = Buffer.alloc(30);
      await fh.read(lh, 0, 30, local);
      const dataAt = local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const raw = Buffer.alloc(csize);
      await fh.read(raw, 0, csize, dataAt);
      if (method !== 0 && method !== 8) {
        throw new Error(
          `zip: entry "${name}" uses compression method ${method}; only stored and deflate are supported`,
        );
      }
      yield { name, bytes: oneChunk(method === 8 ? (await import("fflate")).inflateSync(raw) : new Uint8Array(raw)) };
    }
  } finally {
    await fh.close();
  }
}

export type ArchiveKind = "none" | "zip" | "tar" | "tar_gz" | "gz";

/** The entries of `path` for an archive kind; `none` is the file itself, streamed. */
export function archiveEntries(
  path: string,
  kind: ArchiveKind,
  range?: { start: number; end: number },
): AsyncIterable<Entry> {
  switch (kind) {
    case "none":
      return oneEntry(path, fileBytes(path, range?.start ?? 0, range?.end));
    case "zip":
      return zipEntries(path);
    case "tar":
      return tarEntries(fileBytes(path));
    case "tar_gz":
      return tarEntries(gunzipBytes(fileBytes(path)));
    case "gz":
      return oneEntry(path.replace(/\.gz$/, ""), gunzipBytes(fileBytes(path)));
  }
}

async function* oneEntry(name: string, bytes: ByteSource): AsyncGenerator<Entry> {
  yield { name, bytes };
}
