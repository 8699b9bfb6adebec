import { describe, expect, test } from "bun:test";
import type { ChainCounts } from "../checkpoint/storage.ts";
import { newCounters } from "./chain.ts";
import { countsOf, seedCounters } from "./counts.ts";
import { Metrics } from "./metrics.ts";

const SINK = "Sink[0]-Jdbc";

/** A chain's attempt that reads `read` rows in all, from `from` (its checkpoint's counts). */
function attempt(m: Metrics, chain: string, from: ChainCounts | undefined, read: number) {
  const c = seedCounters(newCounters(), from);
  m.track(1, c, chain);
  const more = read - c.read;
  c.read = read;
  c.written += more;
  c.filtered += 1;
  c.readByTable.set("t", (c.readByTable.get("t") ?? 0) + more);
  const bySink = c.writtenBySink.get(SINK) ?? new Map<string, number>();
  bySink.set("t", (bySink.get("t") ?? 0) + more);
  c.writtenBySink.set(SINK, bySink);
  return c;
}

describe("counts across retries", () => {
  test("a retry from a checkpoint counts on from its counts: the final outcome's rows, and what was read again apart", () => {
    const m = new Metrics();
    const first = attempt(m, "0-0", undefined, 10_000);
    const checkpoint = countsOf(first);
    attempt(m, "0-0", checkpoint, 22_000); // fails 12,000 rows past the checkpoint
    attempt(m, "0-0", checkpoint, 30_000);
    expect(m.totalRead).toBe(30_000);
    expect(m.totalWritten).toBe(30_000);
    expect(m.totalFiltered).toBe(2); // the checkpoint's 1, then the last attempt's
    expect(m.readByTable).toEqual(new Map([["t", 30_000]]));
    expect(m.writtenBySink).toEqual(new Map([[SINK, new Map([["t", 30_000]])]]));
    expect(m.pipeline(1)).toEqual({ read: 30_000, written: 30_000, rejected: 0 });
    expect(m.reread).toBe(12_000);
    expect(m.restoredRead).toBe(0);
  });

  test("a retry without a checkpoint starts from 0; another chain keeps its own counts", () => {
    const m = new Metrics();
    attempt(m, "0-0", undefined, 700);
    attempt(m, "0-1", undefined, 500);
    attempt(m, "0-0", undefined, 1000);
    expect(m.totalRead).toBe(1500);
    expect(m.reread).toBe(700);
  });

  test("a restored job (-r) counts the rows read before the crash, and none as read again", () => {
    const m = new Metrics();
    const before: ChainCounts = {
      read: 10_000,
      written: 10_000,
      filtered: 0,
      readByTable: [["t", 10_000]],
      writtenBySink: [[SINK, [["t", 10_000]]]],
    };
    attempt(m, "0-0", before, 30_000);
    expect(m.totalRead).toBe(30_000);
    expect(m.writtenBySink).toEqual(new Map([[SINK, new Map([["t", 30_000]])]]));
    expect(m.restoredRead).toBe(10_000);
    expect(m.reread).toBe(0);
  });
});
