/**
 * Job loading, written once: a job file's tree → job model (options of env and every block) →
 * logical plan → plugins bound to their connectors. `seatunnel run`, `--check` and `plan`, every
 * pool worker (from the tree the master sends) and the tests go through these two stages; the CLI
 * does its own work between them (warnings, the job's name and id, pre-started workers).
 * Each stage reports every error it finds (ConfigErrors) before the job stops.
 */
import type { Logger } from "../api/connector.ts";
import { type ConfigError, ConfigErrors } from "../api/errors.ts";
import type { ObjectNode } from "../api/tree.ts";
import { buildJob, type JobModel } from "../config/job.ts";
import { builtinRegistry, type Registry } from "../registry/index.ts";
import { type BoundJob, bindJob } from "./bind.ts";
import { closeNodes } from "./connect.ts";
import { buildDag, type Dag } from "./logical.ts";

export interface PlannedJob {
  job: JobModel;
  dag: Dag;
}

/**
 * Stage 1 and 2: the job model and its logical plan. Warnings go to `warn` as each stage ends;
 * `planned` runs once the plan exists, before any warning is reported.
 */
export async function planJob(
  root: ObjectNode,
  file: string,
  o: {
    decodeSecrets?: boolean;
    warn?: (warnings: ConfigError[]) => void;
    planned?: (p: PlannedJob) => Promise<void> | void;
  } = {},
): Promise<PlannedJob> {
  const { job, errors } = buildJob(root, file, { decodeSecrets: o.decodeSecrets ?? true });
  if (!job) {
    throw new ConfigErrors(errors);
  }
  const planned = buildDag(job);
  if (planned.dag) {
    await o.planned?.({ job, dag: planned.dag });
  }
  o.warn?.(job.warnings);
  if (!planned.dag) {
    throw new ConfigErrors(planned.errors);
  }
  o.warn?.(planned.warnings);
  return { job, dag: planned.dag };
}

/**
 * Stage 3: every block bound to its connector (options parsed, tables resolved). With `connect`,
 * stage 4 too: sources read their catalogs and every source and sink checks itself against its
 * server (checkNodes); what that finds is an error (`"errors"`) or a warning (`"warnings"`, for
 * `seatunnel plan`, which shows what it could not learn as offline). The caller closes the job's
 * nodes (closeNodes) once done with them; on an error they are closed here.
 */
export async function bindPlanned(
  p: PlannedJob,
  o: {
    jobId: string;
    jobName: string;
    log: Logger;
    checkOnly: boolean;
    connect?: "errors" | "warnings";
    /** Defaults to the built-in connectors the job names. */
    registry?: Registry;
    warn?: (warnings: ConfigError[]) => void;
  },
): Promise<BoundJob> {
  const registry = o.registry ?? (await builtinRegistry([...p.job.sources, ...p.job.transforms, ...p.job.sinks]));
  const bound = await bindJob(p.job, p.dag, registry, {
    jobId: o.jobId,
    jobName: o.jobName,
    log: o.log,
    checkOnly: o.checkOnly,
    connect: o.connect !== undefined,
  });
  try {
    o.warn?.(bound.warnings);
    if (o.connect === "warnings") {
      o.warn?.(bound.connectErrors);
    }
  } catch (e) {
    await closeNodes(bound.created);
    throw e;
  }
  const errors = [...bound.errors, ...(o.connect === "errors" ? bound.connectErrors : [])];
  if (o.connect) {
    // Found in two passes (binding, then the servers): reported in the order of the file.
    errors.sort(byPosition);
  }
  if (!bound.bound || errors.length) {
    await closeNodes(bound.created);
    throw new ConfigErrors(errors);
  }
  return bound.bound;
}

function byPosition(a: ConfigError, b: ConfigError): number {
  if (!a.pos || !b.pos) {
    return a.pos ? -1 : b.pos ? 1 : 0;
  }
  return a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col;
}

/** Both stages at once, for callers with nothing to do between them (workers, tests). */
export async function loadJobTree(
  root: ObjectNode,
  file: string,
  o: { jobId: string; jobName: string; log: Logger; checkOnly: boolean; registry?: Registry },
): Promise<BoundJob> {
  return bindPlanned(await planJob(root, file), o);
}
