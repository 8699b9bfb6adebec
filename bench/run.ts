/** `make bench`: every benchmark in one run; each prints its figures and its ratio to the target or peer. */
import { mkdirSync } from "node:fs";
import { engineBench } from "./engine.ts";
import { startupBench } from "./startup.ts";
import { transformsBench } from "./transforms.ts";

const results: Record<string, Record<string, number>> = {};
results.startup = await startupBench();
results.engine = await engineBench();
results.transforms = await transformsBench();
mkdirSync(`${import.meta.dir}/results`, { recursive: true });
await Bun.write(`${import.meta.dir}/results/latest.json`, JSON.stringify(results, null, 2));
