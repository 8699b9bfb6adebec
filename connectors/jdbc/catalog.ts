/**
 * Every table of a Jdbc source read from the catalog on one session, with every table that fails
 * reported (a table_list naming three missing tables gives three errors, not the first one).
 */
import { ConfigError, ConfigErrors, JobError } from "../../src/api/index.ts";
import type { Dialect, Session } from "./dialect.ts";
import { discover, type SourceTable, type TableConfig } from "./discover.ts";
import { type ConnInfo, describeConn } from "./url.ts";

export async function discoverAll(
  s: Session,
  d: Dialect,
  info: ConnInfo,
  configs: TableConfig[],
  where: string | undefined,
): Promise<SourceTable[]> {
  const tables: SourceTable[] = [];
  const failed: unknown[] = [];
  for (const c of configs) {
    try {
      tables.push(await discover(s, d, info, c, where));
    } catch (e) {
      failed.push(e);
    }
  }
  if (failed.length === 1) {
    throw failed[0];
  }
  if (failed.length > 1) {
    throw new ConfigErrors(failed.map((e) => asConfigError(e, info)));
  }
  return tables;
}

function asConfigError(e: unknown, info: ConnInfo): ConfigError {
  if (e instanceof ConfigError) {
    return e;
  }
  if (e instanceof JobError) {
    return new ConfigError(e.code, e.message);
  }
  return new ConfigError("JDBC_CONNECT", `reading the catalog of ${describeConn(info)}: ${(e as Error).message}`);
}
