/**
 * The load of bench/rest.ts, in a process of its own: GET `paths` in turn at `rate` requests a
 * second for `seconds`, open loop (each request at its scheduled time, its latency counted from
 * then, so a slow answer cannot hide the ones queued behind it). Prints one JSON line.
 * Usage: bun bench/rest-load.ts BASE RATE SECONDS PATH...
 */
const [base, rateArg, secondsArg, ...paths] = Bun.argv.slice(2);
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const latencies: number[] = [];
let failed = 0;
let sent = 0;
const t0 = performance.now();
const inFlight = new Set<Promise<void>>();
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
  for (; sent < due; sent++) {
    const scheduled = t0 + (sent * 1000) / rate;
    const p: Promise<void> = fetch(`${base}${paths[sent % paths.length]}`)
      .then(async (r) => {
        await r.arrayBuffer();
        if (!r.ok) {
          failed++;
        }
        latencies.push(performance.now() - scheduled);
      })
      .catch(() => void failed++)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Bun.sleep(1);
}
await Promise.all(inFlight);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    requests: total,
    answered: latencies.length,
    failed,
    seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
  }),
);

export {};
