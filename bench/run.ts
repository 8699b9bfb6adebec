/** `make bench`: every benchmark in one run; each prints its figures and the ratio to its target or peer. */
import { startupBench } from "./startup.ts";

const results: Record<string, Record<string, number>> = {};
results.startup = await startupBench();
await Bun.write(`${import.meta.dir}/results/latest.json`, JSON.stringify(results, null, 2));
