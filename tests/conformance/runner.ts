// Conformance runner: runs the SeaTunnel e2e job files of ../shared/conformance with the binary and
// classifies every row as the corpus README specifies. Usage: see tests/conformance/README.md.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { AmqpSession } from "./amqp.ts";
import { type Options, parseOptions, USAGE } from "./cli.ts";
import { judgeExpected, parseExpected, rowLines, summaryLine, totals } from "./expected.ts";
import { activeGroups, killGroup } from "./job.ts";
import { parseManifest, pluginsAllowed, type Row, rowPlugins } from "./manifest.ts";
import { type RowResult, runRow } from "./run-row.ts";
import { PathResolver, readJobFile, type RunContext } from "./setup.ts";

const PROJECT_ROOT = resolve(import.meta.dir, "../..");

/** What to run: a single row, or a sequence (steps in order; `counted` marks the selected ones). */
type Unit = { rows: Row[]; counted: boolean[]; seq: string | undefined };

async function isSelected(row: Row, opts: Options): Promise<boolean> {
  if (opts.groups.length > 0 && !opts.groups.includes(row.group)) {
    return false;
  }
  if (opts.only.length > 0 && !opts.only.some((s) => row.key.includes(s))) {
    return false;
  }
  if (opts.plugins.length > 0) {
    let text: string | undefined;
    if (row.path.endsWith(".sql")) {
      text = await readJobFile(row.path, opts.root, opts.mirror).catch(() => undefined);
    }
    if (!pluginsAllowed(rowPlugins(row, text), opts.plugins)) {
      return false;
    }
  }
  return true;
}

/** Units in manifest order; a sequence runs where its first row appears, up to its last selected step. */
export function planUnits(rows: Row[], selected: Set<Row>): Unit[] {
  const units: Unit[] = [];
  const doneSeqs = new Set<string>();
  for (const row of rows) {
    const seq = row.notes.seq;
    if (seq === undefined) {
      if (selected.has(row)) {
        units.push({ rows: [row], counted: [true], seq: undefined });
      }
      continue;
    }
    if (doneSeqs.has(seq.name)) {
      continue;
    }
    doneSeqs.add(seq.name);
    const steps = rows
      .filter((r) => r.notes.seq?.name === seq.name)
      .sort((a, b) => (a.notes.seq?.step ?? 0) - (b.notes.seq?.step ?? 0));
    const last = steps.findLastIndex((r) => selected.has(r));
    if (last < 0) {
      continue;
    }
    const chosen = steps.slice(0, last + 1);
    units.push({ rows: chosen, counted: chosen.map((r) => selected.has(r)), seq: seq.name });
  }
  return units;
}

function gatedResult(row: Row, counted: boolean, reason: string): RowResult {
  return {
    key: row.key,
    path: row.path,
    group: row.group,
    status: "GATED",
    counted,
    seconds: 0,
    exit: undefined,
    reasons: [reason],
    soft: [],
    argv: [],
    outputTail: [],
  };
}

async function runUnit(unit: Unit, opts: Options, report: (r: RowResult) => void): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), "st-conformance-"));
  const stRoot = join(workDir, "root");
  await mkdir(stRoot);
  const log = (line: string) => {
    if (opts.verbose) {
      console.log(line);
    }
  };
  const ctx: RunContext = {
    vars: { ST_ROOT: stRoot },
    workDir,
    paths: new PathResolver([opts.setupRoot, opts.root, dirname(opts.manifest)]),
    fixture: undefined,
    amqp: new AmqpSession(),
    log,
  };
  if (unit.seq !== undefined) {
    log(`sequence ${unit.seq}: ${unit.rows.length} steps in ${stRoot}`);
  }
  try {
    for (const [i, row] of unit.rows.entries()) {
      const counted = unit.counted[i] ?? false;
      if (counted && row.notes.status === "gated" && !opts.gated) {
        report(gatedResult(row, true, row.notes.gatedReason));
        continue;
      }
      report(
        await runRow(
          row,
          ctx,
          { bin: opts.bin, root: opts.root, mirror: opts.mirror, timeout: opts.timeout, cluster: opts.cluster },
          counted,
        ),
      );
    }
  } finally {
    await ctx.fixture?.stop();
    await ctx.amqp.close();
    if (opts.keep) {
      console.log(`kept ${workDir}`);
    } else {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv, PROJECT_ROOT, process.cwd());
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  let rows: Row[];
  try {
    rows = parseManifest(await readFile(opts.manifest, "utf8"));
  } catch (e) {
    console.error(`cannot read manifest ${opts.manifest}: ${(e as Error).message}`);
    return 2;
  }
  let listed: string[] | undefined;
  if (opts.expected !== undefined) {
    try {
      listed = parseExpected(await readFile(opts.expected, "utf8"));
    } catch (e) {
      console.error(`cannot read expected-pass list ${opts.expected}: ${(e as Error).message}`);
      return 2;
    }
  }
  const selected = new Set<Row>();
  for (const row of rows) {
    if (await isSelected(row, opts)) {
      selected.add(row);
    }
  }
  const results: RowResult[] = [];
  const report = (r: RowResult) => {
    results.push(r);
    for (const line of rowLines(r, opts.verbose)) {
      console.log(line);
    }
  };
  if (opts.dryRun) {
    for (const row of rows.filter((r) => selected.has(r))) {
      const parsed = row.errors.length === 0;
      report({
        ...gatedResult(row, true, "dry run"),
        status: parsed ? "GATED" : "FAIL",
        reasons: parsed ? ["dry run"] : row.errors,
      });
    }
  } else {
    if (!existsSync(opts.bin)) {
      console.log(`warning: ${opts.bin} does not exist; every row that runs it will fail`);
    }
    for (const unit of planUnits(rows, selected)) {
      await runUnit(unit, opts, report);
    }
  }
  let code = 0;
  if (listed !== undefined) {
    const v = judgeExpected(
      listed,
      rows.map((r) => r.key),
      results,
    );
    for (const key of v.unknown) {
      console.log(`expected-pass: no manifest row has the key ${JSON.stringify(key)}`);
    }
    for (const f of v.failed) {
      console.log(`expected-pass: ${f.key} did not pass (${f.status})`);
    }
    if (opts.verbose && v.notRun.length > 0) {
      console.log(`expected-pass: ${v.notRun.length} listed rows were not run`);
    }
    if (v.unknown.length > 0 || v.failed.length > 0) {
      code = 1;
    } else {
      console.log(`expected-pass: all ${listed.length - v.notRun.length} listed rows that ran passed`);
    }
  }
  const t = totals(results);
  if (opts.json !== undefined) {
    await writeFile(opts.json, `${JSON.stringify({ totals: t, results }, null, 2)}\n`);
  }
  console.log(summaryLine(t));
  return code;
}

function interrupted(signal: NodeJS.Signals): void {
  for (const pid of activeGroups) {
    killGroup(pid, "SIGKILL");
  }
  process.exit(signal === "SIGINT" ? 130 : 143);
}

if (import.meta.main) {
  process.on("SIGINT", () => interrupted("SIGINT"));
  process.on("SIGTERM", () => interrupted("SIGTERM"));
  process.exit(await main(process.argv.slice(2)));
}
