import { describe, expect, test } from "bun:test";
import { PLAN_FLAGS, parseRunArgs, runHelp, UsageError } from "./args.ts";

function usageError(argv: string[]): UsageError {
  try {
    parseRunArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      return e;
    }
    throw e;
  }
  throw new Error(`expected a UsageError for ${argv.join(" ")}`);
}

describe("parseRunArgs: job file, variables and boolean flags", () => {
  test("defaults: local master, close-job on, no variables", () => {
    const a = parseRunArgs(["job.conf"]);
    expect(a).toMatchObject({
      config: "job.conf",
      master: "local",
      closeJob: true,
      check: false,
      variables: [],
      cancelJob: [],
    });
  });

  test("SeaTunnel's client form -c/--config works, with a value inline or apart", () => {
    expect(parseRunArgs(["-c", "a.conf"]).config).toBe("a.conf");
    expect(parseRunArgs(["--config", "b.conf"]).config).toBe("b.conf");
    expect(parseRunArgs(["--config=c.conf"]).config).toBe("c.conf");
  });

  test("-cn is one flag (the cluster name), not -c followed by n", () => {
    const a = parseRunArgs(["-cn", "prod", "job.conf"]);
    expect(a.cluster).toBe("prod");
    expect(a.config).toBe("job.conf");
  });

  test("-i repeats and keeps every argument in order", () => {
    const a = parseRunArgs(["job.conf", "-i", "a=1", "--variable", "b=2,c=3", "-i", "a=4"]);
    expect(a.variables).toEqual(["a=1", "b=2,c=3", "a=4"]);
  });

  test("-i without a value is a usage error naming what it needs", () => {
    expect(usageError(["job.conf", "-i"]).message).toBe('flag "-i" needs a value (KEY=VALUE)');
  });

  test("-cj takes an optional true/false, case-insensitively", () => {
    expect(parseRunArgs(["job.conf", "-cj", "false"]).closeJob).toBe(false);
    expect(parseRunArgs(["job.conf", "--close-job", "FALSE"]).closeJob).toBe(false);
    expect(parseRunArgs(["job.conf", "-cj", "true"]).closeJob).toBe(true);
    expect(parseRunArgs(["-cj", "job.conf"])).toMatchObject({ closeJob: true, config: "job.conf" });
  });

  test("a boolean flag does not swallow the job file after it", () => {
    expect(parseRunArgs(["--check", "job.conf"])).toMatchObject({ check: true, config: "job.conf" });
  });
});

describe("parseRunArgs: master mode and usage errors", () => {
  test("-m and its aliases accept local in any case", () => {
    expect(parseRunArgs(["job.conf", "-m", "LOCAL"]).master).toBe("local");
    expect(parseRunArgs(["job.conf", "-e", "local"]).master).toBe("local");
    expect(parseRunArgs(["job.conf", "--deploy-mode=local"]).master).toBe("local");
  });

  test("-m with an unknown mode names the accepted ones", () => {
    expect(usageError(["job.conf", "-m", "yarn"]).message).toBe(
      '-m/--master expects local or cluster, received "yarn"',
    );
  });

  test("-m cluster (any case) submits to a cluster member, by --cluster-address when given", () => {
    expect(parseRunArgs(["job.conf", "-m", "CLUSTER"]).master).toBe("cluster");
    expect(parseRunArgs(["job.conf", "-e", "cluster", "--cluster-address", "http://h:1"]).clusterAddress).toBe(
      "http://h:1",
    );
  });

  test("an unknown flag is an error with a did-you-mean", () => {
    expect(usageError(["job.conf", "--chek"]).message).toBe(
      'flag "--chek" is not a known flag of run; did you mean "--check"?',
    );
    expect(usageError(["job.conf", "--verbos"]).message).toBe(
      'flag "--verbos" is not a known flag of run; did you mean "--verbose"?',
    );
    expect(usageError(["job.conf", "--completely-different"]).message).toBe(
      'flag "--completely-different" is not a known flag of run',
    );
  });

  test("a second job file is refused rather than silently replacing the first", () => {
    expect(usageError(["a.conf", "b.conf"]).message).toBe(
      'unexpected argument "b.conf": the job file is already "a.conf"',
    );
  });
});

