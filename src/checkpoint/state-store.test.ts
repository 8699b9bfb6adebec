import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDateTime } from "../api/types.ts";
import { STATE_DIR_ENV, StateStore, stateDirOf } from "./state-store.ts";

const saved = process.env[STATE_DIR_ENV];
afterEach(() => {
  if (saved === undefined) {
    delete process.env[STATE_DIR_ENV];
  } else {
    process.env[STATE_DIR_ENV] = saved;
  }
});

describe("StateStore", () => {
  test("a job name's positions are written atomically and read back with their types", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "st-state-")), "state");
    const store = new StateStore(dir);
    expect(store.read("nightly")).toBeUndefined();
    const sources = {
      "source Jdbc": { n: 12345678901234567890n, t: LocalDateTime.parse("2024-01-02T03:04:05.123456") },
    };
    await store.write({ jobName: "nightly", jobId: "7", time: "2024-01-01T00:00:00.000Z", sources });
    expect(store.read("nightly")).toEqual({
      jobName: "nightly",
      jobId: "7",
      time: "2024-01-01T00:00:00.000Z",
      sources,
    });
    expect(readdirSync(dir)).toEqual(["nightly.json"]);
  });

  test("job names that are not plain file names get a file of their own inside the dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-state-"));
    const store = new StateStore(dir);
    await store.write({ jobName: "../a/b c", jobId: "1", time: "", sources: {} });
    await store.write({ jobName: "a_b c", jobId: "2", time: "", sources: {} });
    expect(readdirSync(dir).sort()).toEqual(["..%2Fa%2Fb%20c.json", "a_b%20c.json"]);
    expect(store.read("../a/b c")?.jobId).toBe("1");
  });

  test("a file that is not a state file is an error naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-state-"));
    writeFileSync(join(dir, "x.json"), "[1]");
    writeFileSync(join(dir, "y.json"), "{");
    const store = new StateStore(dir);
    expect(() => store.read("x")).toThrow(
      `reading the incremental state ${join(dir, "x.json")}: it has no "sources" object`,
    );
    expect(() => store.read("y")).toThrow(`reading the incremental state ${join(dir, "y.json")}:`);
  });

  test("the state dir is beside the checkpoint dir unless SEATUNNEL_STATE_DIR names one", () => {
    delete process.env[STATE_DIR_ENV];
    expect(stateDirOf("/var/seatunnel/checkpoint")).toBe("/var/seatunnel/state");
    process.env[STATE_DIR_ENV] = "/srv/state";
    expect(stateDirOf("/var/seatunnel/checkpoint")).toBe("/srv/state");
  });
});
