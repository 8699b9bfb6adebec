import { describe, expect, test } from "bun:test";
import type { Sink, Source, SourceReader } from "./connector.ts";
import type { Row } from "./row.ts";
import { rowOf, sinkConformance, sourceConformance } from "./testing.ts";

/** A source of `n` rows in one split per reader; `snapshot` is what its readers report. */
function counting(n: number, snapshot: (next: number, end: number) => { next: number; end: number }[]): Source {
  return {
    tables: [],
    bounded: true,
    splits: (p: number) =>
      Array.from({ length: p }, (_, i) => [{ next: Math.floor((n * i) / p), end: Math.floor((n * (i + 1)) / p) }]),
    reader(): SourceReader<{ next: number; end: number }> {
      let split: { next: number; end: number } | undefined;
      return {
        addSplits(s) {
          split = s[0] ? { ...s[0] } : undefined;
        },
        poll() {
          if (!split || split.next >= split.end) {
            return null;
          }
          const rows: Row[] = [];
          for (let k = 0; k < 3 && split.next < split.end; k++) {
            rows.push(rowOf("t", [split.next++]));
          }
          return rows;
        },
        snapshot: () => (split ? snapshot(split.next, split.end) : []),
      };
    },
  } as unknown as Source;
}

/** A sink writing into `table`; `visibleAt` says when written rows show (prepare: too early). */
function memorySink(table: number[], visibleAt: "prepare" | "commit"): Sink<{ id: number; rows: number[] }> {
  const committed = new Set<number>();
  let ids = 0;
  return {
    writer: () => {
      const rows: number[] = [];
      return {
        write: (b) => {
          rows.push(...b.map((r) => r.fields[0] as number));
        },
        prepareCommit: () => {
          const info = { id: ++ids, rows: [...rows] };
          if (visibleAt === "prepare") {
            table.push(...info.rows);
          }
          return info;
        },
        close() {},
      };
    },
    commit(infos) {
      for (const i of infos) {
        if (visibleAt === "commit" && !committed.has(i.id)) {
          committed.add(i.id);
          table.push(...i.rows);
        }
      }
    },
    abort() {},
  };
}

describe("the connector test kit", () => {
  test("sourceConformance passes a source whose snapshot is its position, and fails one that restarts", async () => {
    await sourceConformance(() => counting(20, (next, end) => [{ next, end }]), 2);
    await expect(sourceConformance(() => counting(20, (_next, end) => [{ next: 0, end }]), 2)).rejects.toThrow(
      /a snapshot after the first batch, restored into a new reader: \d+ rows, expected 20/,
    );
  });

  test("sinkConformance passes a sink that shows rows on commit, and fails one that shows them on prepare", async () => {
    const batches = [[rowOf("t", [1]), rowOf("t", [2])], [rowOf("t", [3])]];
    const good: number[] = [];
    await sinkConformance({ make: async () => memorySink(good, "commit"), batches, count: async () => good.length });
    expect(good).toEqual([1, 2, 3]);
    const early: number[] = [];
    await expect(
      sinkConformance({ make: async () => memorySink(early, "prepare"), batches, count: async () => early.length }),
    ).rejects.toThrow("after prepareCommit, before commit: the target holds 3 new rows, expected 0");
  });
});
