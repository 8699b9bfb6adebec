/**
 * `seatunnel checkpoints list|prune`: the job folders of the checkpoint directory, and their
 * removal. A finished job removes its own folder; these are the folders of jobs that failed, were
 * stopped or were killed (kept for `seatunnel run -r`), and of running jobs, which prune never
 * touches. Also the end-of-job lines of `seatunnel run` that say what was kept and how to resume.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../api/connector.ts";
import { type JobFolder, listJobFolders, pruneJobFolders } from "../checkpoint/folders.ts";
import { checkpointDir } from "../checkpoint/storage.ts";
import type { JobResult } from "../runtime/job-master.ts";
import { groupUsage, type RunArgs } from "./args.ts";
import { EXIT } from "./errors.ts";

const USAGE = {
  list: `Usage: seatunnel checkpoints list [--dir DIR] [--json]

One line per job folder in the checkpoint directory: job id, name, state, checkpoints, the last
checkpoint's time, size and job file. States: running, failed, stopped (a streaming job stopped by
a signal), savepoint (a batch job stopped by a signal), crashed (its process died without ending
the job), finished (only its rejected rows are left). Folders of finished jobs are removed by the
job itself.

Flags:
  --dir DIR     The checkpoint directory (default: $SEATUNNEL_CHECKPOINT_DIR, else
                <temp dir>/seatunnel/checkpoint)
  --json        One JSON object: {"dir": ..., "jobs": [...]}
  -h, --help    Show this help`,
  prune: `Usage: seatunnel checkpoints prune [--older-than AGE] [--dir DIR] [--dry-run]

Removes the folders of jobs that are not running (failed, stopped, crashed), whose last write is
older than AGE (default: any age). The folder of a running job is never removed, nor a folder
without job.json (not a job folder, or a job starting this instant).

Flags:
  --older-than AGE   Only folders last written longer ago than AGE: a number and s, m, h, d or w
                     (30m, 12h, 7d)
  --dir DIR          The checkpoint directory (default: $SEATUNNEL_CHECKPOINT_DIR, else
                     <temp dir>/seatunnel/checkpoint)
  --dry-run          Say what would be removed; remove nothing
  -h, --help         Show this help`,
};

const GENERAL = `Usage: seatunnel checkpoints list [--dir DIR] [--json]
       seatunnel checkpoints prune [--older-than AGE] [--dir DIR] [--dry-run]
Run \`seatunnel checkpoints <list|prune> -h\` for details.`;

type Sub = keyof typeof USAGE;

/** The help of `checkpoints` or of one of its subcommands. */
export function checkpointsHelp(sub?: Sub): string {
  return sub ? USAGE[sub] : GENERAL;
}

/** The flags of list and prune, as citty parsed them from the args commands.ts declares and checks. */
export interface CheckpointsFlags {
  help?: boolean;
  json?: boolean;
  dryRun?: boolean;
  dir?: string;
  olderThan?: string;
}

/**
 * `seatunnel checkpoints`, before citty picks list or prune: its own -h (returns true: answered),
 * or a usage error for a missing or unknown subcommand (`subs`: the tree's).
 */
export function checkpointsGroup(argv: readonly string[], subs: readonly string[]): boolean {
  return groupUsage("checkpoints", GENERAL, argv, subs);
}

