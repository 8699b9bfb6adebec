/**
 * `GET /option-rules?type=source&plugin=FakeSource` (SeaTunnel's current REST API v2): a
 * connector's options for dynamic forms, from the same specs as `seatunnel connectors describe`,
 * in SeaTunnel's OptionRule shape: `optionalOptions`, and `requiredOptions` as rules
 * (ABSOLUTELY_REQUIRED, EXCLUSIVE, BUNDLED, CONDITIONAL with its expression). Without `plugin`,
 * the connectors of that type (or of every type). A secret option's default is never shown.
 */
import type { Definition } from "../api/connector.ts";
import { notKnown } from "../api/errors.ts";
import type { Opt, Rule } from "../api/options.ts";
import { builtinRegistry } from "../registry/index.ts";
import { BadRequest } from "./rest-jobs.ts";
import { MASK } from "./redact.ts";

const TYPES = ["source", "transform", "sink"] as const;

/** SeaTunnel's Java type names where ours have one; others (enum, schema, object) as ours. */
const JAVA: Record<string, string> = {
  int: "java.lang.Integer",
  long: "java.lang.Long",
  double: "java.lang.Double",
  boolean: "java.lang.Boolean",
  string: "java.lang.String",
  map: "java.util.Map<java.lang.String, java.lang.String>",
  "list<string>": "java.util.List<java.lang.String>",
};

const bigintSafe = (v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

function option(key: string, o: Opt<unknown>): Record<string, unknown> {
  const m = o.meta;
  return {
    key,
    type: JAVA[m.type] ?? m.type,
    defaultValue: m.default === undefined ? null : m.secret ? MASK : bigintSafe(m.default),
    description: m.doc,
    fallbackKeys: m.fallbackKeys ?? [],
    optionValues: m.values ?? null,
    ...(m.secret ? { secret: true } : {}),
  };
}

/** A rule of ours as SeaTunnel's RequiredOption. */
function required(r: Rule, opts: (keys: readonly string[]) => unknown[]): Record<string, unknown> {
  if ("exclusive" in r) {
    return { ruleType: "EXCLUSIVE", options: opts(r.exclusive) };
  }
  if ("bundled" in r) {
    return { ruleType: "BUNDLED", options: opts(r.bundled) };
  }
  if ("requiredIf" in r) {
    const { key, equals } = r.requiredIf;
    const expression = equals === undefined ? `${key} != null` : `${key} == ${JSON.stringify(equals)}`;
    return { ruleType: "CONDITIONAL", options: opts(r.then), expression };
  }
  return { ruleType: "CONDITIONAL", options: opts(r.then), expression: `${r.requiredUnless} == null` };
}

function optionRule(d: Definition): Record<string, unknown> {
  const all = Object.entries(d.options as Record<string, Opt<unknown>>);
  const opts = (keys: readonly string[]) =>
    keys.flatMap((k) => {
      const o = (d.options as Record<string, Opt<unknown>>)[k];
      return o ? [option(k, o)] : [];
    });
  const rules = d.rules ?? [];
  const inRule = new Set(
    rules.flatMap((r) =>
      "exclusive" in r ? r.exclusive : "bundled" in r ? r.bundled : "then" in r ? r.then : ([] as string[]),
    ),
  );
  const absolutely = all.filter(([, o]) => o.meta.required).map(([k]) => k);
  return {
    engineType: "seatunnel",
    pluginType: d.kind,
    pluginName: d.name,
    optionRule: {
      optionalOptions: all.filter(([k, o]) => !o.meta.required && !inRule.has(k)).map(([k, o]) => option(k, o)),
      requiredOptions: [
        ...(absolutely.length ? [{ ruleType: "ABSOLUTELY_REQUIRED", options: opts(absolutely) }] : []),
        ...rules.map((r) => required(r, opts)),
      ],
    },
  };
}

/** The answer to GET /option-rules with `query`. */
export async function optionRules(query: URLSearchParams): Promise<unknown> {
  const type = query.get("type")?.toLowerCase() ?? null;
  if (type !== null && !(TYPES as readonly string[]).includes(type)) {
    throw new BadRequest(`type must be source, transform or sink, received "${query.get("type")}"`);
  }
  const reg = await builtinRegistry();
  const ofType = reg.all.filter((d) => type === null || d.kind === type);
  const plugin = query.get("plugin");
  if (plugin === null || plugin === "") {
    return ofType.map((d) => ({ pluginType: d.kind, pluginName: d.name }));
  }
  const found = ofType.filter((d) => d.name.toLowerCase() === plugin.toLowerCase());
  if (found.length === 0) {
    const names = [...new Set(ofType.map((d) => d.name))];
    throw new BadRequest(notKnown(type ?? "connector", plugin, "connector", names));
  }
  if (found.length > 1) {
    throw new BadRequest(
      `${found[0]!.name} is a ${found.map((d) => d.kind).join(" and a ")}: say which with type=${found[0]!.kind}`,
    );
  }
  return optionRule(found[0]!);
}
