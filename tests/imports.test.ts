/**
 * The import rules of ARCHITECTURE.md, checked on every file of src/ and connectors/:
 * - a connector imports only the connector API (src/api), the shared connector modules
 *   (connectors/common, connectors/file-common) and its own folder; connectors/index.ts lists them all;
 * - inside src/, imports point down the layers: api → config → registry → plan → checkpoint →
 *   runtime → cluster → cli (main.ts on top).
 * Also: no file over 400 lines.
 * Two exceptions, both for tests: the test kit (src/api/testing.ts) parses HOCON with the job-file
 * parser, and a connector's database tests start services with tests/services.ts.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { Glob } from "bun";
import { ROOT } from "./helpers.ts";

const LAYERS = ["api", "config", "registry", "plan", "checkpoint", "runtime", "cluster", "cli"];
const SHARED_CONNECTOR_MODULES = new Set(["common", "file-common"]);
const EXCEPTIONS = new Set(["src/api/testing.ts -> src/config/hocon.ts"]);

/** `from "./x.ts"` and `import("./x.ts")` specifiers of a file, resolved to project paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(resolve(ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:^(?:import|export)\b[^;]*?\bfrom\s*|\bimport\()\s*"(\.[^"]+)"/gms)].map(
    (m) => m[1]!,
  );
  return specs.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

function layerOf(path: string): number {
  const [top, area] = path.split("/");
  if (top === "connectors") {
    return LAYERS.indexOf("registry");
  }
  if (top !== "src" || area === undefined) {
    return -1;
  }
  // src/main.ts and its neighbours sit on top.
  if (area.endsWith(".ts")) {
    return LAYERS.length;
  }
  return LAYERS.indexOf(area!);
}

/** What is wrong with `file` importing `target`, or undefined when the rules allow it. */
export function violation(file: string, target: string): string | undefined {
  if (EXCEPTIONS.has(`${file} -> ${target}`)) {
    return undefined;
  }
  const [top, area] = file.split("/");
  const [ttop, tarea] = target.split("/");
  if (top === "connectors") {
    if (file === "connectors/index.ts" && ttop === "connectors") {
      return undefined;
    }
    if (ttop === "src" && tarea === "api") {
      return undefined;
    }
    if (ttop === "connectors" && (tarea === area || SHARED_CONNECTOR_MODULES.has(tarea!))) {
      return undefined;
    }
    if (file.endsWith(".test.ts") && target === "tests/services.ts") {
      return undefined;
    }
    return `a connector imports ${target}: only src/api, connectors/common, connectors/file-common and its own folder`;
  }
  if (top === "src" && layerOf(target) > layerOf(file)) {
    return `${file} imports ${target}, a higher layer (${LAYERS.join(" → ")})`;
  }
  return undefined;
}

describe("imports", () => {
  const files = [...new Glob("{src,connectors}/**/*.ts").scanSync(ROOT)].sort();

  test("every import in src/ and connectors/ follows the layer and connector rules", () => {
    const bad = files.flatMap((f) => importsOf(f).flatMap((t) => violation(f, t) ?? []));
    expect(bad).toEqual([]);
    expect(files.length).toBeGreaterThan(200);
  });

  test("the rules refuse a connector reaching into src/config or another connector, and an upward import", () => {
    expect(violation("connectors/filter/transform.ts", "src/config/hocon.ts")).toContain("a connector imports");
    expect(violation("connectors/filter/transform.ts", "connectors/field-mapper/transform.ts")).toContain(
      "a connector imports",
    );
    expect(violation("connectors/filter/transform.ts", "connectors/common/steps.ts")).toBeUndefined();
    expect(violation("src/checkpoint/coordinator.ts", "src/runtime/chain.ts")).toContain("a higher layer");
    expect(violation("src/runtime/chain.ts", "src/checkpoint/coordinator.ts")).toBeUndefined();
    expect(violation("src/runtime/chain.ts", "src/cluster/store.ts")).toContain("a higher layer");
    expect(violation("src/cluster/store.ts", "src/runtime/chain.ts")).toBeUndefined();
    expect(violation("src/cli/run.ts", "src/cluster/store.ts")).toBeUndefined();
  });
});

describe("code shape", () => {
  test("no TypeScript file is over 400 lines (Biome's noExcessiveLinesPerFunction keeps functions to 80)", () => {
    const files = [...new Glob("{src,connectors,tests,bench}/**/*.ts").scanSync(ROOT)];
    const long = files.filter((f) => readFileSync(resolve(ROOT, f), "utf8").split("\n").length - 1 > 400);
    expect(long).toEqual([]);
    expect(files.length).toBeGreaterThan(250);
  });
});