/** `seatunnel checkpoints list|prune`, its flags checked already. */
export function checkpointsCommand(sub: Sub, flags: CheckpointsFlags): number {
  if (flags.help) {
    process.stdout.write(`${USAGE[sub]}\n`);
    return EXIT.ok;
  }
  const dir = checkpointDir(flags.dir);
  return sub === "list" ? list(dir, flags.json === true) : prune(dir, flags);
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `12h`, `7d` → milliseconds; throws with the expected form otherwise. */
export function durationMs(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) {
    throw new Error(`--older-than expects an age such as 30m, 12h or 7d (s, m, h, d or w), received "${text}"`);
  }
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

function list(dir: string, json: boolean): number {
  const folders = listJobFolders(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify({ dir, jobs: folders.map(folderJson) })}\n`);
    return EXIT.ok;
  }
  if (!folders.length) {
    process.stdout.write(`No job folders in ${dir}.\n`);
    return EXIT.ok;
  }
  const rows = [
    ["JOB ID", "NAME", "STATE", "CHECKPOINTS", "LAST CHECKPOINT", "SIZE", "FILE"],
    ...folders.map((f) => [
      f.jobId,
      f.jobName ?? "-",
      f.pid !== undefined ? `${f.state} (pid ${f.pid})` : f.state,
      String(f.checkpoints),
      f.lastCheckpoint !== undefined ? localTime(f.lastCheckpoint) : "-",
      size(f.bytes),
      f.file ?? "-",
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) {
    process.stdout.write(`${r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[c]!) : cell)).join("  ")}\n`);
  }
  const total = folders.reduce((n, f) => n + f.bytes, 0);
  process.stdout.write(`${folders.length} job folder(s) in ${dir}, ${size(total)}.\n`);
  return EXIT.ok;
}

function folderJson(f: JobFolder): Record<string, unknown> {
  return {
    jobId: f.jobId,
    jobName: f.jobName ?? null,
    file: f.file ?? null,
    state: f.state,
    ...(f.pid !== undefined ? { pid: f.pid } : {}),
    checkpoints: f.checkpoints,
    lastCheckpoint: f.lastCheckpoint !== undefined ? new Date(f.lastCheckpoint).toISOString() : null,
    lastWrite: new Date(f.lastWrite).toISOString(),
    bytes: f.bytes,
    path: f.path,
  };
}

function prune(dir: string, flags: CheckpointsFlags): number {
  const olderThanMs = flags.olderThan !== undefined ? durationMs(flags.olderThan) : 0;
  const r = pruneJobFolders(dir, { olderThanMs, now: Date.now(), dryRun: flags.dryRun === true });
  const verb = flags.dryRun ? "would remove" : "removed";
  for (const f of r.removed) {
    process.stdout.write(
      `${verb} ${f.jobId} (${f.jobName ?? "?"}, ${f.state}, ${size(f.bytes)}, last written ${localTime(f.lastWrite)})\n`,
    );
  }
  for (const { folder } of r.kept.filter((k) => k.reason === "running")) {
    process.stdout.write(`kept ${folder.jobId} (${folder.jobName ?? "?"}, running as pid ${folder.pid ?? "?"})\n`);
  }
  const freed = size(r.removed.reduce((n, f) => n + f.bytes, 0));
  const count = (reason: string) => r.kept.filter((k) => k.reason === reason).length;
  const kept = [
    [count("running"), "running"],
    [count("recent"), `written in the last ${flags.olderThan}`],
    [count("ownerless"), "without an owner written in the last hour"],
    [count("not a job folder"), "without job.json"],
  ]
    .filter(([n]) => n)
    .map(([n, why]) => `${n} ${why}`);
  process.stdout.write(
    `${flags.dryRun ? "Would remove" : "Removed"} ${r.removed.length} job folder(s) (${freed}) from ${dir}` +
      `${kept.length ? `; kept ${r.kept.length} (${kept.join(", ")})` : ""}` +
      `${flags.dryRun ? "; nothing was removed (--dry-run)" : ""}.\n`,
  );
  return EXIT.ok;
}

const pad = (n: number) => String(n).padStart(2, "0");

function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function size(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A word or path the shell takes as it is, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that resumes a job whose folder was kept: the same file, variables and name, and the
 * checkpoint directory when it is not the built-in default (the environment of a later run may differ).
 */
export function resumeCommand(jobId: string, args: RunArgs): string {
  const parts = ["seatunnel", "run", "-r", jobId, args.config ?? "<job file>"];
  for (const v of args.variables) {
    parts.push("-i", v);
  }
  if (args.name !== undefined) {
    parts.push("-n", args.name);
  }
  const dir = checkpointDir(args.checkpointDir);
  if (dir !== join(tmpdir(), "seatunnel", "checkpoint")) {
    parts.push("--checkpoint-dir", dir);
  }
  return parts.map((p, i) => (i < 4 ? p : shellWord(p))).join(" ");
}

/** The last lines of a run: where a failed or stopped job's checkpoints are kept and how to resume it. */
export function reportCheckpoints(result: JobResult, args: RunArgs, log: Logger): void {
  const c = result.checkpoints;
  if (!c?.kept) {
    return;
  }
  const kept = `the checkpoints of job ${result.jobId} are kept in ${c.dir} (seatunnel checkpoints list shows them).`;
  log.info(result.status === "FAILED" ? `T${kept.slice(1)}` : `A savepoint was taken; ${kept}`);
  log.info(`Resume the job with: ${resumeCommand(result.jobId, args)}`);
}
