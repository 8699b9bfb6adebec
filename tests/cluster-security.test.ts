/**
 * A member's HTTP security with SeaTunnel's seatunnel.engine.http settings, through real HTTP
 * clients: basic auth on every path (no default password: a member without one refuses to start),
 * the client with credentials in the member's address, HTTPS with a test certificate made by
 * openssl (a Java KeyStore made by keytool is refused with how to convert it), a dynamic port,
 * 127.0.0.1 unless a host is given, no CORS headers, and a limit on request bodies.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { BIN, runBin } from "./helpers.ts";
import { cleanup, csvJob, dataDir, freePort, rowsIn, start } from "./cluster-helpers.ts";

afterAll(cleanup);

/** A data directory with this seatunnel.yaml `http:` block (indented under seatunnel.engine.http). */
function withHttp(lines: string[]): string {
  const dir = dataDir();
  const body = lines.map((l) => `      ${l}`).join("\n");
  writeFileSync(join(dir, "seatunnel.yaml"), `seatunnel:\n  engine:\n    http:\n${body}\n`);
  return dir;
}

const PASSWORD = "s3cret-Pa55";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("basic auth", () => {
  test("every path asks for the user and password: 401 without or with wrong ones, SeaTunnel's error body", async () => {
    const m = await start(
      withHttp(["enable-basic-auth: true", "basic-auth-username: ops", `basic-auth-password: "${PASSWORD}"`]),
    );
    for (const path of ["/overview", "/running-jobs", "/job-info/1", "/metrics", "/cluster", "/"]) {
      const none = await fetch(`http://127.0.0.1:${m.port}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toStartWith("Basic realm=");
      expect(((await none.json()) as { status: string }).status).toBe("fail");
      const wrong = await fetch(`http://127.0.0.1:${m.port}${path}`, {
        headers: { authorization: basic("ops", "guess") },
      });
      expect(wrong.status).toBe(401);
    }
    const ok = await fetch(`http://127.0.0.1:${m.port}/overview`, {
      headers: { authorization: basic("ops", PASSWORD) },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { projectVersion: string }).projectVersion).toMatch(/\d/);
    const post = await fetch(`http://127.0.0.1:${m.port}/submit-job`, { method: "POST", body: "{}" });
    expect(post.status).toBe(401);
  });

  test("the client runs a job with the credentials in the member's address, and never prints the password", async () => {
    const m = await start(
      withHttp(["enable-basic-auth: true", "basic-auth-username: ops", `basic-auth-password: "${PASSWORD}"`]),
    );
    const dir = dataDir();
    const out = join(dir, "out");
    mkdirSync(out);
    const conf = csvJob(dir, 500);
    const address = `http://ops:${PASSWORD}@127.0.0.1:${m.port}`;
    const run = await runBin(["run", conf, "-m", "cluster", "--cluster-address", address, "-i", `out=${out}`]);
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`submitted to the cluster at http://ops:***@127.0.0.1:${m.port}`);
    // The job's own log, pulled from the member with the same credentials.
    expect(run.stdout).toContain("Total Read Count          :                 500");
    expect(rowsIn(out).length).toBe(500);
    const refused = await runBin(["run", conf, "-m", "cluster", "--cluster-address", `http://127.0.0.1:${m.port}`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("error[CLUSTER_REFUSED]");
    expect(refused.stderr).toContain("give them in the member's address: http://USER:PASSWORD@host:port");
  });

  test("auth on without a password: the member refuses to start, at the key's position", async () => {
    const dir = withHttp(["enable-basic-auth: true"]);
    const r = await runBin(["cluster", "start", "--data-dir", dir, "--port", String(freePort())]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error[CLUSTER_CONFIG]: ${join(dir, "seatunnel.yaml")}:4:7 seatunnel.engine.http.enable-basic-auth is true but basic-auth-password is not set: this engine has no default password`,
    );
  });
});

describe("HTTPS", () => {
  test("with a PEM certificate and key, besides HTTP; a client that trusts the certificate gets the overview", async () => {
    const dir = dataDir();
    const pem = join(dir, "member.pem");
    const made = Bun.spawnSync(
      ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"].concat([
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ]),
      { stderr: "pipe" },
    );
    expect(made.exitCode).toBe(0);
    const cert = await Bun.file(join(dir, "cert.pem")).text();
    writeFileSync(pem, cert + (await Bun.file(join(dir, "key.pem")).text()));
    const httpsPort = freePort();
    const m = await start(withHttp(["enable-https: true", `https-port: ${httpsPort}`, `key-store-path: ${pem}`]));
    const r = await fetch(`https://127.0.0.1:${httpsPort}/overview`, { tls: { ca: cert } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { projectVersion: string }).projectVersion).toMatch(/\d/);
    // A client that does not trust it is refused by TLS, and HTTP still answers.
    expect(await fetch(`https://127.0.0.1:${httpsPort}/overview`).catch((e) => String(e))).toMatch(/certificate/i);
    expect((await fetch(`http://127.0.0.1:${m.port}/overview`)).status).toBe(200);
  });

  test("a Java KeyStore is refused with the commands that convert it to PEM", async () => {
    const dir = dataDir();
    const jks = join(dir, "member.jks");
    const made = Bun.spawnSync(
      ["keytool", "-genkeypair", "-alias", "m", "-keyalg", "RSA", "-dname", "CN=127.0.0.1", "-keystore", jks].concat([
        "-storetype",
        "JKS",
        "-storepass",
        "changeit",
        "-keypass",
        "changeit",
        "-validity",
        "2",
      ]),
      { stderr: "pipe", stdout: "pipe" },
    );
    expect(made.exitCode).toBe(0);
    const data = withHttp([
      "enable-https: true",
      `https-port: ${freePort()}`,
      `key-store-path: ${jks}`,
      "key-store-password: changeit",
    ]);
    const r = await runBin(["cluster", "start", "--data-dir", data, "--port", String(freePort())]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`error[CLUSTER_HTTP]: key-store-path ${jks} is not a PEM file`);
    expect(r.stderr).toContain(`keytool -importkeystore -srckeystore ${jks}`);
    expect(r.stderr).toContain("openssl pkcs12 -in member.p12 -nodes -out member.pem");
  });
});

describe("where a member listens", () => {
  test("a taken port: refused, unless enable-dynamic-port takes the next free one of port-range", async () => {
    const taken = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("other") });
    const port = taken.port!;
    const refused = await runBin(["cluster", "start", "--data-dir", dataDir(), "--port", String(port)]);
    expect(refused.stderr).toContain(`error[CLUSTER_HTTP]: HTTP port ${port} is in use`);
    const dir = withHttp(["enable-dynamic-port: true", "port-range: 20", `port: ${port}`]);
    const proc = Bun.spawn([BIN, "cluster", "start", "-d", "--data-dir", dir], { stdout: "pipe", stderr: "pipe" });
    const said = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const address = /(http:\/\/127\.0\.0\.1:(\d+))/.exec(said);
    expect(address).not.toBeNull();
    const other = Number(address![2]);
    expect(other).toBeGreaterThan(port);
    expect(other).toBeLessThan(port + 20);
    expect((await fetch(`${address![1]}/overview`)).status).toBe(200);
    expect((await runBin(["cluster", "stop", "--data-dir", dir])).code).toBe(0);
    taken.stop(true);
  });

  test("without --host only 127.0.0.1; with one, every interface", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a?.family === "IPv4" && !a.internal)?.address;
    expect(external).toBeDefined();
    const local = await start(dataDir());
    expect(await fetch(`http://${external}:${local.port}/overview`).catch(() => "refused")).toBe("refused");
    const open = await start(dataDir(), ["--host", external!]);
    expect((await fetch(`http://${external}:${open.port}/overview`)).status).toBe(200);
  });
});

describe("requests", () => {
  test("no CORS headers, even asked from another origin", async () => {
    const m = await start(dataDir());
    const r = await fetch(`http://127.0.0.1:${m.port}/overview`, { headers: { origin: "http://evil.example" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await fetch(`http://127.0.0.1:${m.port}/submit-job`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a body over 16 MiB is refused with 413, and the member goes on", async () => {
    const m = await start(dataDir());
    const r = await fetch(`http://127.0.0.1:${m.port}/submit-job`, {
      method: "POST",
      body: "x".repeat(16 * 2 ** 20 + 1),
    }).catch((e) => String(e));
    expect(typeof r === "string" ? r : r.status).toBe(413);
    expect((await fetch(`http://127.0.0.1:${m.port}/overview`)).status).toBe(200);
  });
});
