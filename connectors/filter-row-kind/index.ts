/**
 * FilterRowKind: keeps (`include_kinds`) or drops (`exclude_kinds`) rows by their kind, as
 * SeaTunnel's FilterRowKindTransform; with table_match_regex / table_transform.
 */
import { defineTableTransform, opt, ROW_KIND_NAMES, type Opt, type RowKind, type Rule } from "../../src/api/index.ts";
import { kindStep } from "./transform.ts";
import { exampleJob } from "../common/example.ts";

/** A list of RowKind names (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE), any case. */
function kindsOption(doc: string, example: string): Opt<RowKind[]> {
  const base = opt.list({ of: "string", doc, example });
  return {
    meta: {
      ...base.meta,
      type: "list<enum>",
      values: ROW_KIND_NAMES,
      expects: `a list of row kinds (${ROW_KIND_NAMES.join(", ")})`,
    },
    parse(node) {
      const r = base.parse(node);
      if (!r.ok) {
        return r;
      }
      const out: RowKind[] = [];
      for (const [i, name] of (r.value ?? []).entries()) {
        const k = (ROW_KIND_NAMES as readonly string[]).indexOf(name.trim().toUpperCase());
        if (k < 0) {
          const item = node.kind === "array" ? (node.items[i] ?? node) : node;
          return { ok: false, message: `"${name}" is not one of ${ROW_KIND_NAMES.join(", ")}`, pos: item.pos };
        }
        if (!out.includes(k as RowKind)) {
          out.push(k as RowKind);
        }
      }
      return { ok: true, value: out };
    },
  };
}

export const filterRowKindOptions = {
  include_kinds: kindsOption(
    "Row kinds to keep; rows of other kinds are dropped",
    "include_kinds = [INSERT, UPDATE_AFTER]",
  ),
  exclude_kinds: kindsOption("Row kinds to drop; rows of other kinds are kept", "exclude_kinds = [DELETE]"),
};
const rules: Rule[] = [{ exclusive: ["include_kinds", "exclude_kinds"], required: true }];

const EXAMPLE = exampleJob({
  output: "fake1",
  source: `
result_table_name = "fake"
schema = {
  fields {
    id = "int"
    name = "string"
  }
}
rows = [
  { kind = INSERT, fields = [1, "A"] },
  { kind = DELETE, fields = [1, "A"] },
  { kind = INSERT, fields = [2, "B"] }
]
`,
  transform: `
FilterRowKind {
  source_table_name = "fake"
  result_table_name = "fake1"
  exclude_kinds = ["DELETE"]
}
`,
});

export const filterRowKindTransform = defineTableTransform({
  name: "FilterRowKind",
  doc: "Keeps the rows whose kind is in include_kinds, or drops those in exclude_kinds (exactly one of the two)",
  options: filterRowKindOptions,
  rules,
  examples: [{ title: "Drop DELETE rows", conf: EXAMPLE }],
  step: (table, o, ctx) => kindStep(ctx, table, o),
});
