import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { earlierRuns } from "./folders.ts";
import { currentOwner } from "./owner.ts";
import { type Checkpoint, CheckpointStorage, type JobMeta } from "./storage.ts";

const meta = (jobId: string, jobName: string, extra: Partial<JobMeta>): JobMeta => ({
  jobId,
  jobName,
  file: "job.conf",
  fingerprint: "f",
  ...extra,
});

const checkpoint = (jobId: string, id: number, xids: string[]): Checkpoint => ({
  jobId,
  pipelineId: 1,
  checkpointId: id,
  time: Date.now() + id,
  finished: false,
  savepoint: false,
  chains: [],
  commits: [{ node: 1, infos: xids.map((xid) => ({ xid })) }],
});

describe("earlier runs of a job name", () => {
  test("only runs of the name no process runs; what their stored checkpoints cover is read when asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-earlier-runs-"));
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    const deadOwner = { ...currentOwner(), pid: dead.pid };
    const crashed = new CheckpointStorage(dir, "1");
    crashed.writeMeta(meta("1", "nightly", { owner: deadOwner }));
    await crashed.write(checkpoint("1", 1, ["st-1-a-0-0"]));
    await crashed.write(checkpoint("1", 2, ["st-1-a-0-1"]));
    new CheckpointStorage(dir, "2").writeMeta(meta("2", "nightly", { ended: { state: "FAILED", time: 1 } }));
    new CheckpointStorage(dir, "3").writeMeta(meta("3", "nightly", { owner: currentOwner() }));
    new CheckpointStorage(dir, "4").writeMeta(meta("4", "other", { owner: deadOwner }));
    new CheckpointStorage(dir, "5").writeMeta(meta("5", "nightly", {}));
    new CheckpointStorage(dir, "9").writeMeta(meta("9", "nightly", { owner: deadOwner }));
    const runs = earlierRuns(dir, "nightly", "9");
    expect(runs.jobIds.sort()).toEqual(["1", "2"]);
    const xids = (runs.claimed("1") as { xid: string }[]).map((c) => c.xid).sort();
    expect(xids).toEqual(["st-1-a-0-0", "st-1-a-0-1"]);
    expect(runs.claimed("2")).toEqual([]);
    // A -r took the job since: nothing of it may be touched.
    crashed.writeMeta(meta("1", "nightly", { owner: currentOwner() }));
    expect(runs.claimed("1")).toBeUndefined();
    // The folder went (a restore finished it, or it was pruned): nothing can resume it.
    crashed.clear();
    expect(runs.claimed("1")).toEqual([]);
  });
});