describe("parseRunArgs: --connect", () => {
  test("goes with --check, in either order", () => {
    expect(parseRunArgs(["--connect", "--check", "job.conf"])).toMatchObject({ check: true, connect: true });
    expect(parseRunArgs(["--check", "job.conf"]).connect).toBe(false);
  });

  test("alone is a usage error that names validate", () => {
    expect(usageError(["--connect", "job.conf"]).message).toBe(
      "--connect goes with --check (or run: seatunnel validate <job-file>)",
    );
  });
});

describe("parseRunArgs: cluster-only flags and our own flags", () => {
  test("-can takes several job ids; the job queries parse for the cluster", () => {
    expect(parseRunArgs(["-can", "a", "b"]).cancelJob).toEqual(["a", "b"]);
    expect(usageError(["-can"]).message).toBe('flag "-can" needs at least one value (JOB_ID...)');
    expect(parseRunArgs(["-j", "1"]).jobId).toBe("1");
    expect(parseRunArgs(["--metrics", "2"]).metrics).toBe("2");
    expect(parseRunArgs(["--get_running_job_metrics"]).runningMetrics).toBe(true);
    expect(parseRunArgs(["-l"]).list).toBe(true);
    expect(parseRunArgs(["--list"]).list).toBe(true);
  });

  test("a savepoint (-s) names the job to stop, as SeaTunnel's client takes it", () => {
    expect(parseRunArgs(["-s", "1"]).savepoint).toBe("1");
    expect(parseRunArgs(["--savepoint", "2"]).savepoint).toBe("2");
  });

  test("counts are whole numbers: --workers from 0, --slots and --retained-checkpoints from 1", () => {
    expect(parseRunArgs(["job.conf", "--retained-checkpoints", "5"]).retainedCheckpoints).toBe("5");
    expect(usageError(["job.conf", "--retained-checkpoints", "0"]).message).toBe(
      "--retained-checkpoints expects at least 1",
    );
    expect(usageError(["job.conf", "--slots", "two"]).message).toBe('--slots expects a whole number, received "two"');
    expect(parseRunArgs(["job.conf", "--workers", "0"]).workers).toBe("0");
  });

  test("our own flags parse alongside SeaTunnel's", () => {
    const a = parseRunArgs([
      "job.conf",
      "--verbose",
      "--json",
      "--strict",
      "--no-progress",
      "--async",
      "-n",
      "nightly",
      "--set-job-id",
      "42",
    ]);
    expect(a).toMatchObject({
      verbose: true,
      json: true,
      strict: true,
      noProgress: true,
      async: true,
      name: "nightly",
      setJobId: "42",
    });
  });
});

describe("runHelp", () => {
  test("lists every flag and marks the cluster-only ones", () => {
    const text = runHelp();
    expect(text).toContain("-cn, --cluster NAME");
    expect(text).toContain("-i, --variable KEY=VALUE");
    expect(text).toMatch(/-can, --cancel-job JOB_ID\.\.\. +Cancel jobs \[cluster mode\]/);
  });
});

describe("parseRunArgs for plan", () => {
  test("plan takes only the flags that change the plan, and names itself in the error", () => {
    expect(parseRunArgs(["job.conf", "-i", "a=1", "--strict"], PLAN_FLAGS, "plan")).toMatchObject({
      config: "job.conf",
      variables: ["a=1"],
      strict: true,
    });
    const e = (() => {
      try {
        parseRunArgs(["job.conf", "--json"], PLAN_FLAGS, "plan");
      } catch (x) {
        return x as UsageError;
      }
    })();
    expect(e?.message).toBe('flag "--json" is not a known flag of plan');
    expect(e?.command).toBe("plan");
  });
});
