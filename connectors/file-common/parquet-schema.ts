/**
 * SeaTunnel types ↔ parquet schema (ParquetReadStrategy / ParquetWriteStrategy): INT32 with INT_8 /
 * INT_16 / DATE, INT64 timestamps, DECIMAL on any physical type, UTF8 binary as string, other
 * binary as bytes, LIST (2- and 3-level) as array, MAP as map, other groups as rows. Writing uses
 * microsecond timestamps and times (lossless for SeaTunnel values; SeaTunnel itself writes
 * milliseconds) and FIXED_LEN_BYTE_ARRAY decimals.
 */
import type { SchemaElement, SchemaTree } from "hyparquet";
import { type Column, type DataType, T } from "../../src/api/index.ts";

/** The SeaTunnel type of a parquet schema node. */
export function parquetToType(node: SchemaTree): DataType {
  const e = node.element;
  const ct = e.converted_type;
  const lt = e.logical_type;
  if (e.type === undefined) {
    if (ct === "LIST" || lt?.type === "LIST") {
      const rep = node.children[0]!;
      const el = rep.children.length === 1 && rep.element.type === undefined ? rep.children[0]! : rep;
      return T.array(parquetToType(el));
    }
    if (ct === "MAP" || ct === "MAP_KEY_VALUE" || lt?.type === "MAP") {
      const kv = node.children[0]!;
      return T.map(parquetToType(kv.children[0]!), kv.children[1] ? parquetToType(kv.children[1]) : T.string);
    }
    return { kind: "row", fields: node.children.map((c) => ({ name: c.element.name, type: parquetToType(c) })) };
  }
  if (ct === "DECIMAL" || lt?.type === "DECIMAL") {
    return T.decimal(e.precision ?? 38, e.scale ?? 0);
  }
  switch (e.type) {
    case "BOOLEAN":
      return T.boolean;
    case "INT32":
      if (ct === "INT_8") {
        return T.tinyint;
      }
      if (ct === "INT_16") {
        return T.smallint;
      }
      if (ct === "DATE" || lt?.type === "DATE") {
        return T.date;
      }
      if (ct === "TIME_MILLIS" || lt?.type === "TIME") {
        return T.time;
      }
      return T.int;
    case "INT64":
      if (ct === "TIMESTAMP_MILLIS" || ct === "TIMESTAMP_MICROS" || lt?.type === "TIMESTAMP") {
        return T.timestamp;
      }
      if (ct === "TIME_MICROS" || lt?.type === "TIME") {
        return T.time;
      }
      return T.bigint;
    case "INT96":
      return T.timestamp;
    case "FLOAT":
      return T.float;
    case "DOUBLE":
      return T.double;
    default:
      return ct === "UTF8" ||
        ct === "ENUM" ||
        ct === "JSON" ||
        lt?.type === "STRING" ||
        lt?.type === "ENUM" ||
        lt?.type === "JSON"
        ? T.string
        : T.bytes;
  }
}

export function parquetColumnsOf(schema: SchemaTree): Column[] {
  return schema.children.map((c) => ({
    name: c.element.name,
    type: parquetToType(c),
    nullable: c.element.repetition_type !== "REQUIRED",
  }));
}

/** Bytes a two's-complement decimal of `precision` digits needs (computeMinBytesForPrecision). */
export function decimalBytes(precision: number): number {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) < 10n ** BigInt(precision)) {
    n++;
  }
  return n;
}

/** Parquet schema elements (depth-first, with num_children) for one column. */
export function typeToElements(
  name: string,
  t: DataType,
  repetition: "OPTIONAL" | "REQUIRED" | "REPEATED" = "OPTIONAL",
): SchemaElement[] {
  const leaf = (x: Omit<SchemaElement, "name" | "repetition_type">): SchemaElement[] => [
    { name, repetition_type: repetition, ...x },
  ];
  switch (t.kind) {
    case "string":
    case "null":
      return leaf({ type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } });
    case "boolean":
      return leaf({ type: "BOOLEAN" });
    case "tinyint":
      return leaf({ type: "INT32", converted_type: "INT_8" });
    case "smallint":
      return leaf({ type: "INT32", converted_type: "INT_16" });
    case "int":
      return leaf({ type: "INT32" });
    case "bigint":
      return leaf({ type: "INT64" });
    case "float":
      return leaf({ type: "FLOAT" });
    case "double":
      return leaf({ type: "DOUBLE" });
    case "decimal":
      return leaf({
        type: "FIXED_LEN_BYTE_ARRAY",
        type_length: decimalBytes(t.precision),
        converted_type: "DECIMAL",
        precision: t.precision,
        scale: t.scale,
        logical_type: { type: "DECIMAL", precision: t.precision, scale: t.scale },
      });
    case "bytes":
      return leaf({ type: "BYTE_ARRAY" });
    case "date":
      return leaf({ type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" } });
    case "time":
      return leaf({
        type: "INT64",
        converted_type: "TIME_MICROS",
        logical_type: { type: "TIME", isAdjustedToUTC: false, unit: "MICROS" },
      });
    case "timestamp":
      return leaf({ type: "INT64", converted_type: "TIMESTAMP_MICROS" });
    case "array":
      return [
        { name, repetition_type: repetition, num_children: 1, converted_type: "LIST", logical_type: { type: "LIST" } },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...typeToElements("element", t.element),
      ];
    case "map":
      return [
        { name, repetition_type: repetition, num_children: 1, converted_type: "MAP", logical_type: { type: "MAP" } },
        { name: "key_value", repetition_type: "REPEATED", num_children: 2 },
        ...typeToElements("key", t.key, "REQUIRED"),
        ...typeToElements("value", t.value),
      ];
    case "row":
      return [
        { name, repetition_type: repetition, num_children: t.fields.length },
        ...t.fields.flatMap((f) => typeToElements(f.name, f.type)),
      ];
  }
}

export function schemaOf(columns: Column[]): SchemaElement[] {
  return [
    { name: "SeaTunnelRecord", num_children: columns.length },
    ...columns.flatMap((c) => typeToElements(c.name, c.type)),
  ];
}
