/**
 * Variables left in a block's values. SeaTunnel fills `${name}` in a string from `-i` (or its
 * `:default`) and leaves any other as written; the job then runs with the text `${name}` in it. Option
 * parsing (parseOptions) reports each as a warning (an error under `--strict`), except names the
 * block's connector fills itself (OptionMeta.placeholders, or the sink table placeholders).
 */
import { ConfigError } from "./errors.ts";
import type { Opt } from "./options.ts";
import { variablesIn } from "./placeholders.ts";
import type { Entry, Node } from "./tree.ts";

/**
 * One warning per `${name}` left in the value of `entry` (and everything nested in it). `option` is
 * the declared option the entry was read as, if any; `fills` names what the block fills itself.
 */
export function unresolvedIn(
  label: string,
  entry: Entry,
  option: Opt<unknown> | undefined,
  fills?: RegExp,
): ConfigError[] {
  const out: ConfigError[] = [];
  const walk = (n: Node): void => {
    if (n.kind === "object") {
      for (const e of n.entries) {
        walk(e.value);
      }
    } else if (n.kind === "array") {
      n.items.forEach(walk);
    } else if (n.type === "string") {
      for (const v of variablesIn(n.text)) {
        if (!option?.meta.placeholders?.test(v.name) && !fills?.test(v.name)) {
          out.push(warning(label, entry.key, v.whole, v.name, n));
        }
      }
    }
  };
  walk(entry.value);
  return out;
}

function warning(label: string, key: string, whole: string, written: string, n: Node): ConfigError {
  const name = written.trim().replace(/^\?/, "");
  const optional = written.startsWith("?") ? `; \${?${name}} is optional only outside quotes` : "";
  // Only a HOCON file has values outside quotes, where an environment variable is read.
  const hocon = !/\.(json|toml|sql)$/i.test(n.pos.file);
  const env = hocon
    ? `, or write \${${name}} outside the quotes, where a config key or the environment variable ${name} fills it`
    : "";
  return new ConfigError(
    "CONFIG_VARIABLE_UNRESOLVED",
    `${label}: option "${key}": variable "${whole}" is left as written (a string takes only -i values and \${name:default} defaults); pass -i ${name}=value${env}${optional}`,
    n.pos,
  );
}
