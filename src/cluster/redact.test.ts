import { describe, expect, test } from "bun:test";
import { MASK, redactConfig, redactText, secretsOf } from "./redact.ts";

describe("secrets a member never shows", () => {
  const config = {
    env: { "job.mode": "BATCH" },
    source: [{ plugin_name: "Jdbc", url: "jdbc:mysql://h/db", user: "root", password: "hunter2!x", query: "select 1" }],
    sink: [{ plugin_name: "S3File", access_key: "AKIA1234", secret_key: "s3cr3t/key", nested: { token: "tok-9999" } }],
  };

  test("a config's sensitive values are masked at any depth; the rest is kept", () => {
    const shown = redactConfig(config) as typeof config;
    expect(shown.source[0]).toEqual({ ...config.source[0]!, password: MASK });
    expect(shown.sink[0]).toEqual({
      plugin_name: "S3File",
      access_key: MASK,
      secret_key: MASK,
      nested: { token: MASK },
    });
    // An Http job's credential headers.
    const http = { headers: { Authorization: "Bearer abc", "x-api-key": "k1", Accept: "application/json" } };
    expect(redactConfig(http)).toEqual({
      headers: { Authorization: MASK, "x-api-key": MASK, Accept: "application/json" },
    });
  });

  test("text: each secret value of the job, and any password in a URL or JDBC parameter", () => {
    const secrets = secretsOf(JSON.stringify(config));
    expect(secrets).toEqual(["s3cr3t/key", "hunter2!x", "AKIA1234", "tok-9999"]);
    expect(redactText("auth failed for hunter2!x at db_hunter2!x", secrets)).toBe(
      `auth failed for ${MASK} at db_${MASK}`,
    );
    expect(redactText("postgresql://app:other-pw@db:5432/x and https://u:p@h/", [])).toBe(
      `postgresql://app:${MASK}@db:5432/x and https://u:${MASK}@h/`,
    );
    expect(redactText("jdbc:sqlserver://h;user=sa;password=Pa55;db=x", [])).toBe(
      `jdbc:sqlserver://h;user=sa;password=${MASK};db=x`,
    );
    // A user without a password, and short values, stay.
    expect(redactText("postgresql://root@127.0.0.1/test", ["abc"])).toBe("postgresql://root@127.0.0.1/test");
  });
});
