/** Every SQL function, by upper-case name (names are matched case-insensitively, as SeaTunnel does). */
import { collectionFunctions } from "./collection.ts";
import { datetimeFunctions } from "./datetime.ts";
import { numericFunctions } from "./numeric.ts";
import { regexpFunctions } from "./regexp.ts";
import type { FnDef } from "./registry.ts";
import { stringFunctions } from "./string.ts";
import { systemFunctions } from "./system.ts";

export const ALL_FUNCTIONS: readonly FnDef[] = [
  ...stringFunctions,
  ...regexpFunctions,
  ...numericFunctions,
  ...datetimeFunctions,
  ...systemFunctions,
  ...collectionFunctions,
];

const byName = new Map<string, FnDef>();
for (const f of ALL_FUNCTIONS) {
  for (const n of f.names) {
    byName.set(n, f);
  }
}

export function lookupFunction(name: string): FnDef | undefined {
  return byName.get(name.toUpperCase());
}

/** Every callable name (aliases included), for `connectors describe` and did-you-mean. */
export function functionNames(): string[] {
  return [...byName.keys()];
}

export type { Arg, FnDef, Impl } from "./registry.ts";
