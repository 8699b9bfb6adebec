/**
 * Column references as ZetaSQLFunction/ZetaSQLType resolve them: the last name part as a top-level
 * column first (exact, case-sensitive), else the dotted path walked through nested ROW fields,
 * where a MAP may only be the last or second-last step (`c_map.key`). Also `x[i]` on arrays and maps.
 */
import { T, type DataType } from "../../src/api/index.ts";
import { toSql, type Expr } from "./ast.ts";
import { typed, type Gen, type Typed } from "./gen.ts";
import { JavaError } from "./runtime/java.ts";

type Col = Extract<Expr, { k: "col" }>;

/** The top-level column a reference names directly, or -1. */
export function directColumn(g: Gen, e: Col): number {
  return g.columns.findIndex((c) => c.name === e.parts[e.parts.length - 1]);
}

export function compileColumn(g: Gen, e: Col): Typed {
  const direct = directColumn(g, e);
  if (direct >= 0) {
    return typed(`f[${direct}]`, g.columns[direct]!.type);
  }
  const fqn = e.raw.join(".");
  const notFound = () => g.fail(`can't find field [${fqn}]`, e);
  let fields = g.columns.map((c) => ({ name: c.name, type: c.type }));
  let code = "";
  let type: DataType = T.null;
  for (let i = 0; i < e.parts.length; i++) {
    const idx = fields.findIndex((f) => f.name === e.parts[i]);
    if (idx < 0) {
      notFound();
    }
    type = fields[idx]!.type;
    code = i === 0 ? `f[${idx}]` : nullSafe(g, code, (t) => `${t}[${idx}]`);
    if (type.kind === "row") {
      fields = type.fields;
      continue;
    }
    if (type.kind === "map") {
      if (i < e.parts.length - 2) {
        g.fail(
          "For now, when you query map field with inner query, it must be latest field or latest struct field! Please modify your query!",
          e,
        );
      }
      if (i === e.parts.length - 1) {
        return typed(code, type);
      }
      const key = g.helper(e.parts[i + 1]);
      return typed(
        nullSafe(g, code, (t) => `(${t}.get(${key}) ?? null)`),
        type.value,
      );
    }
    if (i < e.parts.length - 1) {
      notFound();
    }
  }
  return typed(code, type);
}

/** `(t = base) == null ? null : <use t>`. */
export function nullSafe(g: Gen, base: string, use: (t: string) => string): string {
  const t = g.temp();
  return `((${t} = ${base}) == null ? null : ${use(t)})`;
}

function arrayAt(arr: unknown, index: unknown): unknown {
  if (index === null || index === undefined) {
    throw new JavaError("NullPointerException", "array index is null");
  }
  const i = Number(index);
  const a = arr as unknown[];
  if (!Number.isInteger(i) || i < 0 || i >= a.length) {
    throw new JavaError("ArrayIndexOutOfBoundsException", `Index ${i} out of bounds for length ${a.length}`);
  }
  return a[i] ?? null;
}

/** `arr[i]` (0-based, as SeaTunnel's ArrayExpression) or `map['key']`. */
export function compileIndex(g: Gen, e: Extract<Expr, { k: "index" }>, base: Typed, index: Typed): Typed {
  if (base.type.kind === "array") {
    const t = g.temp();
    return typed(
      `((${t} = ${base.code}) == null ? null : ${g.helper(arrayAt)}(${t}, ${index.code}))`,
      base.type.element,
    );
  }
  if (base.type.kind === "map") {
    const t = g.temp();
    return typed(`((${t} = ${base.code}) == null ? null : (${t}.get(${index.code}) ?? null))`, base.type.value);
  }
  return g.fail(`The column is not array or map type: ${toSql(e.base)}`, e);
}
