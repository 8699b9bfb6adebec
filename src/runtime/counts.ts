/** A chain's row counts as a checkpoint keeps them, and back: a resumed chain counts on from them. */
import type { ChainCounts } from "../checkpoint/storage.ts";
import type { ChainCounters } from "./chain.ts";

/** The counts a checkpoint keeps of a chain's counters. */
export const countsOf = (c: ChainCounters): ChainCounts => ({
  read: c.read,
  written: c.written,
  readBytes: c.readBytes,
  writtenBytes: c.writtenBytes,
  filtered: c.filtered,
  readByTable: [...c.readByTable],
  writtenBySink: [...c.writtenBySink].map(([sink, tables]) => [sink, [...tables]]),
});

/** Sets a chain's counters to a checkpoint's counts, which a resumed chain counts on from. */
export function seedCounters(into: ChainCounters, from: ChainCounts | undefined): ChainCounters {
  if (from) {
    into.read = from.read;
    into.written = from.written;
    into.readBytes = from.readBytes ?? 0;
    into.writtenBytes = from.writtenBytes ?? 0;
    into.filtered = from.filtered;
    into.readByTable = new Map(from.readByTable);
    into.writtenBySink = new Map(from.writtenBySink.map(([sink, tables]) => [sink, new Map(tables)]));
  }
  return into;
}

/** A chain's counters before its first row. */
export const newCounters = (): ChainCounters => ({
  read: 0,
  written: 0,
  readBytes: 0,
  writtenBytes: 0,
  rejected: 0,
  filtered: 0,
  readByTable: new Map(),
  writtenBySink: new Map(),
  maxInFlight: 0,
});
