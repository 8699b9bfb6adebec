/**
 * One contender of the lease race in tests/cluster-store.test.ts, run as its own process:
 * `bun tests/cluster-race-worker.ts <options JSON>`. It tries to take the lease `attempts` times;
 * each time it wins, it logs through the fenced write, renews, logs again, and then in turn
 * releases the lease, sleeps past it and tries one more (stale) fenced write, or walks away.
 * Prints what it got as one JSON line: its acquisitions and how many fenced writes were refused.
 */
import { ClusterStore, StaleEpochError, type StoreOptions } from "../src/cluster/store.ts";

export interface RaceOptions {
  store: StoreOptions;
  id: string;
  attempts: number;
  ttlMs: number;
}

export interface Acquisition {
  epoch: number;
  acquiredMs: number;
  /** The expiry of the last successful acquire or renew. */
  expiresMs: number;
  released: boolean;
}

export interface RaceResult {
  id: string;
  acquisitions: Acquisition[];
  refused: number;
}

const options = JSON.parse(process.argv[2]!) as RaceOptions;
const store = await ClusterStore.open(options.store);
const result: RaceResult = { id: options.id, acquisitions: [], refused: 0 };

/** A fenced log row; false when the store refused the epoch. */
async function log(epoch: number, event: string): Promise<boolean> {
  try {
    await store.fenced(epoch, (tx) =>
      tx.run(`INSERT INTO race_log (epoch, holder, event, at_ms) VALUES (?, ?, ?, ${store.nowSql})`, [
        epoch,
        options.id,
        event,
      ]),
    );
    return true;
  } catch (e) {
    if (e instanceof StaleEpochError) {
      result.refused++;
      return false;
    }
    throw e;
  }
}

for (let i = 0; i < options.attempts; i++) {
  const lease = await store.tryAcquire(options.id, options.ttlMs);
  if (lease === undefined) {
    await Bun.sleep(Math.random() * 10);
    continue;
  }
  const got: Acquisition = {
    epoch: lease.epoch,
    acquiredMs: lease.acquiredMs,
    expiresMs: lease.expiresMs,
    released: false,
  };
  result.acquisitions.push(got);
  await log(lease.epoch, "acquired");
  const renewed = await store.renew(options.id, lease.epoch, options.ttlMs);
  if (renewed !== undefined) {
    got.expiresMs = renewed.expiresMs;
  }
  await log(lease.epoch, "work");
  if (i % 3 === 0) {
    got.released = await store.release(options.id, lease.epoch);
  } else if (i % 3 === 1) {
    await Bun.sleep(options.ttlMs + 10);
    // Past the lease: the store must refuse this, whether or not someone took over meanwhile.
    await log(lease.epoch, "stale");
  }
}
await store.close();
console.log(JSON.stringify(result));
