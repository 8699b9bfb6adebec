/**
 * The skeleton every transform's documented example shares: a batch job whose FakeSource feeds the
 * transform, whose output Console prints. Each spec gives only what is its own.
 */
/** SeaTunnel's usual example source for transforms: four rows of name, age and card, as table "fake". */
export const NAME_AGE_CARD_SOURCE = `
result_table_name = "fake"
row.num = 4
schema = {
  fields {
    name = "string"
    age = "int"
    card = "int"
  }
}
`;

export function exampleJob(o: {
  /** The FakeSource block's body (its options, without the braces). */
  source: string;
  /** The whole transform block, e.g. `Copy { ... }`. */
  transform: string;
  /** The transform's result_table_name, which the Console sink reads. */
  output: string;
}): string {
  const indent = (text: string, by: string) =>
    text
      .trim()
      .split("\n")
      .map((l) => (l.trim() ? by + l : l))
      .join("\n");
  return `env {
  parallelism = 1
  job.mode = "BATCH"
}

source {
  FakeSource {
${indent(o.source, "    ")}
  }
}

transform {
${indent(o.transform, "  ")}
}

sink {
  Console {
    source_table_name = "${o.output}"
  }
}
`;
}
