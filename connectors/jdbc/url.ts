/**
 * JDBC URLs → what our drivers need. `jdbc:postgresql://host:port/db?k=v`, `jdbc:mysql://…` and
 * `jdbc:mariadb://…` (MySQL protocol; the driver class in the job is not used), and `jdbc:sqlite:path`.
 * Parsing is pure, so `create()` validates URLs under `--check` without connecting.
 */
import { ConfigError } from "../../src/api/index.ts";

export type DialectKind = "postgres" | "mysql" | "sqlite";

export interface ConnInfo {
  kind: DialectKind;
  host: string;
  port: number;
  /** PostgreSQL/MySQL database; SQLite: the file path (or `:memory:`). */
  database: string;
  user: string;
  password: string;
  /** URL query parameters merged with the `properties` option (properties win, as in MySQL's driver). */
  params: Record<string, string>;
  /** Pool key: connections are shared by everything in a thread that uses the same key. */
  key: string;
}

const SCHEMES: Record<string, DialectKind> = {
  postgresql: "postgres",
  pgsql: "postgres",
  mysql: "mysql",
  mariadb: "mysql",
  sqlite: "sqlite",
};

/** How each kind's URLs read: SQLite names a file, the others a server (with this port by default). */
const URL_FORMS: Record<DialectKind, { scheme: string; file: boolean; port: number }> = {
  postgres: { scheme: "postgresql", file: false, port: 5432 },
  mysql: { scheme: "mysql", file: false, port: 3306 },
  sqlite: { scheme: "sqlite", file: true, port: 0 },
};

export function parseJdbcUrl(url: string, user = "", password = "", properties: Record<string, string> = {}): ConnInfo {
  const m = /^jdbc:([a-z0-9]+):(.*)$/is.exec(url.trim());
  const kind = m ? SCHEMES[m[1]!.toLowerCase()] : undefined;
  if (!m || !kind) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `option "url" expects a JDBC URL of PostgreSQL (jdbc:postgresql://host:5432/db), MySQL/MariaDB (jdbc:mysql://host:3306/db) or SQLite (jdbc:sqlite:path), received "${url}"`,
    );
  }
  const rest = m[2]!;
  const form = URL_FORMS[kind];
  if (form.file) {
    const file = rest.replace(/^\/\//, "").split("?")[0]!;
    return {
      kind,
      host: "",
      port: form.port,
      database: file || ":memory:",
      user: "",
      password: "",
      params: {},
      key: `${kind}|${file}`,
    };
  }
  const hm = /^\/\/([^/?]*)\/?([^?]*)(?:\?(.*))?$/s.exec(rest);
  if (!hm) {
    throw new ConfigError("CONFIG_OPTION_INVALID", `option "url": cannot read host and database from "${url}"`);
  }
  const params: Record<string, string> = {};
  for (const part of (hm[3] ?? "").split("&")) {
    if (!part) {
      continue;
    }
    const eq = part.indexOf("=");
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    params[k] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
  }
  Object.assign(params, properties);
  const hostPort = (hm[1] ?? "").split(",")[0]!;
  const pm = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  const host = pm?.[1] || "localhost";
  const port = pm?.[2] ? Number(pm[2]) : form.port;
  const database = decodeURIComponent(hm[2] ?? "");
  const u = user || params.user || "";
  const p = password || params.password || "";
  const info = {
    kind,
    host,
    port,
    database,
    user: u,
    password: p,
    params,
    key: `${kind}|${host}|${port}|${database}|${u}`,
  };
  connectTimeoutMs(info);
  return info;
}

/**
 * How long opening a connection may take, from the URL's `connectTimeout` as each JDBC driver reads
 * it: PostgreSQL's in seconds (pgjdbc's default 10), MySQL's in milliseconds (Connector/J's 0 means
 * no limit; mysql2's default 10 s stands in for it). A host that does not answer fails after this.
 */
export function connectTimeoutMs(c: ConnInfo): number {
  const raw = c.params.connectTimeout;
  if (raw === undefined || raw === "") {
    return 10_000;
  }
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(
      "CONFIG_OPTION_INVALID",
      `option "url": connectTimeout expects a whole number of ${c.kind === "postgres" ? "seconds" : "milliseconds"}, received "${raw}"`,
    );
  }
  const n = Number(raw) * (c.kind === "postgres" ? 1000 : 1);
  // 0 is "no limit" to both drivers; a day stands in for it.
  return n === 0 ? 86_400_000 : n;
}

/** A URL with the password removed, for messages. */
export function describeConn(c: ConnInfo): string {
  const form = URL_FORMS[c.kind];
  if (form.file) {
    return `${form.scheme}:${c.database}`;
  }
  return `${form.scheme}://${c.user ? `${c.user}@` : ""}${c.host}:${c.port}/${c.database}`;
}
