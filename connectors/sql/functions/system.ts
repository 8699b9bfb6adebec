/**
 * System functions: COALESCE / IFNULL / NULLIF (typed like their first argument), UUID, and the
 * built-in UDFs DES_ENCRYPT / DES_DECRYPT (DES/CBC/PKCS5Padding, IV "12345678", base64; a
 * password shorter than 8 characters is an error, a failing decrypt returns the input).
 */
import { createCipheriv, createDecipheriv, randomUUID } from "node:crypto";
import { T, typeToString } from "../../../src/api/index.ts";
import { makeCast } from "../runtime/cast.ts";
import { isNumeric, javaEquals, JavaError, unsupported } from "../runtime/java.ts";
import { sqlTypeName } from "../typing.ts";
import { fixed, type Arg, type FnDef, type Impl } from "./registry.ts";

/** The first non-null value, converted to the first argument's type when its own type differs. */
function coalesceOf(args: Arg[]): Impl {
  const target = args[0]!.type;
  const casts = args.map((a) =>
    typeToString(a.rt) === typeToString(target) || a.rt.kind === "null"
      ? undefined
      : makeCast(sqlTypeName(target), target, a.rt),
  );
  return (...values) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) {
        return casts[i] ? casts[i]!(v) : v;
      }
    }
    return null;
  };
}

/** NULLIF: `a.equals(b)`, so values of different Java classes are never equal. */
function nullifOf(args: Arg[]): Impl {
  const same = typeToString(args[0]!.rt) === typeToString(args[1]!.rt);
  return (a, b) => {
    if (a === null || a === undefined) {
      return null;
    }
    if (!same) {
      return a;
    }
    if (isNumeric(a) && typeof a !== "object") {
      return a === b ? null : a;
    }
    return javaEquals(a, b) ? null : a;
  };
}

const IV = Buffer.from("12345678", "utf8");

function desKey(password: unknown): Buffer {
  if (typeof password !== "string" || password.length < 8) {
    throw new JavaError("RuntimeException", "Encrypt failed, password length must greater than 8");
  }
  return Buffer.from(password, "utf8").subarray(0, 8);
}

export function desEncrypt(password: unknown, data: unknown): string | null {
  if (password === null || password === undefined || data === null || data === undefined) {
    return null;
  }
  const key = desKey(password);
  try {
    const c = createCipheriv("des-cbc", key, IV);
    return Buffer.concat([c.update(String(data), "utf8"), c.final()]).toString("base64");
  } catch {
    return String(data);
  }
}

export function desDecrypt(password: unknown, data: unknown): string | null {
  if (password === null || password === undefined || data === null || data === undefined) {
    return null;
  }
  const key = desKey(password);
  try {
    const d = createDecipheriv("des-cbc", key, IV);
    return Buffer.concat([d.update(Buffer.from(String(data), "base64")), d.final()]).toString("utf8");
  } catch {
    return String(data);
  }
}

export const systemFunctions: FnDef[] = [
  {
    names: ["COALESCE"],
    family: "system",
    signature: "COALESCE(a, b[, ...]) -> type of a",
    doc: "The first non-NULL argument.",
    minArgs: 1,
    result: (a) => a[0]!.type,
    bind: coalesceOf,
  },
  {
    names: ["IFNULL"],
    family: "system",
    signature: "IFNULL(a, b) -> type of a",
    doc: "a unless it is NULL, else b.",
    minArgs: 2,
    result: (a) => a[0]!.type,
    bind: (a) => {
      if (a.length !== 2) {
        return () => {
          throw unsupported(`Unsupported function IFNULL() arguments: [${a.map((x) => x.text).join(", ")}]`);
        };
      }
      return coalesceOf(a);
    },
  },
  {
    names: ["NULLIF"],
    family: "system",
    signature: "NULLIF(a, b) -> type of a",
    doc: "NULL when a equals b, else a.",
    minArgs: 2,
    result: (a) => ({ type: a[0]!.type, rt: a[0]!.rt }),
    bind: nullifOf,
  },
  fixed(["UUID"], "system", "UUID() -> STRING", "A random UUID.", 0, T.string, () => randomUUID()),
  fixed(
    ["DES_ENCRYPT"],
    "system",
    "DES_ENCRYPT(password, string) -> STRING",
    "DES/CBC encryption, base64 result (built-in UDF).",
    2,
    T.string,
    desEncrypt,
    "ss",
  ),
  fixed(
    ["DES_DECRYPT"],
    "system",
    "DES_DECRYPT(password, base64String) -> STRING",
    "Decrypts DES_ENCRYPT's output (built-in UDF).",
    2,
    T.string,
    desDecrypt,
    "ss",
  ),
];
