/**
 * Console's writer (SeaTunnel's ConsoleSinkWriter): logs the row type of every input table when it
 * opens, then one INFO line per row in SeaTunnel's exact format. Values are rendered by compiled
 * per-column formatters; with `log.print.data = false` a batch costs O(1).
 */
import type { Logger, Row, Sink, SinkWriter, TableSchema, WriterContext } from "../../src/api/index.ts";
import { ROW_KIND_NAMES, typeToString } from "../../src/api/index.ts";
import { valueFormatter } from "../../src/api/format.ts";
import type { DataType } from "../../src/api/types.ts";

export interface ConsoleSettings {
  printData: boolean;
  delayMs: number;
}

/** Per input table: how to print its rows, and its own row counter (SeaTunnel has one writer per table). */
interface TablePrinter {
  format: ((v: unknown) => string)[];
  rowIndex: number;
}

/** `output rowType: name<STRING>, age<INT>` (ConsoleSinkWriter.fieldsInfo). */
export function rowTypeLine(t: TableSchema): string {
  return `output rowType: ${t.columns.map((c) => `${c.name}<${typeToString(c.type)}>`).join(", ")}`;
}

/** Java renders the whole row through `StringUtils.join`, which prints a null field as "". */
function fieldsText(p: TablePrinter, fields: readonly unknown[]): string {
  const f = p.format;
  let out = "";
  for (let i = 0; i < f.length; i++) {
    const v = fields[i];
    if (i > 0) {
      out += ", ";
    }
    if (v !== null && v !== undefined) {
      out += f[i]!(v);
    }
  }
  return out;
}

/** A type for a value of a row whose table the sink was not planned with (should not happen). */
function guessType(v: unknown): DataType {
  if (typeof v === "number") {
    return Number.isInteger(v) ? { kind: "int" } : { kind: "double" };
  }
  if (typeof v === "bigint") {
    return { kind: "bigint" };
  }
  return { kind: "string" };
}

class ConsoleWriter implements SinkWriter {
  private readonly printers = new Map<string, TablePrinter>();

  constructor(
    private readonly settings: ConsoleSettings,
    private readonly inputs: readonly TableSchema[],
    private readonly ctx: WriterContext,
  ) {
    for (const t of inputs) {
      ctx.log.info(rowTypeLine(t));
      this.printers.set(t.id, { format: t.columns.map((c) => valueFormatter(c.type)), rowIndex: 0 });
    }
  }

  private printer(r: Row): TablePrinter {
    let p = this.printers.get(r.table);
    if (p) {
      return p;
    }
    // A single-input sink receives rows whose id a transform may have changed: same columns.
    const only = this.inputs.length === 1 ? this.inputs[0] : undefined;
    p = {
      format: only
        ? only.columns.map((c) => valueFormatter(c.type))
        : r.fields.map((v) => valueFormatter(guessType(v))),
      rowIndex: 0,
    };
    this.printers.set(r.table, p);
    return p;
  }

  private line(r: Row): string {
    const p = this.printer(r);
    p.rowIndex++;
    return `subtaskIndex=${this.ctx.subtask}  rowIndex=${p.rowIndex}:  SeaTunnelRow#tableId=${r.table} SeaTunnelRow#kind=${ROW_KIND_NAMES[r.kind]} : ${fieldsText(p, r.fields)}`;
  }

  write(batch: Row[]): void | Promise<void> {
    const { printData, delayMs } = this.settings;
    if (delayMs > 0) {
      return this.writeSlowly(batch);
    }
    if (!printData || batch.length === 0) {
      return;
    }
    const lines = new Array<string>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      lines[i] = this.line(batch[i]!);
    }
    emit(this.ctx.log, lines);
  }

  /** `log.print.delay.ms`: SeaTunnel sleeps after every row, so rows appear one by one. */
  private async writeSlowly(batch: Row[]): Promise<void> {
    for (const r of batch) {
      if (this.settings.printData) {
        this.ctx.log.info(this.line(r));
      }
      await Bun.sleep(this.settings.delayMs);
    }
  }

  close(): void {}
}

function emit(log: Logger, lines: string[]): void {
  if (log.lines) {
    log.lines(lines);
  } else {
    for (const l of lines) {
      log.info(l);
    }
  }
}

/** The sink object `create` returns: one ConsoleWriter per parallel subtask. */
export function consoleSink(settings: ConsoleSettings, inputs: readonly TableSchema[]): Sink {
  return {
    describeWrite: () =>
      settings.printData
        ? "prints every row to the log; nothing is stored"
        : "counts rows (log_print_data = false); nothing is stored",
    writer: (ctx) => new ConsoleWriter(settings, inputs, ctx),
  };
}
