/**
 * A member's files of its jobs, under `<data dir>/jobs/`: the job file it runs (`<id>.json`), the
 * log its process writes (`<id>.log`, every attempt on this member in turn), and the live counts
 * the process writes every second while it runs (`<id>.metrics.json`).
 */
import { join } from "node:path";

export const jobsDir = (dataDir: string) => join(dataDir, "jobs");
export const jobFile = (dataDir: string, id: string) => join(jobsDir(dataDir), `${id}.json`);
export const jobLogFile = (dataDir: string, id: string) => join(jobsDir(dataDir), `${id}.log`);
export const liveFile = (dataDir: string, id: string) => join(jobsDir(dataDir), `${id}.metrics.json`);
