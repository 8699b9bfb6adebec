/**
 * The connect stage of validation (`--check --connect`, `seatunnel validate`, `seatunnel plan`):
 * after binding, every source and sink that can check itself against its server does, all at once,
 * and every problem is kept; then whatever binding opened is closed again.
 */
import { ConfigError, JobError } from "../api/errors.ts";
import type { BoundNode } from "./bind.ts";

/** Every problem the sources' and sinks' check() find, each placed at its block, in node order. */
export async function checkNodes(nodes: readonly (BoundNode | undefined)[]): Promise<ConfigError[]> {
  // Sparse by node id: filter() drops the holes map() would keep.
  const found = await Promise.all(
    nodes
      .filter((b) => b !== undefined)
      .map(async (b) => {
        const plugin = b.offline ? undefined : (b.source ?? b.sink);
        if (!plugin?.check) {
          return [];
        }
        const { label, pos } = b.node.block;
        try {
          return (await plugin.check()).map((e) => placed(e, label, pos));
        } catch (e) {
          const err = e instanceof ConfigError || e instanceof JobError ? e : new JobError("CHECK_FAILED", String(e));
          return [placed(err, label, pos)];
        }
      }),
  );
  return found.flat();
}

/** A connector's error as a ConfigError placed at its block and named by its label. */
export function placed(e: ConfigError | JobError, label: string, pos: ConfigError["pos"]): ConfigError {
  if (e instanceof ConfigError && e.pos) {
    return e;
  }
  return new ConfigError(e.code, e.message.startsWith(label) ? e.message : `${label}: ${e.message}`, pos);
}

/** Closes every source and sink binding created (their pools and sockets), ignoring close errors. */
export async function closeNodes(nodes: readonly (BoundNode | undefined)[]): Promise<void> {
  await Promise.all(
    nodes.map(async (b) => {
      await Promise.resolve(b?.source?.close?.()).catch(() => {});
      await Promise.resolve(b?.sink?.close?.()).catch(() => {});
    }),
  );
}
