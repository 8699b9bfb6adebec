/**
 * How a member's HTTP service listens, with SeaTunnel's seatunnel.engine.http settings: on
 * 127.0.0.1 unless the member is given a host (then every interface), on its port or, with
 * `enable-dynamic-port`, the first free one of `port-range` from it; HTTPS besides on `https-port`
 * with a PEM certificate and key (a Java KeyStore is refused with how to convert it); basic auth
 * on every path, with no default password; no CORS headers; request bodies up to MAX_BODY bytes.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { HttpSettings } from "./config.ts";

/** The largest request body a member reads (a job file is far smaller). */
export const MAX_BODY = 16 * 2 ** 20;

type Handler = (req: Request) => Response | Promise<Response>;
type Server = ReturnType<typeof Bun.serve>;

export interface Listening {
  servers: Server[];
  /** The HTTP port taken (the configured one, or with a dynamic port the first free one). */
  port: number;
  httpsPort: number | undefined;
  stop(): void;
}

/** The `authorization` header a member sends to another (members share seatunnel.yaml), if auth is on. */
export function memberHeaders(h: HttpSettings): Record<string, string> {
  return h.basicAuth ? { authorization: basicHeader(h.user, h.password ?? "") } : {};
}

export const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether `req` carries the member's credentials (compared in constant time). */
function authorized(req: Request, h: HttpSettings): boolean {
  const given = req.headers.get("authorization") ?? "";
  return timingSafeEqual(digest(given), digest(basicHeader(h.user, h.password ?? "")));
}

const fail = (message: string, status: number, headers: Record<string, string> = {}) =>
  Response.json({ status: "fail", message }, { status, headers });

/** The handler behind the checks every request passes: its credentials, then its body's size. */
function guarded(handler: Handler, h: HttpSettings): Handler {
  return (req) => {
    if (h.basicAuth && !authorized(req, h)) {
      return fail("Unauthorized: this member asks for its basic-auth user and password", 401, {
        "www-authenticate": 'Basic realm="SeaTunnel", charset="UTF-8"',
      });
    }
    if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY) {
      return fail(`the request body is larger than ${MAX_BODY} bytes`, 413);
    }
    return handler(req);
  };
}

/** Bun's TLS options from the PEM files the settings name; a keystore that is not PEM is refused. */
export function tlsOf(h: HttpSettings): { cert: string; key: string; passphrase?: string; ca?: string } {
  const pem = readPem(h.keyStorePath!, "key-store-path");
  const cert = blocks(pem, /CERTIFICATE/);
  const key = blocks(pem, /PRIVATE KEY/);
  if (cert === "" || key === "") {
    throw new Error(
      `key-store-path ${h.keyStorePath} must hold both the certificate and its private key (PEM blocks BEGIN CERTIFICATE and BEGIN PRIVATE KEY); it has ${cert === "" ? "no certificate" : "no private key"}`,
    );
  }
  const ca = h.trustStorePath ? readPem(h.trustStorePath, "trust-store-path") : undefined;
  return { cert, key, ...(h.keyPassword ? { passphrase: h.keyPassword } : {}), ...(ca ? { ca } : {}) };
}

function readPem(file: string, key: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`${key} ${file} cannot be read: ${(e as Error).message}`);
  }
  const text = bytes.toString("latin1");
  if (!text.includes("-----BEGIN ")) {
    throw new Error(
      `${key} ${file} is not a PEM file (a Java KeyStore or PKCS12 file, it seems); this engine reads PEM. Convert it with: keytool -importkeystore -srckeystore ${file} -destkeystore member.p12 -deststoretype PKCS12 && openssl pkcs12 -in member.p12 -nodes -out member.pem, then set ${key}: member.pem`,
    );
  }
  return text;
}

/** The PEM blocks of `pem` whose label matches. */
const blocks = (pem: string, label: RegExp) =>
  (pem.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [])
    .filter((b) => label.test(/BEGIN ([A-Z0-9 ]+)/.exec(b)![1]!))
    .join("\n");

const inUse = (e: unknown) => (e as { code?: string }).code === "EADDRINUSE";

/** Serves `handler` over HTTP (and HTTPS when on); throws a clear error when no port can be taken. */
export function listen(handler: Handler, h: HttpSettings, port: number, hostname: string): Listening {
  const fetch = guarded(handler, h);
  const tries = h.dynamicPort ? h.portRange : 1;
  // The first port of [from, from + tries) that is free.
  const first = (from: number, what: string, tls?: ReturnType<typeof tlsOf>): Server => {
    for (let p = from; p < from + tries; p++) {
      try {
        return Bun.serve({ port: p, hostname, fetch, maxRequestBodySize: MAX_BODY, ...(tls ? { tls } : {}) });
      } catch (e) {
        if (!inUse(e)) {
          throw e;
        }
      }
    }
    throw new Error(
      h.dynamicPort
        ? `${what} ports ${from} to ${from + tries - 1} (port-range ${tries}) are all in use`
        : `${what} port ${from} is in use (by another member or program): choose another${what === "HTTP" ? " with --port N" : " in http.https-port"}, or set http.enable-dynamic-port`,
    );
  };
  const http = first(port, "HTTP");
  const servers = [http];
  if (h.https) {
    try {
      servers.push(first(h.httpsPort, "HTTPS", tlsOf(h)));
    } catch (e) {
      http.stop(true);
      throw e;
    }
  }
  return {
    servers,
    port: http.port!,
    httpsPort: servers[1]?.port,
    stop: () => {
      for (const s of servers) {
        s.stop(true);
      }
    },
  };
}
