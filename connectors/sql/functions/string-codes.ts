/**
 * String functions about character codes and encodings (StringFunction.java): ASCII, CHAR, the
 * length functions, HEXTORAW/RAWTOHEX and SOUNDEX. string.ts places these definitions in its list
 * so `connectors describe Sql` keeps its order.
 */
import { T } from "../../../src/api/index.ts";
import { JavaError, stringifier, unsupported } from "../runtime/java.ts";
import { fixed, type FnDef } from "./registry.ts";
import { int } from "./string-support.ts";

const S = T.string;
const utf8 = new TextEncoder();

function hextoraw(s: unknown): string | null {
  if (s === null || s === undefined) {
    return null;
  }
  const str = s as string;
  if (str.length % 4 !== 0) {
    throw unsupported("Unsupported arg for function: HEXTORAW");
  }
  let out = "";
  for (let i = 0; i < str.length; i += 4) {
    const chunk = str.slice(i, i + 4);
    if (!/^[+-]?[0-9a-fA-F]+$/.test(chunk)) {
      throw new JavaError("NumberFormatException", `For input string: "${chunk}" under radix 16`);
    }
    out += String.fromCharCode(parseInt(chunk, 16) & 0xffff);
  }
  return out;
}

const SOUNDEX_INDEX = "71237128722455712623718272\0\0\0\0\0\u000071237128722455712623718272";

export function soundex(s: string): string {
  const chars = ["0", "0", "0", "0"];
  let last = "0";
  for (let i = 0, j = 0; i < s.length && j < 4; i++) {
    const c = s[i]!;
    if (c < "A" || c > "z") {
      continue;
    }
    const digit = SOUNDEX_INDEX[c.charCodeAt(0) - 65]!;
    if (digit === "\0") {
      continue;
    }
    if (j === 0) {
      chars[j++] = String.fromCharCode(c.charCodeAt(0) & 0xdf);
      last = digit;
    } else if (digit <= "6") {
      if (digit !== last) {
        chars[j++] = last = digit;
      }
    } else if (digit === "7") {
      last = digit;
    }
  }
  return chars.join("");
}

export const asciiFn: FnDef = fixed(
  ["ASCII"],
  "string",
  "ASCII(string) -> INT",
  "Code of the first character.",
  1,
  T.int,
  (s) => {
    if (s === null || s === undefined) {
      return null;
    }
    if ((s as string).length === 0) {
      throw new JavaError("StringIndexOutOfBoundsException", "index 0, length 0");
    }
    return (s as string).charCodeAt(0);
  },
  "s",
);

export const bitLengthFn: FnDef = fixed(
  ["BIT_LENGTH"],
  "string",
  "BIT_LENGTH(string) -> BIGINT",
  "Number of bits of the UTF-8 bytes.",
  1,
  T.bigint,
  (s) => (s == null ? null : BigInt(utf8.encode(s as string).length * 8)),
  "s",
);

export const charLengthFn: FnDef = fixed(
  ["CHAR_LENGTH", "LENGTH"],
  "string",
  "CHAR_LENGTH | LENGTH(string) -> BIGINT",
  "Number of characters.",
  1,
  T.bigint,
  (s) => (s == null ? null : BigInt((s as string).length)),
  "s",
);

export const octetLengthFn: FnDef = fixed(
  ["OCTET_LENGTH"],
  "string",
  "OCTET_LENGTH(string) -> BIGINT",
  "Number of UTF-8 bytes.",
  1,
  T.bigint,
  (s) => (s == null ? null : BigInt(utf8.encode(s as string).length)),
  "s",
);

export const charFn: FnDef = fixed(
  ["CHAR", "CHR"],
  "string",
  "CHAR | CHR(int) -> STRING",
  "The character with that code.",
  1,
  S,
  (n) => (n == null ? null : String.fromCharCode(int(n, "CHAR") & 0xffff)),
  "n",
);

export const hextorawFn: FnDef = fixed(
  ["HEXTORAW"],
  "string",
  "HEXTORAW(string) -> STRING",
  "Decodes 4 hex digits per character.",
  1,
  S,
  hextoraw,
  "s",
);

export const rawtohexFn: FnDef = {
  names: ["RAWTOHEX"],
  family: "string",
  signature: "RAWTOHEX(string | bytes) -> STRING",
  doc: "Hex of each character (4 digits) or byte (2 digits).",
  minArgs: 1,
  result: () => S,
  bind: (args) => {
    const str = stringifier(args[0]!.rt);
    return (v) => {
      if (v === null || v === undefined) {
        return null;
      }
      if (v instanceof Uint8Array) {
        return Buffer.from(v).toString("hex");
      }
      const text = str(v);
      let out = "";
      for (let i = 0; i < text.length; i++) {
        out += text.charCodeAt(i).toString(16).padStart(4, "0");
      }
      return out;
    };
  },
};

export const soundexFn: FnDef = fixed(
  ["SOUNDEX"],
  "string",
  "SOUNDEX(string) -> STRING",
  "Four-character Soundex code.",
  1,
  S,
  (s) => (s == null ? null : soundex(s as string)),
  "s",
);
