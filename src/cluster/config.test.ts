import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigError } from "../api/errors.ts";
import { DEFAULT_ENGINE, readEngineConfig, yamlPos } from "./config.ts";
import { withEngineDefaults } from "./runner.ts";

const dir = mkdtempSync(join(tmpdir(), "engine-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const f = join(dir, `seatunnel-${++n}.yaml`);
  writeFileSync(f, text);
  return f;
}

/** The error `readEngineConfig` throws for `text`, as the CLI prints it (the file as `F`). */
function refused(text: string): string {
  const f = file(text);
  try {
    readEngineConfig(f);
  } catch (e) {
    return (e as ConfigError).format().replaceAll(f, "F");
  }
  throw new Error("accepted");
}

/** The keys and shape of the seatunnel.yaml SeaTunnel ships (2.3.8, and the keys later releases added). */
const SHIPPED = `# comments are fine
seatunnel:
  engine:
    classloader-cache-mode: true
    history-job-expire-minutes: 1440
    backup-count: 1
    queue-type: blockingqueue
    print-execution-info-interval: 60
    print-job-metrics-info-interval: 60
    metrics-fetch-timeout-ms: 3000
    slot-service:
      dynamic-slot: true
    checkpoint:
      interval: 10000
      timeout: 60000
      storage:
        type: hdfs
        max-retained: 3
        plugin-config:
          namespace: /tmp/seatunnel/checkpoint_snapshot
          storage.type: hdfs
          fs.defaultFS: file:///tmp/ # a directory
    telemetry:
      metric:
        enabled: false
      logs:
        scheduled-deletion-enable: true
    http:
      enable-http: true
      port: 8080
      enable-dynamic-port: false
`;

describe("seatunnel.yaml", () => {
  test("SeaTunnel's shipped file is read: its checkpoint settings and port apply, the JVM settings are named as without effect", () => {
    const c = readEngineConfig(file(SHIPPED));
    expect(c).toMatchObject({
      dynamicSlot: true,
      checkpointInterval: 10_000,
      checkpointTimeout: 60_000,
      checkpointDir: "/tmp/seatunnel/checkpoint_snapshot",
      retained: 3,
      historyExpireMinutes: 1440,
      httpPort: 8080,
      contextPath: "",
      scheduleStrategy: "WAIT",
    });
    expect(c.inert.map((s) => s.split(" ")[0])).toEqual([
      "classloader-cache-mode",
      "backup-count",
      "queue-type",
      "print-execution-info-interval",
      "print-job-metrics-info-interval",
      "metrics-fetch-timeout-ms",
      "telemetry.logs",
    ]);
  });

  test("fixed slots, the schedule strategy, the context path and our cluster.store", () => {
    const c = readEngineConfig(
      file(`seatunnel:
  engine:
    job-schedule-strategy: reject
    slot-service:
      dynamic-slot: false
      slot-num: 4
    http:
      context-path: /seatunnel/
    cluster:
      store: postgresql://db/seatunnel
`),
    );
    expect(c).toMatchObject({
      dynamicSlot: false,
      slotNum: 4,
      scheduleStrategy: "REJECT",
      contextPath: "/seatunnel",
      store: "postgresql://db/seatunnel",
    });
    expect(readEngineConfig(file("# nothing set\n"))).toEqual({ ...DEFAULT_ENGINE, file: expect.any(String) });
  });

  test("an unknown key, a bad value, a setting not built yet: positioned errors", () => {
    expect(refused("seatunnel:\n  engine:\n    slot-service:\n      slot-nums: 2\n")).toBe(
      'error[CLUSTER_CONFIG]: F:4:7 key "seatunnel.engine.slot-service.slot-nums" is not a known seatunnel.yaml key; did you mean "seatunnel.engine.slot-service.slot-num"?',
    );
    expect(refused("seatunnel:\n  engine:\n    checkpoint:\n      interval: soon\n")).toBe(
      'error[CLUSTER_CONFIG]: F:4:7 seatunnel.engine.checkpoint.interval expects a whole number >= 1, received "soon"',
    );
    expect(refused("seatunnel:\n  engine:\n    http:\n      enable-http: false\n")).toContain(
      "F:4:7 seatunnel.engine.http.enable-http cannot be false here",
    );
    expect(refused("seatunnel:\n  engine:\n    http:\n      enable-basic-auth: true\n")).toContain(
      "F:4:7 seatunnel.engine.http.enable-basic-auth is true but basic-auth-password is not set",
    );
    expect(refused("seatunnel:\n  engine:\n    http:\n      port: 1\n      enable-https: true\n")).toContain(
      "F:5:7 seatunnel.engine.http.enable-https is true but key-store-path is not set",
    );
    expect(
      refused(
        "seatunnel:\n  engine:\n    checkpoint:\n      storage:\n        plugin-config:\n          fs.defaultFS: s3a://bucket\n",
      ),
    ).toContain("F:6:11 seatunnel.engine.checkpoint.storage.plugin-config.fs.defaultFS must be a file:// URL");
    expect(refused("hazelcast:\n  cluster-name: x\n")).toBe(
      'error[CLUSTER_CONFIG]: F:2:3 "hazelcast.cluster-name" is not a seatunnel.yaml key: every key goes under seatunnel.engine',
    );
    expect(refused("seatunnel:\n  engine: [1,\n")).toMatch(/^error\[CLUSTER_CONFIG\]: F: not valid YAML/);
  });

  test("yamlPos finds a key below its parent, not a same-named key elsewhere", () => {
    const text = "a:\n  port: 1\nb:\n  c:\n    port: 2\n";
    expect(yamlPos(text, "f", ["b", "c", "port"])).toEqual({ file: "f", line: 5, col: 5 });
    expect(yamlPos(text, "f", ["a", "port"])).toEqual({ file: "f", line: 2, col: 3 });
    expect(yamlPos(text, "f", ["a", "c"])).toBeUndefined();
  });
});

describe("a job's file on a member", () => {
  const engine = { ...DEFAULT_ENGINE, checkpointInterval: 200, checkpointTimeout: 9000 };
  test("a streaming job without a checkpoint interval takes the engine's; a batch job only its timeout", () => {
    const env = (config: unknown) => JSON.parse(withEngineDefaults(JSON.stringify(config), engine)).env;
    expect(env({ env: { "job.mode": "STREAMING" } })).toEqual({
      "job.mode": "STREAMING",
      "checkpoint.interval": 200,
      "checkpoint.timeout": 9000,
    });
    expect(env({ env: { job: { mode: "streaming" }, "checkpoint.interval": 50 } })).toEqual({
      job: { mode: "streaming" },
      "checkpoint.interval": 50,
      "checkpoint.timeout": 9000,
    });
    expect(env({ env: { "job.mode": "BATCH" } })).toEqual({ "job.mode": "BATCH", "checkpoint.timeout": 9000 });
    expect(env({ source: [] })).toEqual({ "checkpoint.timeout": 9000 });
  });
});
