/**
 * `-i key=value` job variables (FACTS §1.4): splitting the CLI arguments like SeaTunnel's
 * ParameterSplitter, rejecting sink placeholder names, and the final placeholder pass (step 4) that
 * fills `${name}` / `${name:default}` inside every string value. Unquoted HOCON substitutions
 * (steps 1-3) are resolved by hocon-resolve.ts.
 */
import { ConfigError } from "../api/errors.ts";
import { VARIABLE_PATTERN } from "../api/placeholders.ts";
import { type Entry, type Node, type ObjectNode, arrayNode, objectNode } from "../api/tree.ts";

export { type ResolveOptions, variableNode } from "./hocon-resolve.ts";

/** Names the sinks fill per table (TablePlaceholder); they cannot be set with `-i`. */
export const SYSTEM_PLACEHOLDERS: ReadonlySet<string> = new Set([
  "database_name",
  "schema_name",
  "table_name",
  "schema_full_name",
  "table_full_name",
  "primary_key",
  "unique_key",
  "field_names",
]);

/**
 * Splits one `-i` argument on `,` except inside `"..."` or `[...]`; tokens are trimmed and quotes
 * kept (SeaTunnel's ParameterSplitter).
 */
export function splitVariableArg(arg: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inBrackets = false;
  let inQuotes = false;
  for (const c of arg) {
    if (c === "[") {
      inBrackets = true;
    } else if (c === "]") {
      inBrackets = false;
    } else if (c === '"') {
      inQuotes = !inQuotes;
    }
    if (c === "," && !inQuotes && !inBrackets) {
      out.push(cur.trim());
      cur = "";
    } else {
      cur += c;
    }
  }
  if (cur.length > 0) {
    out.push(cur.trim());
  }
  return out;
}

/**
 * The variables of all `-i` arguments: each split on `,` (see splitVariableArg), then on the first
 * `=`; later pairs win. A piece without `=` sets nothing (as in SeaTunnel) and is handed to `warn`
 * as CONFIG_VARIABLE_MALFORMED. Throws CONFIG_VARIABLE_RESERVED for a sink placeholder name.
 */
export function parseVariableArgs(args: string[], warn?: (warnings: ConfigError[]) => void): Map<string, string> {
  const vars = new Map<string, string>();
  const malformed: ConfigError[] = [];
  for (const arg of args) {
    for (const token of splitVariableArg(arg)) {
      const eq = token.indexOf("=");
      if (eq < 0) {
        if (token !== "") {
          malformed.push(pieceWithoutEquals(token, arg));
        }
        continue;
      }
      const key = token.slice(0, eq);
      if (SYSTEM_PLACEHOLDERS.has(key)) {
        throw new ConfigError(
          "CONFIG_VARIABLE_RESERVED",
          `System placeholders cannot be used. Incorrect config parameter: ${key} (from -i ${token}: sinks fill \${${key}} per table, so -i cannot set it; choose another variable name)`,
        );
      }
      vars.set(key, token.slice(eq + 1));
    }
  }
  if (malformed.length) {
    warn?.(malformed);
  }
  return vars;
}

function pieceWithoutEquals(token: string, arg: string): ConfigError {
  const whole =
    arg === token
      ? ""
      : ` (of -i ${arg}: -i splits on commas outside "..." and [...], and keeps such quotes in the value)`;
  return new ConfigError(
    "CONFIG_VARIABLE_MALFORMED",
    `-i piece "${token}"${whole} has no "=", so it sets no variable; expected -i name=value`,
  );
}

/**
 * Step 4: in one string, `${name}` / `${name:default}` becomes the `-i` value when non-empty,
 * else the trimmed default (`${x:}` gives ""), else stays as written. Environment variables are
 * not consulted here.
 */
export function replacePlaceholders(text: string, variables: Map<string, string>): string {
  if (!text.includes("${")) {
    return text;
  }
  return text.replace(VARIABLE_PATTERN, (whole: string, name: string, def: string | undefined) => {
    const value = variables.get(name);
    if (value !== undefined && value !== "") {
      return value;
    }
    if (def !== undefined) {
      return def.trim();
    }
    return whole;
  });
}

/** Step 4 over the whole tree: every string scalar (keys untouched). Returns a new tree. */
export function applyPlaceholders(root: ObjectNode, variables: Map<string, string>): ObjectNode {
  const seen = new Map<Node, Node>();
  const walk = (n: Node): Node => {
    const known = seen.get(n);
    if (known) {
      return known;
    }
    let out: Node;
    if (n.kind === "scalar") {
      const text = n.type === "string" ? replacePlaceholders(n.text, variables) : n.text;
      out = text === n.text ? n : { ...n, text };
    } else if (n.kind === "array") {
      out = arrayNode(n.items.map(walk), n.pos);
    } else {
      out = objectNode(
        n.entries.map((e): Entry => ({ ...e, value: walk(e.value) })),
        n.pos,
      );
    }
    seen.set(n, out);
    return out;
  };
  return walk(root) as ObjectNode;
}
