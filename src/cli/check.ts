/**
 * What `run --check` prints once the job is valid: the plan, what could not be checked offline,
 * and one closing line. With `--connect` (`seatunnel validate`) every source and sink was also
 * checked against its server before this (bindPlanned), and whatever they opened is closed here.
 */
import type { BoundJob } from "../plan/bind.ts";
import { closeNodes } from "../plan/connect.ts";
import { explain } from "../plan/explain.ts";
import { EXIT } from "./errors.ts";

/** With `emit` (--json) the plan and the closing lines go into one object instead. */
export async function reportCheck(
  bound: BoundJob,
  connected: boolean,
  emit?: (o: Record<string, unknown>) => void,
): Promise<number> {
  await closeNodes(bound.nodes);
  const nodes = bound.nodes.filter((b) => b !== undefined);
  const lines = [explain(bound)];
  if (connected) {
    const external = nodes.filter((b) => b.def.features.external).length;
    lines.push(
      `The job file is valid: ${nodes.length} plugins checked, ${external} of them against their servers; nothing was run.`,
    );
  } else {
    lines.push(`The job file is valid: ${nodes.length} plugins checked offline, nothing was run.`);
    const unchecked = nodes.filter((b) => b.unchecked !== undefined).length;
    if (unchecked) {
      lines.push(
        `Columns were not checked for ${unchecked} plugin${unchecked === 1 ? "" : "s"}: they are only known after connecting; --check --connect (or seatunnel validate) checks them.`,
      );
    }
  }
  if (emit) {
    const unchecked = nodes.filter((b) => b.unchecked !== undefined).length;
    emit({
      status: "VALID",
      exitCode: EXIT.ok,
      plugins: nodes.length,
      connected,
      unchecked,
      plan: lines[0],
      notes: lines.slice(1),
    });
  } else {
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return EXIT.ok;
}
