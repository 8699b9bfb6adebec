/**
 * Every connector's spec: its documented examples are complete jobs that read, plan and bind
 * without errors or warnings (what `run --check` does), and `connectors describe` shows every
 * option with its default.
 */
import { describe as group, expect, test } from "bun:test";
import { catalog, loadAll } from "../connectors/index.ts";
import type { Logger } from "../src/api/connector.ts";
import { describe, describeEnv } from "../src/cli/connectors.ts";
import { envOptions } from "../src/config/job.ts";
import { readJob } from "../src/config/read.ts";
import type { ConfigError } from "../src/api/errors.ts";
import { bindPlanned, planJob } from "../src/plan/load.ts";
import { Registry } from "../src/registry/index.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };
const connectors = await loadAll();
const registry = new Registry(connectors);

group("connector specs", () => {
  test("plugin names are unique per kind", () => {
    const keys = connectors.map((d) => `${d.kind}:${d.name.toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const def of connectors) {
    test(`${def.kind} ${def.name} documents at least one example`, () => {
      expect(def.examples.length).toBeGreaterThan(0);
      expect(def.doc.length).toBeGreaterThan(10);
    });

    def.examples.forEach((ex, i) => {
      test(`${def.kind} ${def.name} example ${i + 1} (${ex.title}) passes --check`, async () => {
        const root = await readJob(ex.conf, `${def.name}-example-${i + 1}.conf`, { variables: new Map(), env: {} });
        const warnings: ConfigError[] = [];
        const warn = (w: ConfigError[]) => warnings.push(...w);
        const bound = await bindPlanned(await planJob(root, "example.conf", { warn }), {
          jobId: "1",
          jobName: "example",
          log: quiet,
          checkOnly: true,
          registry,
          warn,
        });
        expect(warnings.map((e) => e.format())).toEqual([]);
        expect(bound.nodes.some((n) => n.def === def)).toBe(true);
      });
    });

    test(`describe ${def.name} lists every option with type, default and doc`, () => {
      const text = describe(def);
      for (const [key, o] of Object.entries(def.options)) {
        expect(text).toContain(`\n  ${key}\n`);
        expect(o.meta.doc.length).toBeGreaterThan(0);
      }
      expect(text).toContain("default:");
    });
  }
});

group("connectors describe env", () => {
  test("lists every env option, the error handler's among them, with type, default and doc", () => {
    const text = describeEnv();
    for (const [key, o] of Object.entries(envOptions)) {
      expect(text).toContain(`\n  ${key}\n`);
      expect(o.meta.doc.length).toBeGreaterThan(0);
    }
    expect(text).toContain("  error_handler.mode\n    type: enum (DISABLE | LOG | ROUTE)\n");
  });
});

group("connector catalog", () => {
  test("every catalog entry loads the definition of the kind and name it announces", () => {
    expect(connectors.map((d) => `${d.kind}:${d.name}`)).toEqual(catalog.map((e) => `${e.kind}:${e.name}`));
  });
});
