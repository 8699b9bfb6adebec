/**
 * `make bench`: every benchmark in one run; each prints its figures and its ratio to its target or
 * to the real peer measured in the same run (psql \copy, pgloader, cat). Results also go to
 * bench/results/latest.json.
 */
import { mkdirSync } from "node:fs";
import { checkpointBench } from "./checkpoint.ts";
import { clusterBench } from "./cluster.ts";
import { engineBench } from "./engine.ts";
import { fileLocalBench } from "./file-local.ts";
import { httpBench } from "./http.ts";
import { jdbcBench } from "./jdbc.ts";
import { matrixBench } from "./matrix.ts";
import { rateLimitBench } from "./rate-limit.ts";
import { restBench } from "./rest.ts";
import { queuesBench } from "./queues.ts";
import { startupBench } from "./startup.ts";
import { transformsBench } from "./transforms.ts";

const results: Record<string, unknown> = {};
results.startup = await startupBench();
results.engine = await engineBench();
results.rateLimit = await rateLimitBench();
results.transforms = await transformsBench();
results.checkpoint = await checkpointBench();
results.fileLocal = await fileLocalBench();
results.jdbc = await jdbcBench();
results.matrix = await matrixBench();
results.cluster = await clusterBench();
results.rest = await restBench();
results.queues = await queuesBench();
results.http = await httpBench();
mkdirSync(`${import.meta.dir}/results`, { recursive: true });
await Bun.write(`${import.meta.dir}/results/latest.json`, JSON.stringify(results, null, 2));
