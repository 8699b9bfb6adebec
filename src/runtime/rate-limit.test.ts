import { describe, expect, test } from "bun:test";
import { row } from "../api/row.ts";
import { createLimiter, TokenBucket, type Clock } from "./rate-limit.ts";

/** A clock that only moves when someone sleeps on it. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe("TokenBucket", () => {
  test("a new bucket is empty: the first tokens wait as long as the rate needs", async () => {
    const clock = fakeClock();
    const b = new TokenBucket(100, clock);
    await b.take(50);
    expect(clock.slept).toEqual([500]);
  });

  test("an idle bucket saves at most one second of tokens", async () => {
    const clock = fakeClock();
    const b = new TokenBucket(100, clock);
    await clock.sleep(5000);
    await b.take(100);
    await b.take(50);
    expect(clock.slept).toEqual([5000, 500]);
  });

  test("over ten simulated seconds the throughput equals the rate", async () => {
    const clock = fakeClock();
    const b = new TokenBucket(1000, clock);
    let taken = 0;
    while (clock.now() < 10_000) {
      await b.take(100);
      taken += 100;
    }
    // Ten seconds at the rate, no start-up burst (the last take may run one step into debt).
    expect(taken).toBeGreaterThanOrEqual(10_000);
    expect(taken).toBeLessThanOrEqual(10_100);
  });
});

describe("createLimiter", () => {
  test("no limit configured means no limiter", () => {
    expect(createLimiter({ share: 1 })).toBeUndefined();
  });

  test("the job's rows per second are shared evenly by its chains", async () => {
    const clock = fakeClock();
    const l = createLimiter({ rowsPerSecond: 100, share: 4, clock })!;
    expect(l.sliceRows).toBe(2);
    const batch = Array.from({ length: 25 }, (_, i) => row("t", [i]));
    await l.acquire(batch);
    await l.acquire(batch);
    // 25 rows per second for this chain: 50 rows need 2 s.
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeCloseTo(2000, 5);
  });

  test("bytes per second count string lengths", async () => {
    const clock = fakeClock();
    const l = createLimiter({ bytesPerSecond: 10, share: 1, clock })!;
    await l.acquire([row("t", ["0123456789"])]);
    await l.acquire([row("t", ["0123456789"])]);
    expect(clock.slept).toEqual([1000, 1000]);
  });
});
