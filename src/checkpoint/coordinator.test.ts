import { describe, expect, test } from "bun:test";
import type { Logger } from "../api/connector.ts";
import { PipelineCoordinator, type CoordinatorDeps } from "./coordinator.ts";
import type { Checkpoint } from "./storage.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

function setup(chains = 2) {
  const events: string[] = [];
  const stored: Checkpoint[] = [];
  const deps: CoordinatorDeps = {
    jobId: "1",
    pipelineId: 1,
    nextId: 1,
    log: quiet,
    storage: {
      write: (cp: Checkpoint) => {
        events.push(`store ${cp.checkpointId}`);
        stored.push(cp);
      },
    } as unknown as CoordinatorDeps["storage"],
    barrier: (id, stop) => events.push(`barrier ${id}${stop ? " stop" : ""}`),
    commit: async (commits) =>
      void events.push(`commit ${commits.map((c) => `${c.node}:${c.infos.join("+")}`).join(",")}`),
  };
  const refs = Array.from({ length: chains }, (_, i) => ({ id: i + 1, sourceNode: 0, subtask: i }));
  return { c: new PipelineCoordinator(deps, refs), events, stored, deps };
}

describe("PipelineCoordinator", () => {
  test("a checkpoint completes only when every chain acked, and is stored before it is committed", async () => {
    const { c, events, stored } = setup();
    const done = c.trigger()!;
    c.onAck(1, { checkpointId: 1, final: false, splits: ["s1@5"], commits: [{ node: 9, info: "a1" }] });
    await Bun.sleep(1);
    expect(events).toEqual(["barrier 1"]);
    c.onAck(2, { checkpointId: 1, final: false, splits: ["s2@7"], commits: [{ node: 9, info: "b1" }] });
    const cp = await done;
    expect(events).toEqual(["barrier 1", "store 1", "commit 9:a1+b1"]);
    expect(cp.chains.map((x) => x.splits)).toEqual([["s1@5"], ["s2@7"]]);
    expect(stored[0]!.finished).toBe(false);
  });

  test("a finished chain counts as acked and its last commits join the next checkpoint", async () => {
    const { c, events } = setup();
    c.onAck(1, { checkpointId: 1, final: true, splits: [], commits: [{ node: 9, info: "a-final" }] });
    const done = c.trigger()!;
    c.onAck(2, { checkpointId: 1, final: false, splits: ["s2@3"], commits: [] });
    const cp = await done;
    expect(cp.chains[0]!.splits).toEqual([]);
    expect(events.at(-1)).toBe("commit 9:a-final");
  });

  test("when every chain has finished the final checkpoint commits the rest and marks the pipeline finished", async () => {
    const { c, events } = setup();
    c.onAck(1, { checkpointId: 1, final: true, splits: [], commits: [{ node: 9, info: "a" }] });
    c.onAck(2, { checkpointId: 1, final: true, splits: [], commits: [{ node: 9, info: "b" }] });
    const cp = await c.finished;
    expect(cp.finished).toBe(true);
    expect(events).toEqual(["store 1", "commit 9:a+b"]);
  });

  test("commits prepared after the last completed checkpoint are reported for abort", () => {
    const { c } = setup();
    c.trigger();
    c.onAck(1, { checkpointId: 1, final: false, splits: [], commits: [{ node: 9, info: "pending" }] });
    expect(c.uncommitted()).toEqual([{ node: 9, infos: ["pending"] }]);
  });

  test("a failing check (the error budget) stores and commits nothing and leaves the commits to abort", async () => {
    const { c, events, deps } = setup();
    deps.check = () => {
      throw new Error("11 rows rejected");
    };
    c.onAck(1, { checkpointId: 1, final: true, splits: [], commits: [{ node: 9, info: "a" }] });
    c.onAck(2, { checkpointId: 1, final: true, splits: [], commits: [{ node: 9, info: "b" }] });
    await expect(c.finished).rejects.toThrow("11 rows rejected");
    expect(events).toEqual([]);
    expect(c.uncommitted()).toEqual([{ node: 9, infos: ["a", "b"] }]);
  });

  test("a chain's reject state goes into the checkpoint", async () => {
    const { c } = setup(1);
    const rejects = { count: 2, dat: 40, log: 300 };
    c.onAck(1, { checkpointId: 1, final: true, splits: [], commits: [], rejects });
    expect((await c.finished).chains[0]!.rejects).toEqual(rejects);
  });

  test("a savepoint sends a stopping barrier", () => {
    const { c, events } = setup(1);
    c.trigger(true);
    expect(events).toEqual(["barrier 1 stop"]);
  });
});

describe("PipelineCoordinator positions", () => {
  test("incremental positions go into every checkpoint, and a restored checkpoint's carry on", async () => {
    const { c, stored, deps } = setup(1);
    c.positions.set(0, { node: 0, from: null, to: { v: 5 } });
    c.onAck(1, { checkpointId: 1, final: true, splits: [], commits: [] });
    const cp = await c.finished;
    expect(cp.positions).toEqual([{ node: 0, from: null, to: { v: 5 } }]);
    expect(stored[0]!.positions).toEqual(cp.positions);
    const again = new PipelineCoordinator(deps, [{ id: 1, sourceNode: 0, subtask: 0 }], cp);
    expect([...again.positions.values()]).toEqual([{ node: 0, from: null, to: { v: 5 } }]);
  });
});
