import { describe, expect, test } from "bun:test";
import { classify, ConfigError, deterministic, failureOf, JobError, rejectedError, transient } from "./errors.ts";

describe("failureOf", () => {
  test("finds the class set on the error or on any of its causes", () => {
    const driver = classify(new Error("deadlock detected"), transient("deadlock (PostgreSQL 40P01)"));
    const wrapped = new JobError("JDBC_WRITE", "writing table t: deadlock detected", { cause: driver });
    const outer = new JobError("JOB_FAILED", "Pipeline 1: writing table t: deadlock detected", { cause: wrapped });
    expect(failureOf(outer)).toEqual({ transient: true, reason: "deadlock (PostgreSQL 40P01)" });
  });

  test("the outermost class wins, and classify never replaces one", () => {
    const inner = classify(new Error("x"), transient("connection lost"));
    const outer = new JobError("W", "x", { cause: inner, failure: deterministic("bad value") });
    expect(failureOf(outer)?.reason).toBe("bad value");
    expect(failureOf(classify(inner, deterministic("other")))?.reason).toBe("connection lost");
  });

  test("configuration errors are deterministic, system codes go by their meaning, anything else is unknown", () => {
    expect(failureOf(new ConfigError("CONFIG_OPTION_INVALID", "bad option"))?.transient).toBe(false);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(failureOf(refused)).toEqual({ transient: true, reason: "connection refused (ECONNREFUSED)" });
    const missing = Object.assign(new Error("no such file"), { code: "ENOENT" });
    expect(failureOf(new JobError("FILE_READ", "reading a.csv", { cause: missing }))?.transient).toBe(false);
    expect(failureOf(new JobError("TEST", "something"))).toBeUndefined();
    expect(failureOf("a string")).toBeUndefined();
  });

  test("a bad record's error is deterministic and keeps its position", () => {
    const e = rejectedError("FILE_VALUE_INVALID", {
      file: "a.csv",
      line: 7,
      column: 3,
      field: "age",
      reason: "expects int",
    });
    expect(e.message).toBe('reading "a.csv" line 7, column 3 ("age"): expects int');
    expect(failureOf(e)?.transient).toBe(false);
  });
});
