import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decimal, LocalDate, LocalDateTime, LocalTime } from "../api/types.ts";
import { CheckpointStorage, decodeState, encodeState, type Checkpoint } from "./storage.ts";

const cp = (pipelineId: number, checkpointId: number, time: number): Checkpoint => ({
  jobId: "42",
  pipelineId,
  checkpointId,
  time,
  finished: false,
  savepoint: false,
  chains: [{ sourceNode: 0, subtask: 0, splits: [{ id: "s", done: 10n }] }],
  commits: [{ node: 1, infos: [{ files: ["a"] }] }],
});

describe("checkpoint state encoding", () => {
  test("bigint, bytes, decimals and temporal values survive the JSON round trip", () => {
    const v = {
      big: 9223372036854775807n,
      bytes: new Uint8Array([1, 2, 255]),
      dec: Decimal.parse("-1.50"),
      d: new LocalDate(2024, 2, 29),
      t: new LocalTime(1, 2, 3, 456000),
      ts: new LocalDateTime(new LocalDate(2020, 1, 1), new LocalTime(0, 0, 0, 1000)),
      plain: [1, "x", null, { nested: true }],
    };
    expect(decodeState(encodeState(v))).toEqual(v);
  });
});

describe("CheckpointStorage", () => {
  test("files follow SeaTunnel's <time>-<rand>-<pipeline>-<checkpoint> naming and the newest wins", async () => {
    const s = new CheckpointStorage(mkdtempSync(join(tmpdir(), "st-ckpt-")), "42", 3);
    await s.write(cp(1, 1, 1000));
    await s.write(cp(1, 2, 2000));
    await s.write(cp(2, 1, 1500));
    expect(s.latest(1)!.checkpointId).toBe(2);
    expect(s.latest(2)!.checkpointId).toBe(1);
    expect(s.latest(3)).toBeUndefined();
    for (const f of readdirSync(s.jobDir)) {
      expect(f).toMatch(/^\d+-\d+-[12]-\d+\.json$/);
    }
    expect((s.latest(1)!.chains[0]!.splits![0] as { done: bigint }).done).toBe(10n);
  });

  test("only the last `retained` checkpoints of a pipeline are kept and no temp file is left", async () => {
    const s = new CheckpointStorage(mkdtempSync(join(tmpdir(), "st-ckpt-")), "42", 2);
    for (let i = 1; i <= 5; i++) {
      await s.write(cp(1, i, i * 1000));
    }
    const files = readdirSync(s.jobDir);
    expect(files.length).toBe(2);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    expect(s.latest(1)!.checkpointId).toBe(5);
  });

  test("job metadata is stored beside the checkpoints and read back", async () => {
    const s = new CheckpointStorage(mkdtempSync(join(tmpdir(), "st-ckpt-")), "7");
    expect(s.readMeta()).toBeUndefined();
    s.writeMeta({ jobId: "7", jobName: "n", file: "job.conf", fingerprint: "Source[0]-FakeSource*1" });
    expect(s.readMeta()!.fingerprint).toBe("Source[0]-FakeSource*1");
    // The first checkpoint makes job.json durable along with itself.
    await s.write(cp(1, 1, 1000));
    const files = readdirSync(s.jobDir).sort();
    expect(files.length).toBe(2);
    expect(files[0]).toMatch(/^1000-\d+-1-1\.json$/);
    expect(files[1]).toBe("job.json");
    expect(new CheckpointStorage(s.dir, "7").readMeta()!.jobName).toBe("n");
    s.clear();
    expect(existsSync(s.jobDir)).toBe(false);
  });

  test("a finished job's folder goes whole, unless rows were rejected into it: they stay, marked finished", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-ckpt-"));
    const meta = { jobId: "8", jobName: "n", file: "job.conf", fingerprint: "f", owner: { pid: 1, host: "h" } };
    const plain = new CheckpointStorage(dir, "8");
    plain.writeMeta(meta);
    await plain.write(cp(1, 1, 1000));
    mkdirSync(join(plain.jobDir, "cache", "n0-s0"), { recursive: true });
    expect(plain.removeFinished()).toBeUndefined();
    expect(existsSync(plain.jobDir)).toBe(false);

    const rejected = new CheckpointStorage(dir, "9");
    rejected.writeMeta({ ...meta, jobId: "9" });
    await rejected.write(cp(1, 1, 1000));
    mkdirSync(join(rejected.jobDir, "reject"));
    writeFileSync(join(rejected.jobDir, "reject", "reject-0-0.dat"), "bad line\n");
    expect(rejected.removeFinished()).toBe(join(rejected.jobDir, "reject"));
    expect(readdirSync(rejected.jobDir).sort()).toEqual(["job.json", "reject"]);
    const after = rejected.readMeta()!;
    expect(after.ended?.state).toBe("FINISHED");
    expect(after.owner).toBeUndefined();
  });

  test("a new run with the id of an old folder drops the old checkpoints, nothing else", async () => {
    const s = new CheckpointStorage(mkdtempSync(join(tmpdir(), "st-ckpt-")), "10");
    s.writeMeta({ jobId: "10", jobName: "n", file: "job.conf", fingerprint: "f" });
    await s.write(cp(1, 4, 1000));
    await s.write(cp(2, 4, 1001));
    s.dropCheckpoints();
    expect(readdirSync(s.jobDir)).toEqual(["job.json"]);
    expect(s.latest(1)).toBeUndefined();
  });
});
